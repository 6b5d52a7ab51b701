// A subquery's GROUP BY sees only the subquery's own FROM clause: a name there that only an
// outer query answers to is "no such column", directly, inside a function, as a rowid alias or
// inside a nested subquery; AS aliases, column numbers and the subquery's own columns still
// work. Differential against SQLite 3.50.4.
namespace Tern.Tests.Engine;

public class OuterGroupByDifferentialTests
{
    private const string Setup = "CREATE TABLE t1(b, c); INSERT INTO t1 VALUES (1, 0), (200, 1), (3, 1); CREATE TABLE t2(d); INSERT INTO t2 VALUES (2), (5); ";

    [Theory]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY t2.d)")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY abs(t2.d))")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY b, 1 + t2.d)")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY t2.oid)")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY t2._rowid_)")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY (SELECT t2.d))")]
    [InlineData("SELECT (SELECT count(*) FROM t1 GROUP BY d) FROM t2")]
    [InlineData("SELECT (SELECT count(*) FROM t1 GROUP BY (SELECT b FROM t1 AS z WHERE z.c = t2.d)) FROM t2")]
    [InlineData("SELECT t2.d FROM t2 LEFT JOIN t1 ON t2.d IN (SELECT t1.c FROM t1 AS x GROUP BY t2.d HAVING sum(x.b) > 100) ORDER BY 1")]
    [InlineData("SELECT (SELECT (SELECT count(*) FROM t1 AS y GROUP BY x.b) FROM t1 AS x LIMIT 1) FROM t2")]
    public void Outer_columns_in_a_subquerys_group_by_are_no_such_column(string query) => Differential.AssertSame(Setup + query);

    [Theory]
    [InlineData("SELECT (SELECT t2.d AS k FROM t1 GROUP BY k) FROM t2")]
    [InlineData("SELECT (SELECT t2.d FROM t1 GROUP BY 1) FROM t2")]
    [InlineData("SELECT d, (SELECT count(*) FROM t1 GROUP BY c ORDER BY 1 LIMIT 1) FROM t2")]
    [InlineData("SELECT d, (SELECT sum(b) FROM t1 WHERE b > t2.d GROUP BY c HAVING count(*) > 0 ORDER BY 1 LIMIT 1) FROM t2")]
    [InlineData("SELECT (SELECT count(*) FROM t1 GROUP BY (SELECT min(z.b) FROM t1 AS z WHERE z.c = t1.c)) FROM t2")]
    [InlineData("SELECT d FROM t2 WHERE EXISTS (SELECT 1 FROM t1 GROUP BY c HAVING max(b) > t2.d)")]
    [InlineData("SELECT c, count(*) FROM t1 GROUP BY (SELECT d FROM t2 WHERE d = t1.c + 2) ORDER BY 1")]
    public void A_subquerys_group_by_still_sees_its_own_columns_and_aliases(string query) => Differential.AssertSame(Setup + query);

    // SQLite evaluates these aggregates in the outer query; until Tern does, it refuses them
    // when prepared rather than counting them per subquery run.
    [Theory]
    [InlineData("SELECT (SELECT count(t2.d) FROM t1) FROM t2", "count")]
    [InlineData("SELECT (SELECT sum(b) FROM t1 GROUP BY c HAVING max(t2.d) > 0) FROM t2", "max")]
    [InlineData("SELECT (SELECT 1 FROM t1 ORDER BY sum(t2.d)) FROM t2", "sum")]
    public void Aggregates_of_outer_columns_are_refused(string query, string name)
    {
        List<string> lines = Differential.RunTern(Setup + query);
        Assert.Equal($"error: aggregate {name}() of an outer query's columns in a subquery is not supported", lines[^1]);
    }

    [Theory]
    [InlineData("SELECT (SELECT count(t2.d + b) FROM t1) FROM t2")]
    [InlineData("SELECT (SELECT count(*) FROM t1 WHERE b < t2.d) FROM t2")]
    [InlineData("SELECT (SELECT max(b) + t2.d FROM t1) FROM t2")]
    public void Aggregates_that_name_a_column_of_the_subquery_stay_in_it(string query) => Differential.AssertSame(Setup + query);
}
