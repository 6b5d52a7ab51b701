// The order in which name-resolution errors are reported, compared with SQLite 3.50.4. A
// seeded generator builds SELECTs (simple and compound, with joins, FROM subqueries, GROUP
// BY, HAVING and ORDER BY) and plants errors of several kinds - unknown columns and
// functions, wrong argument counts (GLOB with ESCAPE), FILTER on a plain function,
// aggregates where they may not stand, HAVING without aggregation - in several clauses at
// once, so the transcript pins which one SQLite reports first. A second generator nests
// subqueries in every clause, reads views (one of them broken), CTEs and FROM subqueries,
// and plants missing tables among them, pinning SQLite's expansion order: every FROM item
// of the whole statement is expanded before any name is resolved. TERN_RESOLVE_ORDER_CASES
// sets how many statements each generator runs (400 by default).
using System.Text;

namespace Tern.Tests.Engine;

public class ResolveOrderDifferentialTests
{
    private const string Schema = "CREATE TABLE t0(c0, c1 REAL, c2 TEXT); CREATE TABLE t1(c1, c2); "
        + "INSERT INTO t0 VALUES (1, 2.5, 'a'), (NULL, 0, 'B'); INSERT INTO t1 VALUES (1, 'x'); ";

    /// <summary>Expressions that resolve; some hold aggregates (marked by the flag).</summary>
    private static readonly (string Sql, bool Aggregate)[] Good =
    [
        ("a0.c0", false), ("1", false), ("NULL", false), ("c2 || 'x'", false), ("abs(-2)", false), ("'a' GLOB 'a*'", false),
        ("count(*)", true), ("max(a0.c0)", true), ("group_concat(2.25)", true), ("TRUE", false), ("a0.c1 IS NOT FALSE", false),
    ];

    /// <summary>Expressions that fail to resolve wherever they stand.</summary>
    private static readonly string[] Bad =
    [
        "a0.zz", "zz", "nosuch(1)", "abs(1, 2)", "('x' GLOB '?' ESCAPE '\\')", "octet_length(group_concat(1)) FILTER (WHERE NULL)",
        "abs(1) FILTER (WHERE 1)", "coalesce(1)", "count(zz)", "abs(1,2) + yy", "\"qq\"", "x9.c0", "likelihood(1, 5)",
    ];

