// Connection.Interrupt: the running statement stops with SQLITE_INTERRUPT ("interrupted").
// As in SQLite's sqlite3VdbeHalt, an interrupted statement that writes rolls the whole
// transaction back (the connection returns to autocommit), while an interrupted read leaves
// an explicit transaction open with everything it did so far.
//
// Another thread interrupts again and again until the statement has stopped (a statement
// that starts clears an earlier interrupt, so one call could land before it runs); the
// statements never end by themselves, so nothing depends on timing.
namespace Tern.Tests.Engine;

public class InterruptTests
{
    private const string Endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)";

    private static TernException RunInterrupted(Connection c, string sql)
    {
        using var done = new CancellationTokenSource();
        Task interrupter = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                c.Interrupt();
                Thread.Sleep(1);
            }
        });
        try
        {
            return Assert.Throws<TernException>(() => c.Execute(sql));
        }
        finally
        {
            done.Cancel();
            interrupter.Wait(TimeSpan.FromMinutes(2));
        }
    }

    private static long Count(Connection c, string table)
    {
        using Statement s = c.Prepare($"SELECT count(*) FROM {table}");
        Assert.True(s.Step());
        return s.GetInt64(0);
    }

    [Fact]
    public void An_interrupted_write_rolls_the_transaction_back()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO t VALUES('committed'); BEGIN; INSERT INTO t VALUES('pending');");
        TernException e = RunInterrupted(c, $"INSERT INTO u {Endless} SELECT i FROM n");
        Assert.Equal(ResultCode.Interrupt, e.Code);
        Assert.Equal("interrupted", e.Message);
        Assert.True(c.AutoCommit, "the transaction stays open after an interrupted write");
        Assert.Equal(1, Count(c, "t"));
        Assert.Equal(0, Count(c, "u"));
        Assert.Equal("cannot commit - no transaction is active", Assert.Throws<TernException>(() => c.Execute("COMMIT")).Message);
    }

    [Fact]
    public void An_interrupted_read_keeps_the_transaction()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES('pending');");
        TernException e = RunInterrupted(c, $"{Endless} SELECT count(*) FROM n");
        Assert.Equal(ResultCode.Interrupt, e.Code);
        Assert.False(c.AutoCommit);
        c.Execute("COMMIT");
        Assert.Equal(1, Count(c, "t"));
    }

    [Fact]
    public void An_interrupted_autocommit_write_leaves_nothing()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE u(y); INSERT INTO u VALUES(0);");
        RunInterrupted(c, $"INSERT INTO u {Endless} SELECT i FROM n");
        Assert.True(c.AutoCommit);
        Assert.Equal(1, Count(c, "u"));
        c.Execute("INSERT INTO u VALUES(1)");
        Assert.Equal(2, Count(c, "u"));
    }
}
