// ALTER TABLE ... DROP COLUMN, as SQLite's alter.c does it. Refused at once: a view, an
// internal table, an unknown column, a PRIMARY KEY or UNIQUE column, the only column. Then
// the table's CREATE text loses the column's definition, edited in place:
//
//   CREATE TABLE t(a INT,   b TEXT  /*c*/ , c)     drop a: from a's name to b's name
//                  ^^^^^^^^^
//   CREATE TABLE t(a INT,   b TEXT  /*c*/ , c)     drop c (the last): from the comma before
//                                       ^^^^       c to where ADD COLUMN would insert
//
// and the schema must still hold together: the edited table (its CHECK constraints,
// generated columns and foreign keys), each index on the table, each view and trigger
// that names the column fail with "error in table|index|view|trigger NAME after drop
// column: ...". Last, unless the column is VIRTUAL, every row is written again without it.
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Sql.Lexer;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private void CompileDropColumn(DropColumnStatement d)
    {
        _write = true;
        if (FindTable(d.Schema, d.Table) == null && FindView(d.Schema, d.Table) is { } view)
            throw new TernException(ResultCode.Error, $"cannot drop column from view \"{view.Name}\"");
        Table t = RequireAlterTable(d.Schema, d.Table);
        int k = t.FindColumn(d.Column);
        if (k < 0) throw new TernException(ResultCode.Error, $"no such column: \"{d.Column}\"");
        string sql = t.Sql ?? throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        if (Tern.Sql.SqlParser.Parse(sql) is not CreateTableStatement ct) throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        Column column = t.Columns[k];
        if (InPrimaryKey(ct, k, column.Name)) throw new TernException(ResultCode.Error, $"cannot drop PRIMARY KEY column: \"{column.Name}\"");
        if (ct.Columns[k].Constraints.AsSpan().ToArray().Any(c => c is UniqueConstraint))
            throw new TernException(ResultCode.Error, $"cannot drop UNIQUE column: \"{column.Name}\"");
        if (t.Columns.Count <= 1) throw new TernException(ResultCode.Error, $"cannot drop column \"{column.Name}\": no other columns exist");

        // The CREATE text without the column's definition.
        byte[] old = Encoding.UTF8.GetBytes(sql);
        int from, to;
        if (k < ct.Columns.Count - 1)
        {
            from = ct.Columns[k].Start;
            to = ct.Columns[k + 1].Start;
        }
        else
        {
            to = AddColumnOffset(old);
            from = ct.Columns[k].Start;
            while (from > 0 && old[from] != (byte)',') from--;
        }
        string newSql = Encoding.UTF8.GetString([.. old.AsSpan(0, from), .. old.AsSpan(to)]);
        Table altered;
        try
        {
            if (Tern.Sql.SqlParser.Parse(newSql) is not CreateTableStatement nct) throw new TernException(ResultCode.Error, "syntax error");
            altered = DatabaseSchema.BuildTable(nct, t.RootPage, newSql, out _);
            foreach (TableConstraint tc in nct.Constraints)
            {
                if (tc is not (PrimaryKeyTableConstraint or UniqueTableConstraint)) continue;
                NodeList<OrderingTerm> cols = tc is PrimaryKeyTableConstraint pk ? pk.Columns : ((UniqueTableConstraint)tc).Columns;
                foreach (OrderingTerm o in cols)
                {
                    if (o.Expr is ColumnRef c && altered.FindColumn(c.Column) < 0) throw new TernException(ResultCode.Error, "no such column: " + c.Column);
                }
            }
            ResolveTableDefinition(altered, Encoding.UTF8.GetBytes(newSql), loading: true);
        }
        catch (TernException e)
        {
            throw new TernException(ResultCode.Error, $"error in table {t.Name} after drop column: {e.Message}");
        }
        catch (Tern.Sql.SqlParseException e)
        {
            throw new TernException(ResultCode.Error, $"error in table {t.Name} after drop column: {e.Message}");
        }

        // Indexes on the table, then views and triggers, must not name the column.
        var rename = new ColumnRename(t.Name, column.Name, column.Name, false);
        foreach (Index ix in t.Indexes)
        {
            if (ix.Sql == null) continue;
            byte[] utf8 = Encoding.UTF8.GetBytes(ix.Sql);
            var hits = new List<Token>();
            ColumnTokensInIndex(utf8, Tokens(utf8), rename, hits);
            if (hits.Count > 0) throw new TernException(ResultCode.Error, $"error in index {ix.Name} after drop column: no such column: {TokenName(utf8, hits[0])}");
        }
        if (Setting("legacy_alter_table") == 0 && Setting("writable_schema") == 0)
        {
            foreach (object o in _schemas[_alterDb].ViewsAndTriggers)
            {
                (string kind, string name, string? text, string on) = o is View v ? ("view", v.Name, v.Sql, v.Name) : ("trigger", ((Trigger)o).Name, ((Trigger)o).Sql, ((Trigger)o).Table);
                if (text == null) continue;
                byte[] utf8 = Encoding.UTF8.GetBytes(text);
                List<Token> tokens = Tokens(utf8);
                var hits = new List<Token>();
                ColumnTokensInQuery(utf8, tokens, rename, kind == "trigger" && string.Equals(on, t.Name, StringComparison.OrdinalIgnoreCase), hits);
                if (hits.Count == 0) continue;
                int at = tokens.FindIndex(x => x.Start == hits[0].Start);
                string written = TokenName(utf8, hits[0]);
                if (at >= 2 && tokens[at - 1].Kind == TokenKind.Dot) written = TokenName(utf8, tokens[at - 2]) + "." + written;
                throw new TernException(ResultCode.Error, $"error in {kind} {name} after drop column: no such column: {written}");
            }
        }

        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, _alterDb, 5);
        UpdateSchemaRows(cursor, row => string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase) && row.Type == "table"
            ? row with { Sql = newSql } : null);
        if (!column.IsVirtual) RewriteRowsWithoutColumn(t, altered, k);
        FinishSchemaChange(_alterDb);
    }

    /// <summary>Whether column <paramref name="k"/> is (part of) the table's PRIMARY KEY.</summary>
    private static bool InPrimaryKey(CreateTableStatement ct, int k, string name)
    {
        if (ct.Columns[k].Constraints.AsSpan().ToArray().Any(c => c is PrimaryKeyConstraint)) return true;
        foreach (TableConstraint tc in ct.Constraints)
        {
            if (tc is PrimaryKeyTableConstraint pk
                && pk.Columns.AsSpan().ToArray().Any(o => o.Expr is ColumnRef c && string.Equals(c.Column, name, StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Writes every row of <paramref name="t"/> again in the layout of <paramref name="altered"/>
    /// (the table without column <paramref name="dropped"/>), at the same rowid. A column
    /// missing from an old short record is written with its default; the INTEGER PRIMARY KEY
    /// stays NULL in the record, and VIRTUAL columns are not stored.
    /// </summary>
    private void RewriteRowsWithoutColumn(Table t, Table altered, int dropped)
    {
        var kept = new List<int>();
        for (int c = 0; c < t.Columns.Count; c++)
        {
            if (c != dropped && !t.Columns[c].IsVirtual) kept.Add(c);
        }
        int tc = NewCursor(), done = NewLabel();
        Emit(Opcode.OpenWrite, tc, (int)t.RootPage, t.Db, TableCursorInfo(t));
        Emit(Opcode.Rewind, tc, done, 0);
        int top = CurrentAddress;
        var src = new Source { Table = t, Cursor = tc, Name = t.Name };
        int regs = NewRegisters(Math.Max(kept.Count, 1)), rec = NewRegister(), rowid = NewRegister();
        for (int i = 0; i < kept.Count; i++)
        {
            // The field in the new layout (a WITHOUT ROWID table's key columns first).
            int field = altered.StorageIndex(kept[i] < dropped ? kept[i] : kept[i] - 1);
            if (kept[i] == t.RowidAlias) Emit(Opcode.Null, 0, regs + field, 0);
            else EmitColumnRaw(src, kept[i], regs + field);
        }
        System.Diagnostics.Debug.Assert(kept.Count == altered.Columns.Count(c => !c.IsVirtual), "the new layout stores the kept columns");
        Emit(Opcode.MakeRecord, regs, kept.Count, rec);
        Emit(Opcode.Rowid, tc, rowid, 0);
        Emit(Opcode.Insert, tc, rec, rowid, t.Name, 0);
        Emit(Opcode.Next, tc, top, 0);
        Resolve(done);
    }
}
