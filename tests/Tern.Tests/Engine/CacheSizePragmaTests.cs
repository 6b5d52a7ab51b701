// PRAGMA cache_size bounds the page cache: a transaction that dirties more pages than the
// bound spills them into the database file (after journalling them) before COMMIT, as
// SQLite's pager does, so a full disk stops the statement that needs the room, not the
// COMMIT, and the transaction still commits or rolls back whole.
using Tern.Storage.Io;

namespace Tern.Tests.Engine;

public class CacheSizePragmaTests
{
    private const string Fill = "INSERT INTO t SELECT value, randomblob(300) FROM generate_series(1, 2000)";

    private static (MemoryFileSystem Fs, Database Db) Open()
    {
        var fs = new MemoryFileSystem();
        Database db = Database.Open("c.db", new DatabaseOptions { FileSystem = fs, PageSize = 1024 });
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)");
        return (fs, db);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-10")]
    public void A_small_cache_size_spills_dirty_pages_before_commit(string size)
    {
        (MemoryFileSystem fs, Database db) = Open();
        using (db)
        using (Connection c = db.Connect())
        {
            long before = fs.GetSize("c.db");
            c.Execute($"PRAGMA cache_size = {size}; BEGIN; {Fill}");
            Assert.True(fs.GetSize("c.db") > before * 10, "the transaction's pages stayed in the cache");
            Assert.True(fs.GetSize("c.db-journal") > 0);
            c.Execute("ROLLBACK");
            Assert.Equal(before, fs.GetSize("c.db"));
            Assert.Equal(0L, Scalar(c, "SELECT count(*) FROM t"));
            Assert.Equal(long.Parse(size), Scalar(c, "PRAGMA cache_size"));
        }
    }

    [Fact]
    public void The_default_cache_keeps_a_small_transaction_out_of_the_file_until_commit()
    {
        (MemoryFileSystem fs, Database db) = Open();
        using (db)
        using (Connection c = db.Connect())
        {
            long before = fs.GetSize("c.db");
            c.Execute($"BEGIN; {Fill}");
            Assert.Equal(before, fs.GetSize("c.db"));
            c.Execute("COMMIT");
            Assert.True(fs.GetSize("c.db") > before * 10);
        }
    }

    [Fact]
    public void A_full_disk_fails_the_statement_that_spills_and_keeps_what_was_committed()
    {
        (MemoryFileSystem fs, Database db) = Open();
        using (db)
        using (Connection c = db.Connect())
        {
            c.Execute("INSERT INTO t VALUES(0, 'kept')");
            fs.Capacity = fs.Files.Sum(f => fs.GetSize(f)) + 100_000;
            c.Execute("PRAGMA cache_size = 10; BEGIN");
            var e = Assert.Throws<TernException>(() => c.Execute(Fill));
            Assert.Equal(ResultCode.Full, e.Code);
            Assert.True(c.AutoCommit, "SQLITE_FULL rolls the transaction back");
            fs.Capacity = null;
            Assert.Equal("kept", Scalar(c, "SELECT group_concat(b) FROM t"));
            Assert.Equal("ok", Scalar(c, "PRAGMA integrity_check"));
        }
    }

    private static object? Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetValue(0).Kind == ValueKind.Integer ? s.GetInt64(0) : s.GetString(0);
    }
}
