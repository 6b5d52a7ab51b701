// The random SQL generator behind the query fuzzer (SQLancer's ideas): schemas (tables
// with declared types of every affinity, rowid aliases, UNIQUE, NOT NULL, DEFAULT,
// collations, CHECK, indexes partial/expression/DESC/multi-column, views, triggers), rows
// of edge values (integer limits, -0.0, huge and tiny reals, infinities, NULL from 0.0/0.0,
// text that looks numeric, NUL inside text, unicode, blobs), queries and DML sequences.
//
// Every compound expression is printed inside its own parentheses, so the reducer can
// shrink a script by replacing one balanced "( ... )" group with one of its operands.
// Queries avoid constructs whose answer depends on scan order (a bare column beside an
// aggregate, group_concat without ORDER BY, row_number over ties, scalar subqueries that
// pick "the first row"), so any difference between the engines is a real one.
using System.Globalization;
using System.Text;

namespace Tern.Tests.Fuzz;

/// <summary>A generated query and what the comparison may assume about it.</summary>
internal sealed record FuzzQuery(string Sql, bool Ordered);

/// <summary>Random schemas, data, queries and DML from one seed.</summary>
internal sealed class FuzzGenerator
{
    private static readonly string[] Types =
        ["INTEGER", "INT", "TEXT", "REAL", "BLOB", "NUMERIC", "", "VARCHAR(10)", "DOUBLE", "BOOLEAN", "FLOATING POINT", "DATE", "CHARINT"];

    private static readonly string[] Collations = ["NOCASE", "RTRIM", "BINARY"];

    private static readonly string[] Literals =
    [
        "0", "1", "-1", "2", "3", "10", "9223372036854775807", "-9223372036854775808", "-9223372036854775807",
        "0.0", "-0.0", "0.5", "1.0", "-1.5", "2.25", "9223372036854775808.0", "-9223372036854775809.0", "1e308", "-1e308", "1e-308", "4.9e-324",
        "(1e308*10)", "(-1e308*10)", "(0.0/0.0)", "123456789012", "1e15", "0.1",
        "''", "' '", "'abc'", "'ABC'", "'abc '", "'a'", "'B'", "'1'", "' 1'", "'1 '", "'1e3'", "'0x10'", "'-0'", "'1.0'", "'12abc'", "'9223372036854775808'",
        "('a' || char(0) || 'b')", "'é'", "'É'", "'日本'", "'😀'", "'%'", "'_'", "'a_c'", "'2024-01-31'", "'2000-02-29 12:34:56'", "'[1,2]'", "'{\"a\":1}'",
        "x''", "x'00'", "x'616263'", "x'31'", "x'ff'",
        "NULL", "NULL",
    ];

    private readonly Random _rng;
    /// <summary>
    /// Picks which inner joins become RIGHT or FULL joins: a stream of its own, so the rest of
    /// each seed's schema and statements stays as it was before these joins were generated.
    /// </summary>
    private readonly Random _joinKinds;
    private readonly FuzzFeatures _f;
    private int _aliasCounter;

    // Where the expression being generated goes (for the narrow switches of FuzzFeatures).
    private bool _inGeneratedColumn;
    private bool _inTableDefinition;
    private bool _inSchema; // tables and indexes, whose expressions the sqlite3 shell recomputes

    public FuzzGenerator(int seed, FuzzFeatures features)
    {
        _rng = new Random(seed);
        _joinKinds = new Random(seed ^ 0x5A17);
        _f = features;
    }

    public FuzzSchema Schema { get; } = new();

    private bool Chance(int percent) => _rng.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    public string Literal() => Pick(Literals);

    // ------------------------------------------------------------------ schema and data

