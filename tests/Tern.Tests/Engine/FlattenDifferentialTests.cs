// Query flattening compared with SQLite 3.50.4: a FROM subquery or view that SQLite merges
// into the outer query must behave as merged - its expressions run only for rows the outer
// query reaches (an overflow in one raises only then), its columns keep their affinity and
// collation, and on the right of a LEFT JOIN read NULL on the NULL row - while subqueries
// SQLite keeps apart are still materialized. A seeded generator of subqueries and views in
// FROM (joins, LEFT JOIN on both sides, WHERE, ORDER BY/LIMIT, collations, affinities,
// erroring expressions) compares each query's rows as a multiset.
// TERN_FLATTEN_QUERIES=N sets how many generated queries run (default 400).
using System.Text;

namespace Tern.Tests.Engine;

public class FlattenDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // an erroring expression of a flattened subquery runs only for rows the outer query reaches
        "CREATE TABLE t0(c0, c1); INSERT INTO t0 VALUES (123456789012, -9223372036854775808); "
        + "SELECT NULL FROM t0 AS a0 JOIN (SELECT c0 AS c0, abs(c1) AS c1 FROM t0) AS a1 ON NULL; "
        + "CREATE TABLE t1(c0); INSERT INTO t1 VALUES(-9223372036854775808); CREATE TABLE t2(c2); "
        + "SELECT a1.c2 FROM (SELECT abs(c0) AS c0 FROM t1) AS a0 CROSS JOIN t2 AS a1 WHERE NULL; "
        + "SELECT a0.c0 FROM (SELECT abs(c0) AS c0 FROM t1) AS a0; SELECT 1 FROM (SELECT abs(c0) AS c0 FROM t1) AS a0; "
        + "SELECT count(*) FROM (SELECT abs(c0) AS c0 FROM t1 GROUP BY c0) AS a0",
        // columns of a flattened subquery keep the subquery column's affinity and collation
        "CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT COLLATE NOCASE, z REAL, w TEXT); INSERT INTO t VALUES (1, 'a', 1, '1'), (2, 'B', 2, '02'), (3, 'c', NULL, 'x'); "
        + "SELECT a.v = 'A', a.v2 = 'A', a.v3 = 'A', a.v = 'A' COLLATE BINARY FROM (SELECT y AS v, y || '' AS v2, y COLLATE BINARY AS v3 FROM t) a ORDER BY 1, 2, 3; "
        + "SELECT a.n = '1', a.n2 = '1', a.n3 = 1 FROM (SELECT z AS n, +z AS n2, w AS n3 FROM t) a ORDER BY 1, 2, 3; "
        + "SELECT typeof(a.z), a.z FROM (SELECT z FROM t) a ORDER BY 2; "
        + "SELECT DISTINCT a.v FROM (SELECT y AS v FROM t UNION ALL SELECT upper(y) FROM t) a ORDER BY 1; "
        + "SELECT a.v FROM (SELECT y COLLATE NOCASE AS v FROM t) a WHERE a.v IN ('A', 'b') ORDER BY 1",
        // the right of a LEFT JOIN: NULL on the NULL row, ON and WHERE kept apart
        "CREATE TABLE t(x INTEGER PRIMARY KEY, y); CREATE TABLE u(p, q); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL); INSERT INTO u VALUES (1, 'A'), (5, 'b'), (3, NULL); "
        + "SELECT u.p, a.c, a.d, a.e FROM u LEFT JOIN (SELECT 5 AS c, y AS d, x || 'z' AS e, x FROM t WHERE x > 1) a ON a.x = u.p ORDER BY 1; "
        + "SELECT u.p, a.c FROM u LEFT JOIN (SELECT 'k' AS c, x FROM t) a ON a.x = u.p WHERE a.c IS NULL ORDER BY 1; "
        + "SELECT u.p, a.c FROM u LEFT JOIN (SELECT abs(-9223372036854775808) AS c, x FROM t) a ON 0 ORDER BY 1; "
        + "SELECT a.x, u.p FROM (SELECT x FROM t WHERE y IS NOT NULL) a LEFT JOIN u ON u.p = a.x ORDER BY 1; "
        + "SELECT count(a.c), count(*) FROM u LEFT JOIN (SELECT 1 AS c, x FROM t) a ON a.x = u.p",
        // views, USING, NATURAL, aggregates and ORDER BY over flattened sources
        "CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT, z REAL); CREATE TABLE u(p, q); INSERT INTO t VALUES (1, 'a', 1), (2, 'B', 2), (3, 'c', NULL); INSERT INTO u VALUES (1, 'A'), (5, 'b'), (3, NULL); "
        + "CREATE VIEW v AS SELECT x AS k, upper(y) AS uy FROM t WHERE z IS NOT NULL; "
        + "SELECT * FROM v, u WHERE v.k = u.p; SELECT count(*), max(uy), group_concat(uy) FROM v; "
        + "SELECT k FROM v NATURAL JOIN (SELECT x AS k FROM t) b ORDER BY 1; SELECT * FROM u JOIN (SELECT x AS p FROM t) USING (p) ORDER BY 1; "
        + "SELECT uy, count(*) FROM v GROUP BY uy ORDER BY 1; SELECT (SELECT b.w) FROM (SELECT y || 'q' AS w FROM t) b ORDER BY 1; "
        + "SELECT b.w FROM (SELECT y AS w, x FROM t WHERE w > 'a') b ORDER BY 1; SELECT * FROM (SELECT * FROM (SELECT x, y FROM t) WHERE x > 1) ORDER BY 1; "
        + "SELECT k FROM v ORDER BY k DESC LIMIT 1; SELECT x, rn FROM (SELECT x, row_number() OVER (ORDER BY x DESC) AS rn FROM t) ORDER BY 1",
        // a JSON value loses its mark crossing the subquery boundary; errors of unused columns still show
        "CREATE TABLE t(g TEXT, v INT); INSERT INTO t VALUES ('a', 1), ('b', 2); "
        + "SELECT json_group_object(g, j) FROM (SELECT g, json_object('v', v) AS j FROM t); SELECT json_array(j) FROM (SELECT json_array(v) AS j FROM t) ORDER BY 1; "
        + "SELECT 1 FROM (SELECT nosuch(v) AS j FROM t); SELECT 1 FROM (SELECT substr() AS j FROM t); SELECT 1 FROM (SELECT nocol AS j FROM t); "
        + "SELECT 1 FROM (SELECT v AS j FROM t WHERE nocol); SELECT j FROM (SELECT v + 1 AS j, v AS k FROM t WHERE k > 1)");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Flattened_subqueries_match_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Plan_shows_the_subquery_tables_when_flattened_and_materializes_otherwise()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y); CREATE TABLE u(p, q); CREATE VIEW v AS SELECT x AS k, y FROM t WHERE y > 0");
        Assert.Equal(["SCAN u", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"], Differential.Plan(c, "SELECT * FROM u, v WHERE v.k = u.p"));
        Assert.Equal(["SCAN t", "SCAN u"], Differential.Plan(c, "SELECT * FROM (SELECT x AS a FROM t) AS a0, u"));
        Assert.Equal(["MATERIALIZE a", "SCAN t", "SCAN a"], Differential.Plan(c, "SELECT * FROM (SELECT count(*) AS n FROM t) AS a"));
        Assert.Equal(["MATERIALIZE a", "SCAN t", "SCAN a"], Differential.Plan(c, "SELECT * FROM (SELECT x FROM t LIMIT 2) AS a"));
    }

    [Fact]
    public void Generated_subqueries_in_from_match_sqlite()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TERN_FLATTEN_QUERIES"), out int n) && n > 0 ? n : 400;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var g = new FlattenGenerator(seed);
            return (g.Setup(), g.Query);
        });
    }

    /// <summary>Random tables, views and queries with subqueries in FROM, from one seed.</summary>
    private sealed class FlattenGenerator(int seed)
    {
        private readonly Random _r = new(seed);
        private static readonly string[] Types = ["", "INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB", "TEXT COLLATE NOCASE", "TEXT COLLATE RTRIM"];
        private static readonly string[] Values =
        [
            "NULL", "0", "1", "-1", "2", "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "'1'", "'01'", "'a'", "'A'", "'a '", "'B'",
            "'abc'", "x'01'", "1e308", "'2.0'",
        ];

        private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

        public string Setup()
        {
            var sb = new StringBuilder();
            for (int t = 0; t < 3; t++)
            {
                sb.Append($"CREATE TABLE t{t}(c0 {Pick(Types)}, c1 {Pick(Types)}, c2 {Pick(Types)}); ");
                if (_r.Next(3) == 0) sb.Append($"CREATE INDEX i{t} ON t{t}(c{_r.Next(3)}); ");
                int rows = _r.Next(5);
                for (int i = 0; i < rows; i++) sb.Append($"INSERT INTO t{t} VALUES ({Pick(Values)}, {Pick(Values)}, {Pick(Values)}); ");
            }
            sb.Append($"CREATE VIEW v0 AS {Subquery()}; ");
            sb.Append($"CREATE VIEW v1 AS {Subquery()}");
            return sb.ToString();
        }

        /// <summary>A SELECT with three columns c0..c2 (mostly flattenable, sometimes not).</summary>
        private string Subquery()
        {
            string table = $"t{_r.Next(3)} AS s1";
            bool two = _r.Next(4) == 0;
            string Col() => (two && _r.Next(2) == 0 ? "s2.c" : "s1.c") + _r.Next(3);
            string from = two ? $"{table}, t{_r.Next(3)} AS s2" : table;
            string where = _r.Next(2) == 0 ? " WHERE " + Condition(Col) : "";
            // Only c2 may raise, and the outer query tests only c0 and c1: which rows a join
            // tests first is the planner's choice.
            string cols = $"{Expr(Col, false)} AS c0, {Expr(Col, false)} AS c1, {Expr(Col)} AS c2";
            return _r.Next(8) switch
            {
                0 => $"SELECT DISTINCT {cols} FROM {from}{where}",
                2 => $"SELECT {cols} FROM {from}{where} ORDER BY 1",
                _ => $"SELECT {cols} FROM {from}{where}",
            };
        }

        // Result expressions may raise (abs() of the smallest integer); conditions do not, as
        // which rows a WHERE term sees first depends on the join order each planner picks.
        private string Expr(Func<string> col, bool mayRaise = true) => _r.Next(12) switch
        {
            0 when mayRaise => $"abs({col()})",
            1 => $"{col()} + 1",
            2 => $"{col()} COLLATE NOCASE",
            3 => $"{col()} || ''",
            4 => $"CAST({col()} AS INTEGER)",
            5 => Pick(Values),
            6 => $"-{col()}",
            7 => $"upper({col()})",
            _ => col(),
        };

        private string Condition(Func<string> col) => _r.Next(6) switch
        {
            0 => $"{col()} = {Pick(Values)}",
            1 => $"{col()} > {Pick(Values)}",
            2 => $"{col()} IS NOT NULL",
            3 => $"{Expr(col, false)} = {Expr(col, false)}",
            4 => $"{col()} COLLATE NOCASE = 'a'",
            _ => $"{col()} < {col()}",
        };

        public string Query()
        {
            int items = 1 + _r.Next(3);
            var from = new StringBuilder();
            var aliases = new List<string>();
            for (int i = 0; i < items; i++)
            {
                string alias = "a" + i;
                string source = _r.Next(3) switch
                {
                    0 => $"t{_r.Next(3)}",
                    1 => $"v{_r.Next(2)}",
                    _ => $"({Subquery()})",
                };
                if (i == 0) from.Append($"{source} AS {alias}");
                else
                {
                    string prev = Pick(aliases);
                    string on = $"{alias}.c{_r.Next(2)} = {prev}.c{_r.Next(2)}";
                    from.Append(_r.Next(4) switch
                    {
                        0 => $" LEFT JOIN {source} AS {alias} ON {on}",
                        1 => $" CROSS JOIN {source} AS {alias}",
                        2 => $" JOIN {source} AS {alias} ON {(_r.Next(3) == 0 ? "NULL" : on)}",
                        _ => $", {source} AS {alias}",
                    });
                }
                aliases.Add(alias);
            }
            string Col() => $"{Pick(aliases)}.c{_r.Next(3)}";
            string Tested() => $"{Pick(aliases)}.c{_r.Next(2)}";
            string result = $"{Expr(Col)}, {Col()}";
            string where = _r.Next(2) == 0 ? " WHERE " + Condition(Tested) : "";
            string tail = _r.Next(4) == 0 ? " ORDER BY 1, 2 LIMIT 3" : "";
            return _r.Next(6) == 0
                ? $"SELECT count(*), max({Col()}) FROM {from}{where}"
                : $"SELECT {result} FROM {from}{where}{tail}";
        }
    }
}
