// The schema of a database as the compiler uses it: tables, views, triggers and indexes by name (case-
// insensitive), built from sqlite_schema by parsing each object's `sql` with Tern.Sql.
// Also knows how SQLite derives a table from CREATE TABLE: column affinities, the
// INTEGER PRIMARY KEY rowid alias, and the automatic indexes for PRIMARY KEY and UNIQUE
// constraints, named sqlite_autoindex_<table>_<n> in constraint order.
using System.Diagnostics;
using System.Text;
using Tern.Sql;
using Tern.Sql.Ast;
using Tern.Storage.BTree;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Schema;

/// <summary>The tables and indexes of one database.</summary>
internal sealed class DatabaseSchema
{
    private readonly Dictionary<string, Table> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, View> _views = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Trigger> _triggers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<object> _viewsAndTriggers = [];

    /// <summary>The schema cookie this schema was read at.</summary>
    public uint Cookie { get; private set; }

    /// <summary>The connection's database this schema describes: 0 main, 1 temp, 2.. attached.</summary>
    public int Db { get; private set; }

    /// <summary>Whether this is the TEMP database's schema (its table is sqlite_temp_schema).</summary>
    public bool IsTemp => Db == TempDb;

    /// <summary>The database numbers SQLite gives main and temp.</summary>
    public const int MainDb = 0, TempDb = 1;

    /// <summary>The schema table of the main schema (sqlite_schema, root page 1).</summary>
    public static readonly Table SchemaTableDef = NewSchemaTable(MainDb);

    /// <summary>This database's own schema table (sqlite_schema; sqlite_temp_schema in temp).</summary>
    public Table SchemaTable { get; private set; } = SchemaTableDef;

    private static Table NewSchemaTable(int db) => new()
    {
        Name = db == TempDb ? "sqlite_temp_schema" : "sqlite_schema",
        RootPage = 1,
        Db = db,
        Columns =
        [
            new Column { Name = "type", DeclaredType = "text", Affinity = Affinity.Text },
            new Column { Name = "name", DeclaredType = "text", Affinity = Affinity.Text },
            new Column { Name = "tbl_name", DeclaredType = "text", Affinity = Affinity.Text },
            new Column { Name = "rootpage", DeclaredType = "int", Affinity = Affinity.Integer },
            new Column { Name = "sql", DeclaredType = "text", Affinity = Affinity.Text },
        ],
    };

    /// <summary>
    /// The table named <paramref name="name"/>. The schema table answers to sqlite_schema and
    /// sqlite_master, in temp also to sqlite_temp_schema and sqlite_temp_master; temp's answers
    /// to the first two only when the statement names the schema (<paramref name="qualified"/>).
    /// </summary>
    public Table? FindTable(string name, bool qualified = true)
    {
        if (_tables.TryGetValue(name, out Table? t)) return t;
        if (IsSchemaTableName(name, IsTemp, qualified)) return SchemaTable;
        return null;
    }

    /// <summary>Whether <paramref name="name"/> names the schema table of a database (main or attached; temp when <paramref name="temp"/>).</summary>
    public static bool IsSchemaTableName(string name, bool temp, bool qualified = true)
    {
        if (temp && (name.Equals("sqlite_temp_schema", StringComparison.OrdinalIgnoreCase) || name.Equals("sqlite_temp_master", StringComparison.OrdinalIgnoreCase)))
            return true;
        return (qualified || !temp) && (name.Equals("sqlite_schema", StringComparison.OrdinalIgnoreCase) || name.Equals("sqlite_master", StringComparison.OrdinalIgnoreCase));
    }

    public Trigger? FindTrigger(string name) => _triggers.TryGetValue(name, out Trigger? t) ? t : null;

    public IEnumerable<Trigger> TriggersAll() => _triggers.Values;

    /// <summary>The triggers on a table, in the order sqlite_schema lists them.</summary>
    public IEnumerable<Trigger> TriggersOn(string table) =>
        _triggers.Values.Where(t => string.Equals(t.Table, table, StringComparison.OrdinalIgnoreCase));

    public View? FindView(string name) => _views.TryGetValue(name, out View? v) ? v : null;

    public IEnumerable<View> Views => _views.Values;

    /// <summary>The views and triggers (<see cref="View"/> or <see cref="Trigger"/>) in the order of their sqlite_schema rows.</summary>
    public IReadOnlyList<object> ViewsAndTriggers => _viewsAndTriggers;

    public Index? FindIndex(string name) => _indexes.TryGetValue(name, out Index? i) ? i : null;

    public IEnumerable<Table> Tables => _tables.Values;

