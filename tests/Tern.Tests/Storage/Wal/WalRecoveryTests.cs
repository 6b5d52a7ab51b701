// Recovery's rules on damaged logs, each checked against what SQLite 3.50.4 reads from the
// same files: a torn last frame, a changed byte in a frame, a frame with the wrong salt,
// frames after the last commit, bad headers (empty log) and a header of another format
// version (SQLITE_CANTOPEN), a log of another page size, and seeded byte flips anywhere
// in a real log, where the valid prefix must end exactly before the damaged frame.
using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Tern.Storage.Io;
using Tern.Storage.Wal;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Wal;

public class WalRecoveryTests
{
    private const int PageSize = 1024;

    /// <summary>A log SQLite wrote (several commits of several frames each).</summary>
    private static (SqliteWalSource Source, WalSnapshot Snapshot, WalRecoveryResult Log) SqliteLog()
    {
        var src = new SqliteWalSource(PageSize).TypicalHistory();
        WalSnapshot snap = src.Snapshot();
        return (src, snap, WalSqlite.Scan(snap.Wal));
    }

    /// <summary>The rows SQLite sees with the log valid up to commit frame <paramref name="maxFrame"/>.</summary>
    private static long RowsAt(SqliteWalSource src, uint maxFrame) =>
        maxFrame == 0 ? src.BaseRows : src.Commits.Single(c => c.Frames == maxFrame).Rows;

    /// <summary>The last commit frame before <paramref name="frame"/>, 0 when none.</summary>
    private static uint CommitBefore(WalRecoveryResult log, uint frame) => log.CommitFrames.LastOrDefault(f => f < frame);

    private static void AssertSqliteReads(SqliteWalSource src, WalSnapshot snap, byte[] wal, uint expectedMaxFrame, string name)
    {
        using var dir = new SqliteShell.TempDir();
        string path = WalSqlite.Place(dir, name, snap.Database, wal);
        (long rows, string integrity) = WalSqlite.Open(path);
        Assert.Equal("ok", integrity);
        Assert.Equal(RowsAt(src, expectedMaxFrame), rows);
    }

    private static void AssertPrefixOf(WalRecoveryResult original, WalRecoveryResult damaged)
    {
        Assert.True(damaged.MaxFrame <= original.MaxFrame);
        Assert.True(damaged.ValidFrames <= original.ValidFrames);
        Assert.True(damaged.PageNumbers.SequenceEqual(original.PageNumbers[..(int)damaged.ValidFrames]));
    }

