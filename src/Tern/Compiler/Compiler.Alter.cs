// ALTER TABLE: ADD COLUMN, RENAME TO and RENAME COLUMN. Like SQLite, these edit the
// CREATE text stored in sqlite_schema (rows keep their rowids; nothing in the table's
// b-tree changes) and bump the schema cookie:
//   ADD COLUMN     ", <column definition>" goes before the column list's closing ')';
//                  older rows, which are shorter, read the new column's DEFAULT.
//   RENAME TO      the table's name token becomes "new" (quoted, as SQLite writes it) in
//                  the table's text and after ON in its indexes' and triggers' text.
//   RENAME COLUMN  every identifier token naming the column is replaced in the table's
//                  text and in the column lists of its indexes.
// DROP COLUMN (which rewrites every row) is not supported yet.
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Sql.Lexer;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    private Table RequireAlterTable(string name)
    {
        Table? t = _schema.FindTable(name);
        if (t == null)
        {
            if (_schema.FindView(name) != null) throw new TernException(ResultCode.Error, $"Cannot add a column to a view");
            throw new TernException(ResultCode.Error, "no such table: " + name);
        }
        if (t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        return t;
    }

    private void CompileAddColumn(AddColumnStatement a)
    {
        _write = true;
        Table t = RequireAlterTable(a.Table);
        ColumnDefinition cd = a.Column;
        if (t.FindColumn(cd.Name) >= 0) throw new TernException(ResultCode.Error, "duplicate column name: " + cd.Name);
        Expr? def = null;
        bool notNull = false;
        bool generated = false;
        foreach (ColumnConstraint cc in cd.Constraints)
        {
            switch (cc)
            {
                case GeneratedConstraint: generated = true; break;
                case PrimaryKeyConstraint: throw new TernException(ResultCode.Error, "Cannot add a PRIMARY KEY column");
                case UniqueConstraint: throw new TernException(ResultCode.Error, "Cannot add a UNIQUE column");
                case NotNullConstraint: notNull = true; break;
                case DefaultConstraint d: def = d.Value; break;
            }
        }
        if (notNull && !generated && (def == null || def is Literal { Kind: LiteralKind.Null }))
            throw new TernException(ResultCode.Error, "Cannot add a NOT NULL column with default value NULL");
        if (def != null && def is not (Literal or UnaryExpr { Operand: Literal }))
            throw new TernException(ResultCode.Error, "Cannot add a column with non-constant default");
        string sql = t.Sql ?? throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        int close = sql.LastIndexOf(')');
        string coldef = Encoding.UTF8.GetString(_sql, cd.Start, cd.End - cd.Start);
        string newSql = sql[..close] + ", " + coldef + sql[close..];
        if (generated) CheckAddedGeneratedColumn(t, newSql);
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, 0, 5);
        UpdateSchemaRows(cursor, row => string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase) && row.Type == "table"
            ? row with { Sql = newSql } : null);
        FinishSchemaChange();
    }

    private void CompileRenameTable(RenameTableStatement r)
    {
        _write = true;
        Table t = RequireAlterTable(r.Table);
        if (_schema.FindTable(r.NewName) != null || _schema.FindIndex(r.NewName) != null || _schema.FindView(r.NewName) != null)
            throw new TernException(ResultCode.Error, $"there is already another table or index with this name: {r.NewName}");
        if (r.NewName.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {r.NewName}");
        string quoted = "\"" + r.NewName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, 0, 5);
        UpdateSchemaRows(cursor, row =>
        {
            if (row.Type == "table" && string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase))
                return row with { Name = r.NewName, Table = r.NewName, Sql = row.Sql == null ? null : ReplaceNameAfter(row.Sql, null, t.Name, quoted) };
            if (!string.Equals(row.Table, t.Name, StringComparison.OrdinalIgnoreCase)) return null;
            return row with { Table = r.NewName, Sql = row.Sql == null ? null : ReplaceNameAfter(row.Sql, TokenKind.On, t.Name, quoted) };
        });
        if (t.AutoIncrement && _schema.FindTable("sqlite_sequence") is { } seq)
        {
            int seqCursor = NewCursor();
            Emit(Opcode.OpenWrite, seqCursor, (int)seq.RootPage, 0, 2);
            int done = NewLabel();
            Emit(Opcode.Rewind, seqCursor, done, 0);
            int top = CurrentAddress;
            int v = NewRegister(), want = NewRegister(), next = NewLabel();
            Emit(Opcode.Column, seqCursor, 0, v);
            Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(t.Name));
            Emit(Opcode.Ne, want, next, v, Collation.NoCase, 0);
            int regs = NewRegisters(2), rec = NewRegister(), rowid = NewRegister();
            Emit(Opcode.String8, 0, regs, 0, Encoding.UTF8.GetBytes(r.NewName));
            Emit(Opcode.Column, seqCursor, 1, regs + 1);
            Emit(Opcode.MakeRecord, regs, 2, rec);
            Emit(Opcode.Rowid, seqCursor, rowid, 0);
            Emit(Opcode.Insert, seqCursor, rec, rowid, "sqlite_sequence", 0);
            Resolve(next);
            Emit(Opcode.Next, seqCursor, top, 0);
            Resolve(done);
        }
        FinishSchemaChange();
    }

    private void CompileRenameColumn(RenameColumnStatement r)
    {
        _write = true;
        Table t = RequireAlterTable(r.Table);
        int k = t.FindColumn(r.Column);
        if (k < 0) throw new TernException(ResultCode.Error, $"no such column: \"{r.Column}\"");
        if (t.FindColumn(r.NewName) >= 0) throw new TernException(ResultCode.Error, "duplicate column name: " + r.NewName);
        string newName = IsPlainIdentifier(r.NewName) ? r.NewName : "\"" + r.NewName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var indexNames = new HashSet<string>(t.Indexes.Select(ix => ix.Name), StringComparer.OrdinalIgnoreCase);
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, 0, 5);
        UpdateSchemaRows(cursor, row =>
        {
            if (row.Sql == null) return null;
            if (row.Type == "table" && string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase))
                return row with { Sql = ReplaceIdentifiers(row.Sql, r.Column, newName, skipFirstName: true) };
            if (row.Type == "index" && indexNames.Contains(row.Name))
                return row with { Sql = ReplaceIdentifiers(row.Sql, r.Column, newName, skipFirstName: true, afterParen: true) };
            return null;
        });
        FinishSchemaChange();
    }

    private static bool IsPlainIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !Keywords.IsKeyword(s);

    /// <summary>One sqlite_schema row as UpdateSchemaRows sees it.</summary>
    private sealed record SchemaRow(string Type, string Name, string Table, string? Sql);

    /// <summary>
    /// Rewrites sqlite_schema rows in place. The rows and their new contents are decided
    /// now, from the schema this statement was compiled against: each changed row is
    /// found by type and name and overwritten at its rowid.
    /// </summary>
    private void UpdateSchemaRows(int cursor, Func<SchemaRow, SchemaRow?> change)
    {
        var rows = new List<(SchemaRow Old, SchemaRow New)>();
        foreach (Table tb in _schema.Tables)
        {
            Consider(new SchemaRow("table", tb.Name, tb.Name, tb.Sql));
            foreach (Index ix in tb.Indexes) Consider(new SchemaRow("index", ix.Name, tb.Name, ix.Sql));
        }
        foreach (Trigger tr in _schema.TriggersAll()) Consider(new SchemaRow("trigger", tr.Name, tr.Table, tr.Sql));
        foreach (View v in _schema.Views) Consider(new SchemaRow("view", v.Name, v.Name, v.Sql));
        void Consider(SchemaRow row)
        {
            if (change(row) is { } updated && updated != row) rows.Add((row, updated));
        }
        if (rows.Count == 0) return;
        int done = NewLabel();
        Emit(Opcode.Rewind, cursor, done, 0);
        int top = CurrentAddress;
        int type = NewRegister(), name = NewRegister();
        Emit(Opcode.Column, cursor, 0, type);
        Emit(Opcode.Column, cursor, 1, name);
        foreach ((SchemaRow old, SchemaRow updated) in rows)
        {
            int next = NewLabel(), want = NewRegister();
            Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(old.Type));
            Emit(Opcode.Ne, want, next, type, null, 0);
            Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(old.Name));
            Emit(Opcode.Ne, want, next, name, Collation.NoCase, 0);
            int regs = NewRegisters(5), rec = NewRegister(), rowid = NewRegister();
            Emit(Opcode.String8, 0, regs, 0, Encoding.UTF8.GetBytes(updated.Type));
            Emit(Opcode.String8, 0, regs + 1, 0, Encoding.UTF8.GetBytes(updated.Name));
            Emit(Opcode.String8, 0, regs + 2, 0, Encoding.UTF8.GetBytes(updated.Table));
            Emit(Opcode.Column, cursor, 3, regs + 3);
            if (updated.Sql != null) Emit(Opcode.String8, 0, regs + 4, 0, Encoding.UTF8.GetBytes(updated.Sql));
            else Emit(Opcode.Null, 0, regs + 4, 0);
            Emit(Opcode.MakeRecord, regs, 5, rec);
            Emit(Opcode.Rowid, cursor, rowid, 0);
            Emit(Opcode.Insert, cursor, rec, rowid, "sqlite_master", 0);
            Resolve(next);
        }
        Emit(Opcode.Next, cursor, top, 0);
        Resolve(done);
    }

    private static List<Token> Tokens(byte[] utf8)
    {
        var list = new List<Token>();
        int pos = 0;
        while (pos < utf8.Length)
        {
            Token tk = SqlLexer.Next(utf8, pos);
            if (tk.Length <= 0) break;
            pos = tk.End;
            if (tk.Kind is TokenKind.Space or TokenKind.Comment) continue;
            list.Add(tk);
        }
        return list;
    }

    private static string TokenName(byte[] utf8, Token tk)
    {
        string text = Encoding.UTF8.GetString(utf8, tk.Start, tk.End - tk.Start);
        if (text.Length >= 2 && (text[0] is '"' or '`' or '[' || text[0] == '\''))
        {
            char close = text[0] == '[' ? ']' : text[0];
            return text[1..^1].Replace(new string(close, 2), close.ToString(), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Replaces the first name token equal to <paramref name="oldName"/> (after the keyword <paramref name="after"/>, when given).</summary>
    private static string ReplaceNameAfter(string sql, TokenKind? after, string oldName, string replacement)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        List<Token> tokens = Tokens(utf8);
        bool armed = after == null;
        foreach (Token tk in tokens)
        {
            if (!armed)
            {
                armed = tk.Kind == after;
                continue;
            }
            if ((tk.Kind is TokenKind.Id or TokenKind.String || Keywords.FallsBackToId(tk.Kind)) && string.Equals(TokenName(utf8, tk), oldName, StringComparison.OrdinalIgnoreCase))
                return Encoding.UTF8.GetString(utf8, 0, tk.Start) + replacement + Encoding.UTF8.GetString(utf8, tk.End, utf8.Length - tk.End);
        }
        return sql;
    }

    /// <summary>Replaces identifier tokens naming <paramref name="oldName"/> (not the object's own name).</summary>
    private static string ReplaceIdentifiers(string sql, string oldName, string replacement, bool skipFirstName, bool afterParen = false)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        List<Token> tokens = Tokens(utf8);
        var sb = new StringBuilder();
        int copied = 0;
        bool seenParen = false;
        bool nameSkipped = !skipFirstName;
        foreach (Token tk in tokens)
        {
            if (tk.Kind == TokenKind.LParen) seenParen = true;
            if (!(tk.Kind == TokenKind.Id || Keywords.FallsBackToId(tk.Kind))) continue;
            if (!nameSkipped && tk.Kind == TokenKind.Id)
            {
                nameSkipped = true;
                continue;
            }
            if (afterParen && !seenParen) continue;
            if (!string.Equals(TokenName(utf8, tk), oldName, StringComparison.OrdinalIgnoreCase)) continue;
            sb.Append(Encoding.UTF8.GetString(utf8, copied, tk.Start - copied)).Append(replacement);
            copied = tk.End;
        }
        sb.Append(Encoding.UTF8.GetString(utf8, copied, utf8.Length - copied));
        return sb.ToString();
    }
}
