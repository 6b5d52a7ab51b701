// CREATE TABLE, CREATE INDEX, CREATE VIEW and DROP TABLE/INDEX/VIEW. Each creates or destroys b-trees,
// writes or deletes rows of sqlite_schema (with the `sql` text SQLite would store), bumps
// the schema cookie and reloads the schema.
using System.Text;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>OpenRead/OpenWrite: P2 names a register holding the root page.</summary>
    internal const ushort P2IsRegister = 0x10;

    /// <summary>
    /// CREATE ... IF NOT EXISTS of an object that exists, DROP ... IF EXISTS of one that does
    /// not: the statement only checks the schema cookie in a read transaction (SQLite's
    /// sqlite3CodeVerifySchema), so it takes no write lock, yet is not read-only.
    /// </summary>
    private void NothingToDo()
    {
        _write = false;
        _notReadOnly = true;
    }

    /// <summary>
    /// Fails CREATE TABLE or ADD COLUMN, as SQLite's parser does, when a DEFAULT expression is
    /// not constant: it names a column, or holds a parameter, a subquery or a window function
    /// (functions of constants are fine).
    /// </summary>
    private static void CheckDefaultIsConstant(string column, DefaultConstraint d)
    {
        if (d.Form == DefaultForm.Identifier) return;
        bool constant = true;
        Walk(d.Value, e =>
        {
            switch (e)
            {
                case ColumnRef c when c.Table != null || c.Quote != QuoteStyle.None
                    || !(c.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || c.Column.Equals("false", StringComparison.OrdinalIgnoreCase)):
                case ParameterExpr:
                case SubqueryExpr or ExistsExpr or InSelectExpr or InTableExpr:
                case FunctionCall { Over: not null }:
                    constant = false;
                    break;
            }
            return constant;
        });
        if (!constant) throw new TernException(ResultCode.Error, $"default value of column [{column}] is not constant");

        static void Walk(Expr e, Func<Expr, bool> visit)
        {
            if (!visit(e)) return;
            foreach (Expr child in ExprChildren(e)) Walk(child, visit);
        }
    }

    /// <summary>Every DEFAULT of a column list must be constant (checked before anything else, as SQLite's parser does).</summary>
    private static void CheckDefaultsAreConstant(IEnumerable<ColumnDefinition> columns)
    {
        foreach (ColumnDefinition cd in columns)
        {
            foreach (ColumnConstraint cc in cd.Constraints)
            {
                if (cc is DefaultConstraint d) CheckDefaultIsConstant(cd.Name, d);
            }
        }
    }

    private void CompileCreateTable(CreateTableStatement ct)
    {
        _write = true;
        if (ct.Temp || (ct.Schema != null && !ct.Schema.Equals("main", StringComparison.OrdinalIgnoreCase)))
            throw new TernException(ResultCode.Error, "TEMP tables and attached schemas are not supported yet");
        if (ct.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {ct.Name}");
        if (_schema.FindTable(ct.Name) != null)
        {
            if (ct.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"table {DatabaseSchema.NameToken(_sql, ct.Start, ct.End)} already exists");
        }
        if (_schema.FindView(ct.Name) != null)
        {
            if (ct.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"view {DatabaseSchema.NameToken(_sql, ct.Start, ct.End)} already exists");
        }
        if (_schema.FindIndex(ct.Name) != null) throw new TernException(ResultCode.Error, $"there is already an index named {ct.Name}");
        CheckDefaultsAreConstant(ct.Columns);
        if (ct.Columns.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns on " + ct.Name);
        if (ct.AsSelect != null)
        {
            CompileCreateTableAs(ct);
            return;
        }
        Table built = DatabaseSchema.BuildTable(ct, 0, null, out List<(string Name, int[] Cols, bool[] Desc, Collation[] Colls, ConflictResolution OnConflict)> autos);
        ResolveTableDefinition(built, _sql, loading: false, dqs: DqsInDdl);
        string sql = DatabaseSchema.StoredSql(_sql, ct.Start, ct.End, "CREATE TABLE ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
        int root = NewRegister();
        Emit(Opcode.CreateBtree, 0, root, 1);
        InsertSchemaRow(schemaCursor, "table", ct.Name, ct.Name, root, sql);
        foreach (var a in autos)
        {
            int ir = NewRegister();
            Emit(Opcode.CreateBtree, 0, ir, 2);
            InsertSchemaRow(schemaCursor, "index", a.Name, ct.Name, ir, null);
        }
        if (built.AutoIncrement && _schema.FindTable("sqlite_sequence") == null)
        {
            // The first AUTOINCREMENT table brings sqlite_sequence into being.
            int sr = NewRegister();
            Emit(Opcode.CreateBtree, 0, sr, 1);
            InsertSchemaRow(schemaCursor, "table", "sqlite_sequence", "sqlite_sequence", sr, "CREATE TABLE sqlite_sequence(name,seq)");
        }
        FinishSchemaChange();
    }

    private void CompileCreateView(CreateViewStatement cv)
    {
        bool temp = cv.Temp || string.Equals(cv.Schema, "temp", StringComparison.OrdinalIgnoreCase);
        if (cv.Schema != null && !temp && !cv.Schema.Equals("main", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, "unknown database " + cv.Schema);
        if (temp)
        {
            // A TEMP view lives in the connection only: nothing is written to the file.
            if (_tempViews.ContainsKey(cv.Name))
            {
                if (cv.IfNotExists) return;
                throw new TernException(ResultCode.Error, $"view {DatabaseSchema.NameToken(_sql, cv.Start, cv.End)} already exists");
            }
            string tempSql = DatabaseSchema.StoredSql(_sql, cv.Start, cv.End, "CREATE VIEW ");
            Emit(Opcode.TempView, 1, 0, 0, new View { Name = cv.Name, Columns = cv.Columns, Select = cv.Select, Sql = tempSql });
            return;
        }
        _write = true;
        if (cv.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {cv.Name}");
        string token = DatabaseSchema.NameToken(_sql, cv.Start, cv.End);
        if (_schema.FindView(cv.Name) != null)
        {
            if (cv.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"view {token} already exists");
        }
        if (_schema.FindTable(cv.Name) != null)
        {
            if (cv.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"table {token} already exists");
        }
        if (_schema.FindIndex(cv.Name) != null) throw new TernException(ResultCode.Error, $"there is already an index named {cv.Name}");
        string sql = DatabaseSchema.StoredSql(_sql, cv.Start, cv.End, "CREATE VIEW ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
        int root = NewRegister();
        Emit(Opcode.Integer, 0, root, 0);
        InsertSchemaRow(schemaCursor, "view", cv.Name, cv.Name, root, sql);
        FinishSchemaChange();
    }

    /// <summary>
    /// CREATE TABLE ... AS SELECT: a new table whose columns are the query's result columns
    /// (declared types from their affinities, as SQLite derives them), filled with its rows.
    /// The stored text is the one SQLite generates: one line when short, else one column
    /// per line.
    /// </summary>
    private void CompileCreateTableAs(CreateTableStatement ct)
    {
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
        int root = NewRegister();
        Emit(Opcode.CreateBtree, 0, root, 1);
        int cursor = NewCursor();
        List<ResultItem>? items = null;
        int openAt = Emit(Opcode.OpenWrite, cursor, root, 0, 0, P2IsRegister);
        List<ResultItem>? saved = _compoundNames;
        _compoundNames = null;
        CompileSelect(ct.AsSelect!, null, (start, n) =>
        {
            int rec = NewRegister(), rowid = NewRegister();
            Emit(Opcode.MakeRecord, start, n, rec, null, P5Flags.IntRealAsInteger);
            Emit(Opcode.NewRowid, cursor, rowid, 0);
            Emit(Opcode.Insert, cursor, rec, rowid, ct.Name, 0);
        }, r => items ??= r);
        _compoundNames = saved;
        List<Column> cols = SourceColumns(items!, NodeList<string>.Empty, ct.Name, false);
        Instruction open = _code[openAt];
        _code[openAt] = new Instruction(open.Op, open.P1, open.P2, open.P3, cols.Count, open.P5);
        var parts = new List<string>();
        int n = IdentifierLength(ct.Name);
        foreach (Column c in cols)
        {
            string type = c.Affinity switch
            {
                Affinity.Text => " TEXT",
                Affinity.Numeric => " NUM",
                Affinity.Integer => " INT",
                Affinity.Real => " REAL",
                _ => "",
            };
            n += IdentifierLength(c.Name) + 5;
            parts.Add(QuoteIdentifier(c.Name) + type);
        }
        string sql = n < 50
            ? $"CREATE TABLE {QuoteIdentifier(ct.Name)}({string.Join(",", parts)})"
            : $"CREATE TABLE {QuoteIdentifier(ct.Name)}(\n  {string.Join(",\n  ", parts)}\n)";
        InsertSchemaRow(schemaCursor, "table", ct.Name, ct.Name, root, sql);
        FinishSchemaChange();
    }

    private static bool NeedsQuotes(string name) =>
        name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_' || name[0] > 127)
        || name.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch == '_' || ch > 127))
        || Tern.Sql.Lexer.Keywords.IsKeyword(name);

    private static string QuoteIdentifier(string name) => NeedsQuotes(name) ? "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : name;

    /// <summary>SQLite's estimate of a name's length when it decides between one line and several: quotes always counted.</summary>
    private static int IdentifierLength(string name) => name.Length + 2 + name.Count(ch => ch == '"');

    private void InsertSchemaRow(int cursor, string type, string name, string table, int rootReg, string? sql)
    {
        int regs = NewRegisters(5);
        Emit(Opcode.String8, 0, regs, 0, Encoding.UTF8.GetBytes(type));
        Emit(Opcode.String8, 0, regs + 1, 0, Encoding.UTF8.GetBytes(name));
        Emit(Opcode.String8, 0, regs + 2, 0, Encoding.UTF8.GetBytes(table));
        Emit(Opcode.SCopy, rootReg, regs + 3, 0);
        if (sql != null) Emit(Opcode.String8, 0, regs + 4, 0, Encoding.UTF8.GetBytes(sql));
        else Emit(Opcode.Null, 0, regs + 4, 0);
        int rec = NewRegister(), rowid = NewRegister();
        Emit(Opcode.MakeRecord, regs, 5, rec, "BBBDB");
        Emit(Opcode.NewRowid, cursor, rowid, 0);
        Emit(Opcode.Insert, cursor, rec, rowid, "sqlite_master");
    }

    private void FinishSchemaChange()
    {
        Emit(Opcode.SetCookie, 0, DatabaseHeader.SchemaCookieOffset, (int)(_schema.Cookie + 1));
        Emit(Opcode.ParseSchema, 0, 0, 0);
    }

    private void CompileCreateIndex(CreateIndexStatement ci)
    {
        _write = true;
        if (_schema.FindIndex(ci.Name) != null)
        {
            if (ci.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"index {ci.Name} already exists");
        }
        Table? t = _schema.FindTable(ci.Table);
        if (t == null && _schema.FindView(ci.Table) != null) throw new TernException(ResultCode.Error, "views may not be indexed");
        if (t == null) throw new TernException(ResultCode.Error, $"no such table: main.{ci.Table}");
        if (t.RootPage == 1) throw new TernException(ResultCode.Error, "table sqlite_master may not be indexed");
        if (t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)) throw new TernException(ResultCode.Error, $"table {t.Name} may not be indexed");
        if (_schema.FindTable(ci.Name) != null) throw new TernException(ResultCode.Error, $"there is already a table named {ci.Name}");
        if (ci.Columns.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns in index");
        Index ix = DatabaseSchema.BuildIndex(ci, t, 0, null);
        CheckIndexExpressions(ci, ix);
        string sql = DatabaseSchema.StoredSql(_sql, ci.Start, ci.End, ci.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
        int root = NewRegister();
        Emit(Opcode.CreateBtree, 0, root, 2);
        InsertSchemaRow(schemaCursor, "index", ci.Name, t.Name, root, sql);

        // Fill the index from the table's rows.
        int tc = NewCursor(), ic = NewCursor();
        Emit(Opcode.OpenRead, tc, (int)t.RootPage, 0, t.Columns.Count);
        Emit(Opcode.OpenWrite, ic, root, 0, ix.KeyInfo(), P2IsRegister);
        int done = NewLabel();
        Emit(Opcode.Rewind, tc, done, 0);
        int top = CurrentAddress;
        int n = ix.Columns.Length;
        int key = NewRegisters(n + 1);
        var src = new Source { Table = t, Cursor = tc, Name = t.Name };
        int next = NewLabel();
        if (ix.Where != null)
        {
            // A partial index holds only the rows its WHERE clause accepts.
            var whereScope = new Scope { Definition = true };
            whereScope.Sources.Add(src);
            JumpIfFalse(ix.Where, whereScope, next);
        }
        IndexKeyFromCursor(ix, src, key);
        Emit(Opcode.Rowid, tc, key + n, 0);
        if (ix.Unique)
        {
            int ok = NewLabel();
            Emit(Opcode.NoConflict, ic, ok, key, n);
            Emit(Opcode.Halt, (int)ResultCode.ConstraintUnique, 2, 0, "UNIQUE constraint failed: "
                + (ix.Expressions != null ? $"index '{ix.Name}'" : string.Join(", ", ix.Columns.Select(c => t.Name + "." + t.Columns[c].Name))));
            Resolve(ok);
        }
        int rec = NewRegister();
        Emit(Opcode.MakeRecord, key, n + 1, rec);
        Emit(Opcode.IdxInsert, ic, rec, 0);
        Resolve(next);
        Emit(Opcode.Next, tc, top, 0);
        Resolve(done);
        FinishSchemaChange();
    }

    /// <summary>Functions whose result may change between calls with the same arguments.</summary>
    private static readonly HashSet<string> NonDeterministicFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "random", "randomblob", "changes", "total_changes", "last_insert_rowid", "sqlite_version", "sqlite_source_id",
    };

    /// <summary>
    /// Index key expressions and the partial-index WHERE clause resolve against the table
    /// as SQLite resolves them (a string key that names no column is an error too).
    /// </summary>
    private void CheckIndexExpressions(CreateIndexStatement ci, Index ix)
    {
        for (int k = 0; k < ix.Columns.Length; k++)
        {
            if (!ix.IsExpression(k)) continue;
            if (ci.Columns[k].Expr is Literal { Kind: LiteralKind.String } l) throw new TernException(ResultCode.Error, "no such column: " + l.Value);
            ResolveSelfReference(ix.Table, ix.Expressions![k]!, SelfReferenceKind.IndexExpression, _sql, loading: false, dqs: DqsInDdl);
        }
        if (ci.Where != null) ResolveSelfReference(ix.Table, ci.Where, SelfReferenceKind.PartialIndex, _sql, loading: false, dqs: DqsInDdl);
    }

    private void CompileDrop(DropStatement d)
    {
        _write = true;
        int schemaCursor = NewCursor();
        if (d.Kind is DropKind.Trigger)
        {
            DropTrigger(d, schemaCursor);
            return;
        }
        if (d.Kind == DropKind.View && (d.Schema == null || d.Schema.Equals("temp", StringComparison.OrdinalIgnoreCase))
            && _tempViews.TryGetValue(d.Name, out View? tempView))
        {
            Emit(Opcode.TempView, 0, 0, 0, tempView.Name);
            return;
        }
        if (d.Kind == DropKind.View)
        {
            if (_schema.FindView(d.Name) is not { } v)
            {
                if (_schema.FindTable(d.Name) is { } table) throw new TernException(ResultCode.Error, $"use DROP TABLE to delete table {table.Name}");
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such view: " + d.Name);
            }
            Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
            DeleteSchemaRows(schemaCursor, 1, v.Name);
        }
        else if (d.Kind == DropKind.Table)
        {
            Table? t = _schema.FindTable(d.Name);
            if (t == null)
            {
                if (_schema.FindView(d.Name) is { } view) throw new TernException(ResultCode.Error, $"use DROP VIEW to delete view {view.Name}");
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such table: " + MissingTableName(d.Schema, d.Name));
            }
            if (t.RootPage == 1 || t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
                throw new TernException(ResultCode.Error, $"table {t.Name} may not be dropped");
            Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
            DeleteSchemaRows(schemaCursor, 2, t.Name);
            if (t.AutoIncrement && _schema.FindTable("sqlite_sequence") is { } seq)
            {
                int seqCursor = NewCursor();
                Emit(Opcode.OpenWrite, seqCursor, (int)seq.RootPage, 0, 2);
                DeleteSchemaRows(seqCursor, 0, t.Name);
            }
            // From the largest root down: in an auto-vacuum file dropping a tree moves the last
            // root into its place, which must never be a tree this statement drops later. A root
            // of 0 (a damaged schema: an automatic index without its row) names no tree and is
            // passed over, as SQLite passes it over.
            foreach (uint root in t.Indexes.Select(ix => ix.RootPage).Append(t.RootPage).Where(r => r != 0).Distinct().OrderDescending())
                Emit(Opcode.Destroy, (int)root, 0, 0);
        }
        else
        {
            Index? ix = _schema.FindIndex(d.Name);
            if (ix == null)
            {
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such index: " + d.Name);
            }
            if (ix.IsAuto) throw new TernException(ResultCode.Error, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped");
            Emit(Opcode.OpenWrite, schemaCursor, 1, 0, 5);
            DeleteSchemaRows(schemaCursor, 1, ix.Name);
            Emit(Opcode.Destroy, (int)ix.RootPage, 0, 0);
        }
        FinishSchemaChange();
    }

    /// <summary>Deletes the sqlite_schema rows whose column <paramref name="column"/> equals <paramref name="name"/> (case-insensitively).</summary>
    private void DeleteSchemaRows(int cursor, int column, string name)
    {
        int done = NewLabel();
        Emit(Opcode.Rewind, cursor, done, 0);
        int top = CurrentAddress;
        int v = NewRegister(), want = NewRegister();
        Emit(Opcode.Column, cursor, column, v);
        Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(name));
        int next = NewLabel();
        Emit(Opcode.Ne, want, next, v, Collation.NoCase, 0);
        Emit(Opcode.Delete, cursor, 0, 0);
        Resolve(next);
        Emit(Opcode.Next, cursor, top, 0);
        Resolve(done);
    }
}
