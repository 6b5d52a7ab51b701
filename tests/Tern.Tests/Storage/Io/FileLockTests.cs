// Tests of the database locks (IFile.TryLock/Unlock/CheckReservedLock) and the shared memory
// (ISharedMemory) that both file systems offer, run on each: the operating system's files in
// a fresh temporary directory, and MemoryFileSystem. Two handles on one file stand for two
// connections (or processes); the rules checked are SQLite's. The locks also run on the
// operating system's files with the classic POSIX locks of macOS and FreeBSD (on Linux, which
// has them too) and with the in-process table of other platforms.
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

public sealed class FileLockTests : IDisposable
{
    private readonly string _directory;

    public FileLockTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tern-locks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Whether classic POSIX locks can run here (Linux has them beside its OFD locks).</summary>
    private static bool PosixRuns =>
        (OperatingSystem.IsLinux() && Environment.Is64BitProcess) || OsFileSystem.DefaultLockKind == OsLockKind.ClassicPosix;

    /// <summary>The file systems with shared memory.</summary>
    public static TheoryData<string> FileSystems
    {
        get
        {
            var kinds = new TheoryData<string> { "os", "memory" };
            if (PosixRuns) kinds.Add("posix");
            return kinds;
        }
    }

    /// <summary>The operating system's file systems with a -shm file.</summary>
    public static TheoryData<string> OsFileSystems
    {
        get
        {
            var kinds = new TheoryData<string> { "os" };
            if (PosixRuns) kinds.Add("posix");
            return kinds;
        }
    }

    /// <summary>Every way of locking files that can run here.</summary>
    public static TheoryData<string> LockingFileSystems
    {
        get
        {
            var kinds = new TheoryData<string> { "os", "memory", "inprocess" };
            if (PosixRuns) kinds.Add("posix");
            return kinds;
        }
    }

    /// <summary>A file system of the named kind and the path of a fresh, empty database file on it.</summary>
    private (IFileSystem Fs, string Path) Setup(string kind)
    {
        IFileSystem fs = kind switch
        {
            "os" => OsFileSystem.Instance,
            "posix" => new OsFileSystem(OsLockKind.ClassicPosix),
            "inprocess" => new OsFileSystem(OsLockKind.InProcess),
            _ => new MemoryFileSystem(),
        };
        string path = kind == "memory" ? "a.db" : Path.Combine(_directory, "a.db");
        using (fs.Open(path, FileOpenMode.ReadWriteCreate))
        {
        }
        return (fs, path);
    }

    // ---- Database locks ----

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void TryLock_grants_shared_to_two_handles_at_once(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadOnly);

