// REINDEX: rebuilds indexes from their tables, as SQLite's sqlite3RefillIndex does: each
// index b-tree is cleared and every row of its table (each its WHERE accepts, for a partial
// index) written into it again, so an index a damaged file holds out of step with its table
// is repaired; a UNIQUE index that meets a duplicate key fails with SQLite's message and the
// statement is undone.
//
// Targets, looked up as SQLite looks them up:
//   REINDEX                 every index of every database (temp too)
//   REINDEX coll            (one bare name that is a collation: BINARY, NOCASE, RTRIM) every
//                           index with a key column compared with that collation
//   REINDEX [db.]table      the table's indexes (a view or sqlite_schema: none)
//   REINDEX [db.]index      that index
// anything else is "unable to identify the object to be reindexed".
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private void CompileReindex(ReindexStatement ri)
    {
        // (A root of 0, a damaged schema's automatic index without its row, names no tree.)
        var indexes = new List<Index>();
        if (ri.Name == null)
        {
            for (int db = 0; db < _schemas.Count; db++)
            {
                foreach (Table t in _schemas[db].Tables) indexes.AddRange(t.Indexes);
            }
        }
        else if (ri.SecondName == null && ri.Name.ToUpperInvariant() is "BINARY" or "NOCASE" or "RTRIM")
        {
            for (int db = 0; db < _schemas.Count; db++)
            {
                foreach (Table t in _schemas[db].Tables)
                    indexes.AddRange(t.Indexes.Where(ix => ix.Collations.Any(c => Collations.Name(c).Equals(ri.Name, StringComparison.OrdinalIgnoreCase))));
            }
        }
        else
        {
            string? schema = ri.SecondName != null ? ri.Name : null;
            string name = ri.SecondName ?? ri.Name;
            if (schema != null && _schemas.IndexOf(schema) < 0) throw new TernException(ResultCode.Error, "unknown database " + schema);
            if (FindTable(schema, name) is { } t) indexes.AddRange(t.Indexes);
            else if (FindView(schema, name) != null) { }
            else if (FindIndex(schema, name) is { } ix) indexes.Add(ix);
            else throw new TernException(ResultCode.Error, "unable to identify the object to be reindexed");
        }
        indexes.RemoveAll(ix => ix.RootPage == 0 || ix.Table.RootPage == 0);
        if (indexes.FirstOrDefault(ix => ix.Table.WithoutRowid) is { } wr)
            throw new TernException(ResultCode.Error, $"REINDEX of the WITHOUT ROWID table {wr.Table.Name} is not supported yet");
        // Nothing to rebuild: no write transaction (so a read-only connection accepts it, as SQLite does).
        _write = indexes.Count > 0;
        foreach (Index ix in indexes)
        {
            int db = ix.Db;
            Emit(Opcode.Clear, (int)ix.RootPage, db, 0);
            int ic = NewCursor();
            Emit(Opcode.OpenWrite, ic, (int)ix.RootPage, db, ix.KeyInfo());
            FillIndex(ix.Table, ix, db, ic);
        }
    }
}