    /// <summary>
    /// Reads the schema (the caller holds a read transaction or none). Rows are taken in rowid
    /// order and checked as SQLite's schema loader checks them; the first bad row makes the
    /// whole load fail with SQLITE_CORRUPT, "malformed database schema (name)", followed by
    /// " - " and the reason when there is one:
    ///
    ///   rootpage NULL                                -> malformed (no reason)
    ///   sql starts with "CR" (any case):
    ///     rootpage not a 32-bit unsigned integer, or past the last page -> "invalid rootpage"
    ///     sql does not parse                        -> the parser's message
    ///     type/name/tbl_name differ from the statement's (case-insensitive) -> no reason
    ///     a table whose root is page 1              -> no reason
    ///     a name already taken, an index or trigger on a missing table or column -> the message
    ///   name NULL, or sql is anything else but empty -> no reason
    ///   sql NULL or empty (an automatic index): no such index -> "orphan index";
    ///     rootpage not in 2..last page or shared with another index of its table -> "invalid rootpage"
    /// </summary>
    /// <summary>A schema with nothing in it, for statements that never look at one (transaction control, setting pragmas).</summary>
    public static DatabaseSchema Empty(int db = MainDb) => new() { Cookie = 0, Db = db, SchemaTable = db == MainDb ? SchemaTableDef : NewSchemaTable(db) };

    /// <summary>Reads the schema of database number <paramref name="db"/> (see <see cref="Db"/>) from its b-tree.</summary>
    public static DatabaseSchema Load(BTree bt, uint cookie, int db = MainDb)
    {
        DatabaseSchema s = Empty(db);
        s.Cookie = cookie;
        uint pageCount = bt.Pager.PageCount;
        foreach (SchemaRow row in Tern.Storage.BTree.SchemaTable.ReadRows(bt))
        {
            string label = row.Name ?? "?";
            if (row.RootPage == null) throw Malformed(label, null);
            if (row.Sql is { Length: >= 2 } sql && char.ToUpperInvariant(sql[0]) == 'C' && char.ToUpperInvariant(sql[1]) == 'R')
            {
                if (!TryRootPage(row.RootPage, out uint root) || (root > pageCount && pageCount > 0)) throw Malformed(label, "invalid rootpage");
                Tern.Sql.Ast.Statement statement;
                try
                {
                    byte[] utf8 = Encoding.UTF8.GetBytes(sql);
                    statement = SqlParser.ParseNext(utf8, 0)?.Statement ?? throw new SqlParseException("incomplete input", utf8.Length);
                }
                catch (SqlParseException e)
                {
                    throw Malformed(label, e.Message);
                }
                try
                {
                    s.AddObject(statement, row, root, sql);
                }
                catch (TernException e) when (e.Code == ResultCode.Error && !e.Message.Contains("not supported yet", StringComparison.Ordinal))
                {
                    throw Malformed(label, e.Message.Length == 0 ? null : e.Message);
                }
            }
            else if (row.Name == null || !string.IsNullOrEmpty(row.Sql))
            {
                throw Malformed(label, null);
            }
            else
            {
                // An automatic index's row: its index was made by its table's CREATE TABLE.
                if (!s._indexes.TryGetValue(row.Name, out Index? idx)) throw Malformed(label, "orphan index");
                if (!TryRootPage(row.RootPage, out uint root) || root < 2 || root > pageCount
                    || idx.Table.Indexes.Exists(o => o != idx && o.RootPage == root))
                {
                    throw Malformed(label, "invalid rootpage");
                }
                idx.RootPage = root;
            }
        }
        return s;
    }

    /// <summary>SQLite's reading of a rootpage value as text: decimal digits only, at most 2^32 - 1.</summary>
    private static bool TryRootPage(string? text, out uint root)
    {
        root = 0;
        if (string.IsNullOrEmpty(text)) return false;
        ulong v = 0;
        foreach (char ch in text)
        {
            if (ch is < '0' or > '9') return false;
            v = v * 10 + (ulong)(ch - '0');
            if (v > uint.MaxValue) return false;
        }
        root = (uint)v;
        return true;
    }

    private static TernException Malformed(string name, string? reason) =>
        new(ResultCode.Corrupt, $"malformed database schema ({name})" + (string.IsNullOrEmpty(reason) ? "" : " - " + reason));

