// Tests of what MemoryFileSystem adds to the database locks and the shared memory that
// FileLockTests checks on both file systems: power cuts release locks and drop shared
// memory, and tests can make a lock busy or fail.
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

public class MemoryFileSystemLockTests
{
    private const string Db = "test.db";

    [Fact]
    public void PowerCut_releases_every_lock_and_drops_shared_memory()
    {
        var fs = new MemoryFileSystem();
        IFile writer = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        Assert.True(writer.TryLock(FileLock.Shared));
        Assert.True(writer.TryLock(FileLock.Exclusive));
        ISharedMemory shm = writer.OpenSharedMemory()!;
        shm.Map(0, extend: true).Span[0] = 42;
        Assert.True(shm.TryLock(0, 1, exclusive: true));

        fs.PowerCut();

        using IFile after = fs.Open(Db, FileOpenMode.ReadWrite);
        Assert.True(after.TryLock(FileLock.Shared));
        Assert.True(after.TryLock(FileLock.Exclusive));
        using ISharedMemory fresh = after.OpenSharedMemory()!;
        Assert.True(fresh.Map(0, extend: false).IsEmpty);
        Assert.True(fresh.TryLock(0, 1, exclusive: true));

        // The dead process's handles fail on every call, and closing them disturbs no one.
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => writer.Unlock(FileLock.None)).ExtendedCode);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => shm.Map(0, extend: false)).ExtendedCode);
        Assert.Equal(ResultCode.IoErr, Assert.Throws<TernException>(() => shm.TryLock(1, 1, exclusive: false)).ExtendedCode);
        shm.Dispose();
        writer.Dispose();
        Assert.Equal(FileLock.Exclusive, after.LockLevel);
        using IFile other = fs.Open(Db, FileOpenMode.ReadWrite);
        Assert.False(other.TryLock(FileLock.Shared));
    }

    [Fact]
    public void Shared_memory_is_dropped_when_its_last_user_closes_it()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        using (ISharedMemory shm = file.OpenSharedMemory()!)
        {
            shm.Map(0, extend: true).Span[5] = 5;
        }
        using ISharedMemory again = file.OpenSharedMemory()!;
        Assert.True(again.Map(0, extend: false).IsEmpty);
        Assert.Equal(0, again.Map(0, extend: true).Span[5]);
    }

    [Fact]
    public void BusyWhen_makes_a_lock_report_busy_and_change_nothing()
    {
        var fs = new MemoryFileSystem();
        using IFile a = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        using IFile b = fs.Open(Db, FileOpenMode.ReadWrite);
        Assert.True(a.TryLock(FileLock.Shared));
        fs.BusyWhen = (op, path) => op == IoOperation.Lock && path == Db;

        Assert.False(a.TryLock(FileLock.Reserved));
        Assert.False(a.TryLock(FileLock.Exclusive));
        Assert.Equal(FileLock.Shared, a.LockLevel); // an injected busy keeps no Pending
        Assert.False(b.TryLock(FileLock.Shared));
        Assert.True(a.TryLock(FileLock.Shared)); // nothing to take: not busy

        using ISharedMemory shm = a.OpenSharedMemory()!;
        Assert.True(shm.TryLock(0, 1, exclusive: true));
        fs.BusyWhen = (op, _) => op == IoOperation.SharedMemoryLock;
        Assert.False(shm.TryLock(1, 1, exclusive: false));
        Assert.True(b.TryLock(FileLock.Shared));

        fs.ClearFaults();
        Assert.True(shm.TryLock(1, 1, exclusive: false));
        Assert.True(b.TryLock(FileLock.Reserved));
    }

    [Theory]
    [InlineData(IoOperation.Lock, ResultCode.IoErrLock)]
    [InlineData(IoOperation.Unlock, ResultCode.IoErrUnlock)]
    [InlineData(IoOperation.CheckReservedLock, ResultCode.IoErrCheckReservedLock)]
    [InlineData(IoOperation.SharedMemoryOpen, ResultCode.IoErrShmOpen)]
    [InlineData(IoOperation.SharedMemoryMap, ResultCode.IoErrShmMap)]
    [InlineData(IoOperation.SharedMemoryLock, ResultCode.IoErrShmLock)]
    public void FailWhen_fails_lock_and_shared_memory_calls_with_their_codes(IoOperation operation, ResultCode code)
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        Assert.True(file.TryLock(FileLock.Shared));
        using ISharedMemory shm = file.OpenSharedMemory()!;
        Assert.True(shm.TryLock(3, 1, exclusive: false));
        long before = fs.CallCountOf(operation);
        fs.FailWhen = (op, _) => op == operation;

        Action call = operation switch
        {
            IoOperation.Lock => () => file.TryLock(FileLock.Reserved),
            IoOperation.Unlock => () => file.Unlock(FileLock.None),
            IoOperation.CheckReservedLock => () => file.CheckReservedLock(),
            IoOperation.SharedMemoryOpen => () => file.OpenSharedMemory(),
            IoOperation.SharedMemoryMap => () => shm.Map(0, extend: true),
            _ => () => shm.Unlock(3, 1),
        };
        var e = Assert.Throws<TernException>(call);
        Assert.Equal(code, e.ExtendedCode);
        Assert.Equal("disk I/O error", e.Message);
        Assert.Equal(before + 1, fs.CallCountOf(operation));

        // The failed call changed nothing.
        fs.ClearFaults();
        Assert.Equal(FileLock.Shared, file.LockLevel);
        using IFile other = fs.Open(Db, FileOpenMode.ReadWrite);
        Assert.True(other.TryLock(FileLock.Shared));
        Assert.True(other.TryLock(FileLock.Reserved));
        using ISharedMemory otherShm = other.OpenSharedMemory()!;
        Assert.False(otherShm.TryLock(3, 1, exclusive: true));
    }

    [Fact]
    public void ScheduleFault_counts_lock_calls_by_kind()
    {
        var fs = new MemoryFileSystem();
        using IFile file = fs.Open(Db, FileOpenMode.ReadWriteCreate);
        fs.ScheduleFault(1, IoOperation.Lock);

        Assert.True(file.TryLock(FileLock.Shared));
        Assert.Equal(ResultCode.IoErrLock, Assert.Throws<TernException>(() => file.TryLock(FileLock.Reserved)).ExtendedCode);
        Assert.True(file.TryLock(FileLock.Reserved));
        Assert.Equal(3, fs.CallCountOf(IoOperation.Lock));
    }
}
