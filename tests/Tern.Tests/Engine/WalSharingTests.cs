// WAL mode between connections, dual-run against SQLite 3.50.4: each script runs on
// SQLite connections only, on Tern connections only, and mixed (SQLite and Tern
// connections on one file at the same time, their locks meeting in the one process), and
// every run must write the same transcript: snapshots kept while the other engine commits,
// SQLITE_BUSY_SNAPSHOT when a stale reader tries to write, the three columns of
// PRAGMA wal_checkpoint beside readers and writers, the log's size under
// wal_autocheckpoint, and switching journal_mode with another connection open, inside a
// transaction and on a new empty database. Waits that must fail have nobody to end them.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class WalSharingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-walshare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool FirstOnSqlite(string name) => name == "a";

    private static bool FirstOnTern(string name) => name != "a";

    private string Same(string script) => TwoEngineScript.AssertSame(_dir, script, FirstOnSqlite, FirstOnTern);

    [Fact]
    public void Readers_keep_their_snapshot_while_the_other_engine_commits()
    {
        string t = Same("""
            a: PRAGMA journal_mode=WAL
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)
            b: BEGIN; SELECT count(*) FROM t
            a: INSERT INTO t VALUES (3)
            b: SELECT count(*) FROM t
            a: SELECT count(*) FROM t
            b: COMMIT; SELECT count(*) FROM t
            b> SELECT x FROM t ORDER BY x
            a: DELETE FROM t WHERE x = 2; INSERT INTO t VALUES (4)
            b>
            b>
            b>
            b.
            b: SELECT group_concat(x) FROM t
            a: BEGIN; SELECT count(*) FROM t
            b: UPDATE t SET x = x * 10
            a: SELECT group_concat(x) FROM t
            a: COMMIT; SELECT group_concat(x) FROM t
            """);
        Assert.Contains("b>\ni:3\nb>\ndone", t, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_transaction_on_a_stale_snapshot_that_writes_gets_busy_snapshot()
    {
        string t = Same("""
            a: PRAGMA journal_mode=WAL
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1)
            b: PRAGMA busy_timeout=50
            b: BEGIN; SELECT count(*) FROM t
            a: INSERT INTO t VALUES (2)
            b: INSERT INTO t VALUES (3)
            b: SELECT count(*) FROM t
            b: BEGIN IMMEDIATE
            b: COMMIT
            b: BEGIN; INSERT INTO t VALUES (3); COMMIT
            a: BEGIN; SELECT count(*) FROM t
            b: DELETE FROM t WHERE x = 1
            a: UPDATE t SET x = 0
            a: ROLLBACK
            a: BEGIN; SELECT count(*) FROM t
            b: BEGIN IMMEDIATE
            a: INSERT INTO t VALUES (4)
            b: COMMIT
            a: INSERT INTO t VALUES (4)
            a: COMMIT; SELECT group_concat(x) FROM t
            b> SELECT x FROM t
            a: INSERT INTO t VALUES (5)
            b: INSERT INTO t VALUES (6)
            b.
            b: INSERT INTO t VALUES (6); SELECT group_concat(x) FROM t
            """);
        Assert.Contains("error 5/517: database is locked", t, StringComparison.Ordinal);
    }

    [Fact]
    public void Wal_checkpoint_answers_as_sqlite_beside_readers_and_writers()
    {
        string t = Same("""
            a: PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0
            a: CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(3000))
            a: PRAGMA wal_checkpoint
            a: PRAGMA main.wal_checkpoint; PRAGMA temp.wal_checkpoint(FULL)
            a: INSERT INTO t VALUES (randomblob(3000)); INSERT INTO t VALUES (1)
            b: BEGIN; SELECT count(*) FROM t
            a: INSERT INTO t VALUES (randomblob(5000)); INSERT INTO t VALUES (2)
            a: PRAGMA wal_checkpoint(PASSIVE)
            a: PRAGMA busy_timeout=30
            a: PRAGMA wal_checkpoint(FULL)
            a: PRAGMA wal_checkpoint(RESTART)
            a: PRAGMA wal_checkpoint(TRUNCATE)
            =wal
            b: SELECT count(*) FROM t; COMMIT
            a: PRAGMA wal_checkpoint(RESTART)
            =wal
            a: INSERT INTO t VALUES (3)
            =wal
            a: PRAGMA wal_checkpoint(PASSIVE)
            b: BEGIN; SELECT count(*) FROM t
            a: PRAGMA wal_checkpoint(TRUNCATE)
            b: COMMIT
            a: PRAGMA wal_checkpoint(TRUNCATE)
            =wal
            b: PRAGMA busy_timeout=30
            a: BEGIN IMMEDIATE; INSERT INTO t VALUES (4)
            b: PRAGMA wal_checkpoint(PASSIVE)
            b: PRAGMA wal_checkpoint(FULL)
            b: PRAGMA wal_checkpoint(RESTART)
            b: PRAGMA wal_checkpoint(TRUNCATE)
            a: COMMIT
            b: PRAGMA wal_checkpoint(FULL)
            b: PRAGMA wal_checkpoint(TRUNCATE)
            =wal
            =db
            b: PRAGMA integrity_check; SELECT count(*) FROM t
            """);
        Assert.Contains("a: PRAGMA wal_checkpoint(FULL)\ni:1|", t, StringComparison.Ordinal);
    }

    [Fact]
    public void Wal_autocheckpoint_keeps_the_log_at_the_size_sqlite_does()
    {
        // Every commit writes a known set of pages (one-page tables, overflow chains), so the
        // log's length depends only on when each engine checkpoints and restarts the log.
        var script = new System.Text.StringBuilder("""
            a: PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=7
            a: CREATE TABLE t(x, y); CREATE TABLE u(z); INSERT INTO t VALUES (0, -1)

            """);
        for (int i = 0; i < 25; i++)
        {
            string who = i % 3 == 0 ? "b" : "a";
            script.Append(who).Append(": UPDATE t SET y = ").Append(i).Append(i % 4 == 0 ? "; INSERT INTO u VALUES (1)\n" : "\n");
            script.Append("=wal\n=frames\n");
        }
        script.Append("a: PRAGMA wal_autocheckpoint\nb: PRAGMA wal_autocheckpoint\n");
        script.Append("a: PRAGMA wal_checkpoint(PASSIVE)\n=wal\n=db\n");
        script.Append("b: PRAGMA wal_autocheckpoint=0\n");
        for (int i = 0; i < 3; i++) script.Append("b: INSERT INTO u VALUES (zeroblob(9000))\n");
        script.Append("=wal\nb: PRAGMA wal_checkpoint(PASSIVE)\n");
        script.Append("a: PRAGMA wal_autocheckpoint=2; UPDATE t SET y = -1\n=wal\n");
        script.Append("a: PRAGMA wal_autocheckpoint=-5; PRAGMA wal_autocheckpoint\n");
        string t = Same(script.ToString());
        Assert.Contains("=wal 32992", t, StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_mode_switches_beside_other_connections_and_transactions_as_sqlite()
    {
        string t = Same("""
            a: PRAGMA journal_mode
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1)
            b: SELECT count(*) FROM t
            a: BEGIN; INSERT INTO t VALUES (2); PRAGMA journal_mode=TRUNCATE; PRAGMA journal_mode=WAL; ROLLBACK
            a: BEGIN IMMEDIATE; PRAGMA journal_mode=TRUNCATE; PRAGMA journal_mode=WAL; ROLLBACK
            a: PRAGMA journal_mode=DELETE
            a: PRAGMA journal_mode=WAL
            =hdr
            b: PRAGMA journal_mode
            b: SELECT count(*) FROM t
            b: PRAGMA journal_mode
            a: PRAGMA journal_mode=DELETE
            a: PRAGMA journal_mode
            b: BEGIN; SELECT count(*) FROM t
            a: PRAGMA journal_mode=DELETE
            b: PRAGMA journal_mode=DELETE
            b: COMMIT
            a: BEGIN; SELECT count(*) FROM t
            a: PRAGMA journal_mode=DELETE
            a: PRAGMA journal_mode=WAL
            a: PRAGMA journal_mode=TRUNCATE
            a: COMMIT
            a: BEGIN IMMEDIATE
            a: PRAGMA journal_mode=MEMORY
            a: ROLLBACK
            a: BEGIN; INSERT INTO t VALUES (2); PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF; COMMIT
            b: PRAGMA journal_mode
            """);
        Assert.Contains("cannot change out of wal mode from within a transaction", t, StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_mode_switches_when_one_connection_is_left()
    {
        // b closes (its statements done, it keeps no lock) only when the script ends, so the
        // switch out of WAL needs b gone: a second script with a alone.
        Same("""
            a: PRAGMA journal_mode=WAL
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1)
            =hdr
            a: PRAGMA journal_mode=DELETE
            =hdr
            =wal
            a: BEGIN; INSERT INTO t VALUES (2)
            a: PRAGMA journal_mode=WAL
            a: COMMIT
            a: PRAGMA journal_mode=WAL
            a: INSERT INTO t VALUES (3)
            =hdr
            b: SELECT count(*) FROM t
            b: PRAGMA journal_mode
            """);
    }

    [Fact]
    public void Wal_mode_on_a_new_empty_database_keeps_the_page_size_asked_for()
    {
        Same("""
            a: PRAGMA page_size=512
            a: PRAGMA journal_mode=WAL
            =db
            a: PRAGMA page_size
            a: CREATE TABLE t(x)
            a: PRAGMA page_size; PRAGMA page_count
            b: PRAGMA page_size
            a: PRAGMA page_size=1024
            a: PRAGMA page_size
            """);
    }

    [Fact]
    public void Page_size_pragma_applies_until_the_database_has_pages()
    {
        Same("""
            a: PRAGMA page_size
            a: PRAGMA page_size=3000
            a: PRAGMA page_size
            a: PRAGMA page_size=131072
            a: PRAGMA page_size=1024
            a: PRAGMA page_size
            b: PRAGMA page_size
            a: PRAGMA page_size=2048
            a: CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(5000))
            =db
            a: PRAGMA page_size=8192
            a: PRAGMA page_size; PRAGMA page_count
            b: PRAGMA page_size; SELECT length(x) FROM t
            b: PRAGMA page_size=512; PRAGMA page_size
            """);
    }

    [Fact]
    public void Wal_mode_on_a_new_empty_database_writes_a_one_page_file_as_sqlite()
    {
        string t = Same("""
            =db
            a: PRAGMA journal_mode=WAL
            =db
            =hdr
            =wal
            b: PRAGMA journal_mode
            b: SELECT count(*) FROM sqlite_schema
            a: PRAGMA page_count
            """);
        Assert.Contains("=hdr 2/2", t, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_connection_to_close_checkpoints_and_deletes_the_log()
    {
        string t = Same("""
            a: PRAGMA journal_mode=WAL
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1)
            b: INSERT INTO t VALUES (2)
            =wal
            a!
            =wal
            =db
            b: SELECT count(*) FROM t
            b!
            =wal
            =db
            =hdr
            c: SELECT count(*) FROM t; PRAGMA journal_mode
            =wal
            c: INSERT INTO t VALUES (3)
            =wal
            a: SELECT count(*) FROM t
            c!
            =wal
            a!
            =wal
            =db
            """);
        Assert.Contains("b!\n=wal none", t, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoints_inside_a_transaction_and_the_journal_size_limit_as_sqlite()
    {
        Same("""
            a: PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0
            a: CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(20000))
            a: BEGIN; SELECT count(*) FROM t; PRAGMA wal_checkpoint; COMMIT
            a: BEGIN IMMEDIATE; PRAGMA wal_checkpoint(TRUNCATE); ROLLBACK
            a> SELECT length(x) FROM t
            a: PRAGMA wal_checkpoint
            a.
            =wal
            a: PRAGMA journal_size_limit=8000
            a: PRAGMA wal_checkpoint
            =wal
            a: INSERT INTO t VALUES (1)
            =wal
            =frames
            a: PRAGMA journal_size_limit=-1; DELETE FROM t WHERE x = 1
            a: INSERT INTO t VALUES (zeroblob(30000))
            a: PRAGMA wal_checkpoint(RESTART)
            a: INSERT INTO t VALUES (2)
            =wal
            =frames
            a: PRAGMA journal_size_limit=0
            a: PRAGMA wal_checkpoint(RESTART)
            =wal
            a: INSERT INTO t VALUES (3)
            =wal
            =frames
            b: SELECT count(*) FROM t; PRAGMA journal_size_limit
            """);
    }

    [Fact]
    public void A_database_that_shrinks_in_wal_mode_is_cut_at_the_checkpoint()
    {
        Same("""
            a: PRAGMA auto_vacuum=FULL; PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0
            a: CREATE TABLE t(x); CREATE TABLE u(y); INSERT INTO t VALUES (zeroblob(50000)); INSERT INTO u VALUES (zeroblob(9000))
            a: PRAGMA wal_checkpoint
            =db
            a: DELETE FROM t
            a: PRAGMA page_count
            =db
            b: BEGIN; SELECT count(*) FROM u; PRAGMA page_count
            a: DROP TABLE u
            a: PRAGMA wal_checkpoint
            =db
            b: PRAGMA page_count; SELECT count(*) FROM u; COMMIT
            a: PRAGMA wal_checkpoint
            =db
            b: PRAGMA page_count; PRAGMA integrity_check
            """);
    }

    [Fact]
    public void Frames_a_large_transaction_spilled_stay_invisible_until_it_commits()
    {
        // A 10-page cache makes the writer put pages into the log before its commit; readers
        // of the other engine must not see them, nor after a rollback, and recovery must
        // ignore them.
        string t = Same("""
            a: PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=10
            a: CREATE TABLE t(x, y); CREATE INDEX ty ON t(y); INSERT INTO t VALUES (0, 'zero')
            a: BEGIN
            a: WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 2000) INSERT INTO t SELECT i, printf('%.300d', i * 7919 % 2000) FROM n
            b: SELECT count(*), sum(x) FROM t
            a: SELECT count(*), sum(x) FROM t
            a: ROLLBACK
            b: SELECT count(*), sum(x) FROM t; PRAGMA integrity_check
            a: SELECT count(*), sum(x) FROM t
            a: BEGIN
            a: WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 1500) INSERT INTO t SELECT i, printf('%.300d', i) FROM n
            b: SELECT count(*), sum(x) FROM t
            a: COMMIT
            b: SELECT count(*), sum(x) FROM t; PRAGMA integrity_check
            a: BEGIN; DELETE FROM t WHERE x % 3 = 0; UPDATE t SET y = y || 'x' WHERE x % 5 = 0
            b: SELECT count(*), sum(x), sum(length(y)) FROM t
            a: SAVEPOINT s; DELETE FROM t; ROLLBACK TO s; RELEASE s; COMMIT
            b: SELECT count(*), sum(x), sum(length(y)) FROM t; PRAGMA integrity_check
            c: SELECT count(*), sum(x), sum(length(y)) FROM t
            """);
        Assert.Contains("t:ok", t, StringComparison.Ordinal);
    }
}