    /// <summary>CREATE TABLE/INDEX/VIEW/TRIGGER statements; fills <see cref="Schema"/>.</summary>
    public List<string> SchemaStatements(bool withTriggers)
    {
        var sql = new List<string>();
        int tables = 1 + _rng.Next(3);
        _inTableDefinition = _inSchema = true;
        for (int t = 0; t < tables; t++)
        {
            var rel = new FuzzRelation("t" + t, false);
            var cols = new List<string>();
            int n = 2 + _rng.Next(3);
            bool ipk = _f.IntegerPrimaryKey && Chance(35);
            for (int c = 0; c < n; c++)
            {
                string name = "c" + c;
                if (ipk && c == 0)
                {
                    rel.Columns.Add(new FuzzColumn(name, "INTEGER", null, true, false) { LikeRange = true });
                    rel.UniqueKeyColumns.Add(name);
                    bool desc = Chance(20);
                    cols.Add(name + " INTEGER PRIMARY KEY" + (desc ? " DESC" : ""));
                    if (desc) rel.DescIndexLeads.Add(name);
                    continue;
                }
                string type = Pick(Types);
                string? coll = _f.ColumnCollations && Chance(30) ? Pick(Collations) : null;
                bool generated = _f.GeneratedColumns && c == n - 1 && c > 0 && Chance(30);
                var def = new StringBuilder(name);
                bool isVirtual = false;
                if (type.Length > 0) def.Append(' ').Append(type);
                if (generated)
                {
                    _inGeneratedColumn = true;
                    // FuzzFeatures.VirtualRealColumns: off, a column of REAL affinity is STORED.
                    bool real = type is "REAL" or "DOUBLE";
                    isVirtual = !(Chance(50) || real && !_f.VirtualRealColumns);
                    def.Append(" AS (").Append(ColumnExpr(rel, 2)).Append(isVirtual ? ") VIRTUAL" : ") STORED");
                    _inGeneratedColumn = false;
                }
                else
                {
                    if (_f.NotNullColumns && Chance(15)) def.Append(" NOT NULL").Append(Chance(30) ? " ON CONFLICT " + Pick(new[] { "IGNORE", "REPLACE", "ABORT" }) : "");
                    if (_f.UniqueColumns && Chance(15))
                    {
                        def.Append(" UNIQUE");
                        rel.UniqueConstraints++;
                        rel.UniqueKeyColumns.Add(name);
                    }
                    if (_f.Defaults && Chance(25)) def.Append(" DEFAULT ").Append(StoredLiteral(type, Literal()));
                }
                if (coll != null) def.Append(" COLLATE ").Append(coll);
                if (_f.Checks && Chance(10) && rel.Columns.Count > 0)
                    def.Append(" CHECK (").Append(ColumnPredicate(rel)).Append(')');
                bool uniqueNocase = coll == "NOCASE" && def.ToString().Contains(" UNIQUE", StringComparison.Ordinal);
                rel.Columns.Add(new FuzzColumn(name, type, coll, false, generated) { LikeRange = uniqueNocase, Virtual = isVirtual });
                cols.Add(def.ToString());
            }
            if (_f.UniqueColumns && Chance(15))
            {
                cols.Add($"UNIQUE (c{n - 1}, c{n - 2})");
                rel.UniqueConstraints++;
                rel.UniqueKeyColumns.UnionWith([$"c{n - 1}", $"c{n - 2}"]);
                if (rel.Columns[n - 1].Virtual || rel.Columns[n - 2].Virtual) rel.IndexesExpressions = true;
                if (rel.Columns[n - 1].Collation == "NOCASE") rel.Columns[n - 1].LikeRange = true;
            }
            if (ipk && cols[0].EndsWith("DESC", StringComparison.Ordinal)) rel.UniqueConstraints++; // INTEGER PRIMARY KEY DESC is no rowid alias
            Schema.Tables.Add(rel);
            sql.Add($"CREATE TABLE {rel.Name}({string.Join(", ", cols)})");
        }
        _inTableDefinition = false;
        if (_f.Indexes)
        {
            int indexes = _rng.Next(4);
            for (int i = 0; i < indexes; i++)
            {
                FuzzRelation t = Pick(Schema.Tables);
                int k = 1 + _rng.Next(Math.Min(3, t.Columns.Count));
                var keys = new List<string>();
                for (int j = 0; j < k; j++)
                {
                    // An expression key always names a column: SQLite reads a lone string literal there as a column name.
                    string key = _f.ExpressionIndexes && Chance(20) ? $"({Pick(t.Columns).Name} {Pick(new[] { "+", "||", "*" })} {ColumnExpr(t, 1)})" : Pick(t.Columns).Name;
                    if (Chance(20)) key += " COLLATE " + Pick(Collations);
                    if (Chance(30)) key += " DESC";
                    keys.Add(key);
                }
                string where = _f.PartialIndexes && Chance(25) ? " WHERE " + ColumnPredicate(t) : "";
                if (keys.Any(k => k.StartsWith('(') || t.Columns.Single(c => c.Name == k.Split(' ')[0]).Virtual)) t.IndexesExpressions = true;
                if (where.Length == 0 && keys[0].EndsWith(" DESC", StringComparison.Ordinal) && !keys[0].StartsWith('('))
                    t.DescIndexLeads.Add(keys[0].Split(' ')[0]);
                if (!keys[0].StartsWith('('))
                {
                    FuzzColumn lead = t.Columns.Single(c => c.Name == keys[0].Split(' ')[0]);
                    bool nocase = keys[0].Contains("COLLATE NOCASE", StringComparison.Ordinal) || !keys[0].Contains("COLLATE", StringComparison.Ordinal) && lead.Collation == "NOCASE";
                    if (nocase) lead.LikeRange = true;
                }
                string unique = Chance(20) ? "UNIQUE " : "";
                if (unique.Length > 0)
                {
                    t.UniqueConstraints++;
                    t.UniqueKeyColumns.UnionWith(t.Columns.Select(c => c.Name).Where(c => keys.Any(k => System.Text.RegularExpressions.Regex.IsMatch(k, $@"\b{c}\b"))));
                }
                sql.Add($"CREATE {unique}INDEX i{i} ON {t.Name}({string.Join(", ", keys)}){where}");
            }
        }
        _inSchema = false;
        if (withTriggers && _f.Triggers && Chance(50))
        {
            sql.Add("CREATE TABLE tlog(k, v)");
            FuzzRelation t = Pick(Schema.Tables);
            FuzzColumn logged = Pick(t.Columns);
            string[] events = ["INSERT", "UPDATE", "DELETE"];
            string ev = Pick(events);
            string row = ev == "DELETE" ? "old" : "new";
            bool when = Chance(30);
            string time = Chance(50) ? "BEFORE" : "AFTER";
            // SQLite quirk: a BEFORE trigger reads new.<generated column> before the row's
            // generated columns are computed for it: from the placeholder rowid -1 on INSERT
            // (`c1 AS (c0)`, c0 the rowid alias, reads -1), as NULL on an UPDATE that does not
            // change what the column depends on. Tern gives the column's value; such a trigger
            // logs the first column instead.
            if (time == "BEFORE" && row == "new" && logged.Generated) logged = t.Columns[0];
            string col = logged.Name;
            if (ev == "UPDATE") t.HasUpdateTrigger = true;
            string whenClause = when ? $" WHEN {row}.{col} IS NOT NULL" : "";
            sql.Add($"CREATE TRIGGER tr0 {time} {ev} ON {t.Name}{whenClause} BEGIN INSERT INTO tlog VALUES ('{ev}', {row}.{col}); END");
        }
        return sql;
    }

    /// <summary>Views, made after the rows so that their expressions see data types settled.</summary>
    public List<string> ViewStatements()
    {
        var sql = new List<string>();
        if (!_f.Views) return sql;
        int views = _rng.Next(3);
        for (int v = 0; v < views; v++)
        {
            FuzzRelation t = Pick(Schema.Tables);
            var rel = new FuzzRelation("v" + v, true);
            int n = 1 + _rng.Next(3);
            var items = new List<string>();
            var scope = TableScope(t);
            for (int i = 0; i < n; i++)
            {
                string item = ColumnExpr(t, 2);
                items.Add($"{item} AS c{i}");
                rel.Columns.Add(new FuzzColumn("c" + i, "", null, false, false) { LikeRange = ReadsLikeRange(scope, item) });
            }
            string distinct = _f.Distinct && Chance(20) ? "DISTINCT " : "";
            // A view may be joined on the right of a LEFT JOIN, where SQLite flattens its WHERE into the ON clause.
            string where = Chance(40) ? " WHERE " + Guarded(() => ColumnPredicate(t)) : "";
            sql.Add($"CREATE VIEW {rel.Name} AS SELECT {distinct}{string.Join(", ", items)} FROM {t.Name}{where}");
            Schema.Views.Add(rel);
        }
        return sql;
    }

