// Row values compared with SQLite 3.50.4: vector comparisons (lexicographic, three-valued,
// each field with its own affinity and collation), BETWEEN, subqueries of several columns,
// IN and NOT IN with a vector on the left (lists, VALUES, subqueries, correlated ones, in ON
// clauses and compounds), vector SET in UPDATE, and every "row value misused" and width
// error with SQLite's text; then random row-value predicates over random tables.
using System.Text;

namespace Tern.Tests.Engine;

public class RowValueDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        // comparisons of literal vectors, NULLs in every position
        "SELECT (1,2) = (1,2), (1,2) = (1,3), (1,NULL) = (1,2), (1,NULL) = (2,2), (NULL,1) = (1,2), (NULL,1) = (1,1); "
        + "SELECT (1,2) <> (1,2), (1,NULL) <> (2,2), (NULL,1) <> (1,2), (NULL,1) <> (1,1), (1,2) != (1,3); "
        + "SELECT (1,NULL) < (2,0), (NULL,0) < (1,0), (1,NULL) < (1,2), (2,NULL) < (1,0), (1,2) < (1,3), (1,3) < (1,3), (1,2,3) < (1,2,4); "
        + "SELECT (1,2) <= (1,2), (1,3) <= (1,2), (1,NULL) <= (1,NULL), (0,NULL) <= (1,NULL), (1,2,NULL) <= (1,3,0); "
        + "SELECT (2,1) > (1,9), (1,2) > (1,2), (1,NULL) > (0,5), (1,NULL) > (1,5), (1,2) >= (1,2), (1,1) >= (1,2), (NULL,NULL) >= (1,1); "
        + "SELECT (1,2) IS (1,NULL), (1,NULL) IS (1,NULL), (1,NULL) IS NOT (1,2), (NULL,NULL) IS (NULL,NULL), (1,2) IS NOT (1,2); "
        + "SELECT ((1,2)) = (1,2), (1,2) = ((SELECT 1),2), (1+1, 'a'||'b') = (2, 'ab'), (1,2,3,4,5) = (1,2,3,4,5)",
        // affinity and collation per field pair
        "CREATE TABLE t(i INTEGER, x TEXT, n TEXT COLLATE NOCASE, r TEXT COLLATE RTRIM, b BLOB, f REAL); "
        + "INSERT INTO t VALUES (1, '1', 'Abc', 'a ', x'01', 1.0), (2, '10', 'abc', 'a', '2', 2.5), (NULL, NULL, NULL, NULL, NULL, NULL); "
        + "SELECT rowid, (i, x) = ('1', 1), (x, i) = (1, '1'), (n, r) = ('ABC', 'a'), ('ABC', 'a') = (n, r), (n, x) = ('abc' COLLATE BINARY, '1') FROM t ORDER BY rowid; "
        + "SELECT rowid, (i, n) < (2, 'ABD'), (x, i) > ('1', 0), (i, f) = ('2', '2.5'), (f, i) >= (1, 1), (b, i) = ('2', 2), (i, x COLLATE NOCASE) = (1, '1') FROM t ORDER BY rowid; "
        + "SELECT rowid, (i, x) IS (NULL, NULL), (n, r) IS NOT ('abc', 'a  '), (r, n) <= ('a', 'ABC') FROM t ORDER BY rowid",
        // row values in WHERE, joins and ORDER BY; subqueries of several columns
        "CREATE TABLE t(a INT, b INT, c TEXT); INSERT INTO t VALUES (1,10,'x'),(2,20,'y'),(1,20,'z'),(3,30,'w'),(NULL,5,'n'),(2,NULL,'m'); "
        + "CREATE TABLE s(x INT, y INT); INSERT INTO s VALUES (1,10),(2,20),(3,31); "
        + "SELECT c FROM t WHERE (a, b) = (1, 20); SELECT c FROM t WHERE (a, b) > (1, 10) ORDER BY c; SELECT c FROM t WHERE (a, b) <= (2, 20) ORDER BY c; "
        + "SELECT t.c, s.rowid FROM t JOIN s ON (t.a, t.b) = (s.x, s.y) ORDER BY 1; SELECT t.c, s.rowid FROM t LEFT JOIN s ON (t.a, t.b) < (s.x, s.y) ORDER BY 1, 2; "
        + "SELECT c, (a, b) = (SELECT x, y FROM s WHERE x = t.a) FROM t ORDER BY c; SELECT c FROM t WHERE (a, b) = (SELECT x, y FROM s ORDER BY x DESC) ORDER BY c; "
        + "SELECT (SELECT x, y FROM s WHERE 0) IS (NULL, NULL), (SELECT x, y FROM s WHERE 0) = (1, 2), (SELECT 1, 2) = (SELECT 1, 2), (SELECT x, y FROM s) < (1, 11); "
        + "SELECT c FROM t WHERE (SELECT x, y FROM s WHERE x = t.a) > (1, 10) ORDER BY c; SELECT c FROM t WHERE (a, b) BETWEEN (1, 15) AND (2, 25) ORDER BY c; "
        + "SELECT c FROM t WHERE (a, b) NOT BETWEEN (1, 15) AND (2, 25) ORDER BY c; SELECT c, (a, b) BETWEEN (1, 0) AND (2, 100) FROM t ORDER BY c; "
        + "SELECT (1, 2) BETWEEN (0, 0) AND (3, 3), (1, NULL) BETWEEN (0, 0) AND (1, 3), (1, NULL) BETWEEN (0, 0) AND (2, 3); "
        + "SELECT c FROM t WHERE (a, b) = (SELECT * FROM s WHERE x = 3 OR y = 20) ORDER BY c",
        // IN with a vector on the left: lists, VALUES, subqueries, NULLs
        "CREATE TABLE t(a INT, b INT, c TEXT); INSERT INTO t VALUES (1,10,'x'),(2,20,'y'),(1,20,'z'),(3,30,'w'),(NULL,20,'n'),(3,NULL,'m'); "
        + "SELECT (1,2) IN ((1,2),(3,4)), (1,2) IN ((3,4),(5,6)), (1,2,3) IN ((1,2,3)), (1,2) NOT IN ((1,2)), (1,2) IN (), (1,2) NOT IN (); "
        + "SELECT (1,NULL) IN ((1,2)), (1,NULL) IN ((2,2)), (1,2) IN ((1,NULL)), (1,2) NOT IN ((1,NULL)), (1,2) NOT IN ((2,NULL)), (NULL,NULL) IN ((1,2),(3,4)); "
        + "SELECT (1,2) IN (VALUES (1,2),(3,4)), (1,2) IN (SELECT 1, 2 UNION ALL SELECT 3, 4), (1,2) IN ((SELECT 1, 2)), (SELECT 1, 2) IN (SELECT 1, 2); "
        + "SELECT c FROM t WHERE (a, b) IN ((1,10),(2,20)) ORDER BY c; SELECT c FROM t WHERE (a, b) NOT IN ((1,10),(2,20)) ORDER BY c; "
        + "SELECT c, (a, b) IN (SELECT a, b FROM t WHERE c < 'n'), (a, b) NOT IN (SELECT a, b FROM t WHERE c > 'n') FROM t ORDER BY c; "
        + "SELECT c, (a, b) IN (SELECT 1, NULL), (a, b) NOT IN (SELECT a, 20 FROM t WHERE a IS NULL) FROM t ORDER BY c; "
        + "SELECT c, (a, c) IN (SELECT a + 0, c FROM t AS u WHERE u.b = t.b) FROM t ORDER BY c",
        // IN: affinities and collations of each column, correlated, in LEFT JOIN ON, with compounds
        "CREATE TABLE t(i INTEGER, x TEXT, n TEXT COLLATE NOCASE); INSERT INTO t VALUES (1, '1', 'A'), (2, '02', 'b'), (3, 'c', 'C'); "
        + "CREATE TABLE s(p, q, r TEXT COLLATE NOCASE); INSERT INTO s VALUES ('1', 1, 'a'), (2, '02', 'B'), ('3', 'c', 'x'); "
        + "SELECT i, (i, x) IN (SELECT p, q FROM s), (x, i) IN (SELECT q, p FROM s), (n, i) IN (SELECT r, p FROM s), (i, n) IN (SELECT p, r COLLATE BINARY FROM s) FROM t ORDER BY i; "
        + "SELECT i, (i, x) IN (('1', 1), (2, '02')), (x, n) IN (('1', 'a'), ('c', 'c')), (i, n COLLATE BINARY) IN ((1, 'a'), (3, 'C')) FROM t ORDER BY i; "
        + "SELECT t.i, s.rowid FROM t LEFT JOIN s ON (t.i, t.n) IN (SELECT p, r FROM s AS z WHERE z.rowid = t.i) AND s.rowid = t.i ORDER BY 1; "
        + "SELECT t.i, s.rowid FROM t LEFT JOIN s ON (t.i, t.n) NOT IN (SELECT p, r FROM s AS z WHERE z.rowid = t.i) ORDER BY 1, 2; "
        + "SELECT i FROM t WHERE (i, n) IN (SELECT p, r FROM s UNION SELECT 3, 'c') ORDER BY i; SELECT i FROM t WHERE (i, n) IN (SELECT p, r FROM s EXCEPT SELECT 1, 'a') ORDER BY i",
        // UPDATE with vector SET and row values in UPDATE ... FROM and WHERE
        "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b INT, c TEXT); INSERT INTO t VALUES (1, 1, 2, 'x'), (2, 3, 4, 'y'), (3, 5, 6, 'z'); "
        + "CREATE TABLE s(a, b, v); INSERT INTO s VALUES (1, 2, 100), (3, 4, 200); "
        + "UPDATE t SET (a, b) = (b, a) WHERE id = 1; SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET (b, c) = (SELECT v, 'q' || v FROM s WHERE s.a = t.a) WHERE id > 1; SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET (c) = ('one'), a = 7 WHERE (id, a) = (1, 2); SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET c = s.v FROM s WHERE (t.a, t.b) = (s.a, s.v); SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET (a, b, c) = (SELECT 10, '11', 12) WHERE (id, b) IN (SELECT 3, NULL UNION SELECT 3, 200); SELECT * FROM t ORDER BY id; "
        + "UPDATE t SET (a, b) = (1, 2, 3); UPDATE t SET (a, b) = (SELECT 1); UPDATE t SET (a, b) = (SELECT 1, 2, 3); UPDATE t SET (a, b) = 1; UPDATE t SET a = (1, 2); "
        + "UPDATE t SET (a, b) = (SELECT v, v FROM s WHERE 0); SELECT * FROM t ORDER BY id; "
        + "CREATE TABLE k(x PRIMARY KEY, y, z); INSERT INTO k VALUES (1, 2, 3); INSERT INTO k VALUES (1, 0, 0) ON CONFLICT(x) DO UPDATE SET (y, z) = (excluded.z, excluded.y + 5); SELECT * FROM k; "
        // a SET subquery runs once for all the columns it assigns (random() agrees with itself)
        + "CREATE TABLE w(id INTEGER PRIMARY KEY, a, b); INSERT INTO w VALUES (1, 0, 0), (2, 0, 0); UPDATE w SET (a, b) = (SELECT x, x FROM (SELECT random() AS x)); SELECT a = b FROM w; "
        + "UPDATE w SET (b, a) = (SELECT x, -x FROM (SELECT random() AS x)), id = id + 10; SELECT id, a + b FROM w; "
        + "UPDATE w SET (a, b) = (SELECT x, -x FROM (SELECT random() AS x)) FROM (SELECT 1 UNION ALL SELECT 2) AS j; SELECT a + b FROM w; "
        + "INSERT INTO k VALUES (1, 0, 0) ON CONFLICT(x) DO UPDATE SET (y, z) = (SELECT r, -r FROM (SELECT random() AS r)); SELECT y + z FROM k; "
        + "CREATE TABLE src(p, q, r); INSERT INTO src VALUES ('new', 10, 99); UPDATE w SET (a, b) = (SELECT * FROM src); UPDATE w SET (a, b) = (SELECT p, q FROM src); SELECT * FROM w",
        // row values in definitions, triggers, views, CTEs, parameters and IN tables
        "CREATE TABLE t(a INT, b INT, CHECK ((a, b) < (10, 10))); INSERT INTO t VALUES (1, 2); INSERT INTO t VALUES (10, 1); INSERT INTO t VALUES (9, 99); SELECT * FROM t; "
        + "CREATE INDEX tp ON t(b) WHERE (a, b) > (0, 0); SELECT b FROM t WHERE (a, b) > (0, 0) AND b > 1; "
        + "CREATE TABLE g(a, b, c AS ((a, b) = (1, 2))); INSERT INTO g(a, b) VALUES (1, 2), (1, 3); SELECT * FROM g; "
        + "CREATE VIEW v AS SELECT a, (a, b) IN ((1, 2), (9, 99)) AS hit FROM t; SELECT * FROM v ORDER BY a; "
        + "WITH c(x, y) AS (VALUES (1, 2), (3, 4)) SELECT x FROM c WHERE (x, y) IN (SELECT a, b FROM t) OR (x, y) = (3, 4) ORDER BY x; "
        + "CREATE TABLE log(m); CREATE TRIGGER tr AFTER INSERT ON t WHEN (new.a, new.b) >= (5, 0) BEGIN INSERT INTO log VALUES ((SELECT count(*) FROM t WHERE (a, b) <= (new.a, new.b))); END; "
        + "INSERT INTO t VALUES (5, 5), (2, 2); SELECT * FROM log; "
        + "CREATE TABLE pair(x, y); INSERT INTO pair VALUES (1, 2), (5, 5); SELECT (1, 2) IN pair, (2, 1) IN pair, (5, 5) NOT IN pair; "
        + "SELECT (1, 2) IS NULL; SELECT (1, 2) IS NOT NULL; SELECT (1, 2) IS (NULL); SELECT (SELECT 1, 2) IS NOT NULL",
        // with aggregates, HAVING, windows, flattened subqueries, LEFT JOIN and DISTINCT
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (1, 3), (2, 5); "
        + "SELECT (count(*), max(b)) = (2, 3), a FROM t GROUP BY a ORDER BY a; SELECT a, (a, max(b)) IN (SELECT a, b FROM t) FROM t GROUP BY a ORDER BY a; "
        + "SELECT a FROM t GROUP BY a HAVING (count(*), a) > (1, 1) ORDER BY a; SELECT a, b, (a, b) < (lag(a) OVER (ORDER BY b), 9) FROM t ORDER BY b; "
        + "SELECT * FROM t WHERE (a, b) IN (VALUES (1, 3), (2, 5)) ORDER BY b; SELECT * FROM (SELECT a, b FROM t) WHERE (a, b) > (1, 2) ORDER BY b; "
        + "SELECT * FROM t AS x LEFT JOIN t AS y ON (x.a, x.b) = (y.a, y.b - 1) ORDER BY x.b; SELECT * FROM t AS x LEFT JOIN t AS y ON x.a = y.a WHERE (y.b, 1) < (3, 0) ORDER BY x.b, y.b; "
        + "SELECT * FROM t AS x LEFT JOIN t AS y ON x.a = y.a WHERE (x.a, y.b) IS (1, NULL) OR (x.a, y.b) = (2, 5) ORDER BY x.b, y.b; "
        + "SELECT DISTINCT (a, 1) = (1, 1) FROM t ORDER BY 1; SELECT a FROM t WHERE (a, b) = (SELECT a, b FROM t ORDER BY b DESC LIMIT 1); "
        + "SELECT (1, 'a') = (1, 'A' COLLATE NOCASE), (1, 'a' COLLATE NOCASE) < (1, 'B'), (1, 2) < (1, 2.5), (1, '2') = (1, 2), ('1', 2) = (1, 2)",
        // vector ranges over an index on their first field (text, NOCASE, NULLs, descending)
        "CREATE TABLE r(a INT, b TEXT COLLATE NOCASE, c); CREATE INDEX ra ON r(a, b); CREATE INDEX rb ON r(b DESC); "
        + "INSERT INTO r VALUES (1, 'a', 1), (1, 'B', 2), (2, 'a', 3), (2, NULL, 4), (NULL, 'c', 5), (3, 'C', 6), ('2', 'b', 7); "
        + "SELECT c FROM r WHERE (a, b) > (1, 'a') ORDER BY c; SELECT c FROM r WHERE (a, b) >= (2, 'A') ORDER BY c; SELECT c FROM r WHERE (a, b) < ('2', 'b') ORDER BY c; "
        + "SELECT c FROM r WHERE (a, b) <= (2, NULL) ORDER BY c; SELECT c FROM r WHERE (b, a) > ('b', 0) ORDER BY c; SELECT c FROM r WHERE (b, c) < ('B', 7) ORDER BY c; "
        + "SELECT c FROM r WHERE (b COLLATE BINARY, a) >= ('a', 2) ORDER BY c; SELECT c FROM r WHERE (a, b) > (1, 'a') AND (a, b) < (3, 'c') ORDER BY c; "
        + "SELECT x.c, y.c FROM r AS x JOIN r AS y ON (y.a, y.b) > (x.a, x.b) WHERE x.c < 3 ORDER BY 1, 2",
        // vector SET and row values inside trigger bodies and RETURNING
        "CREATE TABLE t(a, b); CREATE TABLE u(x, y); INSERT INTO u VALUES (0, 0); "
        + "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET (x, y) = (SELECT new.a, new.b + 1), y = y + ((new.a, new.b) IN (SELECT a, b FROM t)); END; "
        + "INSERT INTO t VALUES (1, 2), (3, 4); SELECT * FROM u; UPDATE t SET (a, b) = (b, a) RETURNING *; UPDATE t SET (b) = (SELECT 5) RETURNING (a, b) = (4, 5)",
        // vectors of several columns where one value is needed
        "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2), (3, 4); "
        + "SELECT * FROM t WHERE a = (SELECT a, b FROM t); SELECT (SELECT a, b FROM t) IS NULL; SELECT abs((SELECT a, b FROM t)); SELECT count((SELECT a, b FROM t)); "
        + "SELECT -(SELECT a, b FROM t); SELECT CAST((SELECT a, b FROM t) AS TEXT); SELECT (SELECT a, b FROM t) COLLATE NOCASE; SELECT (SELECT a, b FROM t) LIKE 'x'; "
        + "SELECT 1 FROM t GROUP BY (SELECT a, b FROM t); SELECT a FROM t ORDER BY (SELECT a, b FROM t); SELECT a FROM t LIMIT (SELECT a, b FROM t); "
        + "SELECT CASE (SELECT a, b FROM t) WHEN 1 THEN 1 END; SELECT CASE 1 WHEN (SELECT 1, 2) THEN 1 END; SELECT CASE (SELECT 1, 2) WHEN (SELECT 1, 2) THEN 1 END; "
        + "SELECT CASE (1, 2) WHEN (1, 3) THEN 'a' WHEN (1, 2) THEN 'b' END, CASE (a, b) WHEN (3, 4) THEN 'x' ELSE 'y' END FROM t; SELECT CASE (1, 2) WHEN (1, 2, 3) THEN 1 END; "
        + "SELECT CASE WHEN (SELECT 1, 2) THEN 1 END; SELECT CASE WHEN 1 THEN (SELECT 1, 2) END; SELECT (SELECT a, b FROM t) BETWEEN 1 AND 2; SELECT (SELECT a, b FROM t) BETWEEN (0, 0) AND (9, 9); "
        + "SELECT (SELECT a, b FROM t) IN (1, 2); SELECT (SELECT a, b FROM t) IN (1); SELECT (SELECT a, b FROM t) IN ((1, 2)); SELECT (SELECT a, b FROM t) IN (SELECT a, b FROM t); "
        + "SELECT (SELECT a, b FROM t) IN (SELECT * FROM t); SELECT (a, b) = (SELECT * FROM t) FROM t; SELECT (a, b) < (SELECT a FROM t) FROM t; INSERT INTO t VALUES ((1, 2), 3); "
        + "INSERT INTO t SELECT (1, 2), 3; SELECT * FROM t LIMIT 1 OFFSET (SELECT a, b FROM t)",
        // errors
        "SELECT (1, 2); SELECT count(*) > ('abc', 'def'); SELECT 1 = (1, 2); SELECT ('a', 'b') < 3; SELECT (1, 2) BETWEEN 1 AND 2; SELECT 1 BETWEEN (0, 0) AND (3, 3); "
        + "SELECT (1, 2) BETWEEN (0, 0) AND 3; SELECT CASE (1, 2) WHEN 1 THEN 1 END; SELECT CASE 1 WHEN (1, 2) THEN 1 END; SELECT CASE WHEN (1, 2) THEN 1 END; "
        + "SELECT CAST((1, 2) AS INT); SELECT (1, 2) COLLATE nocase; SELECT abs((1, 2)); SELECT max((1, 2)); SELECT 1 IN ((1, 2)); SELECT (1, 2) IN (1, 2); "
        + "SELECT (1, 2) IN ((1, 2, 3)); SELECT (1, 2) IN ((1, 2), 3); SELECT (1, 2) IN ((1, 2), (1, 2, 3)); SELECT (1, 2) IS NULL; SELECT (1, 2) NOTNULL; SELECT (1, 2) LIKE 'a'; "
        + "SELECT -(1, 2); SELECT NOT (1, 2); SELECT (1, 2) + 1; SELECT (1, 2) AND 1; SELECT 1 WHERE (1, 2); SELECT 1 GROUP BY (1, 2); SELECT 1 LIMIT (1, 2); VALUES ((1, 2)); "
        + "SELECT (SELECT 1, 2); SELECT 1 = (SELECT 1, 2); SELECT (1, 2) = (SELECT 1); SELECT (1, 2) = (SELECT 1, 2, 3); SELECT (1, 2) IN (SELECT 1); SELECT (1, 2) IN (SELECT 1, 2, 3); "
        + "SELECT 1 IN (SELECT 1, 2); SELECT 1 + (1, 2) IN (SELECT 1, 2); SELECT (1 + (1, 2), 3) IN (SELECT 1, 2, 3); SELECT 1 + (1, 2) IN (1, 2); SELECT (1, 2) = (1, 2, 3); SELECT (1, (2, 3)) = (1, (2, 3)); SELECT 1 WHERE (SELECT 1, 2); SELECT 1 IN ((SELECT 1, 2)); "
        + "SELECT a FROM (SELECT 1 AS a UNION ALL SELECT 2) ORDER BY a, (1, 2); SELECT (SELECT 1, 2) + 1; SELECT 1 HAVING (1, 2); SELECT (1, 2) IS TRUE; SELECT coalesce((1, 2), 3); SELECT 1 FROM (SELECT 1) LIMIT 1 OFFSET (1, 2)");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Row_values_match_sqlite_when_scripted(string script) => Differential.AssertSame(script);

    [Fact]
    public void Vector_equality_seeks_an_index_when_it_is_a_where_or_on_term()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b INT); CREATE TABLE s(a INT, b INT, v); CREATE INDEX sb ON s(b, a)");
        Assert.Equal(["SEARCH s USING INDEX sb (b=?)"], Differential.Plan(c, "SELECT * FROM s WHERE (a, b) = (1, 2)"));
        Assert.Equal(["SCAN t", "SEARCH s USING INDEX sb (b=?)"], Differential.Plan(c, "SELECT * FROM t JOIN s ON (t.a, t.b) = (s.a, s.b)"));
        Assert.Equal(["SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"], Differential.Plan(c, "SELECT * FROM t WHERE (id, a) = (5, 1)"));
        // A vector range bounds a range seek on the first field's column.
        Assert.Equal(["SEARCH s USING INDEX sb (b>=?)"], Differential.Plan(c, "SELECT * FROM s WHERE (b, a) > (2, 1)"));
        Assert.Equal(["SEARCH s USING INDEX sb (b<?)"], Differential.Plan(c, "SELECT * FROM s WHERE (b, a) <= (2, 1)"));
        // Not an AND term: evaluated whole.
        Assert.Equal(["SCAN s"], Differential.Plan(c, "SELECT * FROM s WHERE (a, b) = (1, 2) OR v"));
    }

    [Fact]
    public void Generated_row_value_predicates_match_sqlite()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TERN_ROWVALUE_QUERIES"), out int n) && n > 0 ? n : 400;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var g = new RowValueGenerator(seed);
            return (g.Setup(), g.Query);
        });
    }

    /// <summary>Random tables and row-value predicates (comparisons, BETWEEN, IN) from one seed.</summary>
    private sealed class RowValueGenerator(int seed)
    {
        private readonly Random _r = new(seed);
        private static readonly string[] Types = ["", "INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB", "TEXT COLLATE NOCASE", "TEXT COLLATE RTRIM"];
        private static readonly string[] Values = ["NULL", "0", "1", "2", "-1", "1.5", "'1'", "'01'", "'a'", "'A'", "'a '", "'b'", "x'01'", "2.0"];
        private static readonly string[] Comparisons = ["=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT"];

        private T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];

        public string Setup()
        {
            var sb = new StringBuilder();
            for (int t = 0; t < 2; t++)
            {
                sb.Append($"CREATE TABLE t{t}(c0 {Pick(Types)}, c1 {Pick(Types)}, c2 {Pick(Types)}); ");
                if (_r.Next(3) == 0) sb.Append($"CREATE INDEX i{t} ON t{t}(c{_r.Next(3)}, c{_r.Next(3)}); ");
                int rows = 1 + _r.Next(5);
                for (int i = 0; i < rows; i++) sb.Append($"INSERT INTO t{t} VALUES ({Pick(Values)}, {Pick(Values)}, {Pick(Values)}); ");
            }
            return sb.ToString().TrimEnd(' ', ';');
        }

        private string Field(string table) => _r.Next(5) switch
        {
            0 => Pick(Values),
            1 => $"{table}.c{_r.Next(3)} COLLATE {Pick(new[] { "NOCASE", "BINARY", "RTRIM" })}",
            2 => $"+{table}.c{_r.Next(3)}",
            _ => $"{table}.c{_r.Next(3)}",
        };

        private string Vector(int width, string table)
        {
            if (_r.Next(6) == 0)
            {
                var cols = Enumerable.Range(0, width).Select(_ => Field("z"));
                string where = _r.Next(2) == 0 ? $" WHERE z.c0 = {table}.c{_r.Next(3)}" : "";
                return $"(SELECT {string.Join(", ", cols)} FROM t1 AS z{where} ORDER BY 1, 2)";
            }
            return "(" + string.Join(", ", Enumerable.Range(0, width).Select(_ => Field(table))) + ")";
        }

        private string Predicate(int width)
        {
            switch (_r.Next(5))
            {
                case 0:
                    return $"{Vector(width, "a")} {(_r.Next(2) == 0 ? "" : "NOT ")}BETWEEN {Vector(width, "a")} AND {Vector(width, "a")}";
                case 1:
                    {
                        var items = Enumerable.Range(0, 1 + _r.Next(3)).Select(_ => Vector(width, "a").StartsWith("(SELECT", StringComparison.Ordinal) ? "(" + string.Join(", ", Enumerable.Range(0, width).Select(_ => Pick(Values))) + ")" : Vector(width, "a"));
                        return $"{Vector(width, "a")} {(_r.Next(2) == 0 ? "" : "NOT ")}IN ({string.Join(", ", items)})";
                    }
                case 2:
                    {
                        var cols = Enumerable.Range(0, width).Select(_ => Field("z"));
                        string where = _r.Next(2) == 0 ? $" WHERE z.c{_r.Next(3)} = a.c{_r.Next(3)}" : "";
                        return $"{Vector(width, "a")} {(_r.Next(2) == 0 ? "" : "NOT ")}IN (SELECT {string.Join(", ", cols)} FROM t1 AS z{where})";
                    }
                default:
                    return $"{Vector(width, "a")} {Pick(Comparisons)} {Vector(width, "a")}";
            }
        }

        public string Query()
        {
            int width = 2 + _r.Next(2);
            string p = Predicate(width);
            return _r.Next(2) == 0
                ? $"SELECT a.rowid, {p} FROM t0 AS a"
                : $"SELECT a.rowid FROM t0 AS a WHERE {p}";
        }
    }
}
