// Recursive common table expressions compared with SQLite 3.50.4: the queue as a FIFO or,
// with ORDER BY on the recursive SELECT, a priority queue (graph walks breadth and depth
// first, tree sorting, ties in arrival order, NULLS FIRST/LAST, collations), LIMIT and
// OFFSET counted on the rows taken from the queue, UNION against UNION ALL, several initial
// and several recursive SELECTs, recursive CTEs inside correlated subqueries, and the errors
// SQLite gives for misuse; then random recursive CTEs. A queue past the sort memory limit
// spills to a temporary file and gives the same rows.
using System.Text;
using Tern.Storage.Io;

namespace Tern.Tests.Engine;

public class RecursiveCteDifferentialTests
{
    private const string Graph =
        "CREATE TABLE edge(a INTEGER, b INTEGER); CREATE INDEX edge_a ON edge(a); "
        + "INSERT INTO edge VALUES (1,2),(1,3),(2,4),(2,5),(3,6),(5,7),(6,7),(4,8),(7,8),(8,1); ";

    private const string Org =
        "CREATE TABLE org(name TEXT PRIMARY KEY, boss TEXT REFERENCES org, height INT); "
        + "INSERT INTO org VALUES ('Alice', NULL, 160), ('Bob', 'Alice', 170), ('Cindy', 'Alice', 150), ('Dave', 'Bob', 180), "
        + "('Emma', 'Bob', 165), ('Fred', 'Cindy', 175), ('Gail', 'Cindy', 155), ('Hank', 'Gail', 190), ('Ivy', 'Gail', NULL); ";

