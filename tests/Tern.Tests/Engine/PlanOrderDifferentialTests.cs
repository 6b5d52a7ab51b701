// Which expressions a query evaluates, and in what order, compared with SQLite 3.50.4: an
// expression that fails (abs(-9223372036854775808) overflows) must raise its error exactly
// when SQLite's program would reach it. Covered: constant WHERE terms tested once before
// the first loop (with an empty FROM, in aggregates, windows, joins, DELETE and UPDATE; not
// LEFT JOIN ON terms, subqueries or volatile functions), LIMIT/OFFSET evaluated before the
// query, the merge order of compound SELECTs with ORDER BY (LIMIT 0 runs neither side, an
// empty left side of INTERSECT/EXCEPT ends the query) against multiSelect without ORDER BY
// (every side runs, a trailing UNION ALL streams), OFFSET tested before a row is computed,
// AND/OR/NOT/BETWEEN/CASE coded as jumps that stop early, and LEFT JOINs that the WHERE
// turns into inner joins. A seeded generator mixes these.
// TERN_PLANORDER_QUERIES=N sets how many generated queries run (default 400).
using System.Text;

namespace Tern.Tests.Engine;

public class PlanOrderDifferentialTests
{
    private const string Overflow = "abs(-9223372036854775808)";

    public static TheoryData<string> Scripts() => new(
        // a constant term raises its error before any row is read, even with no rows
        $"CREATE TABLE t(x); SELECT * FROM t WHERE {Overflow}; SELECT count(*) FROM t WHERE {Overflow}; "
        + $"SELECT x, sum(x) FROM t WHERE {Overflow} GROUP BY x; SELECT x, row_number() OVER () FROM t WHERE {Overflow}; "
        + $"SELECT * FROM t WHERE x AND {Overflow}; SELECT * FROM t WHERE random() AND {Overflow}; "
        + $"SELECT * FROM t WHERE {Overflow} BETWEEN 1 AND 2; SELECT * FROM t WHERE {Overflow} IN (1, 2); "
        + $"SELECT * FROM t WHERE {Overflow} + length(sqlite_version()); SELECT * FROM t WHERE {Overflow} + length(date('now'))",
        // constant terms run in order: a false one first ends the query quietly
        $"CREATE TABLE t(x); INSERT INTO t VALUES (1); SELECT * FROM t WHERE 0 AND {Overflow}; SELECT * FROM t WHERE NULL AND {Overflow}; "
        + $"SELECT * FROM t WHERE x OR {Overflow}; SELECT count(*) FROM t WHERE 0 AND {Overflow}; SELECT * FROM t WHERE 1 AND {Overflow}",
        // not constant: a subquery, a volatile function; those run per row, so never on an empty table
        $"CREATE TABLE t(x); SELECT * FROM t WHERE (SELECT {Overflow}); SELECT * FROM t WHERE {Overflow} + random(); "
        + $"SELECT * FROM t WHERE {Overflow} + changes(); SELECT * FROM t WHERE {Overflow} IN (SELECT 1); "
        + $"SELECT * FROM t WHERE EXISTS (SELECT {Overflow}); SELECT * FROM t WHERE {Overflow} + (SELECT 1 FROM t LIMIT 0) IS NULL",
        // inner-join ON terms are constant too; a LEFT JOIN's ON terms are tested at their level
        $"CREATE TABLE t(x); CREATE TABLE u(y); SELECT * FROM t JOIN u ON {Overflow}; SELECT * FROM t LEFT JOIN u ON {Overflow}; "
        + $"INSERT INTO t VALUES (1); SELECT * FROM t LEFT JOIN u ON {Overflow}; SELECT * FROM t LEFT JOIN u ON {Overflow} WHERE u.y IS NULL",
        // outer references are constant inside a correlated subquery
        $"CREATE TABLE t(x); INSERT INTO t VALUES (1); SELECT (SELECT 1 FROM t AS u WHERE t.x = 0 AND {Overflow}) FROM t; "
        + $"SELECT (SELECT 1 FROM t AS u WHERE u.x = 0 AND {Overflow}) FROM t",
        // a flattened subquery's constant column, or a result alias, is constant
        $"CREATE TABLE t(x); CREATE TABLE u(y); SELECT * FROM (SELECT 1 AS c FROM t) AS a, u WHERE a.c AND {Overflow}; "
        + $"SELECT * FROM (SELECT {Overflow} AS c FROM t) AS a WHERE a.c; SELECT {Overflow} AS k FROM t WHERE k; SELECT x AS k FROM t WHERE k + {Overflow}",
        // a false constant term comes before any FROM subquery is computed
        $"CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO u VALUES (1); INSERT INTO t VALUES (-9223372036854775808); "
        + "SELECT * FROM (SELECT abs(x) AS c FROM t LIMIT 3) AS a WHERE 0; SELECT * FROM u, (SELECT abs(x) AS c FROM t LIMIT 3) AS a WHERE 0; "
        + "SELECT * FROM u, (SELECT DISTINCT abs(x) AS c FROM t) AS a WHERE 0",
        // DELETE and UPDATE test constant terms before their loop
        $"CREATE TABLE t(x); DELETE FROM t WHERE {Overflow}; UPDATE t SET x = 1 WHERE {Overflow}; DELETE FROM t WHERE 0 AND {Overflow}; "
        + $"INSERT INTO t VALUES (1); UPDATE t SET x = 2 WHERE x = 5 AND {Overflow}; SELECT * FROM t",
        // LIMIT is computed before the query; LIMIT 0 skips OFFSET
        $"CREATE TABLE t(x); SELECT * FROM t WHERE {Overflow} LIMIT 0; SELECT * FROM t WHERE 0 LIMIT {Overflow}; "
        + $"SELECT * FROM t LIMIT 0 OFFSET {Overflow}; SELECT * FROM t LIMIT -1 OFFSET {Overflow}; SELECT * FROM t WHERE 0 ORDER BY {Overflow}",
        // compounds with ORDER BY merge: LIMIT 0 runs neither side; an empty left side of INTERSECT or EXCEPT ends the query
        "CREATE TABLE t(x); INSERT INTO t VALUES (-9223372036854775808); "
        + "SELECT abs(x) FROM t EXCEPT SELECT 1 ORDER BY 1 LIMIT 0; SELECT abs(x) FROM t UNION ALL SELECT 1 ORDER BY 1 LIMIT 0; "
        + "SELECT 1 WHERE 0 INTERSECT SELECT abs(x) FROM t ORDER BY 1; SELECT 1 WHERE 0 EXCEPT SELECT abs(x) FROM t ORDER BY 1; "
        + "SELECT 1 WHERE 0 UNION SELECT abs(x) FROM t ORDER BY 1; SELECT 1 INTERSECT SELECT 2 INTERSECT SELECT abs(x) FROM t ORDER BY 1; "
        + "SELECT 1 EXCEPT SELECT 1 EXCEPT SELECT abs(x) FROM t ORDER BY 1; SELECT 1 EXCEPT SELECT 1 UNION SELECT abs(x) FROM t ORDER BY 1; "
        + "SELECT 1 EXCEPT SELECT abs(x) FROM t WHERE 0 ORDER BY 1; SELECT 1 UNION ALL SELECT abs(x) FROM t ORDER BY 1 LIMIT 1",
        // without ORDER BY every side runs and LIMIT comes after them (UNION ALL streams)
        "CREATE TABLE t(x); INSERT INTO t VALUES (-9223372036854775808); "
        + "SELECT abs(x) FROM t EXCEPT SELECT 1 LIMIT 0; SELECT abs(x) FROM t INTERSECT SELECT 1 LIMIT 0; SELECT abs(x) FROM t UNION ALL SELECT 1 LIMIT 0; "
        + "SELECT 1 WHERE 0 EXCEPT SELECT abs(x) FROM t; SELECT 1 WHERE 0 INTERSECT SELECT abs(x) FROM t; "
        + "SELECT 1 UNION ALL SELECT abs(x) FROM t LIMIT 1; SELECT 1 UNION ALL SELECT 3 UNION ALL SELECT abs(x) FROM t LIMIT 1 OFFSET 1",
        // a LEFT JOIN whose right table the WHERE needs as a real row is an inner join
        "CREATE TABLE t(x, y); CREATE TABLE u(p, q); INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c'); INSERT INTO u VALUES (1, 'A'), (5, NULL), (3, 'x'); "
        + "SELECT * FROM u LEFT JOIN t ON t.x = u.p WHERE t.y > 'a'; SELECT * FROM u LEFT JOIN t ON t.x = u.p WHERE t.y IS NULL; "
        + "SELECT * FROM u LEFT JOIN t ON t.x = u.p WHERE t.y = 'a' OR u.q = 'x'; SELECT u.p, count(*) FROM u LEFT JOIN t ON t.x = u.p WHERE t.y > '' GROUP BY u.p; "
        + $"SELECT * FROM u LEFT JOIN t ON {Overflow} WHERE t.x + 1; SELECT * FROM u LEFT JOIN t ON 0 WHERE t.x > {Overflow}; "
        + $"SELECT * FROM u LEFT JOIN t ON 0 WHERE t.x IN ({Overflow}); SELECT * FROM u LEFT JOIN t ON 0 WHERE t.x BETWEEN 1 AND {Overflow}; "
        + $"SELECT * FROM u LEFT JOIN t ON 0 WHERE likely(t.x > {Overflow}); SELECT * FROM u LEFT JOIN t ON 0 WHERE (t.x IS NOT NULL) + {Overflow}; "
        + $"SELECT * FROM u LEFT JOIN (SELECT x AS k FROM t) AS a ON 0 WHERE a.k > {Overflow}; "
        + "SELECT * FROM u LEFT JOIN t ON t.x = u.p LEFT JOIN t AS t2 ON t2.y = t.y WHERE t2.x > 0",
        // AND, OR, NOT, BETWEEN and searched CASE stop at the operand that decides, as jumps do;
        // an AND/OR with an always-true or always-false literal shrinks first; values still compute both sides
        "CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c'); "
        + $"SELECT * FROM t WHERE x NOT BETWEEN 2 AND {Overflow}; SELECT * FROM t WHERE x > 0 OR {Overflow}; "
        + $"SELECT * FROM t WHERE (x < 2 AND {Overflow}) OR 1; SELECT * FROM t WHERE NOT (x > 5 AND {Overflow}); "
        + $"SELECT * FROM t WHERE NOT (y > 'a' AND {Overflow}); SELECT CASE WHEN x > 5 AND {Overflow} THEN 1 ELSE 0 END FROM t; "
        + $"SELECT iif(x > 5 AND {Overflow}, 1, 0) FROM t; SELECT (x > 5 AND {Overflow}) FROM t; SELECT count(*) FROM t GROUP BY x HAVING x > 5 OR {Overflow}",
        // OFFSET skips a row before its result columns are computed (no sorter, no DISTINCT);
        // a trailing UNION ALL streams after the rows before it, and a LIMIT reached stops it
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (-9223372036854775808, 'm'), (5, NULL); "
        + "SELECT abs(a), b FROM t LIMIT 1 OFFSET 1; SELECT 1 UNION ALL SELECT abs(a) FROM t LIMIT 1 OFFSET 1; "
        + "SELECT a FROM t WHERE a > 0 UNION SELECT 7 UNION ALL SELECT abs(a) FROM t LIMIT 1; "
        + "SELECT 1 EXCEPT SELECT 2 UNION ALL SELECT abs(a) FROM t LIMIT 2 OFFSET 1; SELECT DISTINCT abs(a) FROM t LIMIT 1 OFFSET 1",
        // reduced from the query fuzzer (seeds 30337, 119089, 65793, 65345, 138145)
        "CREATE TABLE t0(c1); CREATE TABLE t1(c2); "
        + $"SELECT NULL FROM (SELECT ' 1' AS c0 FROM t0) AS a0 NATURAL JOIN t1 AS a1 WHERE {Overflow}; "
        + $"CREATE TABLE t2(c0); CREATE VIEW v1 AS SELECT c0 AS c0 FROM t2; SELECT a1.c1 FROM v1 AS a0 JOIN t0 AS a1 ON NULL WHERE {Overflow}; "
        + "CREATE VIEW v2 AS SELECT NULL AS c0 FROM t0 WHERE 1; "
        + $"SELECT min(a0.c0) OVER (PARTITION BY a1.c0), NULL, rank() OVER (ORDER BY a0.c0) FROM v2 AS a0 CROSS JOIN v2 AS a1 WHERE {Overflow} ORDER BY 1, 2, 3 LIMIT 1 OFFSET 2",
        "CREATE TABLE t0(c0 INTEGER PRIMARY KEY, c1 VARCHAR(10) AS (c0) VIRTUAL); INSERT INTO t0(c0) VALUES (NULL); "
        + $"SELECT count(*) FROM t0 AS a0 JOIN (SELECT hex(c1) AS c0 FROM t0) AS a1 ON NULL WHERE ({Overflow} BETWEEN (-a0.c1) AND NULL)",
        "CREATE TABLE t0(c0 DOUBLE, c1 NUMERIC AS (NULL) STORED); INSERT OR IGNORE INTO t0(c0) VALUES (1e308); "
        + $"SELECT strftime(time(a1.c1)) FROM t0 AS a0 LEFT JOIN t0 AS a1 USING (c1) WHERE (a1.c0 BETWEEN {Overflow} AND a0.c1)",
        // reduced from the query fuzzer (seeds 8273, 43905, 93329, 121233, 40497)
        "CREATE TABLE t0(c0 BLOB, c1 CHARINT COLLATE NOCASE); INSERT INTO t0(c0, c1) VALUES (1, -9223372036854775808); "
        + "INSERT INTO t0(c0, c1) VALUES ('9223372036854775808', x'00'); CREATE VIEW v0 AS SELECT (CAST((+c0) AS INT)) AS c0 FROM t0; "
        + "SELECT count(*), sum(a0.c0) FROM v0 AS a0 EXCEPT SELECT time(NULL), a0.c1 FROM t0 AS a0 ORDER BY 1, 2 LIMIT 0; "
        + "SELECT NULL FROM (SELECT c0 AS c0 FROM t0) AS a0 JOIN t0 AS a1 ON 1 WHERE abs(a1.c1) UNION ALL SELECT NULL FROM t0 AS a0 WHERE NULL ORDER BY 1 LIMIT 0",
        "CREATE TABLE t0(c2); CREATE TABLE t1(c1); CREATE TABLE t2(c0 INTEGER PRIMARY KEY, c3 DATE UNIQUE); "
        + "INSERT INTO t2(c0, c3) VALUES (10, (-9223372036854775807 - '1 ')); "
        + "SELECT NULL, NULL FROM t0 AS a0 WHERE NULL INTERSECT SELECT rtrim(abs(a0.c3)), NULL FROM t2 AS a0 LEFT JOIN t1 AS a1 ON NULL WHERE 1 ORDER BY 1, 2 LIMIT 3",
        "CREATE TABLE t0(c0 BLOB DEFAULT '1 ' COLLATE BINARY, c1 INTEGER); INSERT INTO t0(c0, c1) VALUES (-9223372036854775808, '😀'); "
        + "CREATE VIEW v1 AS SELECT abs((coalesce(c0, c1))) AS c1 FROM t0; "
        + "SELECT DISTINCT NULL FROM v1 AS a0 WHERE NULL EXCEPT SELECT a1.c1 FROM (SELECT NULL AS c0) AS a0 LEFT JOIN v1 AS a1 ON 1 ORDER BY 1 LIMIT 1");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Evaluation_order_matches_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void Generated_queries_raise_errors_where_sqlite_does()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TERN_PLANORDER_QUERIES"), out int n) && n > 0 ? n : 400;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var g = new PlanOrderGenerator(seed);
            return (g.Setup(), g.Query);
        });
    }

    /// <summary>
    /// Random queries over small tables (one empty, one holding the smallest integer, whose
    /// abs() overflows) with constant and erroring WHERE terms, AND/OR/NOT BETWEEN/CASE that
    /// stop early, LIMIT and OFFSET, and compound SELECTs with and without ORDER BY, from one seed.
    /// </summary>
    private sealed class PlanOrderGenerator(int seed)
    {
        private readonly Random _r = new(seed);
        private static readonly string[] Tables = ["t0", "t1", "t2"];
        private static readonly string[] Constants = ["1", "0", "NULL", Overflow, "'a'", "-1", "1.5"];

        private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

        /// <summary>t0 is empty, t1 holds ordinary rows, t2 holds the overflowing integer.</summary>
        public string Setup() =>
            "CREATE TABLE t0(a, b); CREATE TABLE t1(a, b); CREATE TABLE t2(a, b); "
            + "INSERT INTO t1 VALUES (1, 'x'), (2, NULL), (3, 'z'); "
            + "INSERT INTO t2 VALUES (-9223372036854775808, 'm'), (5, NULL)";

        private string Term(string alias)
        {
            string col() => $"{alias}.{(_r.Next(2) == 0 ? "a" : "b")}";
            // (A literal 0 beside a logical AND is left out: SQLite's parser folds such an AND to 0.)
            string[] operands = ["1", "NULL", Overflow, "'a'", "-1", "1.5"];
            return _r.Next(10) switch
            {
                0 => Pick(operands),
                1 => $"abs({col()})",
                2 => $"{col()} > {Pick(Constants)}",
                3 => $"{col()} IS NULL",
                4 => $"{Pick(operands)} AND {col()}",
                5 => $"{col()} {(_r.Next(2) == 0 ? "" : "NOT ")}BETWEEN {Pick(Constants)} AND {Pick(Constants)}",
                6 => $"({Pick(Constants)} + {col()}) IS NOT NULL",
                7 => $"{col()} > 1 OR {Pick(operands)}",
                8 => $"CASE WHEN {col()} > 1 AND {Pick(operands)} THEN 1 ELSE {Pick(Constants)} END",
                _ => $"{Pick(operands)} {(_r.Next(2) == 0 ? "AND" : "OR")} {Pick(operands)}",
            };
        }

        /// <summary>
        /// One core over one table (join order is the planner's business, and SQLite's and
        /// Tern's may differ, which decides whether an inner loop runs at all).
        /// </summary>
        private string Core(bool compoundSide)
        {
            string from = $"{Pick(Tables)} AS a0";
            var where = new List<string>();
            for (int k = _r.Next(3); k > 0; k--) where.Add(Term("a0"));
            string result = compoundSide
                ? (_r.Next(3) == 0 ? "abs(a0.a)" : "a0.a")
                : _r.Next(4) switch
                {
                    0 => "count(*)",
                    1 => "abs(a0.a), a0.b",
                    _ => "a0.a, a0.b",
                };
            return $"SELECT {result} FROM {from}" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "");
        }

        private string Limit() => _r.Next(4) switch
        {
            0 => "",
            1 => $" LIMIT {Pick(new[] { "0", "1", "-1", Overflow })}",
            2 => $" LIMIT {Pick(new[] { "0", "1", "2" })} OFFSET {Pick(new[] { "0", "1", Overflow })}",
            _ => " LIMIT 1",
        };

        public string Query()
        {
            if (_r.Next(2) == 0) return Core(false) + Limit();
            var sb = new StringBuilder(Core(true));
            for (int k = 1 + _r.Next(2); k > 0; k--)
                sb.Append(' ').Append(Pick(new[] { "UNION", "UNION ALL", "INTERSECT", "EXCEPT" })).Append(' ').Append(Core(true));
            if (_r.Next(2) == 0) sb.Append(" ORDER BY 1");
            return sb + Limit();
        }
    }
}
