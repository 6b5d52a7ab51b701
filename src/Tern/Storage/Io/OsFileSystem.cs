// The file system of the operating system. Files are opened as SafeFileHandles and read
// and written with positioned System.IO.RandomAccess calls (no shared cursor); Sync is a
// real fsync (FlushFileBuffers on Windows) through a FileStream held over the same handle.
// Files are shared for reading, writing and deletion, so another process (the sqlite3
// shell, say) can open them too and a journal can be deleted while open elsewhere.
// .NET exceptions are turned into TernExceptions carrying SQLite's result codes, as SQLite's
// unix VFS maps errno values:
//
//   what failed                         .NET exception                      SQLite code
//   open                                IOException, UnauthorizedAccess...  CANTOPEN
//   read                                IOException, UnauthorizedAccess     IOERR_READ
//   write, no space left (ENOSPC,       IOException with that HResult       FULL
//     ERROR_DISK_FULL, EDQUOT)
//   write past the file-size limit      ArgumentOutOfRangeException         IOERR_WRITE
//     (EFBIG, ulimit -f)                  ("file length too large")
//   any other write failure             IOException, UnauthorizedAccess     IOERR_WRITE
//   truncate / set length               any of the above                    IOERR_TRUNCATE
//                                         (FULL when there is no space)
//   fsync                               IOException                         IOERR_FSYNC
//   delete                              IOException, UnauthorizedAccess     IOERR_DELETE
//   size query                          IOException, UnauthorizedAccess     IOERR_FSTAT
//
// No other exception type leaves this file for a failure of the file system. Locks and
// shared memory are in OsFileSystem.Locks.cs.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tern.Storage.Io;

/// <summary>An <see cref="IFileSystem"/> backed by the operating system's files.</summary>
public sealed partial class OsFileSystem : IFileSystem
{
    /// <summary>The operating system's files, locked as this platform allows (see OsFileSystem.Locks.cs).</summary>
    public static readonly OsFileSystem Instance = new(DefaultLockKind);

    /// <inheritdoc/>
    public IFile Open(string path, FileOpenMode mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        (FileMode fileMode, FileAccess access) = mode switch
        {
            FileOpenMode.ReadOnly => (FileMode.Open, FileAccess.Read),
            FileOpenMode.ReadWrite => (FileMode.Open, FileAccess.ReadWrite),
            FileOpenMode.ReadWriteCreate => (FileMode.OpenOrCreate, FileAccess.ReadWrite),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, fileMode, access, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw OsFile.Error(ResultCode.CantOpen, e);
        }
        return OsFile.Wrap(handle, access, path, _lockKind);
    }

    /// <inheritdoc/>
    public bool Exists(string path) => File.Exists(path);

