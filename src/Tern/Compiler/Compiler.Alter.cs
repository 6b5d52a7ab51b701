// ALTER TABLE: ADD COLUMN, RENAME TO and RENAME COLUMN. Like SQLite, these edit the
// CREATE text stored in sqlite_schema (rows keep their rowids; nothing in the table's
// b-tree changes) and bump the schema cookie:
//   ADD COLUMN     ", <column definition>" goes before the table constraints (or the
//                  column list's closing ')');
//                  older rows, which are shorter, read the new column's DEFAULT.
//   RENAME TO      every token naming the table as a table (after TABLE, ON, FROM, JOIN,
//                  INTO, UPDATE, REFERENCES, in FROM lists, as a qualifier) becomes
//                  "new", in every schema row; autoindexes are renamed with it.
//   RENAME COLUMN  tokens naming the column in the table, its indexes, REFERENCES to it,
//                  views and triggers become the new name: bare where the old token was
//                  a bare word and the statement wrote it bare, else double-quoted.
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
    /// <summary>The database of the table the ALTER TABLE being compiled changes.</summary>
    private int _alterDb;

    private Table RequireAlterTable(string? schema, string name)
    {
        Table? t = FindTable(schema, name);
        if (t == null)
        {
            if (FindView(schema, name) != null) throw new TernException(ResultCode.Error, $"Cannot add a column to a view");
            throw new TernException(ResultCode.Error, "no such table: " + MissingTableName(schema, name));
        }
        if (t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        _alterDb = t.Db;
        return t;
    }

    private void CompileAddColumn(AddColumnStatement a)
    {
        _write = true;
        Table t = RequireAlterTable(a.Schema, a.Table);
        ColumnDefinition cd = a.Column;
        // SQLite adds the column to a copy named sqlite_altertab_<table>, so the limit names that.
        if (t.Columns.Count >= Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns on sqlite_altertab_" + t.Name);
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
                case DefaultConstraint d:
                    CheckDefaultIsConstant(cd.Name, d);
                    def = DatabaseSchema.DefaultValue(d);
                    break;
            }
        }
        if (notNull && !generated && (def == null || def is Literal { Kind: LiteralKind.Null }))
            throw new TernException(ResultCode.Error, "Cannot add a NOT NULL column with default value NULL");
        if (def != null && def is not (Literal or UnaryExpr { Operand: Literal }))
            throw new TernException(ResultCode.Error, "Cannot add a column with non-constant default");
        string sql = t.Sql ?? throw new TernException(ResultCode.Error, $"table {t.Name} may not be altered");
        byte[] old = Encoding.UTF8.GetBytes(sql);
        int at = AddColumnOffset(old);
        byte[] coldef = ColumnDefinitionText(cd.Start);
        byte[] updated = [.. old.AsSpan(0, at), .. ", "u8, .. coldef, .. old.AsSpan(at)];
        string newSql = Encoding.UTF8.GetString(updated);
        try
        {
            _ = Tern.Sql.SqlParser.Parse(newSql);
        }
        catch (Tern.Sql.SqlParseException e)
        {
            throw new TernException(ResultCode.Error, $"error in table {t.Name} after add column: {e.Message}");
        }
        CheckAddedColumn(t, newSql);
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, _alterDb, 5);
        UpdateSchemaRows(cursor, row => string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase) && row.Type == "table"
            ? row with { Sql = newSql } : null);
        if (cd.Constraints.AsSpan().ToArray().Any(c => c is CheckConstraint)) CheckRowsAfterAddColumn(t, newSql);
        FinishSchemaChange(_alterDb);
    }

    /// <summary>
    /// After ADD COLUMN of a column with a CHECK constraint, the table's rows are tested against
    /// all its CHECK constraints, the new column reading its default, as SQLite does through
    /// quick_check: the first row that fails one ends the statement with "CHECK constraint
    /// failed" (nothing when PRAGMA ignore_check_constraints is on).
    /// </summary>
    private void CheckRowsAfterAddColumn(Table t, string newSql)
    {
        if (IgnoreCheckConstraints || Tern.Sql.SqlParser.Parse(newSql) is not CreateTableStatement ct) return;
        Table altered = DatabaseSchema.BuildTable(ct, t.RootPage, null, out _);
        if (altered.Checks.Count == 0 || t.RootPage == 0) return;
        int tc = NewCursor(), done = NewLabel();
        Emit(Opcode.OpenRead, tc, (int)t.RootPage, t.Db, TableCursorInfo(altered));
        Emit(Opcode.Rewind, tc, done, 0);
        int top = CurrentAddress, next = NewLabel();
        var src = new Source { Table = altered, Cursor = tc, Name = altered.Name };
        CheckRowOnCursor(altered, src, next);
        Emit(Opcode.Halt, (int)ResultCode.ConstraintTrigger, 2, 0, "CHECK constraint failed");
        Resolve(next);
        Emit(Opcode.Next, tc, top, 0);
        Resolve(done);
    }

    /// <summary>
    /// Where ADD COLUMN splices ", coldef" into a table's CREATE text, as SQLite does: at
    /// the comma that opens the table constraints, or else at the column list's closing
    /// parenthesis. Only the first constraint needs a comma before it:
    /// <code>
    ///   CREATE TABLE t(a TEXT, b INT /*x*/ , PRIMARY KEY(a), UNIQUE(b)) STRICT
    ///                                      ^ here                    ^ or here without constraints
    /// </code>
    /// </summary>
    private static int AddColumnOffset(byte[] sql)
    {
        List<Token> tokens = Tokens(sql);
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            Token tk = tokens[i];
            switch (tk.Kind)
            {
                case TokenKind.LParen:
                    depth++;
                    break;
                case TokenKind.RParen:
                    if (--depth == 0) return tk.Start;
                    break;
                case TokenKind.Comma when depth == 1 && i + 1 < tokens.Count
                    && tokens[i + 1].Kind is TokenKind.Constraint or TokenKind.Primary or TokenKind.Unique or TokenKind.Check or TokenKind.Foreign:
                    return tk.Start;
            }
        }
        throw new TernException(ResultCode.Corrupt, "malformed database schema");
    }

    /// <summary>
    /// The text SQLite stores for an added column: from the column's name to the end of the
    /// ALTER statement (its ';' or the end of the input, comments included), less trailing
    /// semicolons and white space.
    /// </summary>
    private byte[] ColumnDefinitionText(int start)
    {
        int end = _sql.Length;
        int pos = start;
        while (pos < _sql.Length)
        {
            Token tk = SqlLexer.Next(_sql, pos);
            if (tk.Length <= 0) break;
            pos = tk.End;
            if (tk.Kind == TokenKind.Semi)
            {
                end = tk.End;
                break;
            }
        }
        while (end > start && (_sql[end - 1] == (byte)';' || _sql[end - 1] is (byte)' ' or >= 9 and <= 13)) end--;
        return _sql.AsSpan(start, end - start).ToArray();
    }

    private void CompileRenameTable(RenameTableStatement r)
    {
        _write = true;
        Table t = RequireAlterTable(r.Schema, r.Table);
        if (_schemas[_alterDb].FindTable(r.NewName) != null || _schemas[_alterDb].FindIndex(r.NewName) != null || _schemas[_alterDb].FindView(r.NewName) != null)
            throw new TernException(ResultCode.Error, $"there is already another table or index with this name: {r.NewName}");
        if (r.NewName.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {r.NewName}");
        RenameTestSchema();
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, _alterDb, 5);
        UpdateSchemaRows(cursor, row =>
        {
            string? sql = row.Sql == null ? null : RenameTableReferences(row.Sql, t.Name, r.NewName);
            bool own = row.Type == "table" && string.Equals(row.Name, t.Name, StringComparison.OrdinalIgnoreCase);
            bool onTable = string.Equals(row.Table, t.Name, StringComparison.OrdinalIgnoreCase);
            string autoIndex = "sqlite_autoindex_" + t.Name + "_";
            bool renamedIndex = row.Type == "index" && onTable && row.Name.StartsWith(autoIndex, StringComparison.OrdinalIgnoreCase);
            return row with
            {
                Name = own ? r.NewName : renamedIndex ? "sqlite_autoindex_" + r.NewName + "_" + row.Name[autoIndex.Length..] : row.Name,
                Table = own || onTable ? r.NewName : row.Table,
                Sql = sql,
            };
        });
        if (t.AutoIncrement && _schemas[_alterDb].FindTable("sqlite_sequence") is { } seq)
        {
            int seqCursor = NewCursor();
            Emit(Opcode.OpenWrite, seqCursor, (int)seq.RootPage, seq.Db, 2);
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
        FinishSchemaChange(_alterDb);
    }

    private void CompileRenameColumn(RenameColumnStatement r)
    {
        _write = true;
        Table t = RequireAlterTable(r.Schema, r.Table);
        int k = t.FindColumn(r.Column);
        if (k < 0) throw new TernException(ResultCode.Error, $"no such column: \"{r.Column}\"");
        RenameTestSchema();
        // SQLite finds the clash when it parses the renamed CREATE TABLE.
        if (t.FindColumn(r.NewName) >= 0) throw new TernException(ResultCode.Error, $"error in table {t.Name} after rename: duplicate column name: {r.NewName}");
        // SQLite writes the new name bare where the old token was a bare word and the
        // statement wrote the new name bare; otherwise double-quoted.
        List<Token> own = Tokens(_sql.AsSpan(r.Start, r.End - r.Start).ToArray());
        bool quoted = own.Count > 0 && _sql[r.Start + own[^1].Start] is (byte)'"' or (byte)'\'' or (byte)'`' or (byte)'[';
        var rename = new ColumnRename(t.Name, t.Columns[k].Name, r.NewName, quoted);
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, _alterDb, 5);
        UpdateSchemaRows(cursor, row =>
        {
            if (row.Sql == null) return null;
            byte[] utf8 = Encoding.UTF8.GetBytes(row.Sql);
            List<Token> tokens = Tokens(utf8);
            var hits = new List<Token>();
            bool onTable = string.Equals(row.Table, t.Name, StringComparison.OrdinalIgnoreCase);
            switch (row.Type)
            {
                case "table":
                    ColumnTokensInTable(utf8, tokens, rename, own: onTable, hits);
                    break;
                case "index" when onTable:
                    ColumnTokensInIndex(utf8, tokens, rename, hits);
                    break;
                case "view":
                case "trigger":
                    ColumnTokensInQuery(utf8, tokens, rename, row.Type == "trigger" && onTable, hits);
                    break;
            }
            return hits.Count == 0 ? null : row with { Sql = Splice(utf8, hits, tk => rename.Replacement(utf8, tk)) };
        });
        FinishSchemaChange(_alterDb);
    }

    /// <summary>
    /// Before a rename SQLite resolves every view and trigger of the schema again, in
    /// sqlite_schema order, and refuses the rename with "error in view|trigger NAME: MESSAGE"
    /// for the first one that no longer resolves (a table or column it names is gone). As in
    /// SQLite's rename mode, functions are not looked up; PRAGMA legacy_alter_table and
    /// writable_schema turn the check off.
    /// </summary>
    private void RenameTestSchema()
    {
        if (Setting("legacy_alter_table") != 0 || Setting("writable_schema") != 0) return;
        foreach (object o in _schemas[_alterDb].ViewsAndTriggers)
        {
            (string kind, string name) = o is View v ? ("view", v.Name) : ("trigger", ((Trigger)o).Name);
            try
            {
                var g = new CodeGenerator(_schemas, _sql, _settings);
                if (o is View view) g.ResolveViewForRename(view);
                else g.ResolveTriggerForRename((Trigger)o);
            }
            catch (TernException e) when (e.Code == ResultCode.Error && !IgnoredInRenameMode(e.Message))
            {
                throw new TernException(ResultCode.Error, $"error in {kind} {name}: {e.Message}");
            }
            catch (TernException e) when (e.Code == ResultCode.Error)
            {
                // A function SQLite's rename check does not look up, or a feature not built yet.
            }
        }

        static bool IgnoredInRenameMode(string message) =>
            message.StartsWith("no such function", StringComparison.Ordinal) || message.StartsWith("wrong number of arguments", StringComparison.Ordinal)
            || message.StartsWith("misuse of", StringComparison.Ordinal) || message.Contains("not supported yet", StringComparison.Ordinal);
    }

    private long Setting(string name) => _settings != null && _settings.TryGetValue(name, out long v) ? v : 0;

    /// <summary>Compiles a view's query (the code is thrown away): its names must resolve.</summary>
    private void ResolveViewForRename(View v)
    {
        byte[] text = Encoding.UTF8.GetBytes("SELECT * FROM \"" + v.Name.Replace("\"", "\"\"") + "\"");
        _sql = text;
        CompileTopSelect((SelectStatement)Tern.Sql.SqlParser.ParseNext(text)!.Statement);
    }

    /// <summary>What RENAME COLUMN renames, and how SQLite spells the new name at each place.</summary>
    private sealed record ColumnRename(string Table, string Column, string NewName, bool NewQuoted)
    {
        public string Replacement(byte[] utf8, Token tk) => !NewQuoted && IsIdByte(utf8[tk.Start])
            ? NewName
            : QuotedName(NewName, utf8, tk);
    }

    /// <summary>A name as SQLite writes it over a token: double-quoted, and a space after when a '"' follows.</summary>
    private static string QuotedName(string name, byte[] utf8, Token tk) =>
        "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (tk.End < utf8.Length && utf8[tk.End] == (byte)'"' ? " " : "");

    /// <summary>SQLite's identifier characters: letters, digits, '_', '$' and every byte of a multi-byte character.</summary>
    private static bool IsIdByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'$' or >= 0x80;

    private static bool IsNameToken(Token tk) => tk.Kind == TokenKind.Id || Keywords.FallsBackToId(tk.Kind);

    private static bool NameIs(byte[] utf8, Token tk, string name) =>
        IsNameToken(tk) && string.Equals(TokenName(utf8, tk), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The text with each listed token replaced.</summary>
    private static string Splice(byte[] utf8, List<Token> hits, Func<Token, string> replacement)
    {
        hits.Sort((x, y) => x.Start.CompareTo(y.Start));
        var sb = new StringBuilder();
        int copied = 0;
        foreach (Token tk in hits)
        {
            if (tk.Start < copied) continue;
            sb.Append(Encoding.UTF8.GetString(utf8, copied, tk.Start - copied)).Append(replacement(tk));
            copied = tk.End;
        }
        sb.Append(Encoding.UTF8.GetString(utf8, copied, utf8.Length - copied));
        return sb.ToString();
    }

    /// <summary>
    /// The column's tokens in a CREATE TABLE text. In the table's own text: column names,
    /// names in CHECK, generated-column and key expressions and lists, and the parent
    /// column lists of foreign keys referring back to the table; in another table's text
    /// only the parent column lists of its REFERENCES to the table. Type names, collation
    /// and constraint names and DEFAULT words are never names of columns.
    /// <code>
    ///   CREATE TABLE t( name type... constraint... , ... , CONSTRAINT c CHECK(expr) ... )
    ///                 ^ column-name slot after '(' or ',' at depth 1
    /// </code>
    /// </summary>
    private static void ColumnTokensInTable(byte[] utf8, List<Token> tokens, ColumnRename rename, bool own, List<Token> hits)
    {
        int depth = 0;
        bool nameSlot = false, inType = false;
        int refListDepth = -1;
        bool refListRenames = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            Token tk = tokens[i];
            TokenKind prev = i > 0 ? tokens[i - 1].Kind : TokenKind.Semi;
            if (tk.Kind == TokenKind.LParen)
            {
                depth++;
                if (depth == 1) nameSlot = true;
                if (i > 0 && tokens[i - 1].Kind != TokenKind.References && i > 1 && tokens[i - 2].Kind == TokenKind.References && refListDepth < 0)
                {
                    refListDepth = depth;
                    refListRenames = NameIs(utf8, tokens[i - 1], rename.Table);
                }
                continue;
            }
            if (tk.Kind == TokenKind.RParen)
            {
                if (depth == refListDepth) refListDepth = -1;
                depth--;
                continue;
            }
            if (depth == 0) continue;
            if (refListDepth >= 0)
            {
                if (refListRenames && NameIs(utf8, tk, rename.Column)) hits.Add(tk);
                continue;
            }
            if (depth == 1 && tk.Kind == TokenKind.Comma)
            {
                nameSlot = true;
                inType = false;
                continue;
            }
            if (nameSlot)
            {
                nameSlot = false;
                if (tk.Kind is TokenKind.Constraint or TokenKind.Primary or TokenKind.Unique or TokenKind.Check or TokenKind.Foreign) continue;
                if (own && (NameIs(utf8, tk, rename.Column) || tk.Kind == TokenKind.String && string.Equals(TokenName(utf8, tk), rename.Column, StringComparison.OrdinalIgnoreCase)))
                    hits.Add(tk);
                inType = true;
                continue;
            }
            if (inType)
            {
                if (IsNameToken(tk) || depth > 1) continue;
                inType = false;
            }
            if (!own) continue;
            if (prev is TokenKind.Collate or TokenKind.Constraint or TokenKind.Default or TokenKind.Match or TokenKind.References) continue;
            if (i + 1 < tokens.Count && tokens[i + 1].Kind is TokenKind.LParen or TokenKind.Dot) continue;
            if (prev == TokenKind.Dot && !NameIs(utf8, tokens[i - 2], rename.Table)) continue;
            if (NameIs(utf8, tk, rename.Column)) hits.Add(tk);
        }
    }

    /// <summary>The column's tokens in a CREATE INDEX on the table: its key expressions and WHERE.</summary>
    private static void ColumnTokensInIndex(byte[] utf8, List<Token> tokens, ColumnRename rename, List<Token> hits)
    {
        int open = tokens.FindIndex(tk => tk.Kind == TokenKind.LParen);
        if (open < 0) return;
        for (int i = open + 1; i < tokens.Count; i++)
        {
            Token tk = tokens[i];
            if (tokens[i - 1].Kind == TokenKind.Collate) continue;
            if (i + 1 < tokens.Count && tokens[i + 1].Kind is TokenKind.LParen or TokenKind.Dot) continue;
            if (NameIs(utf8, tk, rename.Column)) hits.Add(tk);
        }
    }

    /// <summary>
    /// The column's tokens in a view or trigger. A qualified name renames when its qualifier
    /// is the table, one of the table's aliases, or NEW/OLD of a trigger on the table; a bare
    /// name when the text reads the table and no other table it reads has such a column.
    /// </summary>
    private void ColumnTokensInQuery(byte[] utf8, List<Token> tokens, ColumnRename rename, bool triggerOnTable, List<Token> hits)
    {
        HashSet<int> tableRefs = TableReferencePositions(utf8, tokens, null);
        var qualifiers = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { rename.Table };
        if (triggerOnTable)
        {
            qualifiers.Add("new");
            qualifiers.Add("old");
        }
        bool readsTable = triggerOnTable, othersHaveColumn = false;
        foreach (int i in tableRefs)
        {
            string name = TokenName(utf8, tokens[i]);
            if (string.Equals(name, rename.Table, StringComparison.OrdinalIgnoreCase))
            {
                readsTable = true;
                int a = i + 1;
                if (a < tokens.Count && tokens[a].Kind == TokenKind.As) a++;
                if (a < tokens.Count && IsNameToken(tokens[a]) && !IsClauseWord(tokens[a].Kind)) qualifiers.Add(TokenName(utf8, tokens[a]));
            }
            else if (FindTable(null, name) is { } other && other.FindColumn(rename.Column) >= 0) othersHaveColumn = true;
            else if (FindView(null, name) != null) othersHaveColumn = true;
        }
        if (!readsTable) return;
        int start = 0;
        // Skip the object's own name (and a view's column list).
        int head = tokens.FindIndex(tk => tk.Kind is TokenKind.View or TokenKind.Trigger);
        if (head >= 0)
        {
            start = head + 1;
            if (start + 2 < tokens.Count && tokens[start].Kind == TokenKind.If) start += 3;
            start++;
            if (start < tokens.Count && tokens[start].Kind == TokenKind.Dot) start += 2;
            if (start < tokens.Count && tokens[start].Kind == TokenKind.LParen && tokens[head].Kind == TokenKind.View)
                while (start < tokens.Count && tokens[start].Kind != TokenKind.RParen) start++;
        }
        for (int i = start; i < tokens.Count; i++)
        {
            Token tk = tokens[i];
            if (!NameIs(utf8, tk, rename.Column) || tableRefs.Contains(i)) continue;
            TokenKind prev = i > 0 ? tokens[i - 1].Kind : TokenKind.Semi;
            if (prev is TokenKind.As or TokenKind.Collate) continue;
            if (i + 1 < tokens.Count && tokens[i + 1].Kind is TokenKind.LParen or TokenKind.Dot) continue;
            if (prev == TokenKind.Dot)
            {
                if (i >= 2 && qualifiers.Contains(TokenName(utf8, tokens[i - 2]))) hits.Add(tk);
                continue;
            }
            if (!othersHaveColumn) hits.Add(tk);
        }
    }

    private static bool IsClauseWord(TokenKind kind) => kind is TokenKind.Where or TokenKind.Group or TokenKind.Order or TokenKind.Limit
        or TokenKind.On or TokenKind.Using or TokenKind.Join or TokenKind.Set or TokenKind.Values or TokenKind.Select or TokenKind.Having
        or TokenKind.Window or TokenKind.Union or TokenKind.Except or TokenKind.Intersect or TokenKind.Natural or TokenKind.Left
        or TokenKind.Inner or TokenKind.Cross or TokenKind.Right or TokenKind.Full or TokenKind.Outer or TokenKind.Default
        or TokenKind.Indexed or TokenKind.Not or TokenKind.Begin or TokenKind.For or TokenKind.When;

    /// <summary>
    /// Token positions that name a table: after TABLE, ON (a CREATE INDEX/TRIGGER head), FROM,
    /// JOIN, INTO, UPDATE and REFERENCES, after a comma inside a FROM list, and before '.'
    /// (a qualifier). When <paramref name="only"/> is given, only positions naming it.
    /// </summary>
    private static HashSet<int> TableReferencePositions(byte[] utf8, List<Token> tokens, string? only)
    {
        var found = new HashSet<int>();
        var inFrom = new Stack<bool>();
        bool from = false;
        bool headOnSeen = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            Token tk = tokens[i];
            switch (tk.Kind)
            {
                case TokenKind.LParen: inFrom.Push(from); from = false; continue;
                case TokenKind.RParen: from = inFrom.Count > 0 && inFrom.Pop(); continue;
                case TokenKind.From: from = true; continue;
                case TokenKind.Select or TokenKind.Where or TokenKind.Group or TokenKind.Having or TokenKind.Order or TokenKind.Limit
                    or TokenKind.Window or TokenKind.Set or TokenKind.Values or TokenKind.Semi or TokenKind.Union or TokenKind.Except
                    or TokenKind.Intersect or TokenKind.Returning:
                    from = false; continue;
            }
            if (!IsNameToken(tk)) continue;
            if (only != null && !string.Equals(TokenName(utf8, tk), only, StringComparison.OrdinalIgnoreCase)) continue;
            TokenKind prev = i > 0 ? tokens[i - 1].Kind : TokenKind.Semi;
            bool next = i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Dot;
            if (prev == TokenKind.Dot) continue;
            bool isRef = prev switch
            {
                TokenKind.Table or TokenKind.From or TokenKind.Join or TokenKind.Into or TokenKind.Update or TokenKind.References => true,
                TokenKind.Exists => i >= 4 && tokens[i - 3].Kind == TokenKind.If && tokens[i - 4].Kind == TokenKind.Table,
                TokenKind.On => !headOnSeen && !from,
                TokenKind.Comma => from,
                TokenKind.Replace or TokenKind.Abort or TokenKind.Fail or TokenKind.Ignore or TokenKind.Rollback =>
                    i >= 3 && tokens[i - 2].Kind == TokenKind.Or && tokens[i - 3].Kind == TokenKind.Update,
                _ => false,
            };
            if (prev == TokenKind.On) headOnSeen = true;
            if (isRef || next) found.Add(i);
        }
        return found;
    }

    /// <summary>The text with every reference to table <paramref name="oldName"/> renamed (always double-quoted, as SQLite writes it).</summary>
    private static string RenameTableReferences(string sql, string oldName, string newName)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        List<Token> tokens = Tokens(utf8);
        HashSet<int> refs = TableReferencePositions(utf8, tokens, oldName);
        if (refs.Count == 0) return sql;
        return Splice(utf8, refs.Select(i => tokens[i]).ToList(), tk => QuotedName(newName, utf8, tk));
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
        foreach (Table tb in _schemas[_alterDb].Tables)
        {
            Consider(new SchemaRow("table", tb.Name, tb.Name, tb.Sql));
            foreach (Index ix in tb.Indexes) Consider(new SchemaRow("index", ix.Name, tb.Name, ix.Sql));
        }
        foreach (Trigger tr in _schemas[_alterDb].TriggersAll()) Consider(new SchemaRow("trigger", tr.Name, tr.Table, tr.Sql));
        foreach (View v in _schemas[_alterDb].Views) Consider(new SchemaRow("view", v.Name, v.Name, v.Sql));
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
}
