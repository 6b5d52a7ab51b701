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
        int db = CreateTargetDb(ct.Schema, ct.Temp, "table");
        DatabaseSchema target = _schemas[db];
        if (ct.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {ct.Name}");
        if (target.FindTable(ct.Name) != null)
        {
            if (ct.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"table {DatabaseSchema.NameToken(_sql, ct.Start, ct.End)} already exists") { Position = DatabaseSchema.NamePosition(_sql, ct.Start, ct.End) };
        }
        if (target.FindView(ct.Name) != null)
        {
            if (ct.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"view {DatabaseSchema.NameToken(_sql, ct.Start, ct.End)} already exists") { Position = DatabaseSchema.NamePosition(_sql, ct.Start, ct.End) };
        }
        if (target.FindIndex(ct.Name) != null) throw new TernException(ResultCode.Error, $"there is already an index named {ct.Name}");
        CheckDefaultsAreConstant(ct.Columns);
        if (ct.Columns.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns on " + ct.Name);
        if (ct.AsSelect != null)
        {
            CompileCreateTableAs(ct, db);
            return;
        }
        Table built = DatabaseSchema.BuildTable(ct, 0, null, out List<(string Name, int[] Cols, bool[] Desc, Collation[] Colls, ConflictResolution OnConflict)> autos);
        ResolveTableDefinition(built, _sql, loading: false, dqs: DqsInDdl);
        string sql = DatabaseSchema.StoredSql(_sql, ct.Start, ct.End, "CREATE TABLE ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
        int root = NewRegister();
        // A WITHOUT ROWID table is an index b-tree keyed by its PRIMARY KEY.
        Emit(Opcode.CreateBtree, db, root, ct.WithoutRowid ? 2 : 1);
        InsertSchemaRow(schemaCursor, "table", ct.Name, ct.Name, root, sql);
        foreach (var a in autos)
        {
            int ir = NewRegister();
            Emit(Opcode.CreateBtree, db, ir, 2);
            InsertSchemaRow(schemaCursor, "index", a.Name, ct.Name, ir, null);
        }
        if (built.AutoIncrement && target.FindTable("sqlite_sequence") == null)
        {
            // The first AUTOINCREMENT table brings sqlite_sequence into being.
            int sr = NewRegister();
            Emit(Opcode.CreateBtree, db, sr, 1);
            InsertSchemaRow(schemaCursor, "table", "sqlite_sequence", "sqlite_sequence", sr, "CREATE TABLE sqlite_sequence(name,seq)");
        }
        FinishSchemaChange(db);
    }

    private void CompileCreateView(CreateViewStatement cv)
    {
        _write = true;
        int db = CreateTargetDb(cv.Schema, cv.Temp, "view");
        DatabaseSchema target = _schemas[db];
        if (cv.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, $"object name reserved for internal use: {cv.Name}");
        string token = DatabaseSchema.NameToken(_sql, cv.Start, cv.End);
        if (target.FindView(cv.Name) != null)
        {
            if (cv.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"view {token} already exists") { Position = DatabaseSchema.NamePosition(_sql, cv.Start, cv.End) };
        }
        if (target.FindTable(cv.Name) != null)
        {
            if (cv.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"table {token} already exists") { Position = DatabaseSchema.NamePosition(_sql, cv.Start, cv.End) };
        }
        if (target.FindIndex(cv.Name) != null) throw new TernException(ResultCode.Error, $"there is already an index named {cv.Name}");
        string sql = DatabaseSchema.StoredSql(_sql, cv.Start, cv.End, "CREATE VIEW ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
        int root = NewRegister();
        Emit(Opcode.Integer, 0, root, 0);
        InsertSchemaRow(schemaCursor, "view", cv.Name, cv.Name, root, sql);
        FinishSchemaChange(db);
    }

    /// <summary>
    /// CREATE TABLE ... AS SELECT: a new table whose columns are the query's result columns
    /// (declared types from their affinities, as SQLite derives them), filled with its rows.
    /// The stored text is the one SQLite generates: one line when short, else one column
    /// per line.
    /// </summary>
    private void CompileCreateTableAs(CreateTableStatement ct, int db)
    {
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
        int root = NewRegister();
        Emit(Opcode.CreateBtree, db, root, 1);
        int cursor = NewCursor();
        List<ResultItem>? items = null;
        int openAt = Emit(Opcode.OpenWrite, cursor, root, db, 0, P2IsRegister);
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
        FinishSchemaChange(db);
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

    /// <summary>After a change to database <paramref name="db"/>'s schema table: bumps its schema cookie and reads the schemas again.</summary>
    private void FinishSchemaChange(int db = DatabaseSchema.MainDb)
    {
        Emit(Opcode.SetCookie, db, DatabaseHeader.SchemaCookieOffset, (int)(_schemas[db].Cookie + 1));
        Emit(Opcode.ParseSchema, db, 0, 0);
    }

    /// <summary>
    /// The database a CREATE puts its object in: the one it names, temp for TEMP, else main
    /// (SQLite's errors for an unknown database and a qualified TEMP name).
    /// </summary>
    private int CreateTargetDb(string? schema, bool temp, string kind)
    {
        if (temp && schema != null && !schema.Equals("temp", StringComparison.OrdinalIgnoreCase))
            throw new TernException(ResultCode.Error, "temporary " + (kind == "trigger" ? "trigger" : "table") + " name must be unqualified");
        return TargetDb(schema, temp);
    }

    private void CompileCreateIndex(CreateIndexStatement ci)
    {
        _write = true;
        // An unqualified index goes with its table (a TEMP table's index into temp); a
        // qualified one names the database its table must be in.
        int db = ci.Schema != null ? TargetDb(ci.Schema, false)
            : FindTable(null, ci.Table) is { } found ? found.Db : DatabaseSchema.MainDb;
        DatabaseSchema target = _schemas[db];
        if (target.FindIndex(ci.Name) != null)
        {
            if (ci.IfNotExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, $"index {ci.Name} already exists");
        }
        Table? t = target.FindTable(ci.Table);
        if (t == null && target.FindView(ci.Table) != null) throw new TernException(ResultCode.Error, "views may not be indexed");
        if (t == null) throw new TernException(ResultCode.Error, $"no such table: {_schemas.NameOf(db)}.{ci.Table}");
        if (t.RootPage == 1) throw new TernException(ResultCode.Error, "table sqlite_master may not be indexed");
        if (t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)) throw new TernException(ResultCode.Error, $"table {t.Name} may not be indexed");
        if (target.FindTable(ci.Name) != null) throw new TernException(ResultCode.Error, $"there is already a table named {ci.Name}");
        if (ci.Columns.Count > Limits.MaxColumns) throw new TernException(ResultCode.Error, "too many columns in index");
        Index ix = DatabaseSchema.BuildIndex(ci, t, 0, null);
        CheckIndexExpressions(ci, ix);
        string sql = DatabaseSchema.StoredSql(_sql, ci.Start, ci.End, ci.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        int schemaCursor = NewCursor();
        Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
        int root = NewRegister();
        Emit(Opcode.CreateBtree, db, root, 2);
        InsertSchemaRow(schemaCursor, "index", ci.Name, t.Name, root, sql);

        // Fill the index from the table's rows.
        int ic = NewCursor();
        Emit(Opcode.OpenWrite, ic, root, db, ix.KeyInfo(), P2IsRegister);
        FillIndex(t, ix, db, ic);
        FinishSchemaChange(db);
    }

    /// <summary>
    /// Writes an entry for each row of <paramref name="t"/> (each its WHERE accepts, for a partial
    /// index) into index <paramref name="ix"/>, open for writing on cursor <paramref name="ic"/>;
    /// a UNIQUE index fails on a duplicate key with SQLite's message (CREATE INDEX, REINDEX).
    /// </summary>
    private void FillIndex(Table t, Index ix, int db, int ic)
    {
        int tc = NewCursor();
        Emit(Opcode.OpenRead, tc, (int)t.RootPage, db, TableCursorInfo(t));
        int done = NewLabel();
        Emit(Opcode.Rewind, tc, done, 0);
        int top = CurrentAddress;
        int n = ix.Columns.Length;
        int width = IndexEntryWidth(ix);
        int key = NewRegisters(width);
        var src = new Source { Table = t, Cursor = tc, Name = t.Name };
        int next = NewLabel();
        if (ix.Where != null)
        {
            // A partial index holds only the rows its WHERE clause accepts.
            var whereScope = new Scope { Definition = true };
            whereScope.Sources.Add(src);
            InPureContext("an index", () => JumpIfFalse(ix.Where, whereScope, next));
        }
        IndexKeyFromCursor(ix, src, key);
        if (t.WithoutRowid) IndexSuffixFromCursor(ix, src, key + n);
        else Emit(Opcode.Rowid, tc, key + n, 0);
        if (ix.Unique)
        {
            int ok = NewLabel();
            Emit(Opcode.NoConflict, ic, ok, key, n);
            Emit(Opcode.Halt, (int)ResultCode.ConstraintUnique, 2, 0, "UNIQUE constraint failed: "
                + (ix.Expressions != null ? $"index '{ix.Name}'" : string.Join(", ", ix.Columns.Select(c => t.Name + "." + t.Columns[c].Name))));
            Resolve(ok);
        }
        int rec = NewRegister();
        Emit(Opcode.MakeRecord, key, width, rec);
        Emit(Opcode.IdxInsert, ic, rec, 0);
        Resolve(next);
        Emit(Opcode.Next, tc, top, 0);
        Resolve(done);
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
        if (d.Schema != null && _schemas.IndexOf(d.Schema) < 0)
        {
            if (d.IfExists) { NothingToDo(); return; }
            throw new TernException(ResultCode.Error, "unknown database " + d.Schema);
        }
        int db;
        if (d.Kind == DropKind.View)
        {
            if (FindView(d.Schema, d.Name) is not { } v)
            {
                if (FindTable(d.Schema, d.Name) is { } table) throw new TernException(ResultCode.Error, $"use DROP TABLE to delete table {table.Name}");
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such view: " + (d.Schema != null ? d.Schema + "." : "") + d.Name);
            }
            db = v.Db;
            Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
            DeleteSchemaRows(schemaCursor, 1, v.Name, "view");
            DropTempTriggersOn(v.Db, v.Name);
        }
        else if (d.Kind == DropKind.Table)
        {
            Table? t = FindTable(d.Schema, d.Name);
            if (t == null)
            {
                if (FindView(d.Schema, d.Name) is { } view) throw new TernException(ResultCode.Error, $"use DROP VIEW to delete view {view.Name}");
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such table: " + MissingTableName(d.Schema, d.Name));
            }
            db = t.Db;
            // sqlite_stat* and sqlite_parameters may be dropped, other sqlite_ tables not (SQLite's tableMayNotBeDropped).
            if (t.RootPage == 1 || (t.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
                && !t.Name.AsSpan(7).StartsWith("stat", StringComparison.OrdinalIgnoreCase)
                && !t.Name.AsSpan(7).StartsWith("parameters", StringComparison.OrdinalIgnoreCase)))
                throw new TernException(ResultCode.Error, $"table {(t.RootPage != 1 ? t.Name : db == DatabaseSchema.TempDb ? "sqlite_temp_master" : "sqlite_master")} may not be dropped");
            DropTableForeignKeys(t);
            Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
            DeleteSchemaRows(schemaCursor, 2, t.Name);
            if (t.AutoIncrement && _schemas[db].FindTable("sqlite_sequence") is { } seq)
            {
                int seqCursor = NewCursor();
                Emit(Opcode.OpenWrite, seqCursor, (int)seq.RootPage, db, 2);
                DeleteSchemaRows(seqCursor, 0, t.Name);
            }
            DropTempTriggersOn(t.Db, t.Name);
            DeleteStatRows(db, 0, t.Name);
            // From the largest root down: in an auto-vacuum file dropping a tree moves the last
            // root into its place, which must never be a tree this statement drops later. A root
            // of 0 (a damaged schema: an automatic index without its row) names no tree and is
            // passed over, as SQLite passes it over.
            foreach (uint root in t.Indexes.Select(ix => ix.RootPage).Append(t.RootPage).Where(r => r != 0).Distinct().OrderDescending())
                Emit(Opcode.Destroy, (int)root, db, 0);
        }
        else
        {
            Index? ix = FindIndex(d.Schema, d.Name);
            if (ix == null)
            {
                if (d.IfExists) { NothingToDo(); return; }
                throw new TernException(ResultCode.Error, "no such index: " + (d.Schema != null ? d.Schema + "." : "") + d.Name);
            }
            if (ix.IsAuto) throw new TernException(ResultCode.Error, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped");
            db = ix.Db;
            Emit(Opcode.OpenWrite, schemaCursor, 1, db, 5);
            DeleteSchemaRows(schemaCursor, 1, ix.Name, "index");
            DeleteStatRows(db, 1, ix.Name);
            Emit(Opcode.Destroy, (int)ix.RootPage, db, 0);
        }
        FinishSchemaChange(db);
    }

    /// <summary>
    /// Dropping a table or view of another database drops the TEMP triggers on it too (they
    /// live in temp's schema table), as SQLite does.
    /// </summary>
    private void DropTempTriggersOn(int db, string name)
    {
        if (db == DatabaseSchema.TempDb) return;
        List<Trigger> gone = [.. _schemas.Temp.TriggersOn(name).Where(tr => _schemas.TempTriggerTarget(tr) == db)];
        if (gone.Count == 0) return;
        int cursor = NewCursor();
        Emit(Opcode.OpenWrite, cursor, 1, DatabaseSchema.TempDb, 5);
        foreach (Trigger tr in gone) DeleteSchemaRows(cursor, 1, tr.Name, "trigger");
        FinishSchemaChange(DatabaseSchema.TempDb);
    }

    /// <summary>Deletes the sqlite_schema rows whose column <paramref name="column"/> equals <paramref name="name"/> (case-insensitively).</summary>
    /// <summary>
    /// Deletes the schema rows whose <paramref name="column"/> is <paramref name="name"/> (and,
    /// when <paramref name="type"/> is given, whose type is that): a trigger may share its
    /// name with a table, an index or a view.
    /// </summary>
    private void DeleteSchemaRows(int cursor, int column, string name, string? type = null)
    {
        int done = NewLabel();
        Emit(Opcode.Rewind, cursor, done, 0);
        int top = CurrentAddress;
        int v = NewRegister(), want = NewRegister();
        Emit(Opcode.Column, cursor, column, v);
        Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(name));
        int next = NewLabel();
        Emit(Opcode.Ne, want, next, v, Collation.NoCase, 0);
        if (type != null)
        {
            Emit(Opcode.Column, cursor, 0, v);
            Emit(Opcode.String8, 0, want, 0, Encoding.UTF8.GetBytes(type));
            Emit(Opcode.Ne, want, next, v, Collation.Binary, 0);
        }
        Emit(Opcode.Delete, cursor, 0, 0);
        Resolve(next);
        Emit(Opcode.Next, cursor, top, 0);
        Resolve(done);
    }
}