    /// <summary>Adds the object a schema row's CREATE statement describes; TernException (SQLITE_ERROR) names what is wrong.</summary>
    private void AddObject(Tern.Sql.Ast.Statement statement, SchemaRow row, uint root, string sql)
    {
        // An index's or trigger's table must exist (checked first, as SQLite does), then the row
        // must describe the object its statement creates (SQLite's extra schema checks).
        string? onTable = statement switch { CreateIndexStatement ci => ci.Table, CreateTriggerStatement tr => tr.Table, _ => null };
        // (A TEMP trigger may be on a table of another database: it is found when it fires.)
        if (onTable != null && !_tables.ContainsKey(onTable) && !(statement is CreateTriggerStatement && (_views.ContainsKey(onTable) || IsTemp)))
        {
            throw new TernException(ResultCode.Error, "no such table: main." + onTable);
        }
        (string Type, string Name, string Table)? expected = statement switch
        {
            CreateTableStatement ct => ("table", ct.Name, ct.Name),
            CreateVirtualTableStatement vt => ("table", vt.Name, vt.Name),
            CreateIndexStatement ci => ("index", ci.Name, ci.Table),
            CreateViewStatement cv => ("view", cv.Name, cv.Name),
            CreateTriggerStatement tr => ("trigger", tr.Name, tr.Table),
            _ => null,
        };
        if (expected is not { } e
            || !string.Equals(e.Type, row.Type, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(e.Name, row.Name, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(e.Table, row.TableName, StringComparison.OrdinalIgnoreCase))
        {
            throw new TernException(ResultCode.Error, "");
        }
        switch (statement)
        {
            case CreateTableStatement ct:
                {
                    if (root == 1) throw new TernException(ResultCode.Error, "");
                    CheckNameFree(ct.Name, isIndex: false);
                    Table t = BuildTable(ct, root, sql, out List<(string Name, int[] Cols, bool[] Desc, Collation[] Colls, ConflictResolution OnConflict)> autos);
                    Tern.Compiler.CodeGenerator.ResolveTableDefinition(t, Encoding.UTF8.GetBytes(sql), loading: true);
                    t.Db = Db;
                    _tables[t.Name] = t;
                    if (t.PrimaryKey != null) _indexes[t.PrimaryKey.Name] = t.PrimaryKey;
                    foreach (var a in autos)
                    {
                        var idx = new Index
                        {
                            Name = a.Name, Table = t, RootPage = 0, Columns = a.Cols,
                            Descending = a.Desc, Collations = a.Colls, Unique = true, IsAuto = true, OnConflict = a.OnConflict,
                        };
                        t.Indexes.Add(idx);
                        _indexes[idx.Name] = idx;
                    }
                    break;
                }
            case CreateIndexStatement ci:
                {
                    if (!_tables.TryGetValue(ci.Table, out Table? t)) throw new TernException(ResultCode.Error, "no such table: main." + ci.Table);
                    CheckNameFree(ci.Name, isIndex: true);
                    Index idx = BuildIndex(ci, t, root, sql);
                    byte[] text = Encoding.UTF8.GetBytes(sql);
                    for (int k = 0; k < idx.Columns.Length; k++)
                    {
                        if (idx.IsExpression(k))
                            Tern.Compiler.CodeGenerator.ResolveSelfReference(t, idx.Expressions![k]!, Tern.Compiler.SelfReferenceKind.IndexExpression, text, loading: true);
                    }
                    if (ci.Where != null)
                        Tern.Compiler.CodeGenerator.ResolveSelfReference(t, ci.Where, Tern.Compiler.SelfReferenceKind.PartialIndex, text, loading: true);
                    if (t.Indexes.Exists(o => o.RootPage == root)) throw new TernException(ResultCode.Error, "invalid rootpage");
                    t.Indexes.Add(idx);
                    _indexes[idx.Name] = idx;
                    break;
                }
            case CreateTriggerStatement tr:
                {
                    if (!_tables.TryGetValue(tr.Table, out _) && !_views.ContainsKey(tr.Table) && !IsTemp)
                        throw new TernException(ResultCode.Error, "no such table: main." + tr.Table);
                    if (_triggers.ContainsKey(tr.Name)) throw new TernException(ResultCode.Error, $"trigger {tr.Name} already exists");
                    _triggers[tr.Name] = new Trigger { Name = tr.Name, Table = tr.Table, Definition = tr, Sql = sql, Db = Db };
                    _viewsAndTriggers.Add(_triggers[tr.Name]);
                    break;
                }
            case CreateViewStatement cv:
                CheckNameFree(cv.Name, isIndex: false);
                _views[cv.Name] = new View { Name = cv.Name, Columns = cv.Columns, Select = cv.Select, Sql = sql, Db = Db };
                _viewsAndTriggers.Add(_views[cv.Name]);
                break;
            default:
                break; // a virtual table: not supported, its name is simply unknown
        }
    }

    /// <summary>A new table, view or index name must not be taken (SQLite's messages).</summary>
    private void CheckNameFree(string name, bool isIndex)
    {
        if (isIndex)
        {
            if (_indexes.ContainsKey(name)) throw new TernException(ResultCode.Error, $"index {name} already exists");
            if (_tables.ContainsKey(name) || _views.ContainsKey(name)) throw new TernException(ResultCode.Error, $"there is already a table named {name}");
            return;
        }
        if (_tables.ContainsKey(name)) throw new TernException(ResultCode.Error, $"table {name} already exists");
        if (_views.ContainsKey(name)) throw new TernException(ResultCode.Error, $"view {name} already exists");
        if (_indexes.ContainsKey(name)) throw new TernException(ResultCode.Error, $"there is already an index named {name}");
    }

    /// <summary>Index keys cannot place NULLs: NULLS FIRST/LAST in an index or key constraint is an error.</summary>
    private static void RejectNullsOrder(OrderingTerm term)
    {
        if (term.Nulls != NullsOrder.Unspecified)
            throw new TernException(ResultCode.Error, "unsupported use of NULLS " + (term.Nulls == NullsOrder.First ? "FIRST" : "LAST"));
    }

    /// <summary>An index from CREATE INDEX; throws "no such column" for an unknown column.</summary>
    public static Index BuildIndex(CreateIndexStatement ci, Table t, uint root, string? sql)
    {
        var cols = new int[ci.Columns.Count];
        var desc = new bool[ci.Columns.Count];
        var colls = new Collation[ci.Columns.Count];
        Expr?[]? exprs = null;
        for (int i = 0; i < cols.Length; i++)
        {
            OrderingTerm term = ci.Columns[i];
            RejectNullsOrder(term);
            desc[i] = term.Order == SortOrder.Desc;
            // A bare name (or string) that names a column is a plain key column; anything else,
            // qualified names and names of no column included, is an expression key, which
            // name resolution then checks.
            string? name = term.Expr switch
            {
                ColumnRef { Table: null } c => c.Column,
                Literal { Kind: LiteralKind.String } l => l.Value,
                CollateExpr { Operand: ColumnRef { Table: null } c2 } => c2.Column,
                _ => null,
            };
            int k = name == null ? -1 : t.FindColumn(name);
            if (k >= 0)
            {
                cols[i] = k;
                colls[i] = KeyCollation(term.Expr, t.Columns[k]);
                continue;
            }
            // A key expression: its value is computed from the row (COLLATE on top names the key's collation).
            exprs ??= new Expr?[cols.Length];
            cols[i] = Index.ExpressionColumn;
            exprs[i] = term.Expr is CollateExpr ce ? ce.Operand : term.Expr;
            colls[i] = term.Expr is CollateExpr ce2 ? MemCompare.ParseCollation(ce2.Collation) : Collation.Binary;
        }
        return new Index
        {
            Name = ci.Name, Table = t, RootPage = root, Columns = cols, Expressions = exprs, Descending = desc, Collations = colls,
            Unique = ci.Unique, Sql = sql, Where = ci.Where,
        };
    }

    /// <summary>The collation of an index or key column: its COLLATE clause, else the column's.</summary>
    private static Collation KeyCollation(Expr term, Column column) =>
        term is CollateExpr ce ? MemCompare.ParseCollation(ce.Collation) : column.Collation;

    /// <summary>The table a CREATE TABLE describes, and the automatic indexes it needs.</summary>
    /// <summary>
    /// The value a DEFAULT clause gives: a bare name (<c>DEFAULT abc</c>, <c>DEFAULT "abc"</c>)
    /// is the string of that name, except an unquoted TRUE or FALSE; anything else is its expression.
    /// </summary>
    public static Expr DefaultValue(DefaultConstraint d) =>
        d is { Form: DefaultForm.Identifier, Value: ColumnRef { Table: null } name }
        && (name.Quote != QuoteStyle.None || !(name.Column.Equals("true", StringComparison.OrdinalIgnoreCase) || name.Column.Equals("false", StringComparison.OrdinalIgnoreCase)))
            ? new Literal(LiteralKind.String, name.Column) { Start = name.Start, End = name.End }
            : d.Value;

    public static Table BuildTable(CreateTableStatement ct, uint root, string? sql, out List<(string Name, int[] Cols, bool[] Desc, Collation[] Colls, ConflictResolution OnConflict)> autoIndexes)
    {
        if (ct.AsSelect != null) throw new TernException(ResultCode.Error, "CREATE TABLE ... AS SELECT is not supported yet");
        var columns = new List<Column>();
        int autoIncrementColumn = -1;
        // A column's DEFERRABLE clause belongs to the table's latest foreign key so far, as in SQLite's parser.
        var foreignKeys = new List<(string[] Child, ForeignKeyClause Clause, bool Deferred)>();
        var checks = new List<(string? Name, Expr Expr)>();
        var keys = new List<(int[] Cols, bool[] Desc, Collation[]? Colls, bool Pk, ConflictResolution OnConflict)>();
        int rowidAlias = -1;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < ct.Columns.Count; i++)
        {
            ColumnDefinition cd = ct.Columns[i];
            if (!seen.Add(cd.Name)) throw new TernException(ResultCode.Error, "duplicate column name: " + cd.Name);
            bool notNull = false;
            Expr? def = null;
            Collation coll = Collation.Binary;
            ConflictResolution notNullConflict = ConflictResolution.Default;
            string? constraintName = null;
            Expr? generated = null;
            bool stored = false, primaryKey = false;
            foreach (ColumnConstraint cc in cd.Constraints)
            {
                // GENERATED ALWAYS AS: once per column, never after a DEFAULT, VIRTUAL or STORED.
                if (cc is GeneratedConstraint gc)
                {
                    string? storage = gc.Storage?.ToUpperInvariant();
                    if (generated != null || def != null || storage is not (null or "VIRTUAL" or "STORED"))
                        throw new TernException(ResultCode.Error, $"error in generated column \"{cd.Name}\"");
                    generated = gc.Expr;
                    stored = storage == "STORED";
                    if (primaryKey) throw new TernException(ResultCode.Error, "generated columns cannot be part of the PRIMARY KEY");
                }
                if (cc is DefaultConstraint && generated != null) throw new TernException(ResultCode.Error, "cannot use DEFAULT on a generated column");
                if (cc is PrimaryKeyConstraint)
                {
                    primaryKey = true;
                    if (generated != null) throw new TernException(ResultCode.Error, "generated columns cannot be part of the PRIMARY KEY");
                }
                // A CONSTRAINT name stays with the column's later CHECKs too, as in SQLite.
                if (cc is CheckConstraint chk) checks.Add((constraintName, chk.Expr));
                if (cc is ReferencesConstraint rc)
                {
                    if (rc.Clause.Columns.Count > 1)
                        throw new TernException(ResultCode.Error, $"foreign key on {cd.Name} should reference only one column of table {rc.Clause.Table}");
                    foreignKeys.Add(([cd.Name], rc.Clause, false));
                }
                if (cc is DeferrableConstraint dc && foreignKeys.Count > 0) foreignKeys[^1] = foreignKeys[^1] with { Deferred = IsInitiallyDeferred(dc.Clause) };
                if (cc is ConstraintName cn) constraintName = cn.Name;
                switch (cc)
                {
                    case NotNullConstraint nn:
                        notNull = true;
                        notNullConflict = nn.OnConflict;
                        break;
                    case DefaultConstraint d: def = DefaultValue(d); break;
                    case CollateConstraint c: coll = MemCompare.ParseCollation(c.Collation); break;
                    case PrimaryKeyConstraint pk:
                        if (keys.Exists(k => k.Pk)) throw new TernException(ResultCode.Error, $"table \"{ct.Name}\" has more than one primary key");
                        if (IsIntegerType(cd.Type) && pk.Order != SortOrder.Desc) rowidAlias = i;
                        if (pk.Autoincrement) autoIncrementColumn = i;
                        keys.Add(([i], [pk.Order == SortOrder.Desc], null, true, pk.OnConflict));
                        break;
                    case UniqueConstraint uc:
                        keys.Add(([i], [false], null, false, uc.OnConflict));
                        break;
                }
            }
            Affinity affinity = Affinities.FromDeclaredType(cd.Type);
            MemKind strictKind = MemKind.Null;
            if (ct.Strict)
            {
                // STRICT: one of the six type names, nothing else.
                if (cd.Type == null) throw new TernException(ResultCode.Error, $"missing datatype for {ct.Name}.{cd.Name}");
                string upper = cd.Type.ToUpperInvariant();
                if (upper is not ("INT" or "INTEGER" or "REAL" or "TEXT" or "BLOB" or "ANY"))
                    throw new TernException(ResultCode.Error, $"unknown datatype for {ct.Name}.{cd.Name}: \"{cd.Type}\"");
                if (upper == "ANY") affinity = Affinity.Blob;
                strictKind = upper switch
                {
                    "INT" or "INTEGER" => MemKind.Int,
                    "REAL" => MemKind.Real,
                    "TEXT" => MemKind.Text,
                    "BLOB" => MemKind.Blob,
                    _ => MemKind.Null,
                };
            }
            columns.Add(new Column
            {
                Name = cd.Name, DeclaredType = cd.Type, Affinity = affinity, StrictKind = generated != null ? MemKind.Null : strictKind,
                NotNull = notNull, NotNullConflict = notNullConflict, Default = def, Collation = coll,
                Generated = generated, IsStored = stored,
                // A generated value is not type-checked in a STRICT table (SQLite stores it as computed).
            });
        }
        string? tableConstraintName = null;
        foreach (TableConstraint tc in ct.Constraints)
        {
            if (tc is CheckTableConstraint tchk) checks.Add((tableConstraintName, tchk.Expr));
            if (tc is ForeignKeyTableConstraint { Clause.Columns.Count: > 0 } fkc && fkc.Clause.Columns.Count != fkc.Columns.Count)
                throw new TernException(ResultCode.Error, "number of columns in foreign key does not match the number of columns in the referenced table");
            if (tc is ForeignKeyTableConstraint fk) foreignKeys.Add((fk.Columns.ToArray(), fk.Clause, fk.Deferrable is { } d && IsInitiallyDeferred(d)));
            tableConstraintName = tc is TableConstraintName tn ? tn.Name : null;
            NodeList<OrderingTerm> terms;
            bool pk;
            ConflictResolution onConflict;
            if (tc is PrimaryKeyTableConstraint p)
            {
                if (p.Autoincrement) autoIncrementColumn = p.Columns.Count == 1 && p.Columns[0].Expr is ColumnRef ac
                    ? columns.FindIndex(x => string.Equals(x.Name, ac.Column, StringComparison.OrdinalIgnoreCase)) : -2;
                if (keys.Exists(k => k.Pk)) throw new TernException(ResultCode.Error, $"table \"{ct.Name}\" has more than one primary key");
                terms = p.Columns;
                pk = true;
                onConflict = p.OnConflict;
            }
            else if (tc is UniqueTableConstraint u)
            {
                terms = u.Columns;
                pk = false;
                onConflict = u.OnConflict;
            }
            else continue;
            var cols = new int[terms.Count];
            var desc = new bool[terms.Count];
            var colls = new Collation[terms.Count];
            foreach (OrderingTerm term in terms) RejectNullsOrder(term);
            for (int i = 0; i < cols.Length; i++)
            {
                string name = terms[i].Expr is ColumnRef c ? c.Column
                    : terms[i].Expr is CollateExpr { Operand: ColumnRef c2 } ? c2.Column
                    : throw new TernException(ResultCode.Error, "expressions prohibited in PRIMARY KEY and UNIQUE constraints");
                int k = columns.FindIndex(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
                if (k < 0) throw new TernException(ResultCode.Error, $"no such column: {name}");
                if (pk && columns[k].IsGenerated) throw new TernException(ResultCode.Error, "generated columns cannot be part of the PRIMARY KEY");
                cols[i] = k;
                desc[i] = terms[i].Order == SortOrder.Desc;
                colls[i] = KeyCollation(terms[i].Expr, columns[k]);
            }
            if (pk && cols.Length == 1 && IsIntegerType(columns[cols[0]].DeclaredType)) rowidAlias = cols[0];
            keys.Add((cols, desc, colls, pk, onConflict));
        }
        if (autoIncrementColumn != -1 && autoIncrementColumn != rowidAlias)
            throw new TernException(ResultCode.Error, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY");
        int[]? pkColumns = null;
        if (ct.WithoutRowid)
        {
            if (autoIncrementColumn != -1) throw new TernException(ResultCode.Error, "AUTOINCREMENT not allowed on WITHOUT ROWID tables");
            int pkAt = keys.FindIndex(k => k.Pk);
            if (pkAt < 0) throw new TernException(ResultCode.Error, $"PRIMARY KEY missing on table {ct.Name}");
            // An INTEGER PRIMARY KEY would alias the rowid: its index is made last (its number follows the UNIQUE ones').
            if (rowidAlias >= 0) keys.Add(keys[pkAt]);
            if (rowidAlias >= 0) keys.RemoveAt(pkAt);
            if (rowidAlias >= 0) pkAt = keys.Count - 1;
            rowidAlias = -1;
            // A column named twice in the key counts once (its first place).
            var pk = keys[pkAt];
            var keep = new List<int>();
            for (int i = 0; i < pk.Cols.Length; i++)
            {
                if (Array.IndexOf(pk.Cols, pk.Cols[i]) == i) keep.Add(i);
            }
            pkColumns = keep.Select(i => pk.Cols[i]).ToArray();
            keys[pkAt] = (pkColumns, keep.Select(i => pk.Desc[i]).ToArray(), pk.Colls == null ? null : keep.Select(i => pk.Colls[i]).ToArray(), true, pk.OnConflict);
            // The key columns are NOT NULL whether declared so or not.
            foreach (int c in pkColumns) columns[c].NotNull = true;
        }
        // Record layout: every column but the VIRTUAL ones, in declaration order; in a
        // WITHOUT ROWID table the PRIMARY KEY columns first, in key order.
        int storedCount = 0;
        if (pkColumns != null)
        {
            foreach (int c in pkColumns) columns[c].StorageIndex = storedCount++;
        }
        foreach (Column c in columns)
        {
            if (!c.IsVirtual && (pkColumns == null || !pkColumns.Contains(columns.IndexOf(c)))) c.StorageIndex = storedCount++;
        }
        bool hasGenerated = columns.Exists(c => c.IsGenerated);
        if (hasGenerated && !columns.Exists(c => !c.IsGenerated))
            throw new TernException(ResultCode.Error, "must have at least one non-generated column");
        Debug.Assert(pkColumns == null || pkColumns.Select(c => columns[c].StorageIndex).SequenceEqual(Enumerable.Range(0, pkColumns.Length)),
            "a WITHOUT ROWID record starts with its key columns");
        var table = new Table
        {
            Name = ct.Name, RootPage = root, Columns = columns, WithoutRowid = ct.WithoutRowid, Sql = sql, Checks = checks, Strict = ct.Strict,
            AutoIncrement = autoIncrementColumn >= 0,
            HasGenerated = hasGenerated, HasVirtual = storedCount < columns.Count, StoredCount = storedCount,
        };
        foreach ((string[] child, ForeignKeyClause clause, bool deferred) in foreignKeys)
        {
            var childCols = new int[child.Length];
            for (int i = 0; i < child.Length; i++)
            {
                childCols[i] = columns.FindIndex(x => string.Equals(x.Name, child[i], StringComparison.OrdinalIgnoreCase));
                if (childCols[i] < 0) throw new TernException(ResultCode.Error, $"unknown column \"{child[i]}\" in foreign key definition");
            }
            ForeignKeyActionKind onDelete = ForeignKeyActionKind.NoAction, onUpdate = ForeignKeyActionKind.NoAction;
            foreach (ForeignKeyArg arg in clause.Args)
            {
                if (arg.Event == ForeignKeyEvent.Delete) onDelete = arg.Action;
                else if (arg.Event == ForeignKeyEvent.Update) onUpdate = arg.Action;
            }
            table.ForeignKeys.Add(new ForeignKey
            {
                ChildColumns = childCols, ParentTable = clause.Table, ParentColumns = clause.Columns.ToArray(), OnDelete = onDelete, OnUpdate = onUpdate,
                IsDeferred = deferred,
            });
        }
        if (rowidAlias >= 0)
        {
            table.RowidAlias = rowidAlias;
            columns[rowidAlias].IsRowidAlias = true;
        }
        autoIndexes = [];
        var made = new List<int[]>();
        int n = 0;
        foreach (var k in keys)
        {
            if (k.Pk && k.Cols.Length == 1 && k.Cols[0] == rowidAlias)
            {
                table.RowidConflict = k.OnConflict;
                continue;
            }
            bool repeated = made.Exists(m => m.AsSpan().SequenceEqual(k.Cols));
            if (repeated && !(k.Pk && pkColumns != null)) continue;
            made.Add(k.Cols);
            if (!repeated) n++;
            if (k.Pk && pkColumns != null)
            {
                // The WITHOUT ROWID table's own b-tree: no index b-tree, no sqlite_schema row.
                table.RowidConflict = k.OnConflict;
                table.PrimaryKey = new Index
                {
                    Name = $"sqlite_autoindex_{ct.Name}_{n}", Table = table, RootPage = root, Columns = k.Cols, Descending = k.Desc,
                    Collations = k.Colls ?? Array.ConvertAll(k.Cols, c => columns[c].Collation), Unique = true, IsAuto = true, OnConflict = k.OnConflict,
                };
                continue;
            }
            autoIndexes.Add(($"sqlite_autoindex_{ct.Name}_{n}", k.Cols, k.Desc, k.Colls ?? Array.ConvertAll(k.Cols, c => columns[c].Collation), k.OnConflict));
        }
        return table;
    }

    private static bool IsIntegerType(string? type) => type != null && type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The text SQLite stores for a CREATE statement: "CREATE TABLE " / "CREATE [UNIQUE] INDEX "
    /// followed by the statement as typed from the object's name (without a schema prefix) to
    /// its last token. An index keeps what follows its last token up to the ';' that ends it
    /// (or the end of the text): comments and spaces. A view keeps the comments there, but
    /// not the spaces after the last of them.
    /// </summary>
    public static string StoredSql(byte[] utf8, int start, int end, string prefix)
    {
        (int nameStart, _, int lastEnd) = Scan(utf8, start, end, stopAtSemicolon: !prefix.Contains("TRIGGER", StringComparison.Ordinal));
        bool index = prefix.EndsWith(" INDEX ", StringComparison.Ordinal);
        bool view = prefix.EndsWith(" VIEW ", StringComparison.Ordinal);
        if (index || view)
        {
            lastEnd = EndBeforeSemicolon(utf8, lastEnd);
            if (view)
            {
                while (lastEnd > nameStart && utf8[lastEnd - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or 0x0B or (byte)'\f' or (byte)'\r') lastEnd--;
            }
        }
        return prefix + Encoding.UTF8.GetString(utf8, nameStart, lastEnd - nameStart);
    }

    // Where the ';' after a statement's last token is (past the spaces and comments before
    // it), or the end of the text when there is none; lastEnd itself when something else follows.
    private static int EndBeforeSemicolon(byte[] utf8, int lastEnd)
    {
        int pos = lastEnd;
        while (pos < utf8.Length)
        {
            Tern.Sql.Lexer.Token t = Tern.Sql.Lexer.SqlLexer.Next(utf8, pos);
            if (t.Length <= 0) return lastEnd;
            if (t.Kind == Tern.Sql.Lexer.TokenKind.Semi) return t.Start;
            if (t.Kind is not (Tern.Sql.Lexer.TokenKind.Space or Tern.Sql.Lexer.TokenKind.Comment)) return lastEnd;
            pos = t.End;
        }
        return utf8.Length;
    }

    /// <summary>The object's name in a CREATE statement as typed (quotes kept), for error messages.</summary>
    public static string NameToken(byte[] utf8, int start, int end)
    {
        (int nameStart, int nameEnd, _) = Scan(utf8, start, end);
        return Encoding.UTF8.GetString(utf8, nameStart, nameEnd - nameStart);
    }

    /// <summary>The byte position of the object's name in a CREATE statement (where SQLite points an "already exists" error).</summary>
    public static int NamePosition(byte[] utf8, int start, int end) => Scan(utf8, start, end).NameStart;

    private static (int NameStart, int NameEnd, int LastEnd) Scan(byte[] utf8, int start, int end, bool stopAtSemicolon = true)
    {
        int nameEnd = start;
        int pos = start, nameStart = -1, lastEnd = start;
        bool afterName = false, objectSeen = false;
        int ifNotExists = 0;
        while (pos < end)
        {
            Tern.Sql.Lexer.Token t = Tern.Sql.Lexer.SqlLexer.Next(utf8.AsSpan(0, end), pos);
            if (t.Length <= 0) break;
            pos = t.End;
            if (t.Kind is Tern.Sql.Lexer.TokenKind.Space or Tern.Sql.Lexer.TokenKind.Comment) continue;
            if (t.Kind == Tern.Sql.Lexer.TokenKind.Semi && stopAtSemicolon) break;
            lastEnd = t.End;
            if (nameStart < 0)
            {
                // CREATE [TEMP|UNIQUE ...] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] name: the
                // words before the object keyword and IF NOT EXISTS after it are skipped;
                // the next token is the name (even a keyword such as "temp").
                if (!objectSeen)
                {
                    objectSeen = t.Kind is Tern.Sql.Lexer.TokenKind.Table or Tern.Sql.Lexer.TokenKind.Index
                        or Tern.Sql.Lexer.TokenKind.View or Tern.Sql.Lexer.TokenKind.Trigger;
                    continue;
                }
                if (ifNotExists < 3 && t.Kind == (ifNotExists switch { 0 => Tern.Sql.Lexer.TokenKind.If, 1 => Tern.Sql.Lexer.TokenKind.Not, _ => Tern.Sql.Lexer.TokenKind.Exists }))
                {
                    ifNotExists++;
                    continue;
                }
                nameStart = t.Start;
                nameEnd = t.End;
                afterName = true;
                continue;
            }
            if (afterName)
            {
                afterName = false;
                if (t.Kind == Tern.Sql.Lexer.TokenKind.Dot) nameStart = -1;
            }
        }
        if (nameStart < 0) nameStart = start;
        return (nameStart, nameEnd, lastEnd);
    }

    /// <summary>Only DEFERRABLE INITIALLY DEFERRED defers a foreign key (NOT DEFERRABLE ... and a bare DEFERRABLE do not).</summary>
    private static bool IsInitiallyDeferred(DeferrableClause c) => !c.Not && c.InitiallyDeferred == true;
}
