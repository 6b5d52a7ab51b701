// Pins the oracle's version: the corpora's expected results come from SQLite 3.50.4.
namespace Tern.Tests.Support;

public class OracleVersionTests
{
    [Fact]
    public void Oracle_is_sqlite_3_50_4()
    {
        using var c = SqliteOracle.Open(":memory:");
        Assert.Equal("3.50.4", SqliteOracle.Scalar(c, "SELECT sqlite_version()"));
    }
}