    /// <inheritdoc/>
    public void Delete(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // The directory is missing, so the file is too: nothing to delete.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OsFile.Error(ResultCode.IoErrDelete, e);
        }
    }

    /// <inheritdoc/>
    public long GetSize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : -1;
        }
        catch (FileNotFoundException)
        {
            return -1; // deleted between the existence check and the size query
        }
        catch (DirectoryNotFoundException)
        {
            return -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw OsFile.Error(ResultCode.IoErrAccess, e);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// On Unix the directory is opened and fsync'ed (.NET has no managed API for it), as
    /// SQLite does after creating a journal. Windows needs nothing: creating or deleting a
    /// file is made durable by the file system itself. A directory that cannot be opened is
    /// skipped, as SQLite skips it.
    /// </remarks>
    public void SyncDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows()) return;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrEmpty(directory)) return;
        int fd = PosixOpen(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            if (PosixFsync(fd) != 0)
                throw new TernException(ResultCode.IoErrDirFsync, TernException.DefaultMessage(ResultCode.IoErr));
        }
        finally
        {
            _ = PosixClose(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int PosixOpen(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int PosixFsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int PosixClose(int fd);

    private const int EnoSpc = 28; // ENOSPC on Linux, macOS and the BSDs
    private static readonly int EDQuot = OperatingSystem.IsLinux() ? 122 : 69; // EDQUOT: the user's disk quota is used up
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027); // HRESULT of ERROR_HANDLE_DISK_FULL
    private const int ErrorDiskFull = unchecked((int)0x80070070); // HRESULT of ERROR_DISK_FULL

    /// <summary>
    /// Whether an exception from a positioned read, write, size change or flush is a failure
    /// of the file system. .NET reports EFBIG (a write or size change past the process's
    /// file-size limit) as an <see cref="ArgumentOutOfRangeException"/>, and some errno values
    /// as <see cref="NotSupportedException"/>; a handle closed underneath is reported as
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    internal static bool IsFileSystemFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or NotSupportedException or ObjectDisposedException;

    /// <summary>Whether a failure means the device has no space left (SQLITE_FULL rather than an I/O error).</summary>
    internal static bool IsDiskFull(Exception e)
    {
        if (e is not IOException)
        {
            return false;
        }
        return OperatingSystem.IsWindows()
            ? e.HResult is ErrorDiskFull or ErrorHandleDiskFull
            : e.HResult == EnoSpc || e.HResult == EDQuot;
    }

    /// <summary>
    /// The code for a failed write or size change: SQLITE_FULL when the device has no space
    /// left, else <paramref name="ioCode"/>.
    /// </summary>
    internal static ResultCode ErrorCode(ResultCode ioCode, Exception e) => IsDiskFull(e) ? ResultCode.Full : ioCode;

    /// <summary>Whether an exception from opening a file means "cannot open" rather than a bug in Tern.</summary>
    private static bool IsOpenFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>An open operating-system file.</summary>
    private sealed partial class OsFile : IFile
    {

        private readonly SafeFileHandle _handle;
        // Held only to reach FileStream.Flush(true), which is fsync; null for read-only files.
        private readonly FileStream? _syncStream;
        // The full path, for the -shm file's name and the in-process lock table.
        private readonly string _path;

        // How the handle's locks are taken.
        private readonly OsLockKind _kind;

        private OsFile(SafeFileHandle handle, FileStream? syncStream, string path, OsLockKind kind)
        {
            _handle = handle;
            _syncStream = syncStream;
            _path = path;
            _kind = kind;
            _locks = CreateLocks(handle, path, kind);
            _inode = kind == OsLockKind.ClassicPosix ? JoinInode(path) : null;
        }

        /// <summary>Wraps a freshly opened handle, taking ownership of it.</summary>
        public static OsFile Wrap(SafeFileHandle handle, FileAccess access, string path, OsLockKind kind)
        {
            string fullPath;
            try
            {
                fullPath = Path.GetFullPath(path);
            }
            catch (Exception e) when (IsOpenFailure(e))
            {
                handle.Dispose();
                throw Error(ResultCode.CantOpen, e);
            }
            if (access == FileAccess.Read)
            {
                return new OsFile(handle, null, fullPath, kind);
            }
            try
            {
                // bufferSize 0: no buffering, so the stream never writes anything itself.
                return new OsFile(handle, new FileStream(handle, access, bufferSize: 0), fullPath, kind);
            }
            catch (Exception e) when (IsOpenFailure(e))
            {
                handle.Dispose();
                throw Error(ResultCode.CantOpen, e);
            }
        }

        public long Length
        {
            get
            {
                try
                {
                    return RandomAccess.GetLength(_handle);
                }
                catch (Exception e) when (IsFileSystemFailure(e))
                {
                    throw Error(ResultCode.IoErrFstat, e);
                }
            }
        }

        public int Read(long offset, Span<byte> buffer)
        {
            try
            {
                int total = 0;
                while (total < buffer.Length)
                {
                    int n = RandomAccess.Read(_handle, buffer[total..], offset + total);
                    if (n == 0)
                    {
                        break;
                    }
                    total += n;
                }
                return total;
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw Error(ResultCode.IoErrRead, e);
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            try
            {
                RandomAccess.Write(_handle, data, offset);
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw Error(ErrorCode(ResultCode.IoErrWrite, e), e);
            }
        }

        public void Truncate(long size)
        {
            try
            {
                RandomAccess.SetLength(_handle, size);
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw Error(ErrorCode(ResultCode.IoErrTruncate, e), e);
            }
        }

        public void Sync()
        {
            if (_syncStream is null)
            {
                ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
                return; // nothing can have been written through a read-only handle
            }
            try
            {
                _syncStream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw Error(ResultCode.IoErrFsync, e);
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (ReleaseLocks())
            {
                _syncStream?.Dispose();
                _handle.Dispose();
            }
        }

        /// <summary>A TernException for a failed operation, with SQLite's message for the code.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static TernException Error(ResultCode code, Exception inner) =>
            new(code, TernException.DefaultMessage(code), inner);
    }
}