        Assert.Equal(FileLock.None, a.LockLevel);
        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(b.TryLock(FileLock.Shared));
        Assert.Equal(FileLock.Shared, a.LockLevel);
        Assert.Equal(FileLock.Shared, b.LockLevel);
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void TryLock_refuses_reserved_while_another_handle_holds_reserved_but_grants_shared(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile c = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Reserved));
        Assert.True(b.TryLock(FileLock.Shared));
        Assert.False(b.TryLock(FileLock.Reserved));
        Assert.Equal(FileLock.Shared, b.LockLevel);
        Assert.True(c.TryLock(FileLock.Shared)); // a reader beside a writer that has not started writing

        a.Unlock(FileLock.Shared);
        Assert.Equal(FileLock.Shared, a.LockLevel);
        Assert.True(b.TryLock(FileLock.Reserved));
        Assert.False(a.TryLock(FileLock.Reserved));
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void TryLock_exclusive_fails_on_readers_and_keeps_pending_which_blocks_new_readers(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile reader = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile writer = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile late = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.True(reader.TryLock(FileLock.Shared));
        Assert.True(writer.TryLock(FileLock.Shared));
        Assert.True(writer.TryLock(FileLock.Reserved));
        Assert.False(writer.TryLock(FileLock.Exclusive));
        Assert.Equal(FileLock.Pending, writer.LockLevel);

        Assert.False(late.TryLock(FileLock.Shared)); // the waiting writer keeps new readers out
        Assert.Equal(FileLock.None, late.LockLevel);
        Assert.Equal(FileLock.Shared, reader.LockLevel); // the reader already in stays

        reader.Unlock(FileLock.None);
        Assert.True(writer.TryLock(FileLock.Exclusive));
        Assert.Equal(FileLock.Exclusive, writer.LockLevel);
        Assert.False(reader.TryLock(FileLock.Shared));
        Assert.False(late.TryLock(FileLock.Shared));
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void TryLock_exclusive_goes_straight_from_shared_when_no_one_else_reads(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Exclusive));
        Assert.Equal(FileLock.Exclusive, a.LockLevel);
        Assert.False(b.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Shared)); // at or below the level held: nothing changes
        Assert.True(a.TryLock(FileLock.Reserved));
        Assert.Equal(FileLock.Exclusive, a.LockLevel);
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void Unlock_to_shared_lets_readers_in_and_to_none_lets_writers_in(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Reserved));
        Assert.True(a.TryLock(FileLock.Exclusive));
        Assert.False(b.TryLock(FileLock.Shared));

        a.Unlock(FileLock.Shared);
        Assert.Equal(FileLock.Shared, a.LockLevel);
        Assert.True(b.TryLock(FileLock.Shared));
        Assert.True(b.TryLock(FileLock.Reserved)); // a gave up its reserved byte too
        Assert.False(b.TryLock(FileLock.Exclusive)); // a still reads
        Assert.Equal(FileLock.Pending, b.LockLevel);

        a.Unlock(FileLock.None);
        Assert.Equal(FileLock.None, a.LockLevel);
        a.Unlock(FileLock.None); // already there: nothing to do
        Assert.True(b.TryLock(FileLock.Exclusive));
        b.Unlock(FileLock.None);
        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Exclusive));
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void CheckReservedLock_is_true_while_any_handle_holds_reserved_or_more(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.False(a.CheckReservedLock());
        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(b.TryLock(FileLock.Shared));
        Assert.False(a.CheckReservedLock());
        Assert.False(b.CheckReservedLock());

        Assert.True(b.TryLock(FileLock.Reserved));
        Assert.True(a.CheckReservedLock());
        Assert.True(b.CheckReservedLock()); // its own lock counts too

        a.Unlock(FileLock.None);
        Assert.True(b.TryLock(FileLock.Exclusive));
        Assert.True(a.CheckReservedLock());

        b.Unlock(FileLock.Shared);
        Assert.False(a.CheckReservedLock());
        Assert.False(b.CheckReservedLock());
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void Dispose_releases_the_handles_locks_and_no_others(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile c = fs.Open(path, FileOpenMode.ReadWrite);
        IFile b = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.True(b.TryLock(FileLock.Shared));
        Assert.True(b.TryLock(FileLock.Exclusive));
        Assert.False(a.TryLock(FileLock.Shared));
        b.Dispose();
        Assert.True(a.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Reserved));

        // Closing a handle that holds nothing, or only a shared lock, leaves a's locks alone.
        using (IFile d = fs.Open(path, FileOpenMode.ReadWrite))
        {
            Assert.True(d.TryLock(FileLock.Shared));
        }
        fs.Open(path, FileOpenMode.ReadOnly).Dispose();
        Assert.True(c.TryLock(FileLock.Shared));
        Assert.False(c.TryLock(FileLock.Reserved));
        Assert.True(c.CheckReservedLock());
    }

    [Theory]
    [MemberData(nameof(LockingFileSystems))]
    public void TryLock_rejects_steps_that_SQLite_never_takes(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);

        Assert.Throws<InvalidOperationException>(() => a.TryLock(FileLock.Reserved));
        Assert.Throws<InvalidOperationException>(() => a.TryLock(FileLock.Exclusive));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.TryLock(FileLock.Pending));
        Assert.True(a.TryLock(FileLock.Shared));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Unlock(FileLock.Reserved));
        Assert.Equal(FileLock.Shared, a.LockLevel);
    }

    // ---- Shared memory ----

    [Theory]
    [MemberData(nameof(FileSystems))]
    public void Map_returns_empty_until_a_region_is_made_and_then_zeroed_memory(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile file = fs.Open(path, FileOpenMode.ReadWrite);
        using ISharedMemory shm = file.OpenSharedMemory() ?? throw new InvalidOperationException("no shared memory");

        Assert.True(shm.Map(0, extend: false).IsEmpty);
        Memory<byte> second = shm.Map(1, extend: true);
        Assert.Equal(ISharedMemory.RegionSize, second.Length);
        Assert.All(second.ToArray(), b => Assert.Equal(0, b));
        Memory<byte> first = shm.Map(0, extend: false); // made on the way to region 1
        Assert.Equal(ISharedMemory.RegionSize, first.Length);
        Assert.True(shm.Map(2, extend: false).IsEmpty);
        if (kind != "memory")
        {
            Assert.Equal(2L * ISharedMemory.RegionSize, new FileInfo(path + "-shm").Length);
        }
    }

    [Theory]
    [MemberData(nameof(FileSystems))]
    public void Map_shows_writes_through_one_handle_to_every_other(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);
        using ISharedMemory shmA = a.OpenSharedMemory()!;
        using ISharedMemory shmB = b.OpenSharedMemory()!;

        Memory<byte> regionA = shmA.Map(0, extend: true);
        regionA.Span[100] = 0x5A;
        regionA.Span[ISharedMemory.RegionSize - 1] = 0xA5;
        shmA.Barrier();

        Memory<byte> regionB = shmB.Map(0, extend: false);
        shmB.Barrier();
        Assert.Equal(0x5A, regionB.Span[100]);
        Assert.Equal(0xA5, regionB.Span[ISharedMemory.RegionSize - 1]);

        regionB.Span[7] = 7;
        shmB.Barrier();
        Assert.Equal(7, regionA.Span[7]);
    }

    [Theory]
    [MemberData(nameof(FileSystems))]
    public void SharedMemory_lock_slots_conflict_as_shared_and_exclusive_locks(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);
        using ISharedMemory x = a.OpenSharedMemory()!;
        using ISharedMemory y = b.OpenSharedMemory()!;

        Assert.True(x.TryLock(3, 1, exclusive: false));
        Assert.True(y.TryLock(3, 1, exclusive: false)); // two readers on one read-mark
        Assert.False(y.TryLock(0, 4, exclusive: true)); // slot 3 is shared by x: nothing taken
        Assert.True(x.TryLock(0, 1, exclusive: true)); // so slot 0 is still free
        Assert.False(y.TryLock(0, 1, exclusive: false));
        Assert.False(y.TryLock(0, 1, exclusive: true));
        Assert.True(y.TryLock(1, 2, exclusive: true)); // disjoint slots
        Assert.False(x.TryLock(2, 1, exclusive: false));

        Assert.False(x.TryLock(3, 1, exclusive: true)); // upgrade refused while y shares the slot
        y.Unlock(3, 1);
        Assert.True(x.TryLock(3, 1, exclusive: true)); // and granted once it is alone
        Assert.False(y.TryLock(3, 1, exclusive: false));

        x.Unlock(0, 1);
        Assert.True(y.TryLock(0, 1, exclusive: true));
        Assert.Throws<InvalidOperationException>(() => y.TryLock(0, 1, exclusive: true));
        Assert.Throws<InvalidOperationException>(() => y.TryLock(1, 1, exclusive: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => y.TryLock(7, 2, exclusive: true));

        x.Dispose(); // closing releases x's slots
        Assert.True(y.TryLock(3, 1, exclusive: true));
    }

    [Theory]
    [MemberData(nameof(FileSystems))]
    public void OpenSharedMemory_drops_stale_content_for_the_first_user_only(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);

        ISharedMemory first = a.OpenSharedMemory()!;
        first.Map(0, extend: true).Span.Fill(0x77);
        first.Barrier();
        using (ISharedMemory second = b.OpenSharedMemory()!)
        {
            Memory<byte> seen = second.Map(0, extend: false);
            Assert.Equal(ISharedMemory.RegionSize, seen.Length);
            Assert.All(seen.ToArray(), v => Assert.Equal(0x77, v)); // another user had it open: kept
        }
        first.Dispose();

        using ISharedMemory fresh = b.OpenSharedMemory()!; // no user left: what is there is stale
        Assert.True(fresh.Map(0, extend: false).IsEmpty);
        byte[] region = fresh.Map(0, extend: true).ToArray();
        // SQLite's unix VFS cuts the file to 3 bytes, not 0, so only those can survive.
        Assert.All(region[3..], v => Assert.Equal(0, v));
        if (kind == "memory")
        {
            Assert.All(region, v => Assert.Equal(0, v));
        }
    }

    [Fact]
    public void OpenSharedMemory_returns_null_where_the_OS_locks_cannot_reach_other_processes()
    {
        string path = Path.Combine(_directory, "d.db");
        File.WriteAllBytes(path, []);
        using IFile file = new OsFileSystem(OsLockKind.InProcess).Open(path, FileOpenMode.ReadWrite);
        Assert.Null(file.OpenSharedMemory());
        Assert.False(File.Exists(path + "-shm"));
    }

    [Fact]
    public void OpenSharedMemory_on_the_OS_cuts_a_stale_shm_file_to_three_bytes()
    {
        string path = Path.Combine(_directory, "b.db");
        File.WriteAllBytes(path, []);
        File.WriteAllBytes(path + "-shm", Enumerable.Repeat((byte)0xAB, 40000).ToArray());
        using IFile file = OsFileSystem.Instance.Open(path, FileOpenMode.ReadWrite);
        using ISharedMemory shm = file.OpenSharedMemory()!;

        Assert.Equal(3, new FileInfo(path + "-shm").Length);
        Assert.True(shm.Map(0, extend: false).IsEmpty);
    }

    [Theory]
    [MemberData(nameof(OsFileSystems))]
    public void Close_with_delete_removes_the_shm_file_only_when_no_one_else_uses_it(string kind)
    {
        (IFileSystem fs, string path) = Setup(kind);
        using IFile a = fs.Open(path, FileOpenMode.ReadWrite);
        using IFile b = fs.Open(path, FileOpenMode.ReadWrite);
        ISharedMemory x = a.OpenSharedMemory()!;
        ISharedMemory y = b.OpenSharedMemory()!;
        x.Map(0, extend: true);

        x.Close(delete: true);
        Assert.True(File.Exists(path + "-shm")); // y still uses it
        Assert.Equal(ISharedMemory.RegionSize, y.Map(0, extend: false).Length);
        y.Close(delete: true);
        Assert.False(File.Exists(path + "-shm"));
        y.Close(delete: true); // closing twice is harmless
    }
}
