// Locking between connections to one file in WAL mode, on both providers: deferred
// transactions that read side by side while a third connection commits (readers keep
// their snapshot; the one that then wants to write gets SQLITE_BUSY_SNAPSHOT), a writer
// beside an open data reader (in WAL it does not wait), two writers colliding until the
// command timeout (or until the other commits, from another thread), DROP TABLE and
// checkpoints while a reader is open, and leaving WAL mode while another connection is
// open. Nothing here measures time: a wait that must fail has nobody to end it (1 s
// timeouts), a wait that must succeed is ended by another thread and allowed many seconds.
using System.Data.Common;
using System.Globalization;
using Tern.Data.Tests.Support;
using static Tern.Data.Tests.Support.LockingSteps;

namespace Tern.Data.Tests;

public class WalLockingTests : ScenarioBase
{
    public static TheoryData<string> P => Providers.Both;

    [Theory, MemberData(nameof(P))]
    public void Deferred_readers_keep_their_snapshot_while_a_third_connection_commits(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection w = Seed(db, cs, wal: true);
        DbConnection a = db.Open(cs);
        DbConnection b = db.Open(cs);
        dynamic da = a, dbb = b;
        DbTransaction ta = da.BeginTransaction(true);
        DbTransaction tb = dbb.BeginTransaction(true);
        db.T.Add("a reads", Count(a, ta));
        db.T.Add("b reads", Count(b, tb));
        db.T.Try("w inserts", () => RunSql(w, null, "INSERT INTO t VALUES (3)", timeout: 1));
        db.T.Try("w inserts again", () => RunSql(w, null, "INSERT INTO t VALUES (4)", timeout: 1));
        db.T.Add("a sees", Count(a, ta));
        db.T.Add("b sees", Count(b, tb));
        db.T.Add("w sees", Count(w));
        db.T.Try("a writes on its old snapshot", () => RunSql(a, ta, "INSERT INTO t VALUES (5)", timeout: 1));
        db.T.Try("a reads after refusal", () => Count(a, ta));
        db.T.Try("a commits", () => ta.Commit());
        db.T.Add("a sees after", Count(a));
        db.T.Try("b rolls back", () => tb.Rollback());
        DbTransaction tb2 = dbb.BeginTransaction(true);
        db.T.Add("b sees in a new transaction", Count(b, tb2));
        db.T.Try("b writes", () => RunSql(b, tb2, "INSERT INTO t VALUES (5)", timeout: 1));
        db.T.Try("b commits", () => tb2.Commit());
        db.T.Add("w after", Count(w));
        Assert.Contains(db.T.Lines, l => l.StartsWith("a writes on its old snapshot threw DbError(5/517)", StringComparison.Ordinal));
        Assert.Contains("a sees = Int64 2", db.T.Lines);
    });

    [Theory, MemberData(nameof(P))]
    public void Busy_snapshot_when_a_deferred_transaction_upgrades_is_not_waited_out(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection w = Seed(db, cs, wal: true);
        DbConnection r = db.Open(cs);
        dynamic dr = r;
        DbTransaction tr = dr.BeginTransaction(true);
        db.T.Add("r reads", Count(r, tr));
        Db.Exec(w, "UPDATE t SET x = x + 10");
        db.T.Try("r updates", () => RunSql(r, tr, "UPDATE t SET x = 0", timeout: 1));
        db.T.Try("r deletes", () => RunSql(r, tr, "DELETE FROM t", timeout: 1));
        db.T.Add("r still reads", RunSql(r, tr, "SELECT sum(x) FROM t", scalar: true));
        db.T.Try("r commits", () => tr.Commit());
        db.T.Add("r sum", RunSql(r, null, "SELECT sum(x) FROM t", scalar: true));
        DbTransaction immediate = r.BeginTransaction();
        db.T.Try("w writes beside an immediate transaction", () => RunSql(w, null, "INSERT INTO t VALUES (9)", timeout: 1));
        db.T.Add("w still reads", Count(w));
        immediate.Rollback();
        Assert.Contains(db.T.Lines, l => l.StartsWith("r updates threw DbError(5/517)", StringComparison.Ordinal));
    });

    [Theory, MemberData(nameof(P))]
    public void Writer_beside_an_open_reader_does_not_wait(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs, rows: 3, wal: true);
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT x FROM t ORDER BY x");
        DbDataReader reader = q.ExecuteReader();
        db.T.Add("first row", reader.Read() ? reader.GetValue(0) : null);
        db.T.Try("autocommit insert", () => RunSql(w, null, "INSERT INTO t VALUES (4)", timeout: 1));
        DbTransaction tx = w.BeginTransaction();
        db.T.Try("delete in transaction", () => RunSql(w, tx, "DELETE FROM t WHERE x = 2", timeout: 1));
        db.T.Try("commit", () => tx.Commit());
        db.T.Add("writer count", Count(w));
        db.T.Add("reader goes on", reader.Read() ? reader.GetValue(0) : null);
        db.T.Add("reader goes on", reader.Read() ? reader.GetValue(0) : null);
        db.T.Add("reader at end", reader.Read());
        reader.Dispose();
        db.T.Add("count after", Count(r));
        db.T.Try("checkpoint", () => db.Query(w, "PRAGMA wal_checkpoint(TRUNCATE)"));
        Assert.Contains("autocommit insert = Int32 1", db.T.Lines);
    });

    [Theory, MemberData(nameof(P))]
    public void Two_writers_collide_until_the_command_timeout(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection a = Seed(db, cs, wal: true);
        DbConnection b = db.Open(db.FileConnectionString(extra: "Default Timeout=1"));
        DbTransaction ta = a.BeginTransaction();
        RunSql(a, ta, "INSERT INTO t VALUES (3)");
        db.T.Try("b autocommit insert", () => RunSql(b, null, "INSERT INTO t VALUES (4)", timeout: 1));
        db.T.Try("b begins", () => b.BeginTransaction());
        db.T.Add("b reads", Count(b));
        db.T.Try("b begin immediate", () => Db.Exec(b, "BEGIN IMMEDIATE"));
        db.T.Add("b in a transaction", RunSql(b, null, "SELECT count(*) FROM t", scalar: true));
        using (var go = new ManualResetEventSlim())
        {
            Task release = ReleaseLater(go, ta.Commit);
            go.Set();
            db.T.Try("b inserts while a commits later", () => RunSql(b, null, "INSERT INTO t VALUES (5)", timeout: 30));
            release.Wait();
        }
        db.T.Add("count", Count(b));
        DbTransaction tb = b.BeginTransaction();
        using (var go = new ManualResetEventSlim())
        {
            Task release = ReleaseLater(go, tb.Rollback);
            go.Set();
            db.T.Try("a waits with timeout 0", () => RunSql(a, null, "INSERT INTO t VALUES (6)", timeout: 0));
            release.Wait();
        }
        db.T.Add("count after", Count(a));
    });

    [Theory, MemberData(nameof(P))]
    public void Drop_table_beside_an_open_reader(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString();
        DbConnection w = Seed(db, cs, wal: true);
        Db.Exec(w, "CREATE TABLE u(y); INSERT INTO u VALUES ('u1'), ('u2')");
        DbConnection r = db.Open(cs);
        using DbCommand q = Db.Command(r, "SELECT y FROM u");
        using (DbDataReader reader = q.ExecuteReader())
        {
            db.T.Add("first row", reader.Read() ? reader.GetValue(0) : null);
            db.T.Try("drop table being read", () => RunSql(w, null, "DROP TABLE u", timeout: 1));
            db.T.Try("create index", () => RunSql(w, null, "CREATE INDEX tx ON t(x)", timeout: 1));
            db.T.Add("schema on the writer", RunSql(w, null, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)", scalar: true));
            db.T.Add("reader goes on", reader.Read() ? reader.GetValue(0) : null);
            db.T.Add("reader at end", reader.Read());
            db.T.Try("checkpoint beside the reader", () => db.Query(w, "PRAGMA wal_checkpoint"));
        }
        db.T.Add("schema on the reader", RunSql(r, null, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema ORDER BY name)", scalar: true));
        db.T.Try("reader selects the dropped table", () => RunSql(r, null, "SELECT count(*) FROM u", scalar: true));
        db.T.Add("integrity", Db.Scalar(r, "PRAGMA integrity_check"));
    });

    [Theory, MemberData(nameof(P))]
    public void Leaving_wal_mode_needs_the_other_connections_closed(string p) => Run(p, db =>
    {
        string cs = db.FileConnectionString(extra: "Default Timeout=1");
        DbConnection a = Seed(db, cs, wal: true);
        DbConnection b = db.Open(cs);
        db.T.Add("b reads", Count(b));
        db.T.Try("a leaves wal", () => Db.Scalar(a, "PRAGMA journal_mode=DELETE"));
        DbTransaction ta = a.BeginTransaction();
        db.T.Try("a leaves wal in a transaction", () => RunSql(a, ta, "PRAGMA journal_mode=DELETE", scalar: true));
        ta.Rollback();
        b.Close();
        db.T.Add("a leaves wal alone", Db.Scalar(a, "PRAGMA journal_mode=DELETE"));
        db.T.Add("wal file", File.Exists(db.File("test.db") + "-wal"));
        b.Open();
        db.T.Add("b mode", Db.Scalar(b, "PRAGMA journal_mode"));
        db.T.Add("b enters wal", Db.Scalar(b, "PRAGMA journal_mode=WAL"));
        db.T.Add("a reads", Count(a));
        db.T.Add("a mode", Db.Scalar(a, "PRAGMA journal_mode"));
    });
}
