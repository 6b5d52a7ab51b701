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
}
