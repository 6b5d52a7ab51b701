// The file-system abstraction under the pager. The pager knows files only through these
// two interfaces, so the same engine runs on real files (OsFileSystem), in memory
// (MemoryFileSystem, which can also simulate power cuts and I/O errors), and later on
// other backends (batched or io_uring I/O, encryption at rest).
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
}
