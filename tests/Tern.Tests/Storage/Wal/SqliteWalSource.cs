// Write-ahead logs written by SQLite 3.50.4, for the WAL format tests. A database in WAL
// mode with automatic checkpoints off is given a base table (checkpointed into the
// database file, so the file alone holds the base rows and the log starts over), then a
// series of transactions; after each commit the log's length tells how many frames SQLite
// has written (nothing pads or reuses frames here), and the row count is recorded. The
// files are copied while the connection is still open, as a crash would leave them.
using Microsoft.Data.Sqlite;
using Tern.Storage.Io;
using Tern.Storage.Wal;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Wal;

/// <summary>Copies of a database, its -wal and -shm taken while SQLite had them open.</summary>
internal sealed record WalSnapshot(byte[] Database, byte[] Wal, byte[] Shm);

/// <summary>A database written by SQLite in WAL mode, transaction by transaction.</summary>
internal sealed class SqliteWalSource : IDisposable
{
    private readonly SqliteShell.TempDir _dir = new();
    private readonly SqliteConnection _connection;

    public SqliteWalSource(int pageSize, int baseRows = 20)
    {
        PageSize = pageSize;
        Path = _dir.File("src.db");
        _connection = SqliteOracle.Open(Path);
        Execute($"PRAGMA page_size={pageSize}; PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; " +
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE INDEX tb ON t(b);");
        Insert(baseRows, 50);
        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        BaseRows = Count();
    }

    public int PageSize { get; }

    public string Path { get; }

    /// <summary>The rows the database file holds before any frame of the log.</summary>
    public long BaseRows { get; }

    /// <summary>After each commit since the base: the log's frame count and the table's row count.</summary>
    public List<(uint Frames, long Rows)> Commits { get; } = [];

    public SqliteWalSource Execute(string sql)
    {
        SqliteOracle.Execute(_connection, sql);
        return this;
    }

    public long Count() => (long)SqliteOracle.Scalar(_connection, "SELECT count(*) FROM t")!;

    private long _next = 1;

    /// <summary>Inserts rows whose blobs are about <paramref name="bytes"/> long.</summary>
    public SqliteWalSource Insert(int rows, int bytes)
    {
        long first = _next;
        _next += rows;
        Execute($"WITH RECURSIVE s(x) AS (SELECT {first} UNION ALL SELECT x+1 FROM s WHERE x<{first + rows - 1}) " +
            $"INSERT INTO t SELECT x, printf('%06d', x * 7919 % 100003), randomblob({bytes}) FROM s;");
        return this;
    }

    /// <summary>Runs one transaction and records the commit.</summary>
    public SqliteWalSource Commit(string sql)
    {
        Execute("BEGIN; " + sql + " COMMIT;");
        Record();
        return this;
    }

    /// <summary>Inserts rows in one transaction and records the commit.</summary>
    public SqliteWalSource CommitInsert(int rows, int bytes)
    {
        Execute("BEGIN;");
        Insert(rows, bytes);
        Execute("COMMIT;");
        Record();
        return this;
    }

    private void Record()
    {
        long length = new FileInfo(Path + "-wal").Length;
        Assert.Equal(0, (length - WalFormat.HeaderSize) % (PageSize + WalFormat.FrameHeaderSize));
        Commits.Add(((uint)((length - WalFormat.HeaderSize) / (PageSize + WalFormat.FrameHeaderSize)), Count()));
    }

    /// <summary>A typical history: inserts, updates, deletes and an overflowing row.</summary>
    public SqliteWalSource TypicalHistory()
    {
        CommitInsert(30, 40);
        Commit("UPDATE t SET c = randomblob(60) WHERE a % 3 = 0;");
        CommitInsert(5, 3 * PageSize);
        Commit("DELETE FROM t WHERE a % 4 = 1;");
        CommitInsert(200, 20);
        Commit("UPDATE t SET b = b || 'x' WHERE a % 7 = 2;");
        return this;
    }

    public WalSnapshot Snapshot() => new(
        File.ReadAllBytes(Path),
        File.ReadAllBytes(Path + "-wal"),
        File.ReadAllBytes(Path + "-shm"));

    /// <summary>The rows of t as text, for comparing states.</summary>
    public string Rows() => WalSqlite.Rows(_connection);

    public void Dispose()
    {
        _connection.Dispose();
        _dir.Dispose();
    }
}

/// <summary>Helpers shared by the WAL tests.</summary>
internal static class WalSqlite
{
    /// <summary>Scans log bytes with Tern's recovery.</summary>
    public static WalRecoveryResult Scan(byte[] wal)
    {
        var fs = new MemoryFileSystem();
        fs.SetContent("x-wal", wal);
        using IFile f = fs.Open("x-wal", FileOpenMode.ReadOnly);
        return WalRecovery.Scan(f);
    }

    /// <summary>The page image of a frame in log bytes.</summary>
    public static ReadOnlySpan<byte> FramePage(byte[] wal, uint frame, int pageSize) =>
        wal.AsSpan((int)WalFormat.FrameOffset(frame, pageSize) + WalFormat.FrameHeaderSize, pageSize);

    /// <summary>Writes a database and log (and no -shm) into a fresh subdirectory; returns the database path.</summary>
    public static string Place(SqliteShell.TempDir dir, string name, byte[] db, byte[]? wal)
    {
        string sub = dir.File(name);
        Directory.CreateDirectory(sub);
        string path = System.IO.Path.Combine(sub, "t.db");
        File.WriteAllBytes(path, db);
        if (wal != null) File.WriteAllBytes(path + "-wal", wal);
        return path;
    }

    public static string Rows(SqliteConnection c)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT a, b, hex(c) FROM t ORDER BY a";
        var sb = new System.Text.StringBuilder();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read()) sb.Append(r.GetInt64(0)).Append('|').Append(r.GetString(1)).Append('|').Append(r.GetString(2)).Append('\n');
        return sb.ToString();
    }

    /// <summary>What SQLite 3.50.4 reads from a database file with a log beside it: row count and integrity check.</summary>
    public static (long Rows, string Integrity) Open(string path)
    {
        using SqliteConnection c = SqliteOracle.Open(path);
        long rows = (long)SqliteOracle.Scalar(c, "SELECT count(*) FROM t")!;
        string integrity = (string)SqliteOracle.Scalar(c, "PRAGMA integrity_check")!;
        return (rows, integrity);
    }
}