    public static TheoryData<string> Scripts() => new(
        // graph walks: breadth first, depth first, with a visited set (UNION) and without
        Graph
        + "WITH RECURSIVE p(n, d) AS (VALUES(1, 0) UNION ALL SELECT b, d + 1 FROM edge JOIN p ON edge.a = p.n WHERE d < 4 ORDER BY 2, 1) SELECT n, d FROM p; "
        + "WITH RECURSIVE p(n, d) AS (VALUES(1, 0) UNION ALL SELECT b, d + 1 FROM edge JOIN p ON edge.a = p.n WHERE d < 4 ORDER BY 2 DESC, 1) SELECT n, d FROM p; "
        + "WITH RECURSIVE p(n) AS (VALUES(1) UNION SELECT b FROM edge, p WHERE edge.a = p.n) SELECT n FROM p; "
        + "WITH RECURSIVE p(n) AS (VALUES(1) UNION SELECT b FROM p JOIN edge ON a = n ORDER BY 1 DESC) SELECT n FROM p; "
        + "WITH RECURSIVE p(n, path) AS (VALUES(1, '1') UNION ALL SELECT b, path || '>' || b FROM p JOIN edge ON a = n WHERE instr(path, b) = 0 ORDER BY 2) SELECT * FROM p; "
        + "SELECT count(*), sum(n) FROM (WITH RECURSIVE p(n, d) AS (VALUES(1, 0) UNION ALL SELECT b, d + 1 FROM p JOIN edge ON a = n WHERE d < 6 ORDER BY 2 DESC) SELECT n FROM p)",
        // tree sorting (SQLite's documentation's org chart), depth first and breadth first
        Org
        + "WITH RECURSIVE under(name, level) AS (VALUES('Alice', 0) UNION ALL SELECT org.name, under.level + 1 FROM org JOIN under ON org.boss = under.name ORDER BY 2 DESC) "
        + "SELECT substr('..........', 1, level * 3) || name FROM under; "
        + "WITH RECURSIVE under(name, level) AS (VALUES('Alice', 0) UNION ALL SELECT org.name, under.level + 1 FROM org JOIN under ON org.boss = under.name ORDER BY 2) "
        + "SELECT name, level FROM under; "
        + "WITH RECURSIVE under(name, h) AS (SELECT name, height FROM org WHERE boss IS NULL UNION ALL SELECT org.name, org.height FROM org, under WHERE org.boss = under.name ORDER BY 2 DESC NULLS FIRST) SELECT * FROM under; "
        + "WITH RECURSIVE under(name, h) AS (SELECT name, height FROM org WHERE boss IS NULL UNION ALL SELECT org.name, org.height FROM org, under WHERE org.boss = under.name ORDER BY h NULLS LAST) SELECT * FROM under; "
        + "WITH RECURSIVE under(name) AS (VALUES('Alice') UNION ALL SELECT org.name FROM org, under WHERE org.boss = under.name ORDER BY 1) SELECT * FROM under; "
        + "WITH RECURSIVE under(name) AS (VALUES('Alice') UNION ALL SELECT org.name FROM org, under WHERE org.boss = under.name ORDER BY 1 COLLATE NOCASE DESC) SELECT * FROM under",
        // ORDER BY terms: numbers, aliases of any SELECT, expressions, ties in arrival order, NULLs
        "WITH s(a, b) AS (VALUES(1,3),(1,1),(2,0) UNION ALL SELECT a + 1, b FROM s WHERE a < 3 ORDER BY 2, 1 DESC) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT 1 AS first UNION ALL SELECT x + 1 AS later FROM s WHERE x < 5 ORDER BY later DESC) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT 1 AS first UNION ALL SELECT x + 1 AS later FROM s WHERE x < 5 ORDER BY first) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT 1 UNION ALL SELECT s.x * 2 FROM s WHERE s.x < 40 ORDER BY s.x * 2 DESC) SELECT * FROM s; "
        + "WITH s(x, t) AS (SELECT 1, 'a' UNION ALL SELECT 1, 'b' UNION ALL SELECT 2, 'c' UNION ALL SELECT x + 1, t FROM s WHERE x < 3 ORDER BY 1) SELECT * FROM s; "
        + "WITH s(v, k) AS (VALUES('n', NULL), ('one', 1), ('zero', 0), ('m', NULL) UNION ALL SELECT v || '+', k + 1 FROM s WHERE length(v) < 3 ORDER BY 2) SELECT * FROM s; "
        + "WITH s(v, k) AS (VALUES('n', NULL), ('one', 1), ('zero', 0) UNION ALL SELECT v || '+', k + 1 FROM s WHERE length(v) < 3 ORDER BY 2 NULLS LAST) SELECT * FROM s; "
        + "WITH s(v, k) AS (VALUES('n', NULL), ('one', 1), ('zero', 0) UNION ALL SELECT v || '+', k + 1 FROM s WHERE length(v) < 3 ORDER BY 2 DESC) SELECT * FROM s; "
        + "WITH s(v, k) AS (VALUES('n', NULL), ('one', 1), ('zero', 0) UNION ALL SELECT v || '+', k + 1 FROM s WHERE length(v) < 3 ORDER BY 2 DESC NULLS FIRST) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT 5 UNION ALL SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 7 ORDER BY x DESC) SELECT * FROM s; "
        + "WITH s(x, d) AS (SELECT 1, 0 UNION ALL SELECT x * 2, d + 1 FROM s WHERE d < 3 UNION ALL SELECT x * 3, d + 1 FROM s WHERE d < 3 ORDER BY d DESC, x) SELECT * FROM s; "
        + "WITH s(x, y) AS (SELECT 1, 'q' UNION ALL SELECT x + 1, typeof(y) FROM s WHERE x < 4 ORDER BY 2, 1) SELECT * FROM s",
        // collations: the column's (from any SELECT, the left-most first), COLLATE in ORDER BY, UNION sets
        "CREATE TABLE w(v TEXT COLLATE NOCASE); INSERT INTO w VALUES ('b'), ('A'), ('c'); "
        + "WITH s(x) AS (VALUES('b'), ('A') UNION ALL SELECT 'c' COLLATE NOCASE FROM s WHERE 0 ORDER BY 1) SELECT * FROM s; "
        + "WITH s(x) AS (VALUES('b'), ('A'), ('a') UNION ALL SELECT x FROM s WHERE 0 ORDER BY 1 COLLATE NOCASE) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT v FROM w UNION ALL SELECT x || '!' FROM s WHERE length(x) < 2 ORDER BY 1) SELECT * FROM s; "
        + "WITH s(x) AS (SELECT v FROM w UNION ALL SELECT x || '!' FROM s WHERE length(x) < 2 ORDER BY 1 COLLATE BINARY DESC) SELECT * FROM s; "
        + "WITH s(x) AS (VALUES('a' COLLATE NOCASE) UNION SELECT upper(x) FROM s) SELECT * FROM s; "
        + "WITH s(x) AS (VALUES('a') UNION SELECT upper(x) COLLATE NOCASE FROM s) SELECT * FROM s; "
        + "WITH s(x) AS (VALUES('a') UNION SELECT upper(x) FROM s) SELECT * FROM s; "
        + "WITH s(x) AS (VALUES('a ') UNION SELECT trim(x) COLLATE RTRIM FROM s) SELECT x, length(x) FROM s; "
        + "WITH s(x) AS (SELECT v FROM w UNION SELECT lower(x) FROM s ORDER BY 1 DESC) SELECT * FROM s",
        // LIMIT and OFFSET: counted on rows taken, LIMIT 0, expressions, negative values, with ORDER BY, UNION and UNION ALL
        "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c LIMIT 5 OFFSET 5) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 20 LIMIT 2 + 3 OFFSET 1 + 1) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT 0) SELECT count(*) FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT -1 OFFSET -3) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT 10 OFFSET 20) SELECT count(*) FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 5 LIMIT 3, 2) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x % 3 FROM c LIMIT 7) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION SELECT (x + 1) % 3 FROM c LIMIT 7) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION SELECT (x + 1) % 3 FROM c LIMIT 2 OFFSET 1) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c ORDER BY 1 DESC LIMIT 4) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1), (10) UNION ALL SELECT x + 1 FROM c WHERE x < 12 ORDER BY 1 DESC LIMIT 4 OFFSET 2) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1), (1), (2) UNION SELECT x + 1 FROM c WHERE x < 4 ORDER BY 1 LIMIT 3 OFFSET 1) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 3; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c ORDER BY 1) SELECT x FROM c WHERE x % 2 = 0 LIMIT 3; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT 'a') SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT 2 OFFSET 'a') SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM c WHERE x < 3 LIMIT '2') SELECT * FROM c; "
        + "WITH c(x) AS (SELECT json_extract('bad', '$') UNION ALL SELECT x FROM c LIMIT 0) SELECT x FROM c",
        // several initial SELECTs (their own compound: UNION sorts, INTERSECT, EXCEPT) and several recursive ones
        "WITH c(x) AS (SELECT 2 UNION SELECT 1 UNION SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH c(x) AS (SELECT 2 UNION ALL SELECT 1 UNION SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH c(x) AS (SELECT 2 UNION SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH c(x) AS (SELECT 1 UNION SELECT 2 EXCEPT SELECT 2 UNION ALL SELECT x + 1 FROM c WHERE x < 4) SELECT * FROM c; "
        + "WITH c(x) AS (SELECT 1 INTERSECT SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(3), (1) UNION ALL SELECT x * 2 FROM c WHERE x < 20 UNION ALL SELECT x * 3 FROM c WHERE x < 20) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(3), (1) UNION SELECT x * 2 FROM c WHERE x < 20 UNION SELECT x * 3 FROM c WHERE x < 20) SELECT * FROM c; "
        + "WITH c(x) AS (VALUES(1) UNION SELECT x * 2 FROM c WHERE x < 20 UNION SELECT x * 3 FROM c WHERE x < 20 ORDER BY 1) SELECT * FROM c; "
        + "WITH c(x, y) AS (VALUES(1, 'a') UNION ALL SELECT x + 1, y FROM c WHERE x < 3 UNION ALL SELECT x + 10, y || 'b' FROM c WHERE x < 3 ORDER BY 1 DESC LIMIT 6) SELECT * FROM c; "
        + "WITH RECURSIVE outer_seq(x) AS (WITH inner_seq(y) AS (SELECT 2) SELECT y FROM inner_seq UNION ALL SELECT x * 2 FROM outer_seq WHERE x < 20) SELECT x FROM outer_seq",
        // recursive CTEs inside correlated subqueries: each run starts afresh
        "CREATE TABLE b(n INTEGER); INSERT INTO b VALUES (4), (2), (6), (0); "
        + "SELECT n, (WITH RECURSIVE r(x) AS (VALUES(b.n) UNION SELECT x - 1 FROM r WHERE x > 0 ORDER BY 1 DESC) SELECT group_concat(x) FROM r) FROM b; "
        + "SELECT n, (WITH RECURSIVE r(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM r WHERE x < b.n ORDER BY 1 DESC LIMIT 3) SELECT group_concat(x) FROM r) FROM b; "
        + "SELECT n, (WITH RECURSIVE r(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM r WHERE x < b.n LIMIT 3 OFFSET 1) SELECT group_concat(x) FROM r) FROM b; "
        + "SELECT n, (WITH RECURSIVE r(x) AS (VALUES(1) UNION SELECT x + 1 FROM r WHERE x < b.n) SELECT count(*) FROM r) FROM b; "
        + "SELECT n FROM b WHERE n = (WITH RECURSIVE r(x) AS (VALUES(0) UNION ALL SELECT x + 2 FROM r WHERE x < b.n) SELECT max(x) FROM r) ORDER BY n; "
        + "SELECT lo.n, hi.n, (WITH RECURSIVE r(x) AS (VALUES(lo.n) UNION SELECT x + 1 FROM r WHERE x < hi.n) SELECT group_concat(x) FROM r) FROM b lo JOIN b hi ON lo.n < hi.n ORDER BY 1, 2; "
        + "SELECT n, EXISTS (WITH RECURSIVE r(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM r WHERE x < 5) SELECT 1 FROM r WHERE x = b.n) FROM b",
        // a CTE read in several places is materialized once (random() agrees), unless NOT MATERIALIZED;
        // FROM subqueries and CTEs naming columns of the enclosing query
        "CREATE TABLE t(a INTEGER); INSERT INTO t VALUES (2), (4); "
        + "WITH m AS MATERIALIZED (SELECT random() AS r) SELECT (SELECT r FROM m) = (SELECT r FROM m); "
        + "WITH m AS (SELECT random() AS r) SELECT x.r = y.r FROM m x, m y; "
        + "WITH m AS (SELECT random() AS r) SELECT count(*) FROM t WHERE (SELECT r FROM m) = (SELECT r FROM m); "
        + "WITH m AS NOT MATERIALIZED (SELECT abs(random()) % 1 AS r) SELECT (SELECT r FROM m) = (SELECT r FROM m); "
        + "WITH m(v) AS (VALUES(1), (2), (3)) SELECT x.v, y.v FROM m x JOIN m y ON y.v >= x.v ORDER BY 1, 2; "
        + "SELECT a, (SELECT count(*) FROM (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < t.a) SELECT i FROM r)) FROM t; "
        + "SELECT a, (SELECT sum(v) FROM (SELECT t.a * 10 AS v UNION ALL SELECT 1)) FROM t; "
        + "SELECT a, (WITH u(v) AS (SELECT t.a + 1) SELECT v FROM u) FROM t",
        // RETURNING materializes a CTE of its own, after the first row's triggers ran
        "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); CREATE TABLE s(id INTEGER PRIMARY KEY, bump INTEGER); "
        + "INSERT INTO t VALUES (1, 0), (2, 0), (3, 0); INSERT INTO s VALUES (1, 1), (2, 2), (3, 3); "
        + "CREATE TRIGGER bu BEFORE UPDATE ON t WHEN NEW.id = 1 BEGIN UPDATE s SET bump = 100 WHERE id = 2; END; "
        + "WITH c(id, bump) AS (SELECT id, bump FROM s) UPDATE t SET v = src.bump FROM c AS src WHERE t.id = src.id RETURNING id, v, (SELECT bump FROM c WHERE c.id = t.id); "
        + "SELECT * FROM t",
        // misuse: SQLite's errors
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT max(x) FROM c)) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT (SELECT x + 1 FROM c)) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c, c AS d) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT x FROM c UNION ALL SELECT 1) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY 2) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY 0) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY y) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 AS p UNION ALL SELECT x + 1 AS q FROM c WHERE x < 3 ORDER BY x) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT c.x + 1 FROM c WHERE c.x < 3 ORDER BY c.x) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 ORDER BY 1 COLLATE nosuch) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1, 2 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 INTERSECT SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 UNION SELECT x + 2 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT max(x) OVER () FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3 GROUP BY x) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT DISTINCT x + 1 FROM c WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE EXISTS (SELECT 1 FROM c)) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM (SELECT x FROM c) WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LEFT JOIN t ON 1 WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x, m) AS (WITH u AS (SELECT max(x) AS m FROM c) SELECT 1, 0 UNION ALL SELECT x + 1, (SELECT m FROM u) FROM c WHERE x < 4) SELECT * FROM c; "
        + "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c(1) WHERE x < 3) SELECT * FROM c; "
        + "WITH RECURSIVE c(x, y) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Recursive_ctes_give_sqlites_rows_and_errors(string script) => Differential.AssertSame(script);

    /// <summary>
    /// Random recursive CTEs: one or two initial SELECTs over a small table or VALUES, one or two
    /// recursive SELECTs, UNION or UNION ALL, an optional ORDER BY over result columns, LIMIT and
    /// OFFSET, read by a query that aggregates or lists the rows.
    /// </summary>
    [Fact]
    public void Random_recursive_ctes_give_sqlites_rows()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TERN_RECURSIVE_CTE_QUERIES"), out int n) && n > 0 ? n : 240;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var rng = new Random(7100 + seed);
            const string setup = "CREATE TABLE t(a INTEGER, b TEXT, c REAL); "
                + "INSERT INTO t VALUES (1, 'x', 0.5), (2, 'Y', NULL), (3, 'x', 2.0), (NULL, 'z', 1.5), (5, NULL, -1.0), (2, 'y', 3.25)";
            return (setup, () => Query(rng));
        });
    }

    private static string Query(Random rng)
    {
        string[] anchors =
        [
            "SELECT a, b FROM t WHERE a IS NOT NULL", "VALUES (1, 'x')", "SELECT 0, 'q'", "SELECT a % 3, upper(b) FROM t",
            "VALUES (NULL, 'n'), (4, NULL)", "SELECT max(a), min(b) FROM t",
        ];
        // Every step stops by itself ({0}: a bound on x and on y's length), so UNION ends; UNION ALL also gets a LIMIT.
        string[] steps =
        [
            "SELECT x + 1, y FROM r WHERE {0}", "SELECT x * 2, y || 'a' FROM r WHERE {0}", "SELECT x + a, b FROM r JOIN t ON t.a = r.x % 3 WHERE {0}",
            "SELECT x - 1, lower(y) FROM r WHERE {0}", "SELECT (x + 1) % 4, y FROM r", "SELECT x + 1, coalesce(y, 'n') || x FROM r WHERE {0}",
        ];
        var sb = new StringBuilder("WITH RECURSIVE r(x, y) AS (");
        sb.Append(anchors[rng.Next(anchors.Length)]);
        if (rng.Next(4) == 0) sb.Append(rng.Next(2) == 0 ? " UNION ALL " : " UNION ").Append(anchors[rng.Next(anchors.Length)]);
        string op = rng.Next(2) == 0 ? " UNION ALL " : " UNION ";
        int arms = rng.Next(3) == 0 ? 2 : 1;
        for (int i = 0; i < arms; i++)
        {
            string bound = $"abs(x) < {rng.Next(3, 9)} AND length(coalesce(y, '')) < 6";
            sb.Append(op).Append(steps[rng.Next(steps.Length)].Replace("{0}", bound, StringComparison.Ordinal));
        }
        if (rng.Next(2) == 0)
        {
            string[] terms = ["1", "2", "1 DESC", "2 DESC", "2 COLLATE NOCASE", "1 NULLS LAST", "2 DESC NULLS FIRST", "x", "y DESC"];
            sb.Append(" ORDER BY ").Append(terms[rng.Next(terms.Length)]);
            if (rng.Next(2) == 0) sb.Append(", ").Append(terms[rng.Next(terms.Length)]);
        }
        bool unbounded = op == " UNION ALL ";
        if (unbounded || rng.Next(3) == 0)
        {
            sb.Append(" LIMIT ").Append(rng.Next(0, 25));
            if (rng.Next(2) == 0) sb.Append(" OFFSET ").Append(rng.Next(0, 6));
        }
        sb.Append(") ");
        string[] readers =
        [
            "SELECT x, y FROM r", "SELECT count(*), sum(x), group_concat(y) FROM r", "SELECT x, y FROM r ORDER BY 1, 2", "SELECT t.a, r.y FROM t, r WHERE t.a = r.x",
            "SELECT (SELECT group_concat(x) FROM r WHERE x > t.a), a FROM t", "SELECT x, y FROM r LIMIT 4",
        ];
        return sb.Append(readers[rng.Next(readers.Length)]).ToString();
    }

    private static List<string> Rows(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        var rows = new List<string>();
        while (s.Step()) rows.Add(string.Join("|", Enumerable.Range(0, s.ColumnCount).Select(i => s.GetValue(i).ToString())));
        return rows;
    }

    public static TheoryData<string> LargeQueues() => new(
        // a priority queue holding thousands of rows at once (a binary tree walked smallest first)
        "WITH RECURSIVE c(x, p) AS (VALUES(1, '') UNION ALL SELECT x * 2 + k, printf('%s-%d', p, k) FROM c, (SELECT 0 AS k UNION ALL SELECT 1) WHERE x < 12000 ORDER BY 2 DESC, 1) "
        + "SELECT x, p FROM c",
        // the same walk breadth first (a FIFO) and with a visited set
        "WITH RECURSIVE c(x, p) AS (VALUES(1, '') UNION ALL SELECT x * 2 + k, printf('%s-%d', p, k) FROM c, (SELECT 0 AS k UNION ALL SELECT 1) WHERE x < 12000) SELECT x, p FROM c",
        "WITH RECURSIVE c(x) AS (VALUES(1) UNION SELECT (x * 7 + k) % 15000 FROM c, (SELECT 0 AS k UNION ALL SELECT 3) ORDER BY 1 DESC) SELECT x FROM c",
        // read by an aggregate (the CTE's rows collected first)
        "SELECT count(*), sum(x), min(p), max(p) FROM (WITH RECURSIVE c(x, p) AS (VALUES(1, 'r') UNION ALL SELECT x * 2 + k, p || k FROM c, (SELECT 0 AS k UNION ALL SELECT 1) WHERE x < 9000 ORDER BY 2 DESC) SELECT x, p FROM c)");

    [Theory]
    [MemberData(nameof(LargeQueues))]
    public void A_spilled_queue_gives_the_in_memory_queues_rows_in_order(string query)
    {
        using Database small = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 8 * 1024 });
        using Database big = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 0 });
        using Connection cs = small.Connect();
        using Connection cb = big.Connect();
        List<string> expected = Rows(cb, query);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Rows(cs, query));
    }

    [Fact]
    public void A_large_queue_spills_to_a_temporary_file_that_goes_with_the_statement()
    {
        var fs = new MemoryFileSystem();
        using Database db = Database.Open("queue.db", new DatabaseOptions { FileSystem = fs, SortMemoryLimit = 8 * 1024 });
        using Connection c = db.Connect();
        using (Statement s = c.Prepare(
            "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x * 2 + k FROM c, (SELECT 0 AS k UNION ALL SELECT 1) WHERE x < 20000 ORDER BY 1) SELECT x FROM c"))
        {
            int n = 0;
            long last = 0;
            bool spilled = false;
            while (s.Step())
            {
                long x = s.GetInt64(0);
                Assert.True(x > last);
                last = x;
                n++;
                spilled |= fs.Files.Any(f => f.StartsWith("tern-sort-", StringComparison.Ordinal));
            }
            Assert.Equal(39999, n);
            Assert.True(spilled);
        }
        Assert.DoesNotContain(fs.Files, f => f.StartsWith("tern-", StringComparison.Ordinal));
    }
}