    /// <summary>One INSERT per row (so the reducer can drop rows one by one).</summary>
    public List<string> RowStatements()
    {
        var sql = new List<string>();
        foreach (FuzzRelation t in Schema.Tables)
        {
            int rows = _rng.Next(9);
            List<FuzzColumn> cols = t.Writable.ToList();
            for (int r = 0; r < rows; r++)
            {
                string conflict = Chance(70) ? "OR IGNORE " : "";
                if (Chance(10))
                {
                    sql.Add($"INSERT {conflict}INTO {t.Name} DEFAULT VALUES");
                    continue;
                }
                List<FuzzColumn> named = cols.Where(_ => Chance(85)).ToList();
                if (named.Count == 0) named.Add(cols[0]);
                sql.Add($"INSERT {conflict}INTO {t.Name}({string.Join(", ", named.Select(c => c.Name))}) VALUES ({string.Join(", ", named.Select(c => RowValue(c)))})");
            }
        }
        return sql;
    }

    private string RowValue(FuzzColumn c)
    {
        if (c.IsRowidAlias) return Chance(40) ? "NULL" : _rng.Next(-3, 12).ToString(CultureInfo.InvariantCulture);
        return StoredLiteral(c.Type, Chance(85) ? Literal() : "(" + LiteralExpr() + ")");
    }

    /// <summary>FuzzFeatures.NegativeInfinityText: off, -infinity meant for a TEXT column (stored as the text '-Inf') is +infinity instead.</summary>
    private string StoredLiteral(string type, string value)
    {
        bool text = type.Contains("TEXT", StringComparison.Ordinal) || type.Contains("CHAR", StringComparison.Ordinal) && !type.Contains("INT", StringComparison.Ordinal);
        return !_f.NegativeInfinityText && text && value == "(-1e308*10)" ? "(1e308*10)" : value;
    }

    private string LiteralExpr()
    {
        string[] ops = ["+", "-", "*", "||"];
        return $"{Literal()} {Pick(ops)} {Literal()}";
    }

    // ------------------------------------------------------------------ expressions

    /// <summary>Names in scope for an expression: (qualifier, column) pairs.</summary>
    private sealed record Scope(List<(string Qualifier, FuzzColumn Column)> Columns, FuzzRelation? OuterTable, string? OuterAlias);

    private static Scope TableScope(FuzzRelation t) => new(t.Columns.Where(c => !c.Generated).Select(c => ("", c)).ToList(), null, null);

    private string ColumnExpr(FuzzRelation t, int depth) => Expr(TableScope(t), depth, allowSubqueries: false);

    private string ColumnPredicate(FuzzRelation t) => Predicate(TableScope(t), 2, allowSubqueries: false);

    // ---- SQLite 3.50.4 bug: LIKE as a range seek inside a LEFT JOIN's ON clause
    // `t1 LEFT JOIN t2 ON t2.ipk LIKE 'e%'` returns no rows at all where the NULL-extended row is
    // right: the LIKE optimization turns a constant pattern with a non-numeric prefix into a
    // range on the rowid alias (or on a NOCASE index), and when that range holds no match the
    // outer row is lost too. The WHERE of a view or FROM subquery on the right of a LEFT JOIN
    // lands in the ON clause when SQLite flattens it. Where such a predicate is generated
    // (Guarded), a LIKE whose left side is such a column (FuzzColumn.LikeRange) and whose
    // pattern is such a literal reads it as `+x`: the same text, but no column to seek on.
    private bool _likeGuard;

    private string Guarded(Func<string> make)
    {
        bool saved = _likeGuard;
        _likeGuard = true;
        try
        {
            return make();
        }
        finally
        {
            _likeGuard = saved;
        }
    }

