// Tests of MemoryFileSystem: plain file semantics, the durability model (power cuts, torn
// writes, scheduled crashes) and fault injection.
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

public class MemoryFileSystemTests
{
    private const string Db = "test.db";

    private static byte[] Bytes(int count, byte value) => Enumerable.Repeat(value, count).ToArray();

    private static byte[] Sequence(int count, int seed = 0) =>
        Enumerable.Range(0, count).Select(i => (byte)(i * 7 + seed)).ToArray();

    // ---- Plain file semantics ----

    [Fact]
    public void Write_then_Read_round_trips()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        byte[] data = Sequence(1000);
        file.Write(0, data);
        file.Write(1000, data);

        var back = new byte[2000];
        Assert.Equal(2000, file.Read(0, back));
        Assert.Equal(data, back[..1000]);
        Assert.Equal(data, back[1000..]);
        Assert.Equal(2000, file.Length);
        Assert.Equal(2000, fs.GetSize(Db));
    }

    [Fact]
    public void Read_returns_fewer_bytes_when_reaching_end_of_file()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Write(0, Sequence(100));

        var buffer = new byte[64];
        Assert.Equal(36, file.Read(64, buffer));
        Assert.Equal(Sequence(100)[64..], buffer[..36]);
        Assert.Equal(0, file.Read(100, buffer));
        Assert.Equal(0, file.Read(5000, buffer));
    }

    [Fact]
    public void Write_zero_fills_the_gap_when_past_end_of_file()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Write(10, [1, 2, 3]);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 }, fs.GetContent(Db));
    }

    [Fact]
    public void Write_of_nothing_does_not_grow_the_file()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Write(100, ReadOnlySpan<byte>.Empty);

        Assert.Equal(0, file.Length);
        Assert.Equal(1, fs.OperationCount);
    }

    [Fact]
    public void Truncate_cuts_and_zero_extends_the_file()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Write(0, Bytes(100, 0xAA));

        file.Truncate(40);
        Assert.Equal(40, file.Length);
        file.Truncate(80);

        byte[] content = fs.GetContent(Db);
        Assert.Equal(80, content.Length);
        Assert.All(content[..40], b => Assert.Equal(0xAA, b));
        Assert.All(content[40..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(FileOpenMode.ReadOnly)]
    [InlineData(FileOpenMode.ReadWrite)]
    public void Open_throws_CantOpen_when_the_file_is_missing(FileOpenMode mode)
    {
        var fs = new MemoryFileSystem();
        var e = Assert.Throws<TernException>(() => fs.Open(Db, mode));
        Assert.Equal(ResultCode.CantOpen, e.ExtendedCode);
        Assert.Equal("unable to open database file", e.Message);
        Assert.False(fs.Exists(Db));
    }

    [Fact]
    public void Open_creates_an_empty_file_when_mode_is_ReadWriteCreate()
    {
        var fs = new MemoryFileSystem();
        fs.Open(Db, FileOpenMode.ReadWriteCreate).Dispose();

        Assert.True(fs.Exists(Db));
        Assert.Equal(0, fs.GetSize(Db));
        Assert.Equal(new[] { Db }, fs.Files);
    }

    [Fact]
    public void Delete_removes_the_file_and_ignores_a_missing_one()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, [1, 2, 3]);

        fs.Delete(Db);
        fs.Delete(Db);

        Assert.False(fs.Exists(Db));
        Assert.Equal(-1, fs.GetSize(Db));
        Assert.Empty(fs.Files);
    }

    [Fact]
    public void Read_still_works_on_an_open_handle_when_the_file_was_deleted()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, [1, 2, 3]);
        using IFile file = fs.Open(Db, FileOpenMode.ReadOnly);
        fs.Delete(Db);

        var buffer = new byte[3];
        Assert.Equal(3, file.Read(0, buffer));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
    }

    [Fact]
    public void Paths_are_compared_ordinally()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent("a.db", [1]);

        Assert.True(fs.Exists("a.db"));
        Assert.False(fs.Exists("A.db"));
        Assert.False(fs.Exists("./a.db"));
    }

    [Fact]
    public void SetContent_is_seen_by_reads_and_survives_a_power_cut()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, [9, 8, 7]);
        fs.PowerCut();

        Assert.Equal(new byte[] { 9, 8, 7 }, fs.GetContent(Db));
        Assert.Equal(new byte[] { 9, 8, 7 }, fs.GetDurableContent(Db));
        using IFile file = fs.Open(Db, FileOpenMode.ReadOnly);
        var buffer = new byte[3];
        file.Read(0, buffer);
        Assert.Equal(new byte[] { 9, 8, 7 }, buffer);
    }

    [Fact]
    public void GetContent_throws_when_the_file_is_missing()
    {
        var fs = new MemoryFileSystem();
        Assert.Throws<FileNotFoundException>(() => fs.GetContent(Db));
    }

    [Fact]
    public void Write_throws_IoErrWrite_when_the_handle_is_read_only()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, [1]);
        using IFile file = fs.Open(Db, FileOpenMode.ReadOnly);

        Assert.Equal(ResultCode.IoErrWrite, Assert.Throws<TernException>(() => file.Write(0, [2])).ExtendedCode);
        Assert.Equal(ResultCode.IoErrTruncate, Assert.Throws<TernException>(() => file.Truncate(0)).ExtendedCode);
        Assert.Equal(new byte[] { 1 }, fs.GetContent(Db));
    }

    [Fact]
    public void Calls_throw_ObjectDisposedException_when_the_handle_is_disposed()
    {
        var fs = new MemoryFileSystem();
        IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Dispose();
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.Write(0, [1]));
        Assert.Throws<ObjectDisposedException>(() => file.Read(0, new byte[1]));
    }

    // ---- Power cuts ----

    [Fact]
    public void PowerCut_drops_unsynced_writes_but_keeps_synced_ones()
    {
        var fs = new MemoryFileSystem();
        using (IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate))
        {
            file.Write(0, Bytes(512, 1));
            file.Sync();
            file.Write(512, Bytes(512, 2));
            file.Write(0, Bytes(10, 3));
            file.Truncate(100);
            Assert.Equal(100, file.Length);
        }

        fs.PowerCut();

        Assert.Equal(Bytes(512, 1), fs.GetContent(Db));
    }

    [Fact]
    public void PowerCut_reverts_each_file_to_its_own_last_sync()
    {
        var fs = new MemoryFileSystem();
        using IFile a = fs.Open("a", FileOpenMode.ReadWriteCreate);
        using IFile b = fs.Open("b", FileOpenMode.ReadWriteCreate);
        a.Write(0, [1]);
        b.Write(0, [2]);
        a.Sync();
        b.Write(1, [3]);

        fs.PowerCut();

        Assert.Equal(new byte[] { 1 }, fs.GetContent("a"));
        Assert.Empty(fs.GetContent("b"));
        Assert.True(fs.Exists("b")); // creation is durable
    }

    [Fact]
    public void PowerCut_keeps_a_deletion_and_a_creation()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent("journal", [1, 2]);
        fs.Delete("journal");
        fs.Open("new", FileOpenMode.ReadWriteCreate).Dispose();

        fs.PowerCut();

        Assert.False(fs.Exists("journal"));
        Assert.True(fs.Exists("new"));
    }

    [Fact]
    public void Old_handles_throw_IoErr_after_a_power_cut_while_new_ones_work()
    {
        var fs = new MemoryFileSystem();
        IFile old = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        old.Write(0, [1, 2, 3]);
        old.Sync();

        fs.PowerCut();

        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => old.Read(0, new byte[3])).Code);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => old.Write(0, [9])).Code);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => old.Sync()).Code);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => old.Truncate(0)).Code);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => old.Length).Code);
        old.Dispose();

        using IFile fresh = fs.Open(Db, FileOpenMode.ReadWrite);
        fresh.Write(3, [4]);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, fs.GetContent(Db));
    }

    [Fact]
    public void PowerCut_with_tear_keeps_a_sector_aligned_prefix_of_the_last_write()
    {
        // A write of 1200 bytes at offset 100 crosses sector boundaries 512 and 1024, so it
        // spans 3 sectors and may survive as 0, 412, 924 or all 1200 of its bytes.
        byte[] durable = Bytes(2048, 0x11);
        byte[] write = Sequence(1200, seed: 5);
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            var fs = new MemoryFileSystem();
            fs.SetContent(Db, durable);
            using (IFile file = fs.Open(Db, FileOpenMode.ReadWrite))
            {
                file.Write(0, Bytes(50, 0x22)); // an earlier unsynced write: always lost
                file.Write(100, write);
            }

            fs.PowerCut(tearLastWrite: true, new Random(seed));

            byte[] content = fs.GetContent(Db);
            Assert.Equal(content, fs.GetDurableContent(Db));
            int survived = SurvivingPrefix(content, durable, write, 100);
            Assert.Contains(survived, new[] { 0, 412, 924, 1200 });
            seen.Add(survived);
        }
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void PowerCut_with_tear_zero_fills_when_the_last_write_extended_the_file()
    {
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 100; seed++)
        {
            var fs = new MemoryFileSystem { SectorSize = 4096 };
            using (IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate))
            {
                file.Write(8192, Bytes(8192, 7));
            }

            fs.PowerCut(tearLastWrite: true, new Random(seed));

            byte[] content = fs.GetContent(Db);
            seen.Add(content.Length);
            Assert.Contains(content.Length, new[] { 0, 12288, 16384 });
            Assert.All(content.Take(8192), b => Assert.Equal(0, b));
            Assert.All(content.Skip(8192), b => Assert.Equal(7, b));
        }
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void PowerCut_with_tear_changes_nothing_when_the_last_write_was_synced()
    {
        var fs = new MemoryFileSystem();
        using (IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate))
        {
            file.Write(0, Bytes(1024, 1));
            file.Sync();
        }

        for (int seed = 0; seed < 20; seed++)
        {
            fs.PowerCut(tearLastWrite: true, new Random(seed));
            Assert.Equal(Bytes(1024, 1), fs.GetContent(Db));
        }
    }

    [Fact]
    public void PowerCut_with_tear_ignores_a_write_to_a_file_deleted_since()
    {
        var fs = new MemoryFileSystem();
        using (IFile file = fs.Open("journal", FileOpenMode.ReadWriteCreate))
        {
            file.Write(0, Bytes(1024, 1));
        }
        fs.Delete("journal");
        fs.Open("journal", FileOpenMode.ReadWriteCreate).Dispose();

        fs.PowerCut(tearLastWrite: true, new Random(1));

        Assert.Empty(fs.GetContent("journal"));
    }

    /// <summary>How many leading bytes of a write made it into content that was otherwise durable.</summary>
    private static int SurvivingPrefix(byte[] content, byte[] durable, byte[] write, int offset)
    {
        int survived = 0;
        while (survived < write.Length && content[offset + survived] == write[survived])
        {
            survived++;
        }
        for (int i = 0; i < content.Length; i++)
        {
            if (i < offset || i >= offset + survived)
            {
                Assert.Equal(durable[i], content[i]);
            }
        }
        return survived;
    }

    // ---- Scheduled crashes ----

    /// <summary>A small workload: two synced transactions against a database and a journal.</summary>
    private static void Workload(MemoryFileSystem fs)
    {
        using IFile db = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        db.Write(0, Bytes(1024, 1));
        db.Sync();
        using (IFile journal = fs.Open("journal", FileOpenMode.ReadWriteCreate))
        {
            journal.Write(0, Bytes(512, 9));
            journal.Sync();
        }
        db.Write(512, Bytes(512, 2));
        db.Truncate(2048);
        db.Sync();
        fs.Delete("journal");
    }

    [Fact]
    public void OperationCount_counts_writes_truncates_syncs_and_deletes()
    {
        var fs = new MemoryFileSystem();
        Workload(fs);
        Assert.Equal(8, fs.OperationCount);
    }

    [Fact]
    public void Scheduled_crash_throws_and_reverts_to_the_last_sync()
    {
        var reference = new MemoryFileSystem();
        Workload(reference);
        long total = reference.OperationCount;

        for (long n = 0; n < total; n++)
        {
            var fs = new MemoryFileSystem { CrashAfterOperations = n };
            Assert.Throws<SimulatedPowerCutException>(() => Workload(fs));
            Assert.Equal(n, fs.OperationCount);
            Assert.Null(fs.CrashAfterOperations);

            byte[] db = fs.Exists(Db) ? fs.GetContent(Db) : [];
            byte[] expected = n switch
            {
                < 2 => [],
                < 7 => Bytes(1024, 1),
                _ => [.. Bytes(512, 1), .. Bytes(512, 2), .. Bytes(1024, 0)],
            };
            Assert.Equal(expected, db);
            Assert.Equal(n >= 2, fs.Exists("journal"));
            if (n >= 2)
            {
                Assert.Equal(n >= 4 ? Bytes(512, 9) : [], fs.GetContent("journal"));
            }
        }

        var complete = new MemoryFileSystem { CrashAfterOperations = total };
        Workload(complete);
        Assert.Equal(total, complete.OperationCount);
    }

    [Fact]
    public void Old_handles_throw_SimulatedPowerCutException_after_a_scheduled_crash()
    {
        var fs = new MemoryFileSystem();
        IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        file.Write(0, [1]);
        file.Sync();
        fs.CrashAfterOperations = fs.OperationCount + 1;
        file.Write(1, [2]);

        Assert.Throws<SimulatedPowerCutException>(() => file.Write(2, [3]));
        Assert.Throws<SimulatedPowerCutException>(() => file.Read(0, new byte[1]));
        Assert.Throws<SimulatedPowerCutException>(() => file.Sync());
        Assert.Throws<SimulatedPowerCutException>(() => file.Length);

        using IFile fresh = fs.Open(Db, FileOpenMode.ReadWrite);
        Assert.Equal(1, fresh.Length);
        fresh.Write(1, [5]);
        fresh.Sync();
        Assert.Equal(new byte[] { 1, 5 }, fs.GetContent(Db));
    }

    [Fact]
    public void Scheduled_crash_tears_the_crashing_write_when_TearOnCrash_is_set()
    {
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 100; seed++)
        {
            var fs = new MemoryFileSystem { TearOnCrash = true, TearRandom = new Random(seed) };
            fs.SetContent(Db, Bytes(2048, 0));
            using IFile file = fs.Open(Db, FileOpenMode.ReadWrite);
            fs.CrashAfterOperations = 0;

            Assert.Throws<SimulatedPowerCutException>(() => file.Write(0, Bytes(2048, 3)));

            byte[] content = fs.GetContent(Db);
            int survived = content.TakeWhile(b => b == 3).Count();
            Assert.Equal(0, survived % 512);
            Assert.All(content.Skip(survived), b => Assert.Equal(0, b));
            seen.Add(survived);
        }
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void Scheduled_crash_loses_the_crashing_write_when_TearOnCrash_is_not_set()
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, Bytes(1024, 0));
        using IFile file = fs.Open(Db, FileOpenMode.ReadWrite);
        fs.CrashAfterOperations = 0;

        Assert.Throws<SimulatedPowerCutException>(() => file.Write(0, Bytes(1024, 3)));
        Assert.Equal(Bytes(1024, 0), fs.GetContent(Db));
    }

    [Fact]
    public void Scheduled_crash_on_delete_keeps_the_file()
    {
        var fs = new MemoryFileSystem { CrashAfterOperations = 0 };
        fs.SetContent("journal", [1]);

        Assert.Throws<SimulatedPowerCutException>(() => fs.Delete("journal"));
        Assert.True(fs.Exists("journal"));
    }

    // ---- Fault injection ----

    [Theory]
    [InlineData(IoOperation.Read, ResultCode.IoErrRead)]
    [InlineData(IoOperation.Write, ResultCode.IoErrWrite)]
    [InlineData(IoOperation.Truncate, ResultCode.IoErrTruncate)]
    [InlineData(IoOperation.Sync, ResultCode.IoErrFsync)]
    [InlineData(IoOperation.Delete, ResultCode.IoErrDelete)]
    [InlineData(IoOperation.Open, ResultCode.CantOpen)]
    [InlineData(IoOperation.Access, ResultCode.IoErrAccess)]
    [InlineData(IoOperation.Size, ResultCode.IoErrFstat)]
    [InlineData(IoOperation.DirectorySync, ResultCode.IoErrDirFsync)]
    public void FailWhen_throws_the_matching_code_and_has_no_effect(IoOperation operation, ResultCode code)
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(Db, Bytes(100, 1));
        using IFile file = fs.Open(Db, FileOpenMode.ReadWrite);
        file.Write(0, Bytes(10, 2)); // unsynced, so a failed sync is seen not to make it durable
        var calls = new List<(IoOperation, string)>();
        fs.FailWhen = (op, path) =>
        {
            calls.Add((op, path));
            return op == operation && path == Db;
        };
        long before = fs.OperationCount;

        Action act = operation switch
        {
            IoOperation.Read => () => file.Read(0, new byte[10]),
            IoOperation.Write => () => file.Write(0, Bytes(10, 3)),
            IoOperation.Truncate => () => file.Truncate(5),
            IoOperation.Sync => file.Sync,
            IoOperation.Delete => () => fs.Delete(Db),
            IoOperation.Access => () => fs.Exists(Db),
            IoOperation.Size => () => _ = file.Length,
            IoOperation.DirectorySync => () => fs.SyncDirectory(Db),
            _ => () => fs.Open(Db, FileOpenMode.ReadWrite),
        };
        var e = Assert.Throws<TernException>(act);

        Assert.Equal(code, e.ExtendedCode);
        Assert.Equal(code == ResultCode.CantOpen ? "unable to open database file" : "disk I/O error", e.Message);
        Assert.Equal(new[] { (operation, Db) }, calls);
        Assert.Equal(before, fs.OperationCount);
        fs.FailWhen = null;
        Assert.True(fs.Exists(Db));
        Assert.Equal(Bytes(10, 2).Concat(Bytes(90, 1)).ToArray(), fs.GetContent(Db));
        Assert.Equal(Bytes(100, 1), fs.GetDurableContent(Db));

        act(); // the same operation works once the fault is lifted
    }

    [Fact]
    public void FailWhen_only_affects_the_chosen_path()
    {
        var fs = new MemoryFileSystem { FailWhen = (op, path) => path == "journal" && op != IoOperation.Access };
        using IFile db = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        db.Write(0, [1]);
        db.Sync();

        Assert.Equal(ResultCode.CantOpen,
            Assert.Throws<TernException>(() => fs.Open("journal", FileOpenMode.ReadWriteCreate)).ExtendedCode);
        Assert.False(fs.Exists("journal"));
    }

    [Fact]
    public void ScheduleFault_fails_exactly_the_chosen_call_of_a_kind_with_its_code()
    {
        var fs = new MemoryFileSystem();
        using IFile f = fs.Open("a", FileOpenMode.ReadWriteCreate);
        fs.ScheduleFault(1, IoOperation.Write);
        f.Write(0, [1, 2, 3]);
        var e = Assert.Throws<TernException>(() => f.Write(3, [4, 5]));
        Assert.Equal(ResultCode.IoErrWrite, e.ExtendedCode);
        Assert.Equal("disk I/O error", e.Message);
        f.Write(3, [6]);
        Assert.Equal(new byte[] { 1, 2, 3, 6 }, fs.GetContent("a"));
        Assert.Equal(3, fs.CallCountOf(IoOperation.Write));
        Assert.Equal(1, fs.FaultsInjected);
    }

    [Fact]
    public void A_persistent_fault_fails_every_later_call_until_cleared()
    {
        var fs = new MemoryFileSystem();
        using IFile f = fs.Open("a", FileOpenMode.ReadWriteCreate);
        fs.ScheduleFault(fs.CallCount, persistent: true);
        Assert.Equal(ResultCode.IoErrFsync, Assert.Throws<TernException>(f.Sync).ExtendedCode);
        Assert.Equal(ResultCode.IoErrTruncate, Assert.Throws<TernException>(() => f.Truncate(0)).ExtendedCode);
        Assert.Equal(ResultCode.IoErrDelete, Assert.Throws<TernException>(() => fs.Delete("a")).ExtendedCode);
        Assert.Equal(ResultCode.CantOpen, Assert.Throws<TernException>(() => fs.Open("b", FileOpenMode.ReadWriteCreate)).ExtendedCode);
        fs.ClearFaults();
        f.Sync();
    }

    [Fact]
    public void A_full_disk_lands_what_fits_then_fails_with_full()
    {
        var fs = new MemoryFileSystem { Capacity = 10 };
        using IFile f = fs.Open("a", FileOpenMode.ReadWriteCreate);
        f.Write(0, new byte[6]);
        var e = Assert.Throws<TernException>(() => f.Write(6, [1, 2, 3, 4, 5, 6]));
        Assert.Equal(ResultCode.Full, e.ExtendedCode);
        Assert.Equal("database or disk is full", e.Message);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, fs.GetContent("a"));
        f.Write(0, [9, 9]); // rewriting within the file needs no space
        Assert.Equal(ResultCode.Full, Assert.Throws<TernException>(() => f.Truncate(11)).ExtendedCode);
    }

    [Fact]
    public void ShortWrites_land_half_of_a_failing_write()
    {
        var fs = new MemoryFileSystem { ShortWrites = true };
        using IFile f = fs.Open("a", FileOpenMode.ReadWriteCreate);
        fs.ScheduleFault(fs.CallCount);
        Assert.Throws<TernException>(() => f.Write(0, [1, 2, 3, 4]));
        Assert.Equal(new byte[] { 1, 2 }, fs.GetContent("a"));
    }
}
