// Differential tests for window functions in queries that also aggregate, or that carry
// correlated subqueries or read views: the window's inputs are then computed from each
// group's values (or carried past the loop that produced them), never from a cursor the
// loop has already left. Fixed scripts pin the cases found so far; a seeded generator
// mixes GROUP BY, HAVING, aggregates inside window arguments, PARTITION BY and ORDER BY,
// named windows, FILTER, correlated scalar subqueries and a view, and compares each
// query's rows with SQLite's as multisets (no ORDER BY is needed for that).
using System.Text;

namespace Tern.Tests.Engine;

public class WindowAggregateDifferentialTests
{
    private const string Rows =
        "CREATE TABLE t0(c0, c1); INSERT INTO t0 VALUES (1, 'a'), (2, 'b'), (3, 'a'), (NULL, 'c'); ";

    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t0(c0); INSERT INTO t0 VALUES (1), (2); SELECT max(c0) OVER (), max('abc ') FROM t0; SELECT c0, max(c0) OVER (), count(*) FROM t0",
        Rows + "SELECT sum(sum(c0)) OVER (), count(*) FROM t0 GROUP BY c1 ORDER BY 2; SELECT c1, sum(c0), row_number() OVER (ORDER BY sum(c0)) FROM t0 GROUP BY c1 ORDER BY 1",
        Rows + "SELECT c1, rank() OVER (PARTITION BY count(*) ORDER BY c1) FROM t0 GROUP BY c1 ORDER BY 1; SELECT c1, c0, first_value(c0) OVER (ORDER BY c1) FROM t0 GROUP BY c1 HAVING count(*) > 0 ORDER BY 1",
        Rows + "SELECT c1, sum(c0) OVER w FROM t0 GROUP BY c1 WINDOW w AS (ORDER BY count(*), c1) ORDER BY 1; SELECT c1, count(*) FILTER (WHERE sum(c0) > 1) OVER () FROM t0 GROUP BY c1 ORDER BY 1",
        Rows + "SELECT c1, sum(c0) FILTER (WHERE c0 > 1) OVER (PARTITION BY c1) FROM t0 GROUP BY c1, c0 ORDER BY 1, 2; SELECT c0, max(c0) OVER (), max(c1) FROM t0",
        Rows + "SELECT c0, (SELECT count(*) FROM t0 AS x WHERE x.c0 < t0.c0), row_number() OVER (ORDER BY c0) FROM t0 ORDER BY 1; "
        + "SELECT c1, (SELECT max(x.c0) FROM t0 AS x WHERE x.c1 = t0.c1), sum(c0) OVER (ORDER BY c1) FROM t0 GROUP BY c1 ORDER BY 1",
        Rows + "CREATE VIEW v0 AS SELECT c0 * 2 AS d, c1 FROM t0; SELECT d, sum(d) OVER (PARTITION BY c1 ORDER BY d), (SELECT count(*) FROM t0 WHERE t0.c0 = v0.d) FROM v0 ORDER BY 1; "
        + "SELECT count(*), sum(count(*)) OVER (), min(d) OVER () FROM v0; SELECT c1, max(d), lag(max(d)) OVER (ORDER BY c1) FROM v0 GROUP BY c1 ORDER BY 1",
        Rows + "SELECT c1 FROM t0 GROUP BY c1 HAVING row_number() OVER () > 1; SELECT c1 FROM t0 GROUP BY c1 HAVING max(c0) OVER () > 1; SELECT c1 FROM t0 WHERE row_number() OVER () > 1; "
        + "SELECT c1 FROM t0 WHERE sum(c0) OVER () > 1; SELECT c1 FROM t0 GROUP BY sum(c0) OVER (); SELECT count(*) FROM t0 GROUP BY row_number() OVER ()",
        Rows + "SELECT sum(row_number() OVER ()) FROM t0; SELECT row_number() OVER (ORDER BY row_number() OVER ()) FROM t0; SELECT * FROM t0 JOIN t0 AS x ON row_number() OVER () = 1; "
        + "SELECT 1 FROM t0 WHERE abs(c0) OVER () > 1; SELECT 1 FROM t0 WHERE row_number(1) OVER () > 1; SELECT 1 FROM t0 WHERE count(*) OVER () > 1; SELECT 1 FROM t0 WHERE nosuch(c0) OVER () > 1",
        Rows + "SELECT c1 FROM t0 GROUP BY c1 ORDER BY sum(count(*)) OVER (ORDER BY c1), 1; SELECT c1, sum(c0) FROM t0 GROUP BY c1 ORDER BY rank() OVER (ORDER BY sum(c0) DESC), c1",
        // Calls over different windows run in passes, the last window's first; each pass sees the rows in the order the one before left them.
        "CREATE TABLE t(x); INSERT INTO t VALUES (3), (1), (2), (5), (4); SELECT x, row_number() OVER (), rank() OVER (ORDER BY x) FROM t; SELECT x, rank() OVER (ORDER BY x), row_number() OVER () FROM t; "
        + "SELECT x, row_number() OVER (ORDER BY x % 2), row_number() OVER (), row_number() OVER (ORDER BY x % 2) FROM t; SELECT x, row_number() OVER (ORDER BY x % 2), row_number() OVER (), sum(x) OVER (ORDER BY x % 2) FROM t; "
        + "SELECT x, rank() OVER (ORDER BY x % 2), row_number() OVER (), sum(x) OVER (ORDER BY x % 2) FROM t; SELECT x, row_number() OVER (ORDER BY x DESC), row_number() OVER (ORDER BY x), row_number() OVER () FROM t",
        // Bare columns: with several min()/max(), the last one stepped (result columns, then ORDER BY, then HAVING) picks the row.
        "CREATE TABLE t(c0, c1, c2); INSERT INTO t VALUES (1, 5, 'x'), (2, 9, 'a'), (3, 1, 'z'), (4, 7, 'b'), (5, 0, 'c'); SELECT c0, max(c1), min(c1) FROM t; SELECT c0, max(c1), max(c2) FROM t; "
        + "SELECT c0, max(c1), min(c1) FILTER (WHERE c0 < 3) FROM t; SELECT c0 FROM t GROUP BY c2 > 'm' HAVING max(c1) > 0 ORDER BY min(c1); SELECT c0 FROM t GROUP BY c2 > 'm' HAVING min(c1) >= 0 ORDER BY max(c1); "
        + "SELECT c0, max(c1), sum(max(c1)) OVER () FROM t; SELECT c1 + 1, total(min(c0)) OVER (ORDER BY count(*)), min(c2) FROM t",
        // Groups take the ORDER BY's directions when it has as many terms as GROUP BY, which shows in the order of ties.
        "CREATE TABLE t(x, y); INSERT INTO t VALUES (1, 0), (2, 0), (3, 0), (4, 0), (NULL, 1); SELECT x FROM t GROUP BY x ORDER BY count(*) DESC; SELECT x, y FROM t GROUP BY x, y ORDER BY count(*), y DESC; "
        + "SELECT x FROM t GROUP BY x ORDER BY count(*) DESC LIMIT 2; SELECT x, row_number() OVER (ORDER BY count(*) DESC) FROM t GROUP BY x; SELECT x, count(*) OVER (ORDER BY count(*) ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t GROUP BY x",
        // min() and max() over a window compare text with their argument's collation, on every kind of frame.
        "CREATE TABLE t2(c0 BOOLEAN COLLATE NOCASE, c1 AS (c0) STORED); INSERT INTO t2(c0) VALUES ('a'), ('ABC'); SELECT DISTINCT max(c0) OVER (ORDER BY c1) FROM t2; "
        + "CREATE TABLE w(k INTEGER PRIMARY KEY, n TEXT COLLATE NOCASE, r TEXT COLLATE RTRIM, b TEXT); INSERT INTO w(n, r, b) VALUES ('b', 'x ', 'b'), ('ABC', 'x', 'ABC'), ('_', 'x  ', '_'), ('B', 'a', 'B'), ('a', 'a ', 'a'); "
        + "SELECT k, min(n) OVER (ORDER BY k), max(n) OVER (ORDER BY k), min(b) OVER (ORDER BY k), max(b COLLATE NOCASE) OVER (ORDER BY k) FROM w ORDER BY k; "
        + "SELECT k, min(n) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(n) OVER (ORDER BY k ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM w ORDER BY k; "
        + "SELECT k, min(n) OVER (ORDER BY k RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(n) OVER (ORDER BY k GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) FROM w ORDER BY k; "
        + "SELECT k, min(n) OVER (), max(n) OVER (PARTITION BY r), min(r) OVER (PARTITION BY r ORDER BY k), max(n) FILTER (WHERE k > 1) OVER (ORDER BY k ROWS 2 PRECEDING) FROM w ORDER BY k; "
        + "SELECT k, group_concat(n, '') OVER (ORDER BY n, k), first_value(n) OVER (ORDER BY n DESC, k) FROM w ORDER BY k; "
        + "CREATE TABLE t0(c0 CHARINT NOT NULL, c1 CHARINT DEFAULT 'abc' COLLATE NOCASE, c2 DATE); INSERT INTO t0 VALUES (-0.0, 'B', 4.9e-324); INSERT INTO t0(c0, c2) VALUES (-1, -1e308); "
        + "SELECT percent_rank() OVER (PARTITION BY c2), min(c1) OVER (ORDER BY c0), cume_dist() OVER (PARTITION BY c2 ORDER BY c0 DESC) FROM t0 ORDER BY 1, 2, 3 LIMIT 4",
        // Of tying values, min()/max() over a sliding frame give the one that came last (SQLite keeps them in an index by (value, arrival)); from UNBOUNDED PRECEDING or with EXCLUDE the first.
        "CREATE TABLE w(k INTEGER PRIMARY KEY, n TEXT COLLATE NOCASE, v); "
        + "INSERT INTO w(n, v) VALUES ('b', 1), ('ABC', 1.0), ('_', 2), ('B', 2.0), ('a', 1), ('A', 2), ('b', 1.0); "
        + "SELECT k, max(n) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING), min(n) OVER (ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), max(v) OVER (ORDER BY k ROWS 2 PRECEDING), min(v) OVER (ORDER BY k ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM w; "
        + "SELECT k, max(n) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING), max(v) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), min(v) OVER () FROM w; "
        + "SELECT k, max(n) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW), max(v) OVER (ORDER BY k ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING EXCLUDE GROUP), min(v) OVER (ORDER BY v GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM w; "
        + "SELECT k, max(v) OVER (ORDER BY v RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING), min(v) OVER (PARTITION BY n ORDER BY k ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) FROM w ORDER BY k; "
        + "SELECT k, max(n) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW), max(v) FILTER (WHERE k <> 4) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND 3 FOLLOWING) FROM w; "
        + "SELECT k, max(v) OVER (ORDER BY k ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING), min(v) OVER (ORDER BY v, k RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), max(n) OVER (ORDER BY n GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING), min(n) OVER (ORDER BY n DESC GROUPS 1 PRECEDING) FROM w ORDER BY k; "
        + "SELECT k, max(v) OVER (ORDER BY k RANGE BETWEEN 2 PRECEDING AND 1 PRECEDING), min(n) OVER (PARTITION BY v ORDER BY k ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM w ORDER BY k");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Window_functions_match_sqlite_when_the_query_aggregates_or_correlates(string script) => Differential.AssertSame(script);

    private static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_WINDOWAGG_QUERIES"), out int n) && n > 0 ? n : 600;

    [Fact]
    public void Window_functions_over_aggregates_match_sqlite_for_generated_queries()
    {
        var failures = new List<string>();
        int compared = 0;
        const int perSchema = 20;
        for (int seed = 0; compared < Count; seed++)
        {
            var rng = new Random(seed);
            var script = new StringBuilder(Schema(rng));
            var queries = new List<string>();
            for (int i = 0; i < perSchema && compared + i < Count; i++) queries.Add(Query(rng));
            foreach (string q in queries) script.Append(q).Append(";\n").Append(Marker).Append(";\n");
            List<string> expected = Split(Differential.RunSqlite(script.ToString()));
            List<string> actual = Split(Differential.RunTern(script.ToString()));
            Assert.Equal(queries.Count, expected.Count);
            for (int i = 0; i < queries.Count; i++)
            {
                string a = i < actual.Count ? actual[i] : "<none>";
                if (expected[i] != a && failures.Count < 5) failures.Add($"seed {seed}:\n{Schema(new Random(seed))}{queries[i]};\n--- sqlite\n{expected[i]}\n--- tern\n{a}");
            }
            compared += queries.Count;
        }
        Assert.True(failures.Count == 0, $"{failures.Count}+ of {compared} queries differ:\n" + string.Join("\n\n", failures));
    }

    /// <summary>Follows every generated query, so each query's output is the lines before the next marker row.</summary>
    private const string Marker = "SELECT 'query-end' AS marker";

    /// <summary>Cuts a transcript into one block per query, its lines sorted (row order does not count).</summary>
    private static List<string> Split(List<string> transcript)
    {
        var blocks = new List<string>();
        var current = new List<string>();
        foreach (string line in transcript)
        {
            if (line == "cols: marker" || line.StartsWith("changes:", StringComparison.Ordinal)) continue;
            if (line == "t:query-end")
            {
                blocks.Add(string.Join("\n", current.Order(StringComparer.Ordinal)));
                current.Clear();
            }
            else current.Add(line);
        }
        return blocks;
    }

    private static readonly string[] Values = ["NULL", "0", "1", "-1", "2", "3", "7", "1.5", "-2.5", "'a'", "'b'", "'B'", "'10'", "x'00'", "''"];
    private static readonly string[] Types = ["", "INT", "TEXT", "REAL", "NUMERIC"];

    /// <summary>Two tables of a few edge values each, every query's source, and a view over the first.</summary>
    private static string Schema(Random rng)
    {
        var sb = new StringBuilder();
        sb.Append("CREATE TABLE t0(c0 ").Append(Pick(rng, Types)).Append(", c1 ").Append(Pick(rng, Types)).Append(", c2 ").Append(Pick(rng, Types)).Append(");\n");
        sb.Append("CREATE TABLE t1(c0, c1);\n");
        int rows = rng.Next(0, 9);
        for (int i = 0; i < rows; i++)
            sb.Append($"INSERT INTO t0 VALUES ({Pick(rng, Values)}, {Pick(rng, Values)}, {Pick(rng, Values)});\n");
        for (int i = 0; i < 4; i++) sb.Append($"INSERT INTO t1 VALUES ({Pick(rng, Values)}, {Pick(rng, Values)});\n");
        sb.Append(rng.Next(2) == 0
            ? "CREATE VIEW v0 AS SELECT c0 + 1 AS c0, c1, c2 FROM t0;\n"
            : "CREATE VIEW v0 AS SELECT c0, c1 || '' AS c1, c2 FROM t0 WHERE c2 IS NOT 3;\n");
        return sb.ToString();
    }

    /// <summary>
    /// One SELECT: optionally grouped (then its operands are group keys, aggregates or bare
    /// columns), with window calls whose arguments, partitions and orders use those operands.
    /// </summary>
    private static string Query(Random rng)
    {
        string src = rng.Next(3) == 0 ? "v0" : "t0";
        int grouping = rng.Next(4); // 0 none, 1 aggregate without GROUP BY, 2 GROUP BY c1, 3 GROUP BY c1, c2
        bool aggregate = grouping > 0;
        string Column() => Pick(rng, ["c0", "c1", "c2"]);
        string Aggregate() => rng.Next(6) switch
        {
            0 => "count(*)",
            1 => $"sum({Column()})",
            2 => $"min({Column()})",
            3 => $"max({Column()})",
            4 => $"total({Column()})",
            _ => $"count({Column()})",
        };
        string Operand()
        {
            int k = rng.Next(aggregate ? 4 : 2);
            return k switch
            {
                0 => Column(),
                1 => rng.Next(2) == 0 ? $"({Column()} + 1)" : $"(SELECT count(*) FROM t1 WHERE t1.c0 = {src}.{Column()})",
                2 => Aggregate(),
                _ => $"({Aggregate()} * 2)",
            };
        }
        string Spec()
        {
            var parts = new List<string>();
            if (rng.Next(3) == 0) parts.Add("PARTITION BY " + Operand());
            if (rng.Next(2) == 0) parts.Add("ORDER BY " + Operand() + (rng.Next(3) == 0 ? " DESC" : "") + ", " + Operand());
            if (parts.Count > 0 && parts[^1].StartsWith("ORDER", StringComparison.Ordinal) && rng.Next(3) == 0) parts.Add("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW");
            return string.Join(" ", parts);
        }
        string Window()
        {
            string over = rng.Next(5) == 0 ? "OVER w" : $"OVER ({Spec()})";
            return rng.Next(9) switch
            {
                0 => $"row_number() {over}",
                1 => $"rank() {over}",
                2 => $"dense_rank() {over}",
                3 => $"count(*) {over}",
                4 => $"sum({Operand()}) {over}",
                5 => $"max({Operand()}) {over}",
                6 => $"count({Operand()}) FILTER (WHERE {Operand()} > 1) {over}",
                7 => $"cume_dist() {over}",
                _ => $"total({Operand()}) {over}",
            };
        }
        var results = new List<string>();
        int n = rng.Next(1, 4);
        for (int i = 0; i < n; i++) results.Add(rng.Next(2) == 0 ? Window() : Operand());
        if (!results.Exists(r => r.Contains("OVER", StringComparison.Ordinal))) results.Add(Window());
        var sb = new StringBuilder("SELECT ").Append(string.Join(", ", results)).Append(" FROM ").Append(src);
        if (rng.Next(3) == 0) sb.Append(" WHERE ").Append(Column()).Append(" IS NOT NULL");
        if (grouping == 2) sb.Append(" GROUP BY c1");
        if (grouping == 3) sb.Append(" GROUP BY c1, c2");
        if (grouping >= 2 && rng.Next(3) == 0) sb.Append(" HAVING ").Append(Aggregate()).Append(" > 0");
        if (results.Exists(r => r.Contains("OVER w", StringComparison.Ordinal)))
            sb.Append(" WINDOW w AS (").Append(Spec()).Append(')');
        return sb.ToString();
    }

    private static string Pick(Random rng, string[] items) => items[rng.Next(items.Length)];
}