    /// <summary>The column an expression reads when it is a bare column reference, possibly parenthesised or under COLLATE.</summary>
    internal static string? BareColumn(string expr)
    {
        string e = expr.Trim();
        while (true)
        {
            int collate = e.IndexOf(" COLLATE ", StringComparison.Ordinal);
            if (e.StartsWith('(') && e.EndsWith(')')) e = e[1..^1].Trim();
            else if (collate > 0 && e.IndexOf(' ', collate + 9) < 0) e = e[..collate].Trim();
            else break;
        }
        return e.Length > 0 && e.All(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_') && char.IsLetter(e[0]) ? e : null;
    }

    private static bool ReadsLikeRange(Scope s, string expr)
    {
        string? bare = BareColumn(expr);
        return bare != null && s.Columns.Any(x => x.Column.LikeRange && (x.Qualifier.Length == 0 ? x.Column.Name : x.Qualifier + "." + x.Column.Name) == bare);
    }

    /// <summary>A pattern literal the LIKE optimization turns into a range: a non-wildcard, non-numeric first character, then a wildcard.</summary>
    internal static bool RangePattern(string pattern) =>
        pattern.Length >= 4 && pattern[0] == '\'' && pattern[^1] == '\'' && !"%_0123456789+-.'".Contains(pattern[1]) && pattern.AsSpan(2).IndexOfAny("%_") >= 0;

    private string ColumnRef(Scope s)
    {
        if (s.Columns.Count == 0) return Literal();
        (string q, FuzzColumn c) = Pick(s.Columns);
        return q.Length == 0 ? c.Name : q + "." + c.Name;
    }

    private string Leaf(Scope s) => s.Columns.Count > 0 && Chance(65) ? ColumnRef(s) : Literal();

    private string Expr(Scope s, int depth, bool allowSubqueries)
    {
        if (depth <= 0 || Chance(25)) return Leaf(s);
        int kind = _rng.Next(20);
        switch (kind)
        {
            case 0 or 1 when _f.Arithmetic:
                return $"({Expr(s, depth - 1, allowSubqueries)} {Pick(new[] { "+", "-", "*", "/" })} {Expr(s, depth - 1, allowSubqueries)})";
            case 2 when _f.Modulo:
                return $"({Expr(s, depth - 1, allowSubqueries)} % {Expr(s, depth - 1, allowSubqueries)})";
            case 3 when _f.Bitwise:
                return Chance(20) ? $"(~{Expr(s, depth - 1, allowSubqueries)})"
                    : $"({Expr(s, depth - 1, allowSubqueries)} {Pick(new[] { "&", "|", "<<", ">>" })} {Expr(s, depth - 1, allowSubqueries)})";
            case 4 when _f.Concat:
                return $"({Expr(s, depth - 1, allowSubqueries)} || {Expr(s, depth - 1, allowSubqueries)})";
            case 5:
                {
                    string sign = Pick(new[] { "-", "+" });
                    string operand = Expr(s, depth - 1, allowSubqueries);
                    return sign == "-" && operand.StartsWith('-') ? $"(- {operand})" : $"({sign}{operand})"; // "--" would start a comment
                }
            case 6 or 7:
                return Predicate(s, depth, allowSubqueries);
            case 8 when _f.Case:
                return Chance(50)
                    ? $"(CASE WHEN {Predicate(s, depth - 1, allowSubqueries)} THEN {Expr(s, depth - 1, allowSubqueries)} ELSE {Expr(s, depth - 1, allowSubqueries)} END)"
                    : $"(CASE {Expr(s, depth - 1, allowSubqueries)} WHEN {Leaf(s)} THEN {Expr(s, depth - 1, allowSubqueries)} WHEN {Leaf(s)} THEN {Leaf(s)} END)";
            case 9 when _f.Cast:
                return $"(CAST({Expr(s, depth - 1, allowSubqueries)} AS {Pick(new[] { "INTEGER", "REAL", "TEXT", "BLOB", "NUMERIC", "INT", "VARCHAR" })}))";
            case 10 when _f.Collate:
                return $"({Expr(s, depth - 1, allowSubqueries)} COLLATE {Pick(Collations)})";
            case 11 or 12 when _f.StringFunctions:
                return StringFunction(s, depth - 1, allowSubqueries);
            case 13 when _f.MathFunctions:
                return MathFunction(s, depth - 1, allowSubqueries);
            case 14 when _f.DateFunctions:
                return DateFunction(s, depth - 1, allowSubqueries);
            case 15 when _f.JsonFunctions:
                return JsonFunction(s, depth - 1, allowSubqueries);
            case 16 when allowSubqueries && _f.ScalarSubqueries:
                return ScalarSubquery(s, depth - 1);
            case 17 when _f.Coalesce:
                return $"({Pick(new[] { "coalesce", "ifnull" })}({Expr(s, depth - 1, allowSubqueries)}, {Expr(s, depth - 1, allowSubqueries)}))";
            default:
                return Leaf(s);
        }
    }

    private string StringFunction(Scope s, int d, bool sub)
    {
        string E() => Expr(s, d, sub);
        int k = _rng.Next(22);
        return k switch
        {
            0 => $"length({E()})",
            1 => $"lower({E()})",
            2 => $"upper({E()})",
            3 => $"typeof({E()})",
            4 => $"nullif({E()}, {E()})",
            5 => _f.SubstrHugeArguments && Chance(20)
                ? $"substr({E()}, {Pick(new[] { "9223372036854775807", "-9223372036854775808", "4294967296" })}, {Pick(new[] { "9223372036854775807", "-9223372036854775808", "2" })})"
                : $"substr({E()}, {_rng.Next(-4, 5)}{(Chance(70) ? ", " + _rng.Next(-3, 5) : "")})",
            6 => $"instr({E()}, {E()})",
            7 => $"replace({E()}, {ReplacePattern(E())}, {E()})",
            8 => $"{Pick(new[] { "trim", "ltrim", "rtrim" })}({E()}{(Chance(40) ? ", " + E() : "")})",
            9 => $"hex({E()})",
            10 => $"quote({E()})",
            11 => $"abs({E()})",
            12 => $"round({E()}{(Chance(50) ? ", " + _rng.Next(-1, 4) : "")})",
            13 => $"{Pick(new[] { "max", "min" })}({E()}, {E()})",
            14 => $"iif({Predicate(s, d, sub)}, {E()}, {E()})",
            15 => $"unicode({E()})",
            16 => $"char({_rng.Next(0, 200)}, {_rng.Next(60, 130)})",
            17 => $"printf('{Pick(new[] { "%d", "%s", "%5.2f", "%x", "%q", "%-4s|", "%.3e", "%i" })}', {E()})",
            18 => $"{Pick(new[] { "likely", "unlikely" })}({E()})",
            19 => $"sign({E()})",
            20 => $"zeroblob({_rng.Next(0, 3)})",
            // concat() is newer than the sqlite3 shell (3.40) that checks Tern's files: queries only
            _ => sub ? $"concat({E()}, {E()})" : $"({E()} || {E()})",
        };
    }

    /// <summary>FuzzFeatures.ReplaceNulPattern: off, a pattern whose first byte is NUL becomes NULL.</summary>
    private string ReplacePattern(string pattern) => _f.ReplaceNulPattern ? pattern : $"iif(instr({pattern}, char(0)) = 1, NULL, {pattern})";

    private string MathFunction(Scope s, int d, bool sub)
    {
        string E() => Expr(s, d, sub);
        string[] unary = ["sqrt", "floor", "ceil", "ceiling", "exp", "ln", "log10", "log2", "sin", "cos", "trunc", "degrees", "radians"];
        return Chance(75) ? $"{Pick(unary)}({E()})" : $"{Pick(new[] { "pow", "power", "log", "atan2", "mod" })}({E()}, {E()})";
    }

    private string DateFunction(Scope s, int d, bool sub)
    {
        string E() => Expr(s, d, sub);
        string[] mods = ["'+1 day'", "'-1 month'", "'start of month'", "'+1 month'", "'weekday 0'", "'unixepoch'", "'+12:00'", "'start of year'"];
        return _rng.Next(5) switch
        {
            0 => $"date({E()}{(Chance(50) ? ", " + Pick(mods) : "")})",
            1 => $"datetime({E()}{(Chance(50) ? ", " + Pick(mods) : "")})",
            2 => $"julianday({E()})",
            3 => $"strftime('{Pick(new[] { "%Y-%m-%d", "%H:%M:%S", "%j", "%w", "%s", "%W" })}', {E()})",
            _ => $"time({E()})",
        };
    }

    private string JsonFunction(Scope s, int d, bool sub)
    {
        // No blob reaches a JSON function: "JSON cannot hold BLOB values" is raised wherever the
        // plan evaluates the call, and SQLite skips evaluations (WHERE NULL, ON NULL) Tern may not.
        string E()
        {
            string e = Expr(s, d, sub);
            return $"iif(typeof({e}) = 'blob', NULL, {e})";
        }
        return _rng.Next(7) switch
        {
            // json_valid(NULL) is NULL, but 0 in the sqlite3 shell (3.40) that checks Tern's files
            // by recomputing index keys and CHECKs: schema expressions use json_quote instead.
            0 when _inSchema => $"json_quote({E()})",
            0 => _f.JsonTextWithNul ? $"json_valid({E()})" : $"json_valid({NoNul(E())})",
            1 => $"json_type({Pick(new[] { "'[1,2]'", "'{\"a\":1}'", "'1'", "'\"x\"'" })})",
            2 => $"json_extract({Pick(new[] { "'{\"a\":1,\"b\":[2,3]}'", "'[1,2]'" })}, {Pick(new[] { "'$.a'", "'$.b[1]'", "'$[0]'", "'$'" })})",
            3 => $"json_array({E()}, {E()})",
            4 => $"json_object('k', {E()})",
            5 => $"json_quote({E()})",
            _ => $"json({Pick(new[] { "'[1, 2]'", "' {\"a\" : null} '", "'1e3'" })})",
        };
    }

    /// <summary>FuzzFeatures.JsonTextWithNul: off, text holding a NUL becomes NULL.</summary>
    private static string NoNul(string e) => $"iif(instr({e}, char(0)) > 0, NULL, {e})";

    private string Predicate(Scope s, int depth, bool allowSubqueries)
    {
        string E() => Expr(s, depth - 1, allowSubqueries);
        if (depth <= 0) return $"({Leaf(s)} {Pick(new[] { "=", "<", ">", "<>" })} {Leaf(s)})";
        int k = _rng.Next(18);
        switch (k)
        {
            case 0 or 1 or 2 when _f.Comparisons:
                return $"({E()} {Pick(new[] { "=", "==", "!=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT" })} {E()})";
            case 3 or 4:
                return $"({Predicate(s, depth - 1, allowSubqueries)} {Pick(new[] { "AND", "OR" })} {Predicate(s, depth - 1, allowSubqueries)})";
            case 5:
                return $"(NOT {Predicate(s, depth - 1, allowSubqueries)})";
            case 6 when _f.IsDistinctFrom:
                return $"({E()} IS {(Chance(50) ? "NOT " : "")}DISTINCT FROM {E()})";
            case 7 when _f.IsTrueFalse && (_f.TrueFalseInGeneratedColumns || !_inGeneratedColumn):
                return $"({E()} IS {(Chance(50) ? "NOT " : "")}{Pick(new[] { "TRUE", "FALSE" })})";
            case 8 when _f.Between:
                return $"({E()} {(Chance(30) ? "NOT " : "")}BETWEEN {E()} AND {E()})";
            case 9 when _f.InLists:
                return $"({E()} {(Chance(30) ? "NOT " : "")}IN ({string.Join(", ", Enumerable.Range(0, 1 + _rng.Next(3)).Select(_ => Leaf(s)))}))";
            case 10 when _f.InSubqueries && allowSubqueries:
                return $"({E()} {(Chance(30) ? "NOT " : "")}IN ({ColumnSubquery(s, depth - 1)}))";
            case 11 when _f.Exists && allowSubqueries:
                return $"({(Chance(30) ? "NOT " : "")}EXISTS ({ColumnSubquery(s, depth - 1, exists: true)}))";
            case 12 when _f.Like:
                {
                    string esc = _f.LikeEscape && Chance(20) ? " ESCAPE '\\'" : "";
                    string pattern = Chance(60) ? Pick(new[] { "'a%'", "'%B%'", "'_'", "'A_C'", "'%'", "''", "'1%'", "'%\\%%'", "'%\\_'", "'é%'" }) : E();
                    string subject = E();
                    if (_likeGuard && RangePattern(pattern) && ReadsLikeRange(s, subject)) subject = $"(+{subject})"; // see Guarded
                    return $"({subject} {(Chance(25) ? "NOT " : "")}LIKE {pattern}{esc})";
                }
            case 13 when _f.Glob:
                {
                    string esc = _f.GlobEscape && (_f.GlobEscapeInTableDefinitions || !_inTableDefinition) && Chance(20) ? " ESCAPE '\\'" : "";
                    string pattern = Chance(60) ? Pick(new[] { "'a*'", "'*B*'", "'?'", "'[a-c]*'", "'[^a]*'", "'*'", "'1*'" }) : E();
                    return $"({E()} {(Chance(25) ? "NOT " : "")}GLOB {pattern}{esc})";
                }
            case 14:
                return $"({E()} {Pick(new[] { "IS NULL", "IS NOT NULL", "ISNULL", "NOTNULL", "NOT NULL" })})";
            default:
                return $"({E()} {Pick(new[] { "=", "<", ">", "<>", "<=", ">=" })} {E()})";
        }
    }

    /// <summary>A one-column subquery, correlated to the outer scope now and then.</summary>
    private string ColumnSubquery(Scope outer, int depth, bool exists = false)
    {
        FuzzRelation t = Pick(Schema.All.ToList());
        string alias = "s" + _aliasCounter++;
        var scope = new Scope(t.Columns.Select(c => (alias, c)).ToList(), null, null);
        string col = Expr(scope, Math.Min(depth, 1), false);
        string where = "";
        if (_f.Correlated && outer.Columns.Count > 0 && Chance(50))
            where = $" WHERE ({alias}.{Pick(t.Columns).Name} {Pick(new[] { "=", "<", ">", "IS" })} {ColumnRef(outer)})";
        else if (Chance(40))
            where = " WHERE " + Predicate(scope, 1, false);
        // Under EXISTS the result list is resolved but never evaluated (an error it would raise,
        // such as abs(-9223372036854775808), does not show); half the time it stays a plain column.
        string plain = $"{alias}.{Pick(t.Columns).Name}";
        if (exists && Chance(50)) col = plain;
        // SQLite 3.50.4 quirk: `x [NOT] IN (SELECT c FROM t)` with no WHERE, c leading a DESC
        // index (or an INTEGER PRIMARY KEY DESC), looks for a NULL in c at the index's first
        // entry only; the NULLs sort last, so it answers 0/1 where NULL is right. Tern keeps the
        // right answer; a WHERE (true) makes SQLite read the subquery as a plain one.
        if (!exists && where.Length == 0 && !t.IsView && col.StartsWith(alias + ".", StringComparison.Ordinal) && t.DescIndexLeads.Contains(col[(alias.Length + 1)..]))
            where = " WHERE 1";
        return $"SELECT {col} FROM {t.Name} AS {alias}{where}";
    }

    /// <summary>A scalar subquery whose value does not depend on scan order: an aggregate.</summary>
    private string ScalarSubquery(Scope outer, int depth)
    {
        FuzzRelation t = Pick(Schema.All.ToList());
        string alias = "s" + _aliasCounter++;
        var scope = new Scope(t.Columns.Select(c => (alias, c)).ToList(), null, null);
        string agg = $"{Pick(new[] { "max", "min", "count", "total" })}({Expr(scope, Math.Min(depth, 1), false)})";
        string where = "";
        if (_f.Correlated && outer.Columns.Count > 0 && Chance(50))
            where = $" WHERE ({alias}.{Pick(t.Columns).Name} {Pick(new[] { "=", "<", ">", "IS" })} {ColumnRef(outer)})";
        return $"(SELECT {agg} FROM {t.Name} AS {alias}{where})";
    }

    // ------------------------------------------------------------------ queries

    /// <summary>A FROM clause with its scope.</summary>
    private (string From, Scope Scope) FromClause()
    {
        var all = Schema.All.ToList();
        var cols = new List<(string, FuzzColumn)>();
        var sb = new StringBuilder();
        int n = _f.Joins ? 1 + (Chance(45) ? 1 : 0) + (Chance(15) ? 1 : 0) : 1;
        var joined = new List<FuzzRelation>();
        for (int i = 0; i < n; i++)
        {
            string alias = "a" + i;
            FuzzRelation t;
            string source;
            string left = i > 0 && _f.LeftJoins && Chance(40) ? "LEFT " : "";
            // RIGHT and FULL joins take the place of a LEFT JOIN (the same guards apply to their ON clauses).
            if (left.Length == 0 && i > 0 && _f.RightJoins && _joinKinds.Next(100) < 20) left = _joinKinds.Next(2) == 0 ? "RIGHT " : "FULL ";
            if (_f.FromSubqueries && Chance(10))
            {
                FuzzRelation inner = Pick(Schema.Tables);
                var innerScope = new Scope(inner.Columns.Select(c => ("", c)).ToList(), null, null);
                t = new FuzzRelation(alias, true);
                var items = new List<string>();
                int m = 1 + _rng.Next(2);
                for (int k = 0; k < m; k++)
                {
                    string item = Expr(innerScope, 2, false);
                    items.Add($"{item} AS c{k}");
                    t.Columns.Add(new FuzzColumn("c" + k, "", null, false, false) { LikeRange = ReadsLikeRange(innerScope, item) });
                }
                string w = !Chance(50) ? "" : " WHERE " + (left.Length > 0 ? Guarded(() => Predicate(innerScope, 1, false)) : Predicate(innerScope, 1, false));
                source = $"(SELECT {string.Join(", ", items)} FROM {inner.Name}{w})";
            }
            else
            {
                t = Pick(all);
                source = t.Name;
                // SQLite 3.50.4 reads an indexed expression of a RIGHT JOIN's right table from the
                // index in its unmatched-row pass, where the index is not on the row (see
                // FuzzExplainedDifferencesTests): such a table joins on the left instead.
                if (left is "RIGHT " or "FULL " && t.IndexesExpressions) left = "LEFT ";
            }
            var own = t.Columns.Select(c => (alias, c)).ToList();
            if (i == 0)
            {
                sb.Append(source).Append(" AS ").Append(alias);
            }
            else
            {
                var common = joined.SelectMany(j => j.Columns.Select(c => c.Name)).Intersect(t.Columns.Select(c => c.Name)).ToList();
                int k = _rng.Next(10);
                if (k == 0)
                    sb.Append(" CROSS JOIN ").Append(source).Append(" AS ").Append(alias);
                else if (k == 1 && _f.NaturalJoins && n == 2)
                    sb.Append(" NATURAL ").Append(left).Append("JOIN ").Append(source).Append(" AS ").Append(alias);
                else if (k == 2 && _f.UsingJoins && common.Count > 0 && n == 2)
                    sb.Append(' ').Append(left).Append("JOIN ").Append(source).Append(" AS ").Append(alias).Append(" USING (").Append(Pick(common)).Append(')');
                else
                {
                    var scope = new Scope(cols.Concat(own).ToList(), null, null);
                    string on = Chance(70)
                        ? $"({alias}.{Pick(t.Columns).Name} {Pick(new[] { "=", "=", "<", "IS" })} {ColumnRef(new Scope(cols, null, null))})"
                        : left.Length > 0 ? Guarded(() => Predicate(scope, 1, false)) : Predicate(scope, 1, false);
                    sb.Append(' ').Append(left).Append("JOIN ").Append(source).Append(" AS ").Append(alias).Append(" ON ").Append(on);
                }
            }
            cols.AddRange(own);
            joined.Add(t);
        }
        return (sb.ToString(), new Scope(cols, null, null));
    }

    private string Aggregate(Scope s)
    {
        string arg = Expr(s, 1, false);
        string distinct = _f.DistinctAggregates && Chance(15) ? "DISTINCT " : "";
        string filter = _f.AggregateFilter && Chance(15) ? $" FILTER (WHERE {Predicate(s, 1, false)})" : "";
        int k = _rng.Next(_f.AggregateOrderBy ? 9 : 8);
        string sumArg = _f.SumOfText ? arg : $"(CAST({arg} AS NUMERIC))";
        // sum() fails with "integer overflow" when an integer addition overflows before any real
        // arrives, so its answer depends on the order it reads the rows in: that order is fixed.
        string sumOrder = _f.SumOfText && _f.AggregateOrderBy ? $" ORDER BY {sumArg}, typeof({sumArg})" : "";
        return k switch
        {
            0 => "count(*)" + filter,
            1 => $"count({distinct}{arg}){filter}",
            2 => _f.SumOfText ? $"sum({distinct}{sumArg}{sumOrder}){filter}" : $"total({distinct}{sumArg}){filter}",
            3 => $"total({distinct}{sumArg}){filter}",
            4 => $"avg({distinct}{sumArg}){filter}",
            5 => $"min({arg}){filter}",
            6 => $"max({arg}){filter}",
            7 => $"octet_length(group_concat({distinct}{arg}){filter})", // octet_length: the concatenation order is the scan's, and length() stops at a NUL
            // Rows that tie on the argument keep the order the plan gives them (1 and 1.0, 'a' and
            // 'A' under NOCASE): typeof() and a binary comparison break every tie that shows.
            _ => $"{Pick(new[] { "group_concat", "string_agg" })}({arg}, ',' ORDER BY {arg}, typeof({arg}), ({arg} COLLATE BINARY)){filter}",
        };
    }

    private string Window(Scope s)
    {
        string part = Chance(60) ? "PARTITION BY " + ColumnRef(s) : "";
        string order = Chance(70) ? " ORDER BY " + ColumnRef(s) + (Chance(30) ? " DESC" : "") : "";
        string[] fns = ["rank()", "dense_rank()", "percent_rank()", "cume_dist()", "count(*)", $"count({ColumnRef(s)})", $"max({ColumnRef(s)})", $"min({ColumnRef(s)})"];
        return $"{Pick(fns)} OVER ({part}{order})";
    }

    /// <summary>A random SELECT (possibly a compound or with a CTE) and whether its order is fully fixed.</summary>
    public FuzzQuery Query()
    {
        if (_f.Compounds && Chance(12))
        {
            int cols = 1 + _rng.Next(2);
            string a = SimpleSelect(cols, out _, compoundPart: true);
            string b = SimpleSelect(cols, out _, compoundPart: true);
            string op = Pick(new[] { "UNION", "UNION ALL", "INTERSECT", "EXCEPT" });
            if (_f.Limit && _f.OrderBy && Chance(30))
                // By number without COLLATE: SQLite 3.50.4 rejects "ORDER BY 1 COLLATE BINARY" on some
                // compounds whose later SELECT has a GROUP BY ("no such column"). The rows of
                // UNION/INTERSECT/EXCEPT are distinct under these collations, so the order is total.
                return new FuzzQuery($"{a} {op} {b} ORDER BY {string.Join(", ", Enumerable.Range(1, cols))} LIMIT {_rng.Next(0, 4)}", true);
            return new FuzzQuery($"{a} {op} {b}", false);
        }
        if (_f.Ctes && Chance(8))
        {
            if (_f.RecursiveCtes && Chance(50))
            {
                FuzzRelation t = Pick(Schema.Tables);
                string c = Pick(t.Columns).Name;
                return new FuzzQuery($"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {_rng.Next(1, 6)}) SELECT n, (SELECT count(*) FROM {t.Name} WHERE {c} < n) FROM r", false);
            }
            string inner = SimpleSelect(1, out _);
            return new FuzzQuery($"WITH w(x) AS ({inner}) SELECT x, count(*) FROM w GROUP BY x", false);
        }
        string sql = SimpleSelect(1 + _rng.Next(3), out bool ordered);
        return new FuzzQuery(sql, ordered);
    }

    private static string OrderAll(int cols) => string.Join(", ", Enumerable.Range(1, cols).Select(i => $"{i} COLLATE BINARY"));

    private string SimpleSelect(int cols, out bool ordered, bool compoundPart = false)
    {
        ordered = false;
        (string from, Scope scope) = FromClause();
        var items = new List<string>();
        string where = Chance(70) ? " WHERE " + Predicate(scope, 2, true) : "";
        if (_f.Aggregates && Chance(25))
        {
            bool grouped = _f.GroupBy && Chance(60);
            var keys = new List<string>();
            if (grouped)
            {
                keys.Add(ColumnRef(scope));
                items.Add(keys[0]);
            }
            while (items.Count < cols) items.Add(Aggregate(scope));
            string group = grouped ? " GROUP BY " + string.Join(", ", keys) : "";
            string having = grouped && _f.Having && Chance(35) ? $" HAVING ({Aggregate(scope)} > {Literal()})" : "";
            return $"SELECT {string.Join(", ", items)} FROM {from}{where}{group}{having}";
        }
        // A window function beside a subquery in a join fails in Tern ("cursor has no current
        // entry", reported); until that is fixed a select with a window has no subqueries.
        bool windowed = _f.WindowFunctions && Chance(10);
        for (int i = 0; i < cols; i++)
            items.Add(windowed && (i == 0 || Chance(30)) ? Window(scope) : Expr(scope, 2, !windowed));
        string distinct = _f.Distinct && Chance(15) ? "DISTINCT " : "";
        string tail = "";
        if (compoundPart)
        {
        }
        else if (_f.OrderBy && _f.Limit && Chance(15))
        {
            tail = $" ORDER BY {OrderAll(cols)} LIMIT {_rng.Next(0, 5)}{(Chance(30) ? " OFFSET " + _rng.Next(0, 3) : "")}";
            ordered = true;
        }
        else if (_f.OrderBy && Chance(15))
        {
            string nulls = _f.NullsFirstLast && Chance(30) ? Pick(new[] { " NULLS FIRST", " NULLS LAST" }) : "";
            tail = $" ORDER BY {ColumnRef(scope)}{(Chance(30) ? " DESC" : "")}{nulls}";
        }
        return $"SELECT {distinct}{string.Join(", ", items)} FROM {from}{where}{tail}";
    }

    /// <summary>A query and a predicate for ternary-logic partitioning: "SELECT list FROM from" and p.</summary>
    public (string Select, string From, string Predicate, string? Aggregate) TlpParts()
    {
        (string from, Scope scope) = FromClause();
        string list = string.Join(", ", Enumerable.Range(0, 1 + _rng.Next(2)).Select(_ => Expr(scope, 1, false)));
        string? agg = Chance(30) ? Pick(new[] { "count", "min", "max" }) + "(" + Expr(scope, 1, false) + ")" : null;
        return (list, from, Predicate(scope, 3, true), agg);
    }

    /// <summary>
    /// A grouped query and a HAVING predicate for ternary-logic partitioning (TLP-HAVING):
    /// "SELECT key, aggregate FROM from [WHERE w] GROUP BY key" and p, where p compares
    /// aggregates with constants and the key, or tests the key alone.
    /// </summary>
    public (string Grouped, string Having) TlpHavingParts()
    {
        (string from, Scope scope) = FromClause();
        string key = ColumnRef(scope);
        string where = Chance(40) ? " WHERE " + Predicate(scope, 2, false) : "";
        var keyScope = new Scope(scope.Columns.Where(c => (c.Qualifier.Length == 0 ? c.Column.Name : c.Qualifier + "." + c.Column.Name) == key).ToList(), null, null);
        string HavingTerm() => Chance(60)
            ? $"({Aggregate(scope)} {Pick(new[] { "=", "<", ">", "<>", "IS", "IS NOT" })} {(Chance(70) ? Literal() : key)})"
            : Predicate(keyScope, 2, false);
        string p = _rng.Next(4) switch
        {
            0 => $"({HavingTerm()} {Pick(new[] { "AND", "OR" })} {HavingTerm()})",
            1 => $"(NOT {HavingTerm()})",
            _ => HavingTerm(),
        };
        return ($"SELECT {key}, {Aggregate(scope)} FROM {from}{where} GROUP BY {key}", p);
    }

    /// <summary>A FROM clause and a predicate for NoREC.</summary>
    public (string From, string Predicate) NoRecParts()
    {
        (string from, Scope scope) = FromClause();
        return (from, Predicate(scope, 3, true));
    }

    // ------------------------------------------------------------------ DML

    /// <summary>A random INSERT/REPLACE/upsert/UPDATE/DELETE on one of the tables.</summary>
    public string Dml()
    {
        FuzzRelation t = Pick(Schema.Tables);
        var scope = new Scope(t.Columns.Where(c => !c.Generated).Select(c => ("", c)).ToList(), null, null);
        List<FuzzColumn> cols = t.Writable.ToList();
        string conflict = _f.ConflictClauses && Chance(40) ? "OR " + Pick(new[] { "IGNORE", "REPLACE", "ABORT", "FAIL", "ROLLBACK" }) + " " : "";
        switch (_rng.Next(6))
        {
            case 0 or 1:
                {
                    List<FuzzColumn> named = cols.Where(_ => Chance(80)).ToList();
                    if (named.Count == 0) named.Add(cols[0]);
                    int rows = 1 + _rng.Next(3);
                    string values = string.Join(", ", Enumerable.Range(0, rows).Select(_ => "(" + string.Join(", ", named.Select(RowValue)) + ")"));
                    string head = Chance(15) ? "REPLACE" : "INSERT " + conflict;
                    string upsert = "";
                    // With several UNIQUE constraints the one a conflict is found on decides the DO UPDATE:
                    // that needs SQLite's index order (see FuzzFeatures.UniqueConstraintNames).
                    bool upsertOk = (_f.UniqueConstraintNames || t.UniqueConstraints <= 1) && (_f.UpdateTriggersOnUpsert || !t.HasUpdateTrigger);
                    if (_f.Upsert && upsertOk && head.StartsWith("INSERT", StringComparison.Ordinal) && conflict.Length == 0 && Chance(35))
                    {
                        FuzzColumn target = Pick(named);
                        upsert = Chance(40) ? " ON CONFLICT DO NOTHING"
                            : $" ON CONFLICT DO UPDATE SET {target.Name} = {Pick(new[] { "excluded." + target.Name, Literal(), target.Name + " || 'u'" })}";
                    }
                    return $"{head.TrimEnd()} INTO {t.Name}({string.Join(", ", named.Select(c => c.Name))}) VALUES {values}{upsert}";
                }
            case 2 or 3:
                {
                    FuzzColumn c = Pick(cols);
                    string value = Chance(50) ? StoredLiteral(c.Type, Literal()) : Expr(scope, 2, false);
                    string where = Chance(75) ? " WHERE " + Predicate(scope, 2, false) : "";
                    // When several rows get one value of a unique key, the row that keeps it (OR
                    // IGNORE, REPLACE) or the rows changed before the failure (OR FAIL) are the
                    // first in the plan's order; such an UPDATE keeps the statement's default (ABORT).
                    if (t.UniqueKeyColumns.Contains(c.Name) && conflict is "OR IGNORE " or "OR REPLACE " or "OR FAIL ") conflict = "";
                    return $"UPDATE {conflict}{t.Name} SET {c.Name} = {value}{where}";
                }
            case 4:
                {
                    string where = Chance(85) ? " WHERE " + Predicate(scope, 2, false) : "";
                    return $"DELETE FROM {t.Name}{where}";
                }
            default:
                {
                    FuzzRelation src = Pick(Schema.Tables);
                    List<FuzzColumn> named = cols.Take(Math.Min(cols.Count, src.Columns.Count)).ToList();
                    var srcScope = new Scope(src.Columns.Select(c => ("", c)).ToList(), null, null);
                    string items = string.Join(", ", named.Select(_ => Expr(srcScope, 1, false)));
                    // The rows go in (and get rowids, fire triggers, meet conflicts) in the order the
                    // SELECT gives them, which without ORDER BY is the plan's.
                    return $"INSERT {conflict}INTO {t.Name}({string.Join(", ", named.Select(c => c.Name))}) SELECT {items} FROM {src.Name} WHERE {Predicate(srcScope, 1, false)} ORDER BY rowid";
                }
        }
    }
}
