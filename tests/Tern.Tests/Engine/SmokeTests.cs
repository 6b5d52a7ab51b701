// First end-to-end checks of the engine API: open, create, insert, select.
namespace Tern.Tests.Engine;

public class SmokeTests
{
    [Fact]
    public void Create_insert_select_returns_the_rows()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');");
        using Statement s = c.Prepare("SELECT a, b FROM t ORDER BY a DESC");
        Assert.True(s.Step());
        Assert.Equal(2, s.GetInt64(0));
        Assert.Equal("y", s.GetString(1));
        Assert.True(s.Step());
        Assert.Equal(1, s.GetInt64(0));
        Assert.False(s.Step());
    }

    [Theory]
    // Expected values from the sqlite3 shell, which has generate_series built in.
    [InlineData("SELECT group_concat(value) FROM generate_series(1, 5)", "1,2,3,4,5")]
    [InlineData("SELECT group_concat(value) FROM generate_series(10, 1, -3)", null)]
    [InlineData("SELECT group_concat(value) FROM generate_series(1, 10, -3)", "10,7,4,1")]
    [InlineData("SELECT group_concat(value) FROM generate_series(1, 11, -3)", "10,7,4,1")]
    [InlineData("SELECT count(*) || '|' || sum(value) FROM generate_series(1, 1000)", "1000|500500")]
    [InlineData("SELECT group_concat(value) FROM (SELECT value FROM generate_series(5) LIMIT 3)", "5,6,7")]
    [InlineData("SELECT group_concat(value) FROM generate_series(1, 3, 0)", "1,2,3")]
    [InlineData("SELECT count(*) FROM generate_series(NULL, 3)", "0")]
    [InlineData("SELECT group_concat(a.value || b.value) FROM generate_series(1, 2) a, generate_series(1, 2) AS b", "11,12,21,22")]
    [InlineData("SELECT group_concat((SELECT sum(g.value) FROM generate_series(o.value, 4) g)) FROM generate_series(1, 3) o", "10,9,7")]
    [InlineData("SELECT count(*) || '|' || max(value) FROM generate_series(4294967290)", "6|4294967295")]
    [InlineData("SELECT value FROM generate_series(1) LIMIT 1 OFFSET 99999", "100000")]
    public void Generate_series_matches_the_sqlite3_shell(string sql, string? expected)
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        Assert.Equal(expected, s.GetString(0));
    }
}
