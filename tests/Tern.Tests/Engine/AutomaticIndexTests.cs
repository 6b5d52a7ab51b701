// Automatic indexes: an inner loop tied to the outer ones by an equality on a column no
// index covers gets a transient index built once per statement and is then seeked. The
// results (affinities, collations, NULLs, LEFT JOIN, duplicates, correlated subqueries)
// must be SQLite's, and EXPLAIN QUERY PLAN must show the automatic index.
namespace Tern.Tests.Engine;

public class AutomaticIndexTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE a(x, y); CREATE TABLE b(x INTEGER, z TEXT COLLATE NOCASE); "
        + "INSERT INTO a VALUES (1, 'p'), (2, 'q'), ('3', 'r'), (NULL, 's'), (2.0, 't'), ('abc', 'u'); "
        + "INSERT INTO b VALUES (1, 'P'), (2, 'x'), (2, 'y'), (3, 'Q'), (NULL, 'n'), ('abc', 'U'); "
        + "SELECT a.y, b.z FROM a, b WHERE a.x = b.x ORDER BY 1, 2; SELECT a.y, b.z FROM a JOIN b ON b.x = a.x ORDER BY 1, 2; "
        + "SELECT a.y, b.x FROM a LEFT JOIN b ON b.z = a.y ORDER BY 1, 2; SELECT a.y, b.x FROM a JOIN b ON b.z = a.y COLLATE BINARY ORDER BY 1; "
        + "SELECT y, (SELECT count(*) FROM b WHERE b.x = a.x) FROM a ORDER BY 1; SELECT count(*) FROM a, b AS b1, b AS b2 WHERE b1.x = a.x AND b2.z = b1.z",
        "CREATE TABLE big(k, v); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO big SELECT i % 700, i FROM n; "
        + "CREATE TABLE small(k); INSERT INTO small VALUES (5), (699), (700), (-1), (5); "
        + "SELECT small.k, count(big.v), sum(big.v) FROM small LEFT JOIN big ON big.k = small.k GROUP BY small.rowid ORDER BY small.rowid; "
        + "SELECT count(*) FROM big b1 JOIN big b2 ON b1.k = b2.k WHERE b1.v < 50");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    [Fact]
    public void The_plan_shows_an_automatic_index_for_an_unindexed_join_column()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t1(a, b); CREATE TABLE t2(c, d); CREATE INDEX t2d ON t2(d)");
        var details = new List<string>();
        using (Statement s = c.Prepare("EXPLAIN QUERY PLAN SELECT * FROM t1 JOIN t2 ON t1.a = t2.c"))
        {
            while (s.Step()) details.Add(s.GetString(3)!);
        }
        Assert.Equal(["SCAN t1", "SEARCH t2 USING AUTOMATIC INDEX (c=?)"], details);
        details.Clear();
        using (Statement s = c.Prepare("EXPLAIN QUERY PLAN SELECT * FROM t1 JOIN t2 ON t1.a = t2.d"))
        {
            while (s.Step()) details.Add(s.GetString(3)!);
        }
        Assert.Equal(["SCAN t1", "SEARCH t2 USING INDEX t2d (d=?)"], details);
        details.Clear();
        c.Execute("PRAGMA automatic_index = OFF");
        using (Statement s = c.Prepare("EXPLAIN QUERY PLAN SELECT * FROM t1 JOIN t2 ON t1.a = t2.c"))
        {
            while (s.Step()) details.Add(s.GetString(3)!);
        }
        Assert.Equal(["SCAN t1", "SCAN t2"], details);
    }
}
