// ANALYZE: gathers index statistics into sqlite_stat1, as SQLite 3.50.4 built without STAT4
// writes them. The statistics table is created on first use with SQLite's text
//
//     CREATE TABLE sqlite_stat1(tbl,idx,stat)
//
// and holds one row per analyzed index:
//
//     tbl   the table's name
//     idx   the index's name (NULL for the row-count row of a table without full indexes)
//     stat  "nRow avg1 avg2 ... avgK": the index's entry count, then for each prefix of its K
//           key columns the average number of entries sharing one value of that prefix,
//           (nRow + nDistinct - 1) / nDistinct, where 2 becomes 1 when nRow*10 <= nDistinct*11.
//
// Which objects: `ANALYZE` every database but temp; `ANALYZE db` one database; `ANALYZE name`
// or `ANALYZE db.name` an index (looked up first) or a table (a view or sqlite_* table is
// accepted and analyzes nothing). Analyzing a database empties the statistics tables first;
// analyzing a table deletes the rows whose tbl is its name, an index those whose idx is its
// name. A full (non-partial) index with no entries writes no row; a partial index always
// writes one ("0 0" when empty). A table whose indexes are all partial, or that has none,
// also gets the row (tbl, NULL, count) when it has rows (not when a single index is analyzed).
// sqlite_stat3/sqlite_stat4, when a file has them, are emptied the same way (SQLite does so
// even when it does not write them).
//
// The index scan counts, per key column k, how many times the key prefix 0..k changed from one
// entry to the next (values compared with the column's collation, NULLs equal), which is
// nDistinct(k) - 1:
//
//         Integer 0 nRow, dlt[0..K-1]
//         Rewind  ic done
//         Integer 1 nRow
//   load: Column  ic k -> prev[k]          (every k)
//   adv:  Next    ic loop
//         Goto    done
//   loop: Add     one nRow
//         Column  ic k -> cur; Ne cur prev[k] chg[k]   (every k, in order)
//         Goto    adv
//   chg0: Add one dlt[0]                   (a change at column k falls through
//   chg1: Add one dlt[1]                    every later column's counter)
//         ...
//         Goto    load
//   done:
//
// The planner does not read the statistics yet; a file holding sqlite_stat1 (written here,
// by SQLite, or damaged) works as any other.
using System.Globalization;
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>SQLite's text for the statistics table it creates.</summary>
    internal const string Stat1Sql = "CREATE TABLE sqlite_stat1(tbl,idx,stat)";

    private void CompileAnalyze(AnalyzeStatement a)
    {
        _write = true;
        if (_settings != null && _settings.TryGetValue("analysis_limit", out long limit) && limit != 0)
            throw new TernException(ResultCode.Error, "ANALYZE with PRAGMA analysis_limit is not supported yet");
        var created = new List<int>();
        if (a.Name == null)
        {
            for (int db = 0; db < _schemas.Count; db++)
            {
                if (db != DatabaseSchema.TempDb) AnalyzeDatabase(db, created);
            }
        }
        else if (a.SecondName == null && _schemas.IndexOf(a.Name) is int named and >= 0)
        {
            AnalyzeDatabase(named, created);
        }
        else
        {
            string? schema = a.SecondName != null ? a.Name : null;
            string name = a.SecondName ?? a.Name;
            if (schema != null && _schemas.IndexOf(schema) < 0) throw new TernException(ResultCode.Error, "unknown database " + schema);
            if (FindIndex(schema, name) is { } ix)
            {
                int stat = OpenStatTables(ix.Db, 1, ix.Name, created);
                AnalyzeTable(ix.Table, ix, stat);
            }
            else if (FindTable(schema, name) is { } t)
            {
                int stat = OpenStatTables(t.Db, 0, t.Name, created);
                AnalyzeTable(t, null, stat);
            }
            else if (FindView(schema, name) is { } v)
            {
                // A view has no b-tree: the statistics table is still made ready, as in SQLite.
                OpenStatTables(v.Db, 0, v.Name, created);
            }
            else
            {
                throw new TernException(ResultCode.Error, "no such table: " + (schema != null ? schema + "." : "") + name);
            }
        }
        foreach (int db in created) FinishSchemaChange(db);
    }

    /// <summary>Analyzes every table of database <paramref name="db"/>, after emptying its statistics tables.</summary>
    private void AnalyzeDatabase(int db, List<int> created)
    {
        int stat = OpenStatTables(db, -1, null, created);
        foreach (Table t in _schemas[db].Tables.ToList()) AnalyzeTable(t, null, stat);
    }

    /// <summary>
    /// Opens database <paramref name="db"/>'s sqlite_stat1 for writing, creating it when missing
    /// (the database is then added to <paramref name="created"/>, whose schema changes once the
    /// program is done), and clears the statistics it is about to replace in sqlite_stat1,3,4:
    /// all of them when <paramref name="column"/> is -1, else the rows whose column (0 tbl, 1 idx)
    /// is <paramref name="name"/>. Returns the cursor.
    /// </summary>
    private int OpenStatTables(int db, int column, string? name, List<int> created)
    {
        DatabaseSchema s = _schemas[db];
        int stat = NewCursor();
        if (s.FindTable("sqlite_stat1") is { } stat1)
        {
            Emit(Opcode.OpenWrite, stat, (int)stat1.RootPage, db, 3);
        }
        else
        {
            int schemaCursor = NewCursor();
            Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
            int root = NewRegister();
            Emit(Opcode.CreateBtree, db, root, 1);
            InsertSchemaRow(schemaCursor, "table", "sqlite_stat1", "sqlite_stat1", root, Stat1Sql);
            Emit(Opcode.OpenWrite, stat, root, db, 3, P2IsRegister);
            created.Add(db);
        }
        foreach (string other in (string[])["sqlite_stat1", "sqlite_stat3", "sqlite_stat4"])
        {
            if (s.FindTable(other) is not { } st || st.RootPage == 0) continue;
            if (column < 0)
            {
                Emit(Opcode.Clear, (int)st.RootPage, db, 0);
                continue;
            }
            int cursor = other == "sqlite_stat1" ? stat : NewCursor();
            if (cursor != stat) Emit(Opcode.OpenWrite, cursor, (int)st.RootPage, db, Math.Max(st.Columns.Count, 2));
            DeleteRowsWhereEqual(cursor, column, name!);
        }
        return stat;
    }

    /// <summary>Deletes the rows of the table open on <paramref name="cursor"/> whose column <paramref name="column"/> is the text <paramref name="value"/> (BINARY).</summary>
    private void DeleteRowsWhereEqual(int cursor, int column, string value)
    {
        int done = NewLabel();
        Emit(Opcode.Rewind, cursor, done, 0);
        int top = CurrentAddress;
        int v = NewRegister(), want = NewRegister();
        Emit(Opcode.Column, cursor, column, v);
        Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(value));
        int next = NewLabel();
        Emit(Opcode.Ne, want, next, v, Storage.Record.Collation.Binary, P5Flags.JumpIfNull);
        Emit(Opcode.Delete, cursor, 0, 0);
        Resolve(next);
        Emit(Opcode.Next, cursor, top, 0);
        Resolve(done);
    }

    /// <summary>
    /// Writes the statistics rows of table <paramref name="t"/> (of its index <paramref name="only"/>
    /// alone when given) through the sqlite_stat1 cursor <paramref name="stat"/>.
    /// </summary>
    private void AnalyzeTable(Table t, Index? only, int stat)
    {
        if (t.RootPage == 0 || t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)) return;
        if (t.WithoutRowid) throw new TernException(ResultCode.Error, $"ANALYZE of the WITHOUT ROWID table {t.Name} is not supported yet");
        int db = t.Db;
        // Newest index first, as SQLite keeps a table's index list.
        List<Index> indexes = only != null ? [only] : t.Indexes.Where(ix => ix.RootPage != 0).Reverse().ToList();
        bool needTableCount = only == null;
        int one = NewRegister();
        Emit(Opcode.Integer, 1, one, 0);
        foreach (Index ix in indexes)
        {
            if (ix.Where == null) needTableCount = false;
            int k = ix.Columns.Length;
            int ic = NewCursor();
            Emit(Opcode.OpenRead, ic, (int)ix.RootPage, db, ix.KeyInfo());
            // args: nRow, dlt[0..k-1]
            int nRow = NewRegisters(k + 1);
            int prev = NewRegisters(k), cur = NewRegister();
            for (int i = 0; i <= k; i++) Emit(Opcode.Integer, 0, nRow + i, 0);
            int done = NewLabel(), load = NewLabel(), adv = NewLabel(), loop = NewLabel();
            var changed = new int[k];
            for (int i = 0; i < k; i++) changed[i] = NewLabel();
            Emit(Opcode.Rewind, ic, done, 0);
            Emit(Opcode.Integer, 1, nRow, 0);
            Resolve(load);
            for (int i = 0; i < k; i++) Emit(Opcode.Column, ic, i, prev + i);
            Resolve(adv);
            Emit(Opcode.Next, ic, loop, 0);
            Emit(Opcode.Goto, 0, done, 0);
            Resolve(loop);
            Emit(Opcode.Add, one, nRow, nRow);
            for (int i = 0; i < k; i++)
            {
                Emit(Opcode.Column, ic, i, cur);
                Emit(Opcode.Ne, prev + i, changed[i], cur, ix.Collations[i], P5Flags.NullEq);
            }
            Emit(Opcode.Goto, 0, adv, 0);
            for (int i = 0; i < k; i++)
            {
                Resolve(changed[i]);
                Emit(Opcode.Add, one, nRow + 1 + i, nRow + 1 + i);
            }
            Emit(Opcode.Goto, 0, load, 0);
            Resolve(done);
            int skip = NewLabel();
            // A full index without entries (an empty table) writes nothing; a partial one writes "0 0".
            if (ix.Where == null) Emit(Opcode.IfNot, nRow, skip, 0);
            int row = NewRegisters(3);
            Emit(Opcode.String8, 0, row, 0, Encoding.UTF8.GetBytes(t.Name));
            Emit(Opcode.String8, 0, row + 1, 0, Encoding.UTF8.GetBytes(ix.Name));
            Emit(Opcode.Function, 0, nRow, row + 2, Stat1Text, (ushort)(k + 1));
            InsertStatRow(stat, row);
            Resolve(skip);
        }
        if (needTableCount)
        {
            int tc = NewCursor();
            Emit(Opcode.OpenRead, tc, (int)t.RootPage, db, 0);
            int row = NewRegisters(3), count = NewRegister();
            int skip = NewLabel();
            Emit(Opcode.Count, tc, count, 0);
            Emit(Opcode.IfNot, count, skip, 0);
            Emit(Opcode.String8, 0, row, 0, Encoding.UTF8.GetBytes(t.Name));
            Emit(Opcode.Null, 0, row + 1, 0);
            // The count as text, as every stat value is.
            Emit(Opcode.Function, 0, count, row + 2, Stat1Text, 1);
            InsertStatRow(stat, row);
            Resolve(skip);
        }
    }

    /// <summary>Appends the row r[row..row+2] (tbl, idx, stat) to sqlite_stat1.</summary>
    private void InsertStatRow(int stat, int row)
    {
        int rec = NewRegister(), rowid = NewRegister();
        Emit(Opcode.MakeRecord, row, 3, rec);
        Emit(Opcode.NewRowid, stat, rowid, 0);
        Emit(Opcode.Insert, stat, rec, rowid, "sqlite_stat1");
    }

    /// <summary>
    /// The stat column from an index scan's counts: args[0] the entry count, args[1+k] how many
    /// times key prefix k changed between neighbouring entries.
    /// </summary>
    private static readonly Functions.ScalarFunction Stat1Text = new("stat1_text", -1, static (args, ref result) =>
    {
        long n = args[0].I;
        var sb = new StringBuilder(n.ToString(CultureInfo.InvariantCulture));
        for (int i = 1; i < args.Length; i++)
        {
            long distinct = args[i].I + 1;
            System.Diagnostics.Debug.Assert(distinct >= 1 && (n == 0 ? distinct == 1 : distinct <= n));
            long avg = (n + distinct - 1) / distinct;
            if (avg == 2 && n * 10 <= distinct * 11) avg = 1;
            sb.Append(' ').Append(avg.ToString(CultureInfo.InvariantCulture));
        }
        result.SetText(Encoding.UTF8.GetBytes(sb.ToString()));
    });

    /// <summary>
    /// DROP TABLE and DROP INDEX: deletes the statistics of the dropped object from each of
    /// sqlite_stat1..4 the database has, the rows whose column <paramref name="column"/> (0 tbl,
    /// 1 idx) is <paramref name="name"/>, as SQLite's sqlite3ClearStatTables does.
    /// </summary>
    private void DeleteStatRows(int db, int column, string name)
    {
        for (int i = 1; i <= 4; i++)
        {
            if (_schemas[db].FindTable("sqlite_stat" + i.ToString(CultureInfo.InvariantCulture)) is not { } st || st.RootPage == 0) continue;
            int cursor = NewCursor();
            Emit(Opcode.OpenWrite, cursor, (int)st.RootPage, db, Math.Max(st.Columns.Count, 2));
            DeleteRowsWhereEqual(cursor, column, name);
        }
    }

    /// <summary>The most rows a table may have for PRAGMA optimize to analyze it (SQLite samples past its limit of 2000).</summary>
    private const int OptimizeRowLimit = 2000;

    /// <summary>
    /// PRAGMA optimize (mask 0xfffe unless given; nothing unless bit 0x02 is set): in every
    /// database but temp (or the one named), each table with indexes and rows, where some index has
    /// no sqlite_stat1 row, is analyzed as ANALYZE table would. SQLite decides "has a row" from the
    /// statistics it loaded with the schema, Tern from the table as it stands. Not reproduced:
    /// re-analysis of tables whose size changed tenfold since their statistics (SQLite's other
    /// reason), the 0x01 (report only) and 0x10000 (every table) bits, which fail when prepared, and
    /// SQLite's sampling of tables past 2000 rows, which fails when such a table would be analyzed.
    /// </summary>
    private void CompileOptimize(PragmaStatement p, int only)
    {
        long mask = p.Value == null ? 0xfffe : DecOrHexInteger(p.Value.Text) ?? 0;
        if ((mask & 0x02) == 0) return;
        if ((mask & 0x10001) != 0) throw new TernException(ResultCode.Error, "PRAGMA optimize with mask bits 0x01 or 0x10000 is not supported yet");
        for (int db = 0; db < _schemas.Count; db++)
        {
            if (db == DatabaseSchema.TempDb || (p.Schema != null && db != only)) continue;
            DatabaseSchema schema = _schemas[db];
            List<Table> tables = schema.Tables.Where(t => t.RootPage != 0 && !t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
                && t.Indexes.Any(ix => ix.RootPage != 0)).ToList();
            if (tables.Count == 0) continue;
            _write = true;
            Table? stat1 = schema.FindTable("sqlite_stat1");
            int root = NewRegister(), created = NewRegister();
            Emit(Opcode.Integer, stat1 != null ? (int)stat1.RootPage : 0, root, 0);
            Emit(Opcode.Integer, 0, created, 0);
            foreach (Table t in tables)
            {
                int skip = NewLabel(), need = NewLabel();
                if (stat1 != null)
                {
                    foreach (Index ix in t.Indexes.Where(ix => ix.RootPage != 0))
                    {
                        // Look for the index's row (tbl, idx): none means the table needs analysis.
                        int sc = NewCursor(), v = NewRegister(), want = NewRegister(), found = NewLabel(), next = NewLabel();
                        Emit(Opcode.OpenRead, sc, (int)stat1.RootPage, db, 2);
                        Emit(Opcode.Rewind, sc, need, 0);
                        int top = CurrentAddress;
                        Emit(Opcode.Column, sc, 0, v);
                        Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(t.Name));
                        Emit(Opcode.Ne, want, next, v, Storage.Record.Collation.Binary, P5Flags.JumpIfNull);
                        Emit(Opcode.Column, sc, 1, v);
                        Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(ix.Name));
                        Emit(Opcode.Ne, want, next, v, Storage.Record.Collation.Binary, P5Flags.JumpIfNull);
                        Emit(Opcode.Goto, 0, found, 0);
                        Resolve(next);
                        Emit(Opcode.Next, sc, top, 0);
                        Emit(Opcode.Goto, 0, need, 0);
                        Resolve(found);
                    }
                    Emit(Opcode.Goto, 0, skip, 0);
                }
                Resolve(need);
                int tc = NewCursor(), count = NewRegister(), limit = NewRegister(), small = NewLabel();
                Emit(Opcode.OpenRead, tc, (int)t.RootPage, db, 0);
                Emit(Opcode.Rewind, tc, skip, 0);
                Emit(Opcode.Count, tc, count, 0);
                Emit(Opcode.Int64, 0, limit, 0, (long)OptimizeRowLimit);
                Emit(Opcode.Le, limit, small, count);
                Emit(Opcode.Halt, (int)ResultCode.Error, 2, 0, $"PRAGMA optimize of a table of more than {OptimizeRowLimit} rows ({t.Name}) is not supported yet");
                Resolve(small);
                int have = NewLabel();
                Emit(Opcode.IfPos, root, have, 0);
                int schemaCursor = NewCursor();
                Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
                Emit(Opcode.CreateBtree, db, root, 1);
                InsertSchemaRow(schemaCursor, "table", "sqlite_stat1", "sqlite_stat1", root, Stat1Sql);
                Emit(Opcode.Integer, 1, created, 0);
                Resolve(have);
                int stat = NewCursor();
                Emit(Opcode.OpenWrite, stat, root, db, 3, P2IsRegister);
                DeleteRowsWhereEqual(stat, 0, t.Name);
                AnalyzeTable(t, null, stat);
                Resolve(skip);
            }
            int done = NewLabel();
            Emit(Opcode.IfNot, created, done, 0);
            FinishSchemaChange(db);
            Resolve(done);
        }
    }
}
