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
}
