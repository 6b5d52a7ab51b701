// Async methods on both providers: OpenAsync, ExecuteReaderAsync, ReadAsync,
// NextResultAsync, ExecuteNonQueryAsync, ExecuteScalarAsync, transactions, disposal,
// and cancellation tokens (already cancelled, and cancelled between rows).
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class AsyncTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    private static void Sync(Func<Task> f) => f().GetAwaiter().GetResult();

    [Theory, MemberData(nameof(P))]
    public void Async_round_trip(string p) => Run(p, db => Sync(async () =>
    {
        await using DbConnection c = db.Connection();
        await c.OpenAsync();
        db.T.Add("state", c.State);
        await using DbCommand create = Db.Command(c, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
        db.T.Add("nonquery", await create.ExecuteNonQueryAsync());
        await using DbCommand q = Db.Command(c, "SELECT x FROM t ORDER BY x; SELECT 'second'");
        await using DbDataReader r = await q.ExecuteReaderAsync();
        while (await r.ReadAsync()) db.T.Add("row", r.GetValue(0));
        db.T.Add("next", await r.NextResultAsync());
        db.T.Add("read", await r.ReadAsync());
        db.T.Add("value", await r.GetFieldValueAsync<string>(0));
        db.T.Add("isnull", await r.IsDBNullAsync(0));
        db.T.Add("next2", await r.NextResultAsync());
        await r.CloseAsync();
        db.T.Add("scalar", await Db.Command(c, "SELECT sum(x) FROM t").ExecuteScalarAsync());
        await c.CloseAsync();
        db.T.Add("closed", c.State);
    }));

    [Theory, MemberData(nameof(P))]
    public void Async_transaction(string p) => Run(p, db => Sync(async () =>
    {
        DbConnection c = db.Open();
        await Db.Command(c, "CREATE TABLE t(x)").ExecuteNonQueryAsync();
        await using (DbTransaction tx = await c.BeginTransactionAsync())
        {
            DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (1)");
            cmd.Transaction = tx;
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        await using (DbTransaction tx = await c.BeginTransactionAsync())
        {
            DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (2)");
            cmd.Transaction = tx;
            await cmd.ExecuteNonQueryAsync();
            await tx.RollbackAsync();
        }
        db.T.Add("count", await Db.Command(c, "SELECT count(*) FROM t").ExecuteScalarAsync());
    }));

    [Theory, MemberData(nameof(P))]
    public void Cancelled_token_stops_before_running(string p) => Run(p, db => Sync(async () =>
    {
        DbConnection c = db.Connection();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await TryAsync(db, "open", () => c.OpenAsync(cts.Token));
        c.Open();
        Db.Exec(c, "CREATE TABLE t(x)");
        DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (1)");
        await TryAsync(db, "nonquery", () => cmd.ExecuteNonQueryAsync(cts.Token));
        await TryAsync(db, "scalar", () => cmd.ExecuteScalarAsync(cts.Token));
        await TryAsync(db, "reader", () => cmd.ExecuteReaderAsync(cts.Token));
        db.T.Add("count", Db.Scalar(c, "SELECT count(*) FROM t"));
    }));

    [Theory, MemberData(nameof(P))]
    public void Cancellation_is_honoured_between_rows(string p) => Run(p, db => Sync(async () =>
    {
        DbConnection c = db.Open();
        using var cts = new CancellationTokenSource();
        DbCommand cmd = Db.Command(c, "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) SELECT i FROM s");
        await using DbDataReader r = await cmd.ExecuteReaderAsync(cts.Token);
        int n = 0;
        try
        {
            while (await r.ReadAsync(cts.Token))
            {
                if (++n == 10) cts.Cancel();
            }
        }
        catch (OperationCanceledException e)
        {
            db.T.Add("cancelled", e.GetType().Name);
        }
        db.T.Add("rows", n);
    }));

    [Theory, MemberData(nameof(P))]
    public void Async_errors_surface_as_faulted_tasks(string p) => Run(p, db => Sync(async () =>
    {
        DbConnection c = db.Open();
        await TryAsync(db, "nonquery", () => Db.Command(c, "SELECT * FROM nope").ExecuteNonQueryAsync());
        await TryAsync(db, "reader", () => Db.Command(c, "SELECT * FROM nope").ExecuteReaderAsync());
        await TryAsync(db, "scalar", () => Db.Command(c, "SELEC").ExecuteScalarAsync());
    }));

    [Theory, MemberData(nameof(P))]
    public void Async_disposal_and_prepare(string p) => Run(p, db => Sync(async () =>
    {
        DbConnection c = db.Open();
        DbCommand cmd = Db.Command(c, "SELECT @a * 2", ("@a", 21));
        await cmd.PrepareAsync();
        db.T.Add("value", await cmd.ExecuteScalarAsync());
        await cmd.DisposeAsync();
        await c.DisposeAsync();
        db.T.Add("state", c.State);
    }));

    [Theory, MemberData(nameof(P))]
    public void Data_source_async(string p) => Run(p, db => Sync(async () =>
    {
        await using DbDataSource ds = db.Factory.CreateDataSource("Data Source=:memory:");
        await using DbConnection c = await ds.OpenConnectionAsync();
        db.T.Add("state", c.State);
        await using DbCommand cmd = ds.CreateCommand("SELECT 'hi'");
        db.T.Add("value", await cmd.ExecuteScalarAsync());
    }));

    private static async Task TryAsync(Db db, string label, Func<Task> f)
    {
        try
        {
            await f();
            db.T.Note(label + " ok");
        }
        catch (Exception e)
        {
            db.T.Note(label + " threw " + Transcript.Describe(e));
        }
    }
}
