// A connection's read transaction lasts while any of its statements is running: another
// statement that finishes beside an open reader (a query, an autocommit write, a COMMIT)
// ends nothing the reader needs, so the file's SHARED lock, or the WAL snapshot, stays until
// the last statement is done — then other connections may write (rollback journal) or
// checkpoint past it (WAL). Scripts against SQLite 3.50.4, with the engines mixed too.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class ActiveStatementTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-active-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Same(string script) => TwoEngineScript.AssertSame(_dir, script, name => name == "a", name => name != "a");

    [Fact]
    public void An_open_reader_keeps_the_shared_lock_after_other_statements_finish()
    {
        string t = Same("""
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)
            b> SELECT x FROM t
            b: SELECT count(*) FROM t
            a: INSERT INTO t VALUES (4)
            b>
            b: INSERT INTO t VALUES (5)
            a: SELECT count(*) FROM t
            a: INSERT INTO t VALUES (6)
            b>
            b>
            b>
            a: INSERT INTO t VALUES (6)
            b: BEGIN; SELECT count(*) FROM t
            b> SELECT x FROM t
            b: COMMIT
            a: INSERT INTO t VALUES (7)
            b.
            a: INSERT INTO t VALUES (7)
            b: SELECT group_concat(x) FROM t
            """);
        Assert.Contains("a: INSERT INTO t VALUES (4)\nerror 5/5: database is locked", t, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_reader_keeps_its_wal_snapshot_after_other_statements_finish()
    {
        Same("""
            a: PRAGMA journal_mode=WAL
            a: CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)
            b> SELECT x FROM t
            b: SELECT count(*) FROM t
            a: DELETE FROM t WHERE x = 2; INSERT INTO t VALUES (4)
            a: PRAGMA wal_checkpoint(TRUNCATE)
            b>
            b>
            b>
            b: INSERT INTO t VALUES (5)
            b> SELECT x FROM t
            b: SELECT count(*) FROM t
            a: INSERT INTO t VALUES (6); PRAGMA wal_checkpoint(RESTART)
            b>
            b.
            a: PRAGMA wal_checkpoint(TRUNCATE)
            b: SELECT group_concat(x) FROM t
            """);
    }
}
