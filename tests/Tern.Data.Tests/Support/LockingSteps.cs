// Steps the locking scenarios share (LockingTests in rollback-journal mode, WalLockingTests
// in WAL mode): a seeded table t(x), statements with an optional transaction and timeout,
// a row count, and a release run from another thread once the waiter is waiting.
using System.Data.Common;
using System.Globalization;

namespace Tern.Data.Tests.Support;

internal static class LockingSteps
{
    /// <summary>Opens a connection and fills t(x) with 1..<paramref name="rows"/>; in WAL mode first when <paramref name="wal"/> (its answer goes into the transcript).</summary>
    public static DbConnection Seed(Db db, string cs, int rows = 2, bool wal = false)
    {
        DbConnection c = db.Open(cs);
        if (wal) db.T.Add("journal mode", Db.Scalar(c, "PRAGMA journal_mode=WAL"));
        Db.Exec(c, "CREATE TABLE t(x)");
        for (int i = 1; i <= rows; i++) Db.Exec(c, "INSERT INTO t VALUES (@v)", ("@v", i));
        return c;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="tx"/> with the command timeout given, as a non-query or a scalar.</summary>
    public static object? RunSql(DbConnection c, DbTransaction? tx, string sql, int? timeout = null, bool scalar = false)
    {
        using DbCommand cmd = Db.Command(c, sql);
        cmd.Transaction = tx;
        if (timeout is int t) cmd.CommandTimeout = t;
        return scalar ? cmd.ExecuteScalar() : cmd.ExecuteNonQuery();
    }

    /// <summary>The rows of t.</summary>
    public static long Count(DbConnection c, DbTransaction? tx = null, int? timeout = null) =>
        Convert.ToInt64(RunSql(c, tx, "SELECT count(*) FROM t", timeout, scalar: true), CultureInfo.InvariantCulture);

    /// <summary>Starts a thread that waits for <paramref name="go"/>, gives the waiter time to start waiting, then runs <paramref name="release"/>.</summary>
    public static Task ReleaseLater(ManualResetEventSlim go, Action release) => Task.Run(() =>
    {
        go.Wait();
        // The waiter is told to wait many seconds; whether it is already waiting or not, it succeeds.
        Thread.Sleep(300);
        release();
    });
}
