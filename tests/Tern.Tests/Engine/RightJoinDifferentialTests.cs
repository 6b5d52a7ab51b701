// RIGHT and FULL joins compared with SQLite 3.50.4: ON, USING and NATURAL (the coalesced
// columns in * and in unqualified names), chains mixing the join kinds, WHERE terms that apply
// after the NULL rows are made (IS NULL tests, terms on either side), aggregates, GROUP BY,
// ORDER BY, DISTINCT and LIMIT over such joins, subqueries, views and CTEs on either side,
// correlated subqueries, UPDATE ... FROM, rowid aliases, indexes, empty sides, NULLs and
// duplicate keys, and SQLite's errors. A seeded generator mixes join kinds and WHERE terms;
// TERN_RIGHTJOIN_QUERIES=N sets how many generated queries run (default 400).
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public class RightJoinDifferentialTests
{
    private const string Tables =
        "CREATE TABLE a(x, y); CREATE TABLE b(x, z); CREATE TABLE c(x INTEGER PRIMARY KEY, w TEXT); CREATE TABLE e(x, v); "
        + "INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (2, 'a2b'), (NULL, 'an'), (5, 'a5'); "
        + "INSERT INTO b VALUES (2, 'b2'), (3, 'b3'), (3, 'b3b'), (NULL, 'bn'), (5, 'b5'); "
        + "INSERT INTO c VALUES (1, 'c1'), (3, 'c3'), (4, 'c4'); ";

    public static TheoryData<string> Scripts() => new(
        // RIGHT and FULL with ON: unmatched rows of either side, NULL keys never match
        Tables + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x; SELECT * FROM a RIGHT OUTER JOIN b ON a.x = b.x; "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x; SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x; "
        + "SELECT a.*, b.z FROM a RIGHT JOIN b ON a.x = b.x AND a.y > 'a2'; SELECT * FROM a FULL JOIN b ON 1; SELECT * FROM a FULL JOIN b ON 0",
        // empty sides
        Tables + "SELECT * FROM a RIGHT JOIN e ON a.x = e.x; SELECT * FROM e RIGHT JOIN a ON a.x = e.x; "
        + "SELECT * FROM a FULL JOIN e ON a.x = e.x; SELECT * FROM e FULL JOIN a ON a.x = e.x; SELECT * FROM e FULL JOIN e AS f ON 1; "
        + "SELECT * FROM e, a RIGHT JOIN b ON a.x = b.x; SELECT * FROM a, e RIGHT JOIN b ON a.x = b.x",
        // WHERE terms apply after the NULL rows: on the left table, IS NULL, on both sides
        Tables + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.x IS NULL; SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.y = 'a2'; "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE b.x IS NULL; SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x IS NULL OR b.x IS NULL; "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE coalesce(a.x, b.x) > 2; SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y IS NOT 'a2'; "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x IS 2; SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE b.z LIKE 'b3%'",
        // rowid aliases and indexes on either side
        Tables + "CREATE INDEX bx ON b(x); SELECT * FROM c RIGHT JOIN b ON c.x = b.x; SELECT * FROM b RIGHT JOIN c ON c.x = b.x; "
        + "SELECT * FROM c FULL JOIN b ON c.x = b.x WHERE c.x IS NULL; SELECT * FROM a FULL JOIN c ON c.x = a.x WHERE c.rowid IS NULL; "
        + "SELECT c.rowid, b.rowid, * FROM c FULL JOIN b ON b.x = c.x; SELECT * FROM a FULL JOIN b ON b.x = a.x AND b.x > 2",
        // WHERE terms never bound the loop of a RIGHT join's right side or of a table to its
        // left (the rows they hide would come back as unmatched): terms that are not NULL-rejecting
        Tables + "CREATE INDEX ay ON a(y); SELECT count(*) FROM a FULL JOIN c ON 1 WHERE c.x > (a.x IS NULL); "
        + "SELECT * FROM a RIGHT JOIN c ON 1 WHERE c.x = (a.x IS NOT NULL) + 2; SELECT * FROM c RIGHT JOIN b ON c.x = b.x WHERE c.x IS 3; "
        + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y IS 'a5'; SELECT * FROM a FULL JOIN c ON a.x < 3 WHERE c.x >= coalesce(a.x, 0); "
        + "SELECT * FROM c AS c1 JOIN c AS c2 ON c2.x = c1.x RIGHT JOIN b ON b.x = c1.x WHERE c2.x IS 3",
        // USING and NATURAL: the coalesced column in * and in unqualified names
        Tables + "SELECT * FROM a RIGHT JOIN b USING (x); SELECT * FROM a FULL JOIN b USING (x); SELECT x, a.x, b.x FROM a FULL JOIN b USING (x); "
        + "SELECT x, typeof(x) FROM a RIGHT JOIN b USING (x); SELECT * FROM a NATURAL FULL JOIN b; SELECT * FROM a NATURAL RIGHT JOIN c; "
        + "SELECT * FROM a FULL JOIN b USING (x) WHERE x > 2; SELECT x FROM a FULL JOIN b USING (x) ORDER BY x; "
        + "SELECT * FROM a FULL JOIN b USING (x) FULL JOIN c USING (x); SELECT * FROM a RIGHT JOIN b USING (x) RIGHT JOIN c USING (x); "
        + "SELECT * FROM a FULL JOIN b USING (x) LEFT JOIN c USING (x); SELECT * FROM a JOIN b USING (x) FULL JOIN c USING (x); "
        + "SELECT x FROM a FULL JOIN b USING (x) RIGHT JOIN c USING (x)",
        // chains mixing the join kinds
        Tables + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x RIGHT JOIN c ON b.x = c.x; SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c ON b.x = c.x; "
        + "SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = b.x OR c.x = a.x; SELECT * FROM a, b RIGHT JOIN c ON c.x = a.x; "
        + "SELECT * FROM a JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x; SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c ON c.x = b.x; "
        + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = a.x; SELECT * FROM a FULL JOIN b ON a.x = b.x JOIN c ON a.y = 'a1'; "
        + "SELECT * FROM a CROSS JOIN b RIGHT JOIN c ON c.x = b.x; SELECT * FROM a JOIN e ON 0 RIGHT JOIN c ON 1",
        // aggregates, GROUP BY, ORDER BY, DISTINCT, LIMIT over such joins
        Tables + "SELECT count(*), count(a.x), count(b.x), sum(b.x) FROM a FULL JOIN b ON a.x = b.x; "
        + "SELECT b.x, count(a.y) FROM a RIGHT JOIN b ON a.x = b.x GROUP BY b.x ORDER BY b.x; "
        + "SELECT DISTINCT a.x, b.x FROM a FULL JOIN b ON a.x = b.x ORDER BY 1, 2; SELECT * FROM a FULL JOIN b ON a.x = b.x ORDER BY b.z DESC, a.y LIMIT 4; "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x LIMIT 3 OFFSET 2; SELECT * FROM a FULL JOIN b ON a.x = b.x LIMIT 1; "
        + "SELECT coalesce(a.x, b.x) AS k, group_concat(y) FROM a FULL JOIN b ON a.x = b.x GROUP BY k HAVING count(*) > 1",
        // subqueries, views and CTEs on either side
        Tables + "CREATE VIEW vb AS SELECT x, z FROM b WHERE x > 2; SELECT * FROM a RIGHT JOIN vb ON a.x = vb.x; SELECT * FROM vb FULL JOIN a ON a.x = vb.x; "
        + "SELECT * FROM (SELECT x, y FROM a WHERE x < 5) AS s FULL JOIN b ON s.x = b.x; SELECT * FROM a RIGHT JOIN (SELECT DISTINCT x FROM b) AS s ON a.x = s.x; "
        + "WITH k(x) AS (VALUES (1), (3), (7)) SELECT * FROM a FULL JOIN k ON a.x = k.x; WITH k(x) AS (VALUES (1), (3), (7)) SELECT * FROM k RIGHT JOIN a USING (x); "
        + "SELECT * FROM (SELECT x, y FROM a) AS s FULL JOIN b ON s.x = b.x WHERE s.y IS NULL; "
        + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6) SELECT * FROM n FULL JOIN b ON n.i = b.x",
        // correlated subqueries: EXISTS past a FULL join, a join inside a correlated subquery
        Tables + "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE EXISTS (SELECT 1 FROM c WHERE c.x = coalesce(a.x, b.x)); "
        + "SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.x = b.x); "
        + "SELECT c.x, (SELECT count(*) FROM a RIGHT JOIN b ON a.x = b.x WHERE b.x = c.x) FROM c; "
        + "SELECT c.x, (SELECT group_concat(coalesce(a.y, '-') || b.z) FROM a FULL JOIN b ON a.x = b.x AND a.x = c.x) FROM c; "
        + "SELECT * FROM c WHERE c.x IN (SELECT b.x FROM a RIGHT JOIN b ON a.x = b.x WHERE a.x IS NULL)",
        // UPDATE ... FROM and DELETE with such joins
        Tables + "UPDATE c SET w = coalesce(a.y, 'none') FROM a RIGHT JOIN b ON a.x = b.x WHERE c.x = b.x; SELECT * FROM c; "
        + "UPDATE c SET w = b.z FROM a FULL JOIN b USING (x) WHERE c.x = coalesce(a.x, 0) + 2; SELECT * FROM c; "
        + "DELETE FROM a WHERE y IN (SELECT a.y FROM a FULL JOIN b ON a.x = b.x WHERE b.x IS NULL); SELECT * FROM a",
        // more shapes: a comma join after a RIGHT JOIN, a parenthesised join first, a subquery with a USING column,
        // WHERE and ON terms on the right table, NATURAL chains, USING columns in GROUP BY and ORDER BY
        Tables + "SELECT * FROM a RIGHT JOIN b ON b.x = a.x, c; SELECT * FROM (a RIGHT JOIN b ON a.x = b.x); "
        + "SELECT * FROM (a FULL JOIN b ON a.x = b.x) JOIN c ON c.x = b.x; SELECT * FROM a FULL JOIN (SELECT 1 AS x) AS s USING (x); "
        + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x WHERE c.x > 1 AND b.z IS NULL; "
        + "SELECT x FROM a NATURAL FULL JOIN b NATURAL FULL JOIN c; SELECT * FROM a FULL JOIN b USING (x) WHERE x IS NULL; "
        + "SELECT x, count(*) FROM a FULL JOIN b USING (x) GROUP BY x; SELECT * FROM a FULL JOIN b USING (x) ORDER BY x DESC; "
        + "SELECT * FROM a RIGHT JOIN b ON a.x = b.x AND b.x > 2; SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE b.x > 2",
        // SQLite's errors
        Tables + "SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c USING (x); SELECT * FROM a, b FULL JOIN c USING (x); "
        + "SELECT * FROM a RIGHT JOIN b USING (nosuch); SELECT * FROM a NATURAL RIGHT JOIN b ON a.x = b.x; SELECT x FROM a RIGHT JOIN b ON a.x = b.x; "
        + "SELECT * FROM a RIGHT JOIN b ON a.x = c.x JOIN c; SELECT * FROM a LEFT JOIN b ON a.x = c.x JOIN c; SELECT * FROM a JOIN b ON b.x = c.x RIGHT JOIN c ON 1; SELECT b.x, a.x FROM a RIGHT JOIN b ON a.x = b.x NATURAL JOIN c; "
        + "SELECT * FROM c RIGHT JOIN json_each('[1,5]') USING (rowid)");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void RightJoins_match_sqlite_when_run(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("SELECT * FROM a RIGHT JOIN b ON a.x = b.x")]
    [InlineData("SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN e ON b.x = e.x")]
    [InlineData("SELECT * FROM a, b RIGHT JOIN e ON e.x = a.x")]
    [InlineData("SELECT * FROM a FULL JOIN c ON c.x = a.x")]
    [InlineData("SELECT * FROM a RIGHT JOIN b ON b.rowid = a.x WHERE b.z IS NULL")]
    [InlineData("SELECT * FROM a LEFT JOIN b ON 1")]
    [InlineData("SELECT * FROM a LEFT JOIN c ON c.x = a.x")]
    public void RightJoin_plan_lines_match_sqlite_when_explained(string sql)
    {
        using SqliteConnection sqlite = SqliteOracle.Open(":memory:");
        using Database db = Database.Open(":memory:");
        using Connection tern = db.Connect();
        foreach (string s in Differential.Statements(Tables))
        {
            SqliteOracle.Execute(sqlite, s);
            tern.Execute(s);
        }
        var expected = new List<string>();
        using (SqliteCommand cmd = sqlite.CreateCommand())
        {
            cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read()) expected.Add(r.GetString(3));
        }
        Assert.Equal(expected, Differential.Plan(tern, sql));
    }

    /// <summary>Random joins of three or four tables mixing INNER, LEFT, RIGHT, FULL and CROSS with ON/USING and WHERE terms.</summary>
    [Fact]
    public void Generated_right_and_full_joins_match_sqlite_when_run()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TERN_RIGHTJOIN_QUERIES"), out int n) ? n : 400;
        Differential.AssertGeneratedQueriesSame(count, seed =>
        {
            var rng = new Random(seed);
            var setup = new StringBuilder();
            string[] names = ["t1", "t2", "t3", "t4"];
            foreach (string t in names)
            {
                setup.Append(rng.Next(3) == 0 ? $"CREATE TABLE {t}(k INTEGER PRIMARY KEY, v); " : $"CREATE TABLE {t}(k, v); ");
                if (rng.Next(3) == 0) setup.Append($"CREATE INDEX {t}k ON {t}(k); ");
                int rows = rng.Next(5);
                for (int r = 0; r < rows; r++)
                {
                    string k = rng.Next(6) == 0 && !setup.ToString().Contains($"{t}(k INTEGER") ? "NULL" : rng.Next(1, 6).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    setup.Append($"INSERT OR IGNORE INTO {t} VALUES ({k}, '{t}{r}'); ");
                }
            }
            return (setup.ToString(), () =>
            {
                int width = rng.Next(2, 5);
                var sql = new StringBuilder("SELECT ");
                var cols = new List<string>();
                for (int i = 0; i < width; i++) cols.Add($"{names[i]}.k, {names[i]}.v");
                sql.Append(rng.Next(4) == 0 ? "count(*), count(t1.k), count(t2.v)" : string.Join(", ", cols)).Append(" FROM t1");
                string[] kinds = ["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN", "RIGHT JOIN", "FULL JOIN"];
                for (int i = 1; i < width; i++)
                {
                    string kind = kinds[rng.Next(kinds.Length)];
                    string other = names[rng.Next(i)];
                    sql.Append(' ').Append(kind).Append(' ').Append(names[i]);
                    if (kind == "CROSS JOIN") continue;
                    sql.Append(rng.Next(3) switch
                    {
                        0 => $" ON {names[i]}.k = {other}.k",
                        1 => $" ON {names[i]}.k = {other}.k AND {other}.v > '{other}1'",
                        _ => $" ON {names[i]}.k >= {other}.k",
                    });
                }
                string pick = names[rng.Next(width)];
                sql.Append(rng.Next(5) switch
                {
                    0 => "",
                    1 => $" WHERE {pick}.k IS NULL",
                    2 => $" WHERE {pick}.k > 2",
                    3 => $" WHERE {pick}.v IS NOT NULL AND t1.k IS NOT 3",
                    _ => $" WHERE coalesce({pick}.k, 9) <> 4",
                });
                return sql.ToString();
            });
        });
    }
}