    [Fact]
    public void Scan_drops_a_torn_last_frame_and_its_transaction()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            foreach (int cut in new[] { 1, PageSize / 2, PageSize + WalFormat.FrameHeaderSize - 1 })
            {
                byte[] torn = snap.Wal[..^cut];
                WalRecoveryResult r = WalSqlite.Scan(torn);
                Assert.Equal(log.ValidFrames - 1, r.ValidFrames);
                uint expected = CommitBefore(log, log.MaxFrame);
                Assert.Equal(expected, r.MaxFrame);
                Assert.Equal(src.Commits[^2].Frames, r.MaxFrame);
                AssertPrefixOf(log, r);
                AssertSqliteReads(src, snap, torn, expected, $"torn{cut}");
            }
        }
    }

    [Fact]
    public void Scan_stops_at_a_frame_whose_checksum_fails()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            // A frame in the middle of the third transaction: its page byte, its page number,
            // its commit field and its stored checksum.
            uint frame = log.CommitFrames[1] + 2;
            int at = (int)WalFormat.FrameOffset(frame, PageSize);
            foreach (int offset in new[] { WalFormat.FrameHeaderSize + 100, 3, 7, 16, 23 })
            {
                byte[] bad = (byte[])snap.Wal.Clone();
                bad[at + offset] ^= 0x10;
                WalRecoveryResult r = WalSqlite.Scan(bad);
                Assert.Equal(frame - 1, r.ValidFrames);
                Assert.Equal(log.CommitFrames[1], r.MaxFrame);
                Assert.Equal(log.CommitFrames.Take(2), r.CommitFrames);
                AssertPrefixOf(log, r);
                AssertSqliteReads(src, snap, bad, r.MaxFrame, $"flip{offset}");
            }
        }
    }

    [Fact]
    public void Scan_stops_at_a_frame_with_the_wrong_salt()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            // Salts are not part of the checksum: only the comparison with the header catches them.
            uint frame = log.CommitFrames[2] + 1;
            int at = (int)WalFormat.FrameOffset(frame, PageSize);
            foreach (int saltOffset in new[] { 8, 12 })
            {
                byte[] bad = (byte[])snap.Wal.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(at + saltOffset), BinaryPrimitives.ReadUInt32BigEndian(bad.AsSpan(at + saltOffset)) + 1);
                WalRecoveryResult r = WalSqlite.Scan(bad);
                Assert.Equal(frame - 1, r.ValidFrames);
                Assert.Equal(log.CommitFrames[2], r.MaxFrame);
                AssertSqliteReads(src, snap, bad, r.MaxFrame, $"salt{saltOffset}");
            }
        }
    }

    [Fact]
    public void Scan_ignores_valid_frames_after_the_last_commit()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            // Frames of a transaction that never committed: page 2 and page 1 rewritten with junk.
            byte[] junk = new byte[PageSize];
            new Random(7).NextBytes(junk);
            WalWriter w = WalWriter.Continue(log);
            byte[] open = new byte[w.FramesSize(2)];
            w.AppendFrames([(2u, junk), (1u, junk)], 0, open);
            byte[] wal = [.. snap.Wal, .. open];

            WalRecoveryResult r = WalSqlite.Scan(wal);
            Assert.Equal(log.ValidFrames + 2, r.ValidFrames);
            Assert.Equal(log.MaxFrame, r.MaxFrame);
            Assert.Equal(log.DatabaseSize, r.DatabaseSize);
            Assert.Equal(log.FrameChecksum, r.FrameChecksum);
            Assert.Equal(log.FindFrame(1), r.FindFrame(1));
            Assert.Equal(log.FindFrame(2), r.FindFrame(2));

            // The rebuilt index lists them, as SQLite's recovery does, but lookups ignore them.
            var index = new WalIndex(new HeapWalIndexMemory());
            index.Rebuild(r);
            Assert.Equal(1u, index.PageOfFrame(r.ValidFrames));
            Assert.Equal(log.FindFrame(1), index.FindFrame(1, r.MaxFrame));
            Assert.Equal(r.ValidFrames, index.FindFrame(1, r.ValidFrames));
            AssertSqliteReads(src, snap, wal, log.MaxFrame, "open");
        }
    }

    [Fact]
    public void Scan_gives_an_empty_log_when_the_header_is_bad()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            var cases = new (string Name, Action<byte[]> Damage, WalHeaderStatus Status)[]
            {
                ("magic", b => b[3] = 0x84, WalHeaderStatus.BadMagic),
                ("magic-bit", b => b[3] ^= 1, WalHeaderStatus.BadChecksum), // the other byte order: the checksum fails
                ("pagesize-odd", b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 1000), WalHeaderStatus.BadPageSize),
                ("pagesize-small", b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 256), WalHeaderStatus.BadPageSize),
                ("pagesize-big", b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 131072), WalHeaderStatus.BadPageSize),
                ("pagesize-other", b => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), 2048), WalHeaderStatus.BadChecksum),
                ("sequence", b => b[15] ^= 1, WalHeaderStatus.BadChecksum),
                ("salt", b => b[17] ^= 0x40, WalHeaderStatus.BadChecksum),
                ("checksum", b => b[30] ^= 2, WalHeaderStatus.BadChecksum),
                ("version", b => b[7] ^= 1, WalHeaderStatus.BadChecksum), // the checksum is checked before the version
                ("short", b => { }, WalHeaderStatus.TooShort),
            };
            foreach ((string name, Action<byte[]> damage, WalHeaderStatus status) in cases)
            {
                byte[] bad = name == "short" ? snap.Wal[..WalFormat.HeaderSize] : (byte[])snap.Wal.Clone();
                damage(bad);
                WalRecoveryResult r = WalSqlite.Scan(bad);
                Assert.Equal(status, r.Status);
                Assert.Equal(0u, r.MaxFrame);
                Assert.Equal(0u, r.ValidFrames);
                Assert.Equal(0u, r.FindFrame(1));
                Assert.Equal(0, r.PageSize);
                AssertSqliteReads(src, snap, bad, 0, name);
            }
            Assert.Equal(WalHeaderStatus.TooShort, WalSqlite.Scan([]).Status);
            Assert.Null(WalSqlite.Scan([]).Header);
        }
    }

    [Fact]
    public void Scan_fails_with_cantopen_when_the_format_version_is_unknown_as_sqlite_does()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            byte[] bad = (byte[])snap.Wal.Clone();
            BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(4), WalFormat.FormatVersion + 1);
            WalChecksum.Compute(bad.AsSpan(0, 24), log.Header!.Value.BigEndianChecksum).WriteBigEndian(bad.AsSpan(24));
            Assert.Equal(WalHeaderStatus.UnsupportedVersion, WalFormat.ValidateHeader(bad));

            var e = Assert.Throws<TernException>(() => WalSqlite.Scan(bad));
            Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
            Assert.Equal("unable to open database file", e.Message);

            using var dir = new SqliteShell.TempDir();
            string path = WalSqlite.Place(dir, "version", snap.Database, bad);
            var se = Assert.Throws<SqliteException>(() => WalSqlite.Open(path));
            Assert.Equal(14, se.SqliteErrorCode); // SQLITE_CANTOPEN
            Assert.Contains("unable to open database file", se.Message);
        }
    }

    [Fact]
    public void EnsurePageSize_is_corrupt_only_when_a_transaction_has_another_page_size()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            Assert.Equal(PageSize, log.PageSize);
            log.EnsurePageSize(PageSize);
            var e = Assert.Throws<TernException>(() => log.EnsurePageSize(4096));
            Assert.Equal(ResultCode.Corrupt, e.ExtendedCode);

            // A log holding no transaction may have any page size.
            WalRecoveryResult empty = WalSqlite.Scan(snap.Wal[..(int)WalFormat.FrameOffset(log.CommitFrames[0], PageSize)]);
            Assert.Equal(0u, empty.MaxFrame);
            empty.EnsurePageSize(4096);
        }
    }

    [Fact]
    public void Scan_of_a_log_with_any_byte_flipped_ends_exactly_before_the_damaged_frame()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            int cases = int.TryParse(Environment.GetEnvironmentVariable("TERN_WAL_FLIPS"), out int n) ? n : 300;
            var rnd = new Random(20261207);
            int frameSize = PageSize + WalFormat.FrameHeaderSize;
            for (int i = 0; i < cases; i++)
            {
                byte[] bad = (byte[])snap.Wal.Clone();
                // Half the cases in headers, where a flip decides the most.
                int pos = rnd.Next(2) == 0 ? rnd.Next(bad.Length) : (int)WalFormat.FrameOffset((uint)rnd.Next(1, (int)log.ValidFrames + 1), PageSize) + rnd.Next(-8, 24);
                pos = Math.Clamp(pos, 0, bad.Length - 1);
                bad[pos] ^= (byte)rnd.Next(1, 256);

                WalRecoveryResult r = WalSqlite.Scan(bad);
                uint damagedFrame = pos < WalFormat.HeaderSize ? 0 : (uint)((pos - WalFormat.HeaderSize) / frameSize) + 1;
                uint expected = damagedFrame == 0 ? 0 : CommitBefore(log, damagedFrame);
                Assert.True(expected == r.MaxFrame, $"case {i}: byte {pos} (frame {damagedFrame}): {r.MaxFrame} instead of {expected}");
                Assert.Equal(damagedFrame == 0 ? 0 : damagedFrame - 1, r.ValidFrames);
                AssertPrefixOf(log, r);
                if (i % 25 == 0) AssertSqliteReads(src, snap, bad, expected, $"case{i}");
            }
        }
    }

    [Fact]
    public void Scan_reads_a_live_log_through_the_os_file_system_and_reports_io_errors_as_the_file_does()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            // SQLite still has the log open.
            using (IFile live = OsFileSystem.Instance.Open(src.Path + "-wal", FileOpenMode.ReadOnly))
            {
                WalRecoveryResult r = WalRecovery.Scan(live);
                Assert.Equal(log.CommitFrames, r.CommitFrames);
                Assert.True(log.PageNumbers.SequenceEqual(r.PageNumbers));
                Assert.Equal(log.FrameChecksum, r.FrameChecksum);
                byte[] page = new byte[PageSize];
                r.ReadPage(live, r.MaxFrame, page);
                Assert.Equal(WalSqlite.FramePage(snap.Wal, r.MaxFrame, PageSize).ToArray(), page);
            }

            // A read that fails part way through the frames.
            var fs = new MemoryFileSystem();
            fs.SetContent("x-wal", snap.Wal);
            using IFile f = fs.Open("x-wal", FileOpenMode.ReadOnly);
            int reads = 0;
            fs.FailWhen = (op, _) => op == IoOperation.Read && ++reads == 2; // the header, then the frames
            var e = Assert.Throws<TernException>(() => WalRecovery.Scan(f));
            Assert.Equal(ResultCode.IoErrRead, e.ExtendedCode);
        }
    }

    [Fact]
    public void Scan_of_heavily_damaged_logs_throws_nothing_but_tern_exceptions()
    {
        (SqliteWalSource src, WalSnapshot snap, WalRecoveryResult log) = SqliteLog();
        using (src)
        {
            int cases = int.TryParse(Environment.GetEnvironmentVariable("TERN_WAL_FLIPS"), out int n) ? n : 300;
            var rnd = new Random(77);
            for (int i = 0; i < cases; i++)
            {
                byte[] bad = (byte[])snap.Wal.Clone();
                int flips = rnd.Next(1, 40);
                for (int k = 0; k < flips; k++) bad[rnd.Next(bad.Length)] ^= (byte)rnd.Next(1, 256);
                if (rnd.Next(3) == 0) bad = bad[..rnd.Next(bad.Length)];
                try
                {
                    WalRecoveryResult r = WalSqlite.Scan(bad);
                    AssertPrefixOf(log, r);
                    var index = new WalIndex(new HeapWalIndexMemory());
                    index.Rebuild(r);
                    for (uint p = 1; p <= r.DatabaseSize; p++) Assert.Equal(r.FindFrame(p), index.FindFrame(p, r.MaxFrame));
                }
                catch (TernException e)
                {
                    Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
                }
            }
        }
    }
}
