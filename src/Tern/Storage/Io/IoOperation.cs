// The kinds of file-system operation that MemoryFileSystem can be told to fail, so that
// tests can inject an I/O error at any point of a workload.
namespace Tern.Storage.Io;

/// <summary>A file-system operation, as seen by <see cref="MemoryFileSystem.FailWhen"/>.</summary>
public enum IoOperation
{
    /// <summary>A read from an open file; fails with SQLITE_IOERR_READ.</summary>
    Read,
    /// <summary>A write to an open file; fails with SQLITE_IOERR_WRITE.</summary>
    Write,
    /// <summary>A change of an open file's size; fails with SQLITE_IOERR_TRUNCATE.</summary>
    Truncate,
    /// <summary>A sync of an open file; fails with SQLITE_IOERR_FSYNC.</summary>
    Sync,
    /// <summary>The deletion of a file; fails with SQLITE_IOERR_DELETE.</summary>
    Delete,
    /// <summary>The opening (or creation) of a file; fails with SQLITE_CANTOPEN.</summary>
    Open,
    /// <summary>A question whether a file exists; fails with SQLITE_IOERR_ACCESS.</summary>
    Access,
    /// <summary>A question for a file's size (by path or of an open file); fails with SQLITE_IOERR_FSTAT.</summary>
    Size,
    /// <summary>A sync of the directory that holds a file; fails with SQLITE_IOERR_DIR_FSYNC.</summary>
    DirectorySync,
    /// <summary>A raise of a database lock (<see cref="IFile.TryLock"/>); fails with SQLITE_IOERR_LOCK.</summary>
    Lock,
    /// <summary>A release of a database lock (<see cref="IFile.Unlock"/>); fails with SQLITE_IOERR_UNLOCK.</summary>
    Unlock,
    /// <summary>A question whether a reserved lock is held (<see cref="IFile.CheckReservedLock"/>); fails with SQLITE_IOERR_CHECKRESERVEDLOCK.</summary>
    CheckReservedLock,
    /// <summary>The opening of a file's shared memory; fails with SQLITE_IOERR_SHMOPEN.</summary>
    SharedMemoryOpen,
    /// <summary>The mapping of a shared-memory region; fails with SQLITE_IOERR_SHMMAP.</summary>
    SharedMemoryMap,
    /// <summary>The taking or release of shared-memory lock slots; fails with SQLITE_IOERR_SHMLOCK.</summary>
    SharedMemoryLock,
}