    [Fact]
    public void Select_reports_the_error_sqlite_resolves_first()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("TERN_RESOLVE_ORDER_CASES"), out int n) ? n : 400;
        var random = new Random(20261207);
        var mismatches = new List<string>();
        for (int i = 0; i < cases; i++)
        {
            string sql = Statement(random);
            string expected = string.Join("\n", Differential.RunSqlite(Schema + sql));
            string actual = string.Join("\n", Differential.RunTern(Schema + sql));
            if (expected != actual) mismatches.Add($"{sql}\n  sqlite: {expected}\n  tern:   {actual}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases} differ:\n" + string.Join("\n", mismatches.Take(15)));
    }

    [Theory]
    [InlineData("CREATE TABLE t2(c2); SELECT octet_length(group_concat(2.25)) FILTER (WHERE NULL) FROM t2 AS a0 WHERE a0.c0")]
    [InlineData("CREATE TABLE t0(c0 BLOB, c1 REAL); SELECT octet_length(group_concat(1)) FILTER (WHERE NULL) FROM t0 WHERE max('{\"a\":1}')")]
    [InlineData("CREATE TABLE t2(c0); SELECT octet_length(group_concat(a0.c0)) FILTER (WHERE NULL) FROM (SELECT c1 AS c0) AS a0 GROUP BY a0.c0 HAVING NULL INTERSECT SELECT NULL, ('x' GLOB '?' ESCAPE '\\') FROM t2 AS a0 WHERE NULL")]
    [InlineData("CREATE TABLE t0(c1, c2); SELECT octet_length(group_concat(1)) FILTER (WHERE NULL), count(*) FILTER (WHERE (a1.c1 GLOB 'a*' ESCAPE '\\')) FROM t0 AS a0 LEFT JOIN t0 AS a1 USING (c1)")]
    [InlineData("CREATE TABLE t(a); SELECT a FROM t HAVING count(*) > 0; SELECT a FROM t ORDER BY count(*); SELECT count(*) FROM t WHERE max(a); SELECT a FROM t WHERE max(a)")]
    [InlineData("CREATE TABLE t(a); SELECT zz FROM t HAVING 1; SELECT 1 FROM t WHERE zz HAVING 1; SELECT a FROM t GROUP BY count(*); SELECT a FROM t GROUP BY zz ORDER BY yy")]
    [InlineData("CREATE TABLE t(a); SELECT 1 UNION SELECT zz UNION SELECT abs(); SELECT zz UNION ALL SELECT abs(); SELECT zz UNION SELECT 1 ORDER BY yy")]
    public void Select_error_order_matches_sqlite_for_found_cases(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("INSERT INTO t VALUES (zz); INSERT INTO t VALUES (1, 2, zz); INSERT INTO t(a) VALUES (zz, 2); INSERT INTO t(a) SELECT 1, zz; INSERT INTO t SELECT 1 FROM nosuch")]
    [InlineData("INSERT INTO t VALUES (1), (1, 2); INSERT INTO t VALUES (1, 2), (1); INSERT INTO t VALUES (1, 2), (zz); INSERT INTO t VALUES (1), (zz, 2)")]
    [InlineData("INSERT INTO t VALUES (yy), (zz, 2); INSERT INTO t VALUES (yy, 1), (zz, 2); INSERT INTO t VALUES (1, 2), (1, yy), (1, 2, 3), (1, zz)")]
    [InlineData("INSERT INTO t VALUES (CAST(1 AS INT)), (2, 3), (zz); INSERT INTO t VALUES (abs(1), 1), (abs(2), 3), (zz, 1), (1); INSERT INTO t VALUES (1, 2), (abs(1)), (zz)")]
    [InlineData("INSERT INTO t VALUES (random()), (1, 2), (zz); INSERT INTO t VALUES (1), (abs(1,2), 3), (zz); INSERT INTO t VALUES (1, 2), (3, 4), (zz, 1), (5)")]
    [InlineData("INSERT INTO t VALUES (1, 2) ON CONFLICT(zz) DO NOTHING; INSERT INTO t VALUES (1) ON CONFLICT(zz) DO NOTHING; INSERT INTO t VALUES (1, 2, 3) ON CONFLICT(zz) DO NOTHING")]
    [InlineData("INSERT INTO t(a, b) VALUES (1); INSERT INTO t(a, b) VALUES (zz); INSERT INTO t VALUES (1) RETURNING zz; INSERT INTO t VALUES (1, 2), (3, 4); SELECT * FROM t")]
    public void Insert_reports_arity_and_name_errors_in_sqlite_order(string statements) =>
        Differential.AssertSame("CREATE TABLE t(a, b, c AS (a)); " + statements);

    [Theory]
    [InlineData("SELECT a FROM t UNION SELECT b FROM t ORDER BY b; SELECT a FROM t UNION SELECT b AS x FROM t ORDER BY x; SELECT a AS x FROM t UNION SELECT b AS y FROM t ORDER BY y")]
    [InlineData("SELECT a FROM t UNION SELECT b FROM t UNION SELECT c FROM t ORDER BY c; SELECT a, b FROM t UNION SELECT b, a FROM t ORDER BY b; SELECT a FROM t UNION SELECT b FROM t ORDER BY t.b")]
    [InlineData("SELECT a FROM t UNION SELECT b FROM t ORDER BY zz; SELECT a FROM t UNION SELECT b FROM t ORDER BY a+1; SELECT a FROM t UNION SELECT b FROM t ORDER BY 2; SELECT a FROM t UNION SELECT b FROM t ORDER BY 1, zz")]
    [InlineData("SELECT a AS b FROM t UNION SELECT b AS a FROM t ORDER BY a; SELECT a FROM t UNION ALL SELECT b FROM t ORDER BY b COLLATE nocase; SELECT a+1 FROM t UNION SELECT b FROM t ORDER BY b")]
    [InlineData("SELECT a FROM t UNION SELECT b FROM t ORDER BY b DESC, a; SELECT a FROM t UNION SELECT b FROM t ORDER BY zz, 5; SELECT a FROM t AS x UNION SELECT b FROM t AS y ORDER BY y.b; SELECT a FROM t AS x UNION SELECT b FROM t AS y ORDER BY x.b")]
    [InlineData("SELECT a FROM t UNION SELECT b+1 FROM t ORDER BY b+1; SELECT a FROM t EXCEPT SELECT c FROM t ORDER BY c DESC; SELECT a, b FROM t INTERSECT SELECT a, c FROM t ORDER BY c, b; VALUES (1) UNION SELECT a AS q FROM t ORDER BY q")]
    public void Compound_order_by_names_resolve_against_every_select_as_in_sqlite(string statements) =>
        Differential.AssertSame("CREATE TABLE t(a, b, c); INSERT INTO t VALUES (1, 2, 3), (4, 0, 1), (4, 5, 2); " + statements);

    [Fact]
    public void Compound_reports_the_right_most_from_clause_that_fails_to_expand() =>
        Differential.AssertSame("""
            CREATE TABLE t0(c1); CREATE VIEW v0 AS SELECT NULL AS c2 FROM t0 WHERE (NULL GLOB '[a-c]*' ESCAPE '\');
            SELECT NULL FROM t1 AS a0 WHERE NULL UNION SELECT NULL FROM v0 AS a0;
            SELECT 1 FROM '' AS a0 INTERSECT SELECT 2 FROM v0 AS a0;
            SELECT 1 FROM nosuch UNION SELECT zz FROM t0;
            SELECT 1 FROM t0 UNION SELECT 1 FROM nosuch2 UNION SELECT 1 FROM nosuch3;
            SELECT 1 FROM nosuch UNION SELECT abs() FROM t0
            """);

    [Fact]
    public void Missing_table_is_named_with_its_schema_as_sqlite_names_it() =>
        Differential.AssertSame("""
            CREATE VIEW v0 AS SELECT c0 FROM t1; SELECT * FROM v0;
            CREATE TEMP VIEW v2 AS SELECT * FROM t9; SELECT * FROM v2;
            SELECT * FROM main.t5;
            CREATE VIEW v3 AS SELECT (SELECT 1 FROM t7) FROM (SELECT 1 FROM t8); SELECT * FROM v3;
            CREATE TABLE t(a); CREATE VIEW v4 AS SELECT * FROM t WHERE a IN (SELECT 1 FROM t6); SELECT * FROM v4;
            CREATE TEMP VIEW v5 AS SELECT * FROM v0; SELECT * FROM v5
            """);

    [Theory]
    [InlineData("CREATE TABLE t0(c0); SELECT log2((SELECT max(s16.c0) FROM v0 AS s16)) FROM t0 AS a0 WHERE (SELECT s15.c2 FROM t1 AS s15 WHERE NULL) ORDER BY 1 COLLATE BINARY LIMIT 1 OFFSET 0")]
    [InlineData("CREATE TABLE t0(c1); SELECT (ifnull((SELECT s3.c2 FROM t1 AS s3 WHERE NULL))) FROM t0 AS a0 WHERE (SELECT 'abc ' FROM v0 AS s2 WHERE NULL)")]
    [InlineData("CREATE TABLE t1(c1); CREATE VIEW v0 AS SELECT NULL AS c2 FROM t1 WHERE (NULL GLOB '[a-c]*' ESCAPE '\\'); SELECT (SELECT s11.c0 FROM v1 AS s11 WHERE NULL) FROM (SELECT json_valid(iif(NULL, NULL)) AS c0 FROM t1 WHERE NULL) AS a0 WHERE (SELECT s10.c1 FROM v0 AS s10 WHERE NULL)")]
    [InlineData("CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c1 DOUBLE); SELECT '1e3' FROM (SELECT (c0 GLOB c1 ESCAPE '\\') AS c0, NULL AS c1 FROM t2 WHERE NULL) AS a0 JOIN v0 AS a1 ON NULL WHERE NULL")]
    [InlineData("CREATE TABLE t1(c2); WITH w(x) AS (SELECT (SELECT count(upper(s0.c0)) FROM t2 AS s0 WHERE NULL) FROM t1 AS a0 LEFT JOIN t1 AS a1 ON NULL WHERE (a1.c1 GLOB a0.c1 ESCAPE '\\')) SELECT x, count(*) FROM w GROUP BY x")]
    public void Missing_table_is_reported_where_sqlite_expansion_meets_it_for_found_cases(string script) => Differential.AssertSame(script);

    [Fact]
    public void Expansion_walks_clauses_views_and_ctes_in_sqlite_order() =>
        Differential.AssertSame("""
            CREATE TABLE t1(c1); CREATE VIEW vb AS SELECT NULL AS c2 FROM t1 WHERE (NULL GLOB '[a-c]*' ESCAPE '\');
            SELECT (SELECT 1 FROM vb), (SELECT 1 FROM n1);
            SELECT (SELECT 1 FROM n1) FROM (SELECT 1 FROM vb);
            SELECT 1 FROM t1 HAVING (SELECT 1 FROM n2) ORDER BY (SELECT 1 FROM n3);
            SELECT 1 FROM t1 ORDER BY (SELECT 1 FROM n3) LIMIT (SELECT 1 FROM n4) OFFSET (SELECT 1 FROM n5);
            SELECT 1 FROM t1 a JOIN t1 b ON (SELECT 1 FROM n1) JOIN t1 c ON (SELECT 1 FROM n3) WHERE (SELECT 1 FROM n2);
            SELECT 1 FROM t1 a JOIN (t1 b JOIN t1 c ON (SELECT 1 FROM n18)) ON (SELECT 1 FROM n19) WHERE (SELECT 1 FROM n20);
            SELECT x.*, (SELECT 1 FROM n6) FROM t1;
            SELECT x.*, y.* FROM t1 WHERE (SELECT 1 FROM t1 JOIN t1 b USING (zz));
            SELECT x.* FROM t1 UNION SELECT y.* FROM t1;
            SELECT 1 FROM t1 JOIN t1 b USING (zz) WHERE (SELECT 1 FROM n7);
            SELECT count(*) OVER w FROM t1 WINDOW w AS (ORDER BY (SELECT 1 FROM n8)) ORDER BY (SELECT 1 FROM n9);
            SELECT count(*) FILTER (WHERE (SELECT 1 FROM n12)) OVER (PARTITION BY (SELECT 1 FROM n10) ORDER BY (SELECT 1 FROM n13)) FROM t1;
            SELECT group_concat((SELECT 1 FROM n1) ORDER BY (SELECT 1 FROM n2));
            SELECT (SELECT 1 FROM n1) GLOB (SELECT 1 FROM n2) ESCAPE (SELECT 1 FROM n3);
            SELECT (SELECT 1 FROM n0) IN n1;
            SELECT (SELECT 1 FROM n1) UNION SELECT (SELECT 1 FROM n4) FROM t1 ORDER BY (SELECT 1 FROM n3);
            SELECT (SELECT 1 FROM n2) FROM t1 INDEXED BY nosuchidx;
            SELECT 1 FROM t1 INDEXED BY nosuchidx;
            WITH a AS (SELECT * FROM n9) SELECT 1;
            WITH a(x, y) AS (SELECT 1) SELECT (SELECT 1 FROM n1), * FROM a;
            WITH a AS (SELECT 1) SELECT (SELECT 1 FROM n1) FROM a, (SELECT 1 FROM n2);
            WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a, n1 WHERE x < 3 UNION ALL SELECT 1 FROM n2) SELECT * FROM a;
            WITH RECURSIVE a(x) AS (SELECT 1 FROM n4 UNION ALL SELECT 1 FROM n5 UNION ALL SELECT x + 1 FROM a WHERE (SELECT 1 FROM n6)) SELECT * FROM a;
            VALUES ((SELECT 1 FROM n1)), ((SELECT 1 FROM n2))
            """);

    [Fact]
    public void Statements_prepare_their_subqueries_in_sqlite_order() =>
        Differential.AssertSame("""
            CREATE TABLE t(a, b); CREATE TABLE t1(c1); CREATE VIEW vb AS SELECT NULL AS c2 FROM t1 WHERE (NULL GLOB '[a-c]*' ESCAPE '\');
            UPDATE t SET a = (SELECT 1 FROM n1) WHERE (SELECT 1 FROM n2);
            UPDATE t SET a = zz WHERE (SELECT 1 FROM n2);
            UPDATE t SET a = (SELECT 1 FROM vb) WHERE (SELECT 1 FROM n2);
            UPDATE t SET a = (SELECT 1 FROM n1), zz = 1;
            DELETE FROM t WHERE (SELECT (SELECT 1 FROM n4) FROM t WHERE (SELECT 1 FROM n5));
            INSERT INTO t SELECT (SELECT 1 FROM n1), 2 FROM t WHERE (SELECT 1 FROM n2);
            INSERT INTO t SELECT (SELECT 1 FROM vb), 2 FROM t WHERE (SELECT 1 FROM n2);
            INSERT INTO t VALUES ((SELECT 1 FROM n1), 1), ((SELECT 1 FROM n2), 2);
            INSERT INTO t VALUES ((SELECT 1 FROM n1), 1), (zz, 2);
            CREATE TRIGGER tr AFTER INSERT ON t WHEN (SELECT 1 FROM n3) BEGIN SELECT (SELECT 1 FROM n1) FROM t WHERE (SELECT 1 FROM n2); END;
            INSERT INTO t VALUES (1, 2);
            DROP TRIGGER tr;
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = (SELECT 1 FROM n1) WHERE (SELECT 1 FROM n2); END;
            INSERT INTO t VALUES (1, 2);
            DROP TRIGGER tr;
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO nosuch VALUES (1); END;
            INSERT INTO t VALUES (1, 2);
            DROP TRIGGER tr;
            CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM nosuch; END;
            INSERT INTO t VALUES (1, 2)
            """);

    [Fact]
    public void Cte_body_sees_every_name_of_its_with_clause_as_in_sqlite() =>
        Differential.AssertSame("""
            CREATE TABLE t0(c0); INSERT INTO t0 VALUES (7);
            WITH a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a WHERE x < 3) SELECT * FROM a;
            WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a;
            WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM a;
            WITH t0 AS (SELECT * FROM t0) SELECT * FROM t0;
            WITH RECURSIVE t0 AS (SELECT 5 FROM t0) SELECT * FROM t0;
            WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a WHERE x < 3 UNION ALL SELECT 5) SELECT * FROM a;
            WITH a AS (SELECT 1) SELECT (WITH a AS (SELECT * FROM a) SELECT * FROM a);
            WITH a AS (SELECT 1 AS q) SELECT (WITH b AS (SELECT * FROM a), a AS (SELECT 2) SELECT * FROM b);
            WITH a AS (SELECT c0 FROM t0), b AS (SELECT * FROM a) SELECT * FROM b, a
            """);

    [Theory]
    [InlineData("SELECT abs(1, 2) + yy FROM (SELECT c0 FROM t0) AS a9 GROUP BY x9.c0 HAVING abs(1, 2) LIMIT c2 || 'x'")]
    [InlineData("SELECT coalesce(1) FROM t0 AS a9 GROUP BY a0.c0 LIMIT octet_length(group_concat(1)) FILTER (WHERE NULL)")]
    [InlineData("SELECT 1 FROM t0 LIMIT count(zz); SELECT zz FROM t0 LIMIT 1 OFFSET yy; SELECT zz FROM t0 LIMIT (SELECT ww)")]
    [InlineData("SELECT (SELECT a0.c0 FROM t0 AS a9 GROUP BY TRUE) FROM t1 AS a9 WHERE a0.c1 IS NOT FALSE")]
    [InlineData("SELECT (SELECT abs(1) FILTER (WHERE 1) FROM t0) FROM t0 HAVING count(zz); SELECT zz IN (SELECT yy FROM t0) FROM t0; SELECT 1 FROM t0 WHERE EXISTS (SELECT ww) AND vv")]
    public void Limit_and_subqueries_resolve_in_sqlite_order(string statements) => Differential.AssertSame(Schema + statements);

    /// <summary>Subqueries and FROM items for the expansion generator; "n" names are missing tables.</summary>
    private static readonly string[] ExpansionSources =
    [
        "t0 AS a9", "t1 AS a9", "n1 AS a9", "n2 AS a9", "vg AS a9", "vb AS a9", "vn AS a9", "(SELECT c0 FROM t0) AS a9",
        "(SELECT c0 FROM n3) AS a9", "(SELECT 1 AS c0 FROM vb) AS a9", "w0 AS a9", "w1 AS a9", "t0 AS a9 JOIN n4 AS a8 ON 1",
    ];

    [Fact]
    public void Select_meets_missing_tables_and_broken_views_in_sqlite_expansion_order()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("TERN_RESOLVE_ORDER_CASES"), out int n) ? n : 400;
        const string schema = Schema
            + "CREATE VIEW vg AS SELECT c0, c1 FROM t0; CREATE VIEW vb AS SELECT NULL AS c2 FROM t1 WHERE (NULL GLOB '[a-c]*' ESCAPE '\\'); "
            + "CREATE VIEW vn AS SELECT c0 FROM t0 WHERE (SELECT 1 FROM n5); ";
        var random = new Random(20261208);
        var mismatches = new List<string>();
        for (int i = 0; i < cases; i++)
        {
            string sql = ExpansionStatement(random, 0);
            if (random.Next(4) == 0) sql = "WITH w0 AS (" + ExpansionCore(random, 1) + "), w1(c0) AS (SELECT c0 FROM n6) " + sql;
            string expected = string.Join("\n", Differential.RunSqlite(schema + sql));
            string actual = string.Join("\n", Differential.RunTern(schema + sql));
            if (expected != actual) mismatches.Add($"{sql}\n  sqlite: {expected}\n  tern:   {actual}");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases} differ:\n" + string.Join("\n", mismatches.Take(15)));
    }

    /// <summary>A scalar for the expansion generator: plain, a name error, or a subquery.</summary>
    private static string ExpansionExpr(Random r, int depth)
    {
        int k = r.Next(10);
        if (k < 4 || depth > 2) return r.Next(5) == 0 ? Pick(r, Bad) : Expr(r, false, 0);
        if (k < 8) return "(" + ExpansionCore(r, depth + 1) + ")";
        return k == 8 ? $"(SELECT 1 FROM {Pick(r, ExpansionSources)}) IN (SELECT 1 FROM {Pick(r, ExpansionSources)})" : "EXISTS (" + ExpansionCore(r, depth + 1) + ")";
    }

    private static string ExpansionCore(Random r, int depth)
    {
        var sb = new StringBuilder("SELECT ");
        sb.Append(ExpansionExpr(r, depth));
        if (r.Next(3) == 0) sb.Append(", ").Append(ExpansionExpr(r, depth));
        sb.Append(" FROM ").Append(Pick(r, ExpansionSources));
        if (r.Next(3) == 0) sb.Append(" JOIN ").Append(Pick(r, ExpansionSources).Replace("a9", "a7").Replace("a8", "a6")).Append(" ON ").Append(ExpansionExpr(r, depth));
        if (r.Next(2) == 0) sb.Append(" WHERE ").Append(ExpansionExpr(r, depth));
        if (r.Next(5) == 0) sb.Append(" GROUP BY ").Append(ExpansionExpr(r, depth));
        if (r.Next(5) == 0) sb.Append(" HAVING ").Append(ExpansionExpr(r, depth));
        return sb.ToString();
    }

    private static string ExpansionStatement(Random r, int depth)
    {
        var sb = new StringBuilder(ExpansionCore(r, depth));
        if (r.Next(4) == 0) sb.Append(r.Next(2) == 0 ? " UNION " : " EXCEPT ").Append(ExpansionCore(r, depth));
        if (r.Next(3) == 0) sb.Append(" ORDER BY ").Append(ExpansionExpr(r, depth));
        if (r.Next(4) == 0) sb.Append(" LIMIT ").Append(ExpansionExpr(r, depth));
        return sb.ToString();
    }

    private static string Pick(Random r, string[] from) => from[r.Next(from.Length)];

    /// <summary>An expression: usually a good one, sometimes a bad one.</summary>
    private static string Expr(Random r, bool aggregatesAllowed, int badPercent)
    {
        if (r.Next(100) < badPercent) return Pick(r, Bad);
        while (true)
        {
            (string sql, bool aggregate) = Good[r.Next(Good.Length)];
            if (!aggregate || aggregatesAllowed) return sql;
        }
    }

    private static string Core(Random r, bool allowOrderBy)
    {
        var sb = new StringBuilder("SELECT ");
        int columns = 1 + r.Next(2);
        for (int i = 0; i < columns; i++) sb.Append(i > 0 ? ", " : "").Append(Expr(r, true, 20));
        sb.Append(r.Next(4) switch
        {
            0 => " FROM t0 AS a0",
            1 => $" FROM t0 AS a0 JOIN t1 AS a1 ON {Expr(r, false, 25)}",
            2 => " FROM t0 AS a0 LEFT JOIN t0 AS a1 USING (c1)",
            _ => $" FROM (SELECT {(r.Next(3) == 0 ? Pick(r, Bad) : "c0")} AS c0, c1, c2 FROM t0) AS a0",
        });
        if (r.Next(2) == 0) sb.Append(" WHERE ").Append(Expr(r, r.Next(4) == 0, 25));
        bool grouped = r.Next(3) == 0;
        if (grouped) sb.Append(" GROUP BY ").Append(Expr(r, r.Next(5) == 0, 20));
        if (r.Next(4) == 0) sb.Append(" HAVING ").Append(Expr(r, true, 20));
        if (allowOrderBy && r.Next(3) == 0) sb.Append(" ORDER BY ").Append(Expr(r, r.Next(3) == 0, 20));
        return sb.ToString();
    }

    private static string Statement(Random r)
    {
        if (r.Next(4) > 0) return Core(r, allowOrderBy: true);
        string[] ops = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"];
        var sb = new StringBuilder(Core(r, allowOrderBy: false));
        int more = 1 + r.Next(2);
        for (int i = 0; i < more; i++) sb.Append(' ').Append(Pick(r, ops)).Append(' ').Append(Core(r, allowOrderBy: false));
        if (r.Next(3) == 0) sb.Append(" ORDER BY ").Append(r.Next(2) == 0 ? "1" : Pick(r, Bad));
        return sb.ToString();
    }
}
