// WAL files passed between SQLite 3.50.4 and Tern as a crash leaves them: one engine
// writes a WAL database (page sizes 512 to 65536, thousands of rows with overflow pages,
// indexes, deletes that fill the freelist; with and without automatic checkpoints, after
// a RESTART or TRUNCATE checkpoint that started the log over, leaving stale frames past
// the new ones) and, with its connection still open, the database, its log and (or not)
// its wal-index are copied aside. The other engine opens the copies, recovers the log and
// must read the same rows as the writer's engine reads from the originals, with
// integrity_check ok.
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

public sealed class WalInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-walinterop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, int> PageSizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int size in new[] { 512, 1024, 4096, 8192, 16384, 32768, 65536 })
        {
            data.Add(size, 0);
            data.Add(size, 1000);
        }
        return data;
    }

    /// <summary>Many commits into a WAL database: rows with overflow chains, an index, a UNIQUE table, deletes.</summary>
    private static string WriteScript(int pageSize, int autoCheckpoint)
    {
        var s = new System.Text.StringBuilder($"""
            w: PRAGMA page_size={pageSize}
            w: PRAGMA journal_mode=WAL
            w: PRAGMA wal_autocheckpoint={autoCheckpoint}
            w: CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB); CREATE INDEX tb ON t(b); CREATE TABLE u(x UNIQUE, y)

            """);
        for (int chunk = 0; chunk < 10; chunk++)
        {
            s.Append($"w: WITH RECURSIVE n(i) AS (SELECT {chunk * 300 + 1} UNION ALL SELECT i + 1 FROM n LIMIT 300) ")
                .Append("INSERT INTO t SELECT i, printf('k%05d-', (i * 7919) % 3001) || hex(randomblob(i % 40)), ")
                .Append($"CASE WHEN i % 9 = 0 THEN randomblob({pageSize} * 2 + i) ELSE randomblob(i % 70) END FROM n\n");
        }
        for (int i = 0; i < 40; i++) s.Append($"w: INSERT INTO u VALUES ({i * 37 % 101}, randomblob({i * 13}))\n");
        s.Append("w: DELETE FROM t WHERE a % 7 = 0 OR a BETWEEN 1000 AND 1400\n");
        s.Append("w: UPDATE t SET c = randomblob(length(c) + 5) WHERE a % 11 = 0\n");
        s.Append("w: DELETE FROM u WHERE x % 3 = 0\n");
        return s.ToString();
    }

    /// <summary>What a reader checks: rows, index order, integrity, sizes.</summary>
    private const string ReadScript = """
        r: PRAGMA integrity_check
        r: SELECT count(*), sum(a), sum(length(b)), sum(length(c)), hex(max(c)) FROM t
        r: SELECT group_concat(a || ':' || hex(substr(c, 1, 6)) || hex(substr(c, -3)), ',') FROM (SELECT a, c FROM t ORDER BY a)
        r: SELECT group_concat(b, ',') FROM (SELECT b FROM t INDEXED BY tb ORDER BY b)
        r: SELECT group_concat(x || ':' || hex(y), ',') FROM (SELECT x, y FROM u ORDER BY x)
        r: PRAGMA page_count; PRAGMA freelist_count; PRAGMA page_size; PRAGMA journal_mode
        """;

    private static void CopyAside(string from, string to, bool withIndex)
    {
        foreach (string suffix in withIndex ? new[] { "", "-wal", "-shm" } : new[] { "", "-wal" })
        {
            if (!File.Exists(from + suffix)) continue;
            using var src = new FileStream(from + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var dst = new FileStream(to + suffix, FileMode.CreateNew, FileAccess.Write);
            src.CopyTo(dst);
        }
    }

    /// <summary>
    /// Writes with one engine and keeps it open, copies the files aside (twice: with and
    /// without the wal-index), then asserts that the other engine reads each copy as the
    /// writer's engine reads the original.
    /// </summary>
    private void WriteCopyRead(bool sqliteWrites, string writeScript, Action<string>? checkOriginal = null, int minFrames = 1)
    {
        string original = Path.Combine(_dir, "w.db");
        string withIndex = Path.Combine(_dir, "copy-shm.db");
        string withoutIndex = Path.Combine(_dir, "copy.db");
        string expected;
        using (var writer = new TwoEngineScript(original, _ => sqliteWrites))
        {
            string written = writer.Run(writeScript);
            Assert.DoesNotContain("error", written, StringComparison.Ordinal);
            Assert.True(File.Exists(original + "-wal"));
            Assert.True(new FileInfo(original + "-wal").Length > 32);
            if (minFrames > 1)
            {
                // More frames than the wal-index's first region indexes (4062): lookups cross regions.
                int pageSize = BitConverter.ToUInt16([.. File.ReadAllBytes(original).AsSpan(16, 2).ToArray().Reverse()]);
                long frames = (new FileInfo(original + "-wal").Length - 32) / ((pageSize == 1 ? 65536 : pageSize) + 24);
                Assert.True(frames >= minFrames, $"{frames} frames");
            }
            checkOriginal?.Invoke(original);
            CopyAside(original, withIndex, withIndex: true);
            CopyAside(original, withoutIndex, withIndex: false);
            expected = TwoEngineScript.Transcript(original, ReadScript, _ => sqliteWrites);
        }
        Assert.Contains("r: PRAGMA integrity_check\nt:ok\n", expected, StringComparison.Ordinal);
        Assert.Equal(expected, TwoEngineScript.Transcript(withIndex, ReadScript, _ => !sqliteWrites));
        Assert.Equal(expected, TwoEngineScript.Transcript(withoutIndex, ReadScript, _ => !sqliteWrites));
    }

    [Theory, MemberData(nameof(PageSizes))]
    public void Wal_files_sqlite_left_uncheckpointed_open_in_tern_with_the_same_rows(int pageSize, int autoCheckpoint) =>
        WriteCopyRead(sqliteWrites: true, WriteScript(pageSize, autoCheckpoint), minFrames: pageSize == 512 && autoCheckpoint == 0 ? 4200 : 1);

    [Theory, MemberData(nameof(PageSizes))]
    public void Wal_files_tern_left_uncheckpointed_open_in_sqlite_with_the_same_rows(int pageSize, int autoCheckpoint) =>
        WriteCopyRead(sqliteWrites: false, WriteScript(pageSize, autoCheckpoint), minFrames: pageSize == 512 && autoCheckpoint == 0 ? 4200 : 1);

    public static TheoryData<bool, string> Restarts() => new()
    {
        { true, "RESTART" }, { true, "TRUNCATE" }, { false, "RESTART" }, { false, "TRUNCATE" },
    };

    [Theory, MemberData(nameof(Restarts))]
    public void A_log_started_over_by_a_checkpoint_is_read_across_engines_without_its_stale_frames(bool sqliteWrites, string mode)
    {
        // After the checkpoint the next writer starts the log over with new salts; with
        // RESTART the old, longer log's frames stay in the file past the new ones.
        string script = WriteScript(4096, 0)
            + $"w: PRAGMA wal_checkpoint({mode})\n"
            + "w: INSERT INTO u VALUES (1000, 'after'); UPDATE t SET b = b || '+' WHERE a IN (5, 1500, 2990)\n"
            + "w: DELETE FROM t WHERE a > 2995\n";
        WriteCopyRead(sqliteWrites, script, original =>
        {
            long size = new FileInfo(original + "-wal").Length;
            if (mode == "RESTART") Assert.True(size > 500 * 4120, "the old frames stay past the new ones");
            else Assert.True(size < 30 * 4120, "the truncated log holds only the new frames");
        });
    }

    [Fact]
    public void A_read_only_connection_opens_a_wal_database_with_or_without_its_log()
    {
        // SQLite's read-only connections create a missing log (and wal-index) and read; with
        // a log of uncommitted-to-the-database frames they read those too.
        string path = Path.Combine(_dir, "ro.db");
        using (var c = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(c, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
        }
        Assert.False(File.Exists(path + "-wal"));
        using (Database db = Database.Open(path, new DatabaseOptions { ReadOnly = true }))
        using (Connection c = db.Connect())
        {
            Assert.Equal("2", Text(c, "SELECT count(*) FROM t"));
            Assert.Equal("wal", Text(c, "PRAGMA journal_mode"));
            var e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (3)"));
            Assert.Equal(ResultCode.ReadOnly, e.Code);
        }
        string copy = Path.Combine(_dir, "ro-copy.db");
        using (var writer = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(writer, "PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (3)");
            CopyAside(path, copy, withIndex: false);
        }
        using (Database db = Database.Open(copy, new DatabaseOptions { ReadOnly = true }))
        using (Connection c = db.Connect())
        {
            Assert.Equal("3|6", Text(c, "SELECT count(*) || '|' || sum(x) FROM t"));
        }
        Assert.True(new FileInfo(copy + "-wal").Length > 32, "a read-only connection leaves the log alone");
    }

    private static string? Text(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetString(0);
    }
}
