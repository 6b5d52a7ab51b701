// The WAL and wal-index formats against SQLite 3.50.4. SQLite writes logs (page sizes
// 512 to 65536, one log crossing into the second wal-index region); Tern's recovery must
// find exactly the frames and commits SQLite wrote, and its page-to-frame map must give the
// database SQLite's own checkpoint produces. SQLite's live -shm must read through WalIndex
// with the same header and lookups, and Tern's rebuilt index must equal its hash tables
// byte for byte. In the other direction, logs built by WalWriter (new, big-endian
// checksums, or appended to a log SQLite wrote) must be read back by SQLite.
using System.Buffers.Binary;
using Tern.Storage.Wal;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Wal;

public class WalSqliteInteropTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Scan_finds_every_frame_and_commit_when_sqlite_wrote_the_log(int pageSize)
    {
        using var src = new SqliteWalSource(pageSize).TypicalHistory();
        WalSnapshot snap = src.Snapshot();
        WalRecoveryResult log = WalSqlite.Scan(snap.Wal);

        Assert.Equal(WalHeaderStatus.Valid, log.Status);
        WalHeader h = log.Header!.Value;
        Assert.Equal(WalFormat.NativeMagic, h.Magic);
        Assert.Equal(WalFormat.FormatVersion, h.FormatVersion);
        Assert.Equal((uint)pageSize, h.PageSize);
        Assert.Equal((uint)pageSize, BinaryPrimitives.ReadUInt32BigEndian(snap.Wal.AsSpan(8)));
        Assert.Equal(1u, h.CheckpointSequence); // the base checkpoint restarted the log once
        Assert.Equal(src.Commits.Select(c => c.Frames), log.CommitFrames);
        Assert.Equal(src.Commits[^1].Frames, log.MaxFrame);
        Assert.Equal(log.MaxFrame, log.ValidFrames);
        Assert.Equal(0, snap.Database.Length % pageSize);
        Assert.True(log.DatabaseSize >= snap.Database.Length / pageSize, "the history only grows the base file");

        // Each frame's page number, read independently from the bytes.
        for (uint f = 1; f <= log.ValidFrames; f++)
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(snap.Wal.AsSpan((int)WalFormat.FrameOffset(f, pageSize))), log.PageNumbers[(int)f - 1]);

        // SQLite's checkpoint of a copy must give, page by page, the frame Tern maps each page to
        // (or the database file's page when the log has none).
        using var dir = new SqliteShell.TempDir();
        string path = WalSqlite.Place(dir, "ckpt", snap.Database, snap.Wal);
        using (var c = SqliteOracle.Open(path))
        {
            Assert.Equal(src.Commits[^1].Rows, (long)SqliteOracle.Scalar(c, "SELECT count(*) FROM t")!);
            SqliteOracle.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE);");
            byte[] after = File.ReadAllBytes(path);
            Assert.Equal((long)log.DatabaseSize * pageSize, after.Length);
            for (uint p = 1; p <= log.DatabaseSize; p++)
            {
                uint frame = log.FindFrame(p);
                ReadOnlySpan<byte> expected = frame != 0
                    ? WalSqlite.FramePage(snap.Wal, frame, pageSize)
                    : snap.Database.AsSpan((int)((p - 1) * pageSize), pageSize);
                Assert.True(expected.SequenceEqual(after.AsSpan((int)((p - 1) * pageSize), pageSize)), $"page {p} (frame {frame})");
            }
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void WalIndex_reads_sqlites_shm_as_recovery_computes_it(int pageSize)
    {
        using var src = new SqliteWalSource(pageSize).TypicalHistory();
        WalSnapshot snap = src.Snapshot();
        WalRecoveryResult log = WalSqlite.Scan(snap.Wal);
        AssertShmMatches(snap, log, pageSize, commits: src.Commits.Count);
    }

    [Fact]
    public void WalIndex_matches_sqlite_when_the_log_crosses_into_later_regions()
    {
        // A 2.5 MB blob at 512-byte pages is about 5,200 overflow pages: one transaction of
        // more frames than the first region indexes, then small ones in the second region.
        using var src = new SqliteWalSource(512);
        src.Commit("INSERT INTO t VALUES(100000, 'big', randomblob(2600000));");
        src.CommitInsert(20, 30).Commit("UPDATE t SET b = 'y' WHERE a < 10;").Commit("DELETE FROM t WHERE a = 100000;");
        WalSnapshot snap = src.Snapshot();
        WalRecoveryResult log = WalSqlite.Scan(snap.Wal);
        Assert.True(log.MaxFrame > WalIndex.FramesInFirstRegion + 100, $"{log.MaxFrame} frames");
        Assert.True(snap.Shm.Length >= 2 * WalIndex.RegionSize);
        AssertShmMatches(snap, log, 512, commits: src.Commits.Count);
    }

    [Fact]
    public void Scan_and_WalIndex_ignore_frames_sqlite_spilled_for_an_open_transaction()
    {
        // With a five-page cache SQLite spills an open transaction's pages into the log (frames
        // without a commit) and indexes them in its -shm. A copy taken then is what a crash
        // leaves. Once the transaction rewrites a page it already spilled, SQLite writes that
        // frame in place and every later frame with zero salts and checksums, fixing them only
        // at commit: so recovery stops inside the spilled frames, and SQLite's own index holds
        // entries past mxFrame that lookups must ignore.
        using var src = new SqliteWalSource(1024).TypicalHistory();
        src.Execute("PRAGMA cache_size=5; BEGIN;").Insert(2000, 100);
        WalSnapshot mid = src.Snapshot();
        WalRecoveryResult logMid = WalSqlite.Scan(mid.Wal);
        uint written = (uint)WalFormat.WholeFrames(mid.Wal.Length, 1024);
        Assert.Equal(src.Commits[^1].Frames, logMid.MaxFrame);
        Assert.True(written > logMid.MaxFrame + 50, $"{written - logMid.MaxFrame} spilled frames");
        Assert.True(logMid.ValidFrames < written, "frames of the open transaction fail validation");
        AssertShmMatches(mid, logMid, 1024, src.Commits.Count, compareRebuild: false);
        var shm = new WalIndex(HeapWalIndexMemory.FromBytes(mid.Shm));
        for (uint f = logMid.MaxFrame + 1; f <= written; f++) Assert.NotEqual(0u, shm.PageOfFrame(f));
        using (var dir = new SqliteShell.TempDir())
        {
            (long rows, string integrity) = WalSqlite.Open(WalSqlite.Place(dir, "crash", mid.Database, mid.Wal));
            Assert.Equal((src.Commits[^1].Rows, "ok"), (rows, integrity));
        }

        // Rolled back (SQLite drops the spilled frames from its index), then a small commit
        // written over the first spilled frames: the log keeps its length, and the chain
        // breaks at the first leftover frame.
        src.Execute("ROLLBACK; PRAGMA cache_size=2000; BEGIN;").Insert(3, 10).Execute("COMMIT;");
        WalSnapshot after = src.Snapshot();
        Assert.Equal(mid.Wal.Length, after.Wal.Length);
        WalRecoveryResult logAfter = WalSqlite.Scan(after.Wal);
        Assert.InRange(logAfter.MaxFrame, logMid.MaxFrame + 1, logMid.MaxFrame + 10);
        Assert.Equal(logAfter.MaxFrame, logAfter.ValidFrames);
        AssertShmMatches(after, logAfter, 1024, src.Commits.Count + 1);
        using (var dir = new SqliteShell.TempDir())
        {
            (long rows, string integrity) = WalSqlite.Open(WalSqlite.Place(dir, "after", after.Database, after.Wal));
            Assert.Equal((src.Count(), "ok"), (rows, integrity));
        }
    }

    private static void AssertShmMatches(WalSnapshot snap, WalRecoveryResult log, int pageSize, int commits, bool compareRebuild = true)
    {
        var shm = new WalIndex(HeapWalIndexMemory.FromBytes(snap.Shm));
        Assert.True(shm.TryReadHeader(out WalIndexHeader hdr));
        WalHeader wh = log.Header!.Value;
        Assert.Equal(WalIndex.IndexVersion, hdr.Version);
        Assert.Equal(1, hdr.IsInit);
        Assert.Equal(wh.BigEndianChecksum, hdr.BigEndianChecksum);
        Assert.Equal(pageSize, hdr.PageSize);
        Assert.Equal(log.MaxFrame, hdr.MaxFrame);
        Assert.Equal(log.DatabaseSize, hdr.DatabaseSize);
        Assert.Equal(log.FrameChecksum, hdr.FrameChecksum);
        Assert.Equal((wh.Salt1, wh.Salt2), (hdr.Salt1, hdr.Salt2));
        Assert.True(hdr.Change >= (uint)commits, $"iChange {hdr.Change}");
        // Salts sit in the -shm as the log header's bytes (big-endian), unlike every other field.
        Assert.True(snap.Shm.AsSpan(32, 8).SequenceEqual(snap.Wal.AsSpan(16, 8)));

        WalCheckpointInfo info = shm.ReadCheckpointInfo();
        Assert.Equal(0u, info.Backfill);
        Assert.Equal(0u, info.ReadMarks[0]);

        // Every page's frame by the hash tables equals recovery's map.
        for (uint p = 1; p <= log.DatabaseSize + 3; p++)
            Assert.Equal(log.FindFrame(p), shm.FindFrame(p, hdr.MaxFrame));
        for (uint f = 1; f <= log.ValidFrames; f++)
            Assert.Equal(log.PageNumbers[(int)f - 1], shm.PageOfFrame(f));

        if (!compareRebuild) return;
        // Rebuilding from the scan gives SQLite's page-number arrays and hash tables byte for byte.
        var rebuiltMemory = new HeapWalIndexMemory();
        var rebuilt = new WalIndex(rebuiltMemory);
        WalIndexHeader rh = rebuilt.Rebuild(log);
        Assert.Equal(hdr with { Change = 0, Checksum = default }, rh with { Checksum = default });
        byte[] mine = rebuiltMemory.ToArray();
        int regions = WalIndex.RegionOfFrame(Math.Max(1, log.ValidFrames)) + 1;
        Assert.Equal(regions, rebuiltMemory.RegionCount);
        Assert.True(snap.Shm.AsSpan(WalIndex.HeaderAreaSize, regions * WalIndex.RegionSize - WalIndex.HeaderAreaSize)
            .SequenceEqual(mine.AsSpan(WalIndex.HeaderAreaSize)), "hash regions differ");
        Assert.True(rebuilt.TryReadHeader(out WalIndexHeader back));
        Assert.Equal(rh, back);
    }

    [Fact]
    public void Rebuild_leaves_the_index_sqlites_recovery_leaves()
    {
        // SQLite opens copies without a -shm, so it recovers the index from the log; its -shm
        // (copied while it is open) must equal Tern's rebuild from the same log, header area
        // included: iChange 0, nBackfill 0, nBackfillAttempted and read mark 1 at mxFrame.
        using var src = new SqliteWalSource(1024).TypicalHistory();
        WalSnapshot snap = src.Snapshot();
        WalRecoveryResult full = WalSqlite.Scan(snap.Wal);
        byte[] junk = new byte[1024];
        new Random(5).NextBytes(junk);
        WalWriter w = WalWriter.Continue(full);
        byte[] open = new byte[w.FramesSize(2)];
        w.AppendFrames([(3u, junk), (1u, junk)], 0, open);
        byte[] badChecksum = (byte[])snap.Wal.Clone();
        badChecksum[31] ^= 1;
        var cases = new (string Name, byte[] Wal)[]
        {
            ("whole", snap.Wal),
            ("uncommitted-tail", [.. snap.Wal, .. open]),
            ("no-commit", snap.Wal[..(int)WalFormat.FrameOffset(full.CommitFrames[0], 1024)]), // frames, none committed
            ("bad-header-checksum", badChecksum), // SQLite keeps this header's salts
            ("header-only", snap.Wal[..WalFormat.HeaderSize]),
        };
        using var dir = new SqliteShell.TempDir();
        foreach ((string name, byte[] wal) in cases)
        {
            string path = WalSqlite.Place(dir, name, snap.Database, wal);
            byte[] shm;
            using (var c = SqliteOracle.Open(path))
            {
                _ = SqliteOracle.Scalar(c, "SELECT count(*) FROM t");
                shm = File.ReadAllBytes(path + "-shm");
            }
            WalRecoveryResult log = WalSqlite.Scan(wal);
            var memory = new HeapWalIndexMemory();
            new WalIndex(memory).Rebuild(log);
            byte[] mine = memory.ToArray();
            Assert.True(shm.Length >= mine.Length, name);
            Assert.True(shm.AsSpan(0, WalIndex.LockOffset).SequenceEqual(mine.AsSpan(0, WalIndex.LockOffset)), $"{name}: header area");
            Assert.True(shm.AsSpan(WalIndex.LockOffset + 8, mine.Length - WalIndex.LockOffset - 8)
                .SequenceEqual(mine.AsSpan(WalIndex.LockOffset + 8)), $"{name}: hash regions");
        }
    }

    /// <summary>Three states of one database, each checkpointed into the file by SQLite.</summary>
    private static (byte[] A, byte[] B, byte[] C, string RowsC) ThreeStates(SqliteWalSource src)
    {
        src.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        byte[] a = File.ReadAllBytes(src.Path);
        src.CommitInsert(40, Math.Max(100, src.PageSize / 4)).Commit("UPDATE t SET c = randomblob(300) WHERE a % 5 = 0;").Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        byte[] b = File.ReadAllBytes(src.Path);
        src.Commit("DELETE FROM t WHERE a % 3 <> 0;").Execute("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
        byte[] c = File.ReadAllBytes(src.Path);
        Assert.True(c.Length < b.Length, "the last state is smaller (VACUUM)");
        return (a, b, c, src.Rows());
    }

    /// <summary>The pages of <paramref name="to"/> that differ from <paramref name="from"/>, in page order.</summary>
    private static List<(uint, ReadOnlyMemory<byte>)> ChangedPages(byte[] from, byte[] to, int pageSize)
    {
        var pages = new List<(uint, ReadOnlyMemory<byte>)>();
        for (int p = 0; p * pageSize < to.Length; p++)
        {
            ReadOnlyMemory<byte> page = to.AsMemory(p * pageSize, pageSize);
            if ((p + 1) * pageSize > from.Length || !page.Span.SequenceEqual(from.AsSpan(p * pageSize, pageSize))) pages.Add(((uint)p + 1, page));
        }
        return pages;
    }

    [Theory]
    [InlineData(512, false)]
    [InlineData(4096, false)]
    [InlineData(4096, true)]
    [InlineData(65536, false)]
    [InlineData(65536, true)]
    public void WalWriter_log_turning_state_a_into_c_is_read_by_sqlite(int pageSize, bool bigEndianChecksum)
    {
        using var src = new SqliteWalSource(pageSize);
        (byte[] a, byte[] b, byte[] c, string rowsC) = ThreeStates(src);

        var rnd = new Random(pageSize + (bigEndianChecksum ? 1 : 0));
        var wal = new MemoryStream();
        byte[] header = new byte[WalFormat.HeaderSize];
        WalWriter w = WalWriter.CreateLog(header, pageSize, 0, (uint)rnd.Next(), (uint)rnd.Next(), bigEndianChecksum);
        wal.Write(header);
        wal.Write(w.AppendTransaction(ChangedPages(a, b, pageSize), (uint)(b.Length / pageSize)));
        wal.Write(w.AppendTransaction(ChangedPages(b, c, pageSize), (uint)(c.Length / pageSize)));
        // A transaction that never committed: its frames must be ignored.
        byte[] junk = new byte[pageSize];
        rnd.NextBytes(junk);
        byte[] open = new byte[w.FramesSize(2)];
        w.AppendFrames([(1u, junk), (2u, junk)], 0, open);
        wal.Write(open);
        byte[] walBytes = wal.ToArray();

        WalRecoveryResult log = WalSqlite.Scan(walBytes);
        Assert.Equal(2, log.CommitFrames.Count);
        Assert.Equal(log.MaxFrame + 2, log.ValidFrames);
        Assert.Equal((uint)(c.Length / pageSize), log.DatabaseSize);

        using var dir = new SqliteShell.TempDir();
        string path = WalSqlite.Place(dir, "a", a, walBytes);
        using (var conn = SqliteOracle.Open(path))
        {
            Assert.Equal(rowsC, WalSqlite.Rows(conn));
            Assert.Equal("ok", SqliteOracle.Scalar(conn, "PRAGMA integrity_check"));
            SqliteOracle.Execute(conn, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        Assert.Equal(c, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(65536)]
    public void WalWriter_frames_appended_to_a_sqlite_log_are_read_by_sqlite(int pageSize)
    {
        using var src = new SqliteWalSource(pageSize);
        src.CommitInsert(30, 40).Commit("UPDATE t SET c = randomblob(70) WHERE a % 2 = 0;");
        WalSnapshot s = src.Snapshot();
        src.CommitInsert(50, 200).Commit("DELETE FROM t WHERE a % 5 = 0;");
        string rowsT = src.Rows();
        WalSnapshot t = src.Snapshot();
        Assert.Equal(s.Database, t.Database);

        // The pages SQLite changed after S, taken from its own log, rewritten by Tern after
        // S's last commit as one transaction in page order.
        WalRecoveryResult logS = WalSqlite.Scan(s.Wal);
        WalRecoveryResult logT = WalSqlite.Scan(t.Wal);
        var pages = logT.LatestFrames.Where(kv => kv.Value > logS.MaxFrame).OrderBy(kv => kv.Key)
            .Select(kv => (kv.Key, (ReadOnlyMemory<byte>)WalSqlite.FramePage(t.Wal, kv.Value, pageSize).ToArray())).ToList();
        WalWriter w = WalWriter.Continue(logS);
        byte[] frames = w.AppendTransaction(pages, logT.DatabaseSize);
        byte[] walBytes = [.. s.Wal.AsSpan(0, (int)WalFormat.FrameOffset(logS.MaxFrame + 1, pageSize)), .. frames];
        Assert.NotEqual(t.Wal, walBytes);

        WalRecoveryResult mine = WalSqlite.Scan(walBytes);
        Assert.Equal(logS.MaxFrame + (uint)pages.Count, mine.MaxFrame);
        Assert.Equal(w.Running, mine.FrameChecksum);

        using var dir = new SqliteShell.TempDir();
        string path = WalSqlite.Place(dir, "s", s.Database, walBytes);
        using var conn = SqliteOracle.Open(path);
        Assert.Equal(rowsT, WalSqlite.Rows(conn));
        Assert.Equal("ok", SqliteOracle.Scalar(conn, "PRAGMA integrity_check"));
    }

    [Fact]
    public void WalWriter_restart_header_follows_sqlites_restart()
    {
        // SQLite restarted its log at the base checkpoint: sequence 1 and salt-1 one more than
        // before. Tern's restart of that header moves on the same way.
        using var src = new SqliteWalSource(4096).TypicalHistory();
        WalHeader first = WalSqlite.Scan(src.Snapshot().Wal).Header!.Value;
        src.Execute("PRAGMA wal_checkpoint(RESTART);").CommitInsert(3, 10);
        WalHeader second = WalSqlite.Scan(src.Snapshot().Wal).Header!.Value;
        Assert.Equal(first.CheckpointSequence + 1, second.CheckpointSequence);
        Assert.Equal(first.Salt1 + 1, second.Salt1);

        byte[] header = new byte[WalFormat.HeaderSize];
        WalWriter w = WalWriter.RestartLog(header, first, second.Salt2);
        Assert.Equal(second, w.Header);
        Assert.Equal(src.Snapshot().Wal.AsSpan(0, WalFormat.HeaderSize).ToArray(), header);
    }
}
