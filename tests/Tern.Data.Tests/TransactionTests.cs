// Transactions on both providers: commit, rollback, dispose, isolation levels as the
// reference maps them, deferred and immediate, savepoints, COMMIT/ROLLBACK as SQL,
// commands outside the transaction, and the errors of misuse; also busy waiting between
// two connections to one file.
using System.Data;
using System.Data.Common;
using Tern.Data.Tests.Support;

namespace Tern.Data.Tests;

public class TransactionTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    private static DbConnection Seed(Db db, string? cs = null)
    {
        DbConnection c = cs == null ? db.Open() : db.Open(cs);
        Db.Exec(c, "CREATE TABLE t(x)");
        return c;
    }

    private static int Count(DbConnection c, DbTransaction? tx = null)
    {
        using DbCommand cmd = Db.Command(c, "SELECT count(*) FROM t");
        cmd.Transaction = tx;
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Insert(DbConnection c, DbTransaction? tx, int v)
    {
        using DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (@v)", ("@v", v));
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    [Theory, MemberData(nameof(P))]
    public void Commit_keeps_changes(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        db.T.Add("inside", Count(c, tx));
        tx.Commit();
        db.T.Add("after", Count(c));
        db.T.Add("connection after", tx.Connection);
        db.T.Try("commit twice", () => tx.Commit());
        db.T.Try("rollback after commit", () => tx.Rollback());
    });

    [Theory, MemberData(nameof(P))]
    public void Rollback_discards_changes(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        tx.Rollback();
        db.T.Add("after", Count(c));
        db.T.Try("rollback twice", () => tx.Rollback());
    });

    [Theory, MemberData(nameof(P))]
    public void Dispose_rolls_back(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        using (DbTransaction tx = c.BeginTransaction()) Insert(c, tx, 1);
        db.T.Add("after", Count(c));
        DbTransaction t2 = c.BeginTransaction();
        t2.Commit();
        t2.Dispose();
        db.T.Add("dispose after commit ok", true);
    });

    [Theory, MemberData(nameof(P))]
    public void Closing_the_connection_rolls_back(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db, db.FileConnectionString());
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        c.Close();
        db.T.Try("commit after close", () => tx.Commit());
        c.Open();
        db.T.Add("after", Count(c));
    });

    [Theory, MemberData(nameof(P))]
    public void Nested_transactions_are_refused(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        db.T.Try("nested", () => c.BeginTransaction());
        tx.Rollback();
        db.T.Try("again", () => c.BeginTransaction().Rollback());
    });

    [Theory, MemberData(nameof(P))]
    public void Command_needs_the_connection_transaction(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbCommand cmd = Db.Command(c, "INSERT INTO t VALUES (1)");
        DbTransaction tx = c.BeginTransaction();
        db.T.Try("without", () => cmd.ExecuteNonQuery());
        cmd.Transaction = tx;
        db.T.Try("with", () => cmd.ExecuteNonQuery());
        tx.Commit();
        db.T.Try("stale", () => cmd.ExecuteNonQuery());
        DbConnection other = Seed(db);
        DbTransaction otx = other.BeginTransaction();
        cmd.Transaction = otx;
        db.T.Try("foreign", () => cmd.ExecuteNonQuery());
        otx.Rollback();
    });

    [Theory, MemberData(nameof(P))]
    public void Isolation_levels_map_as_the_reference_maps_them(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        foreach (IsolationLevel level in new[] { IsolationLevel.Unspecified, IsolationLevel.ReadCommitted, IsolationLevel.RepeatableRead, IsolationLevel.Serializable, IsolationLevel.ReadUncommitted, IsolationLevel.Snapshot, IsolationLevel.Chaos })
        {
            db.T.Try(level.ToString(), () =>
            {
                using DbTransaction tx = c.BeginTransaction(level);
                return tx.IsolationLevel;
            });
        }
    });

    [Theory, MemberData(nameof(P))]
    public void Read_uncommitted_on_shared_cache(string p) => Run(p, db =>
    {
        DbConnection c = db.Open("Data Source=ru-" + Guid.NewGuid().ToString("N") + ";Mode=Memory;Cache=Shared");
        using DbTransaction tx = c.BeginTransaction(IsolationLevel.ReadUncommitted);
        db.T.Add("level", tx.IsolationLevel);
        DbCommand cmd = Db.Command(c, "SELECT 1");
        cmd.Transaction = tx;
        db.T.Add("query", cmd.ExecuteScalar());
    });

    [Theory, MemberData(nameof(P))]
    public void Deferred_and_immediate_transactions(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        dynamic dc = c;
        DbTransaction d = dc.BeginTransaction(true);
        db.T.Add("deferred level", d.IsolationLevel);
        Insert(c, d, 1);
        d.Commit();
        DbTransaction i = dc.BeginTransaction(false);
        Insert(c, i, 2);
        i.Commit();
        DbTransaction l = dc.BeginTransaction(IsolationLevel.Serializable, true);
        l.Rollback();
        db.T.Add("count", Count(c));
    });

    [Theory, MemberData(nameof(P))]
    public void Savepoints(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        db.T.Add("supports", tx.SupportsSavepoints);
        Insert(c, tx, 1);
        tx.Save("a");
        Insert(c, tx, 2);
        tx.Save("b \"quoted\"");
        Insert(c, tx, 3);
        tx.Rollback("b \"quoted\"");
        db.T.Add("after rollback to b", Count(c, tx));
        tx.Rollback("a");
        db.T.Add("after rollback to a", Count(c, tx));
        Insert(c, tx, 4);
        tx.Release("a");
        db.T.Try("release unknown", () => tx.Release("zz"));
        db.T.Try("null name", () => tx.Save(null!));
        tx.Commit();
        db.T.Add("after commit", Count(c));
        db.T.Try("save after commit", () => tx.Save("c"));
    });

    [Theory, MemberData(nameof(P))]
    public void Savepoints_async(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        tx.SaveAsync("s").GetAwaiter().GetResult();
        Insert(c, tx, 1);
        tx.RollbackAsync("s").GetAwaiter().GetResult();
        tx.ReleaseAsync("s").GetAwaiter().GetResult();
        tx.CommitAsync().GetAwaiter().GetResult();
        db.T.Add("count", Count(c));
    });

    [Theory, MemberData(nameof(P))]
    public void Rollback_as_sql_ends_the_transaction_object(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        using (DbCommand cmd = Db.Command(c, "ROLLBACK"))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        db.T.Try("commit", () => tx.Commit());
        db.T.Try("insert", () => Insert(c, tx, 2));
        db.T.Try("rollback", () => tx.Rollback());
        db.T.Add("count", Count(c));
        db.T.Try("begin again", () => c.BeginTransaction().Commit());
    });

    [Theory, MemberData(nameof(P))]
    public void Commit_as_sql_then_commit_fails(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        using (DbCommand cmd = Db.Command(c, "COMMIT"))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        db.T.Try("commit", () => tx.Commit());
        db.T.Try("rollback", () => tx.Rollback());
        db.T.Add("count", Count(c));
    });

    [Theory, MemberData(nameof(P))]
    public void Begin_as_sql_inside_transaction_fails(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        using DbCommand cmd = Db.Command(c, "BEGIN");
        cmd.Transaction = tx;
        db.T.Try("begin", () => cmd.ExecuteNonQuery());
        tx.Rollback();
        db.T.Try("commit without", () => Db.Exec(c, "COMMIT"));
        db.T.Try("rollback without", () => Db.Exec(c, "ROLLBACK"));
    });

    [Theory, MemberData(nameof(P))]
    public void Failed_statement_inside_transaction_keeps_earlier_work(string p) => Run(p, db =>
    {
        DbConnection c = db.Open();
        Db.Exec(c, "CREATE TABLE t(x UNIQUE)");
        DbTransaction tx = c.BeginTransaction();
        Insert(c, tx, 1);
        db.T.Try("dup", () => Insert(c, tx, 1));
        Insert(c, tx, 2);
        tx.Commit();
        db.T.Add("count", Count(c));
    });

    [Theory, MemberData(nameof(P))]
    public void Transaction_properties(string p) => Run(p, db =>
    {
        DbConnection c = Seed(db);
        DbTransaction tx = c.BeginTransaction();
        db.T.Add("connection", tx.Connection == c);
        db.T.Add("level", tx.IsolationLevel);
        tx.Rollback();
        db.T.Add("connection after", tx.Connection);
    });

    [Theory, MemberData(nameof(P))]
    public void Writer_blocks_second_writer_until_timeout(string p) => Run(p, db =>
    {
        DbConnection a = Seed(db, db.FileConnectionString());
        DbConnection b = db.Open(db.FileConnectionString(extra: "Default Timeout=1"));
        DbTransaction tx = a.BeginTransaction();
        Insert(a, tx, 1);
        db.T.Try("b begin", () => b.BeginTransaction());
        DbCommand cmd = Db.Command(b, "INSERT INTO t VALUES (5)");
        cmd.CommandTimeout = 1;
        db.T.Try("b insert", () => cmd.ExecuteNonQuery());
        tx.Commit();
        db.T.Try("b insert after commit", () => cmd.ExecuteNonQuery());
        db.T.Add("count", Count(a));
    });

    [Theory, MemberData(nameof(P))]
    public void Waiting_writer_proceeds_when_the_lock_is_released(string p) => Run(p, db =>
    {
        DbConnection a = Seed(db, db.FileConnectionString());
        DbConnection b = db.Open(db.FileConnectionString());
        DbTransaction tx = a.BeginTransaction();
        Insert(a, tx, 1);
        var release = Task.Run(() =>
        {
            Thread.Sleep(400);
            tx.Commit();
        });
        DbCommand cmd = Db.Command(b, "INSERT INTO t VALUES (2)");
        cmd.CommandTimeout = 10;
        db.T.Try("b insert", () => cmd.ExecuteNonQuery());
        release.Wait();
        db.T.Add("count", Count(b));
    });
}
