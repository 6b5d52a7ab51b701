// The file-system abstraction under the pager. The pager knows files only through these
// interfaces, so the same engine runs on real files (OsFileSystem), in memory
// (MemoryFileSystem, which can also simulate power cuts and I/O errors), and later on
// other backends (batched or io_uring I/O, encryption at rest). Besides bytes, a file
// offers SQLite's database locks (FileLock) and its shared memory (ISharedMemory, the
// wal-index), with the same byte-range locks as SQLite's VFSes so that Tern and SQLite
// processes exclude each other on one file.
namespace Tern.Storage.Io;

/// <summary>How a file is opened.</summary>
public enum FileOpenMode
{
    /// <summary>Open an existing file for reading only; fail with CANTOPEN when it does not exist.</summary>
    ReadOnly,
    /// <summary>Open an existing file for reading and writing; fail with CANTOPEN when it does not exist.</summary>
    ReadWrite,
    /// <summary>Open a file for reading and writing, creating it (empty) when it does not exist.</summary>
    ReadWriteCreate,
}

/// <summary>A set of named files: the operating system's, or a simulated one.</summary>
public interface IFileSystem
{
    /// <summary>Opens a file. Errors are <see cref="TernException"/> with SQLITE_CANTOPEN or SQLITE_IOERR codes.</summary>
    IFile Open(string path, FileOpenMode mode);

    /// <summary>Whether a file exists.</summary>
    bool Exists(string path);

    /// <summary>Deletes a file; deleting a file that does not exist is not an error.</summary>
    void Delete(string path);

    /// <summary>The size of a file in bytes, or -1 when it does not exist.</summary>
    long GetSize(string path);

    /// <summary>
    /// Makes the creation or deletion of the file at <paramref name="path"/> durable by syncing
    /// the directory that holds it (where the operating system needs that).
    /// </summary>
    void SyncDirectory(string path);
}

/// <summary>
/// An open file addressed by byte offset. Reads and writes are positioned (no shared
/// cursor), so one file may serve several readers. Every failure is a
/// <see cref="TernException"/> with an SQLITE_IOERR extended code.
/// </summary>
public interface IFile : IDisposable
{
    /// <summary>The file's current size in bytes.</summary>
    long Length { get; }

    /// <summary>
    /// Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>. Returns the number of
    /// bytes read, which is less than asked only at the end of the file.
    /// </summary>
    int Read(long offset, Span<byte> buffer);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>, growing the file when needed.</summary>
    void Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Sets the file's size, cutting or zero-extending it.</summary>
    void Truncate(long size);

    /// <summary>Makes every write so far durable (fsync).</summary>
    void Sync();

    /// <summary>The lock this handle holds now.</summary>
    FileLock LockLevel { get; }

    /// <summary>
    /// Raises this handle's lock to <paramref name="level"/> with SQLite's rules: Shared only from
    /// None; Reserved only from Shared; Exclusive from Shared or Reserved (taking Pending on the
    /// way). Returns false when a lock held through another handle (in this process or another
    /// process) is in the way; then nothing changed, except that a failed Exclusive keeps
    /// Pending, as SQLite's unix VFS does (new readers are kept out while the writer waits).
    /// Asking for a level at or below the current one returns true and changes nothing.
    /// I/O failures are <see cref="TernException"/> with SQLITE_IOERR_LOCK.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is Pending, or not a level.</exception>
    /// <exception cref="InvalidOperationException">The step is not one of those above (None to Reserved, say).</exception>
    bool TryLock(FileLock level);

    /// <summary>
    /// Lowers this handle's lock to <paramref name="level"/>, which is None or Shared
    /// (SQLITE_IOERR_UNLOCK on failure). A level at or above the current one changes nothing.
    /// </summary>
    void Unlock(FileLock level);

    /// <summary>
    /// Whether any handle other than this one, in this process or another, holds Reserved or
    /// higher on the file (sqlite3's xCheckReservedLock; this handle's own lock also counts
    /// when it is Reserved or higher). Failures are SQLITE_IOERR_CHECKRESERVEDLOCK.
    /// </summary>
    bool CheckReservedLock();

    /// <summary>
    /// Opens the file's shared memory (the wal-index; on the operating system the file
    /// "&lt;path&gt;-shm"), or returns null where the file system cannot provide it (the caller then
    /// refuses WAL mode, as SQLite does without shared memory). See <see cref="ISharedMemory"/>.
    /// </summary>
    ISharedMemory? OpenSharedMemory();
}
