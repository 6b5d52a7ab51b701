// Database locks and shared memory on the operating system's files, as SQLite's VFSes take
// them, so that a Tern process and a sqlite3 process on one database exclude each other.
//
//   platform          database locks                             shared memory (-shm)
//   Linux (64-bit)    open-file-description locks (F_OFD_SETLK)  MemoryMappedFile regions,
//                     on the bytes of LockProtocol.cs, run by    OFD locks on bytes 120..128
//                     SQLite's unix protocol (LockProtocol)
//   Windows           LockFileEx/UnlockFileEx on the same bytes,  MemoryMappedFile regions,
//                     with os_win.c's steps (below)              LockFileEx on bytes 120..128
//   macOS, FreeBSD    classic POSIX locks (F_SETLK) with SQLite's  as on Linux, with one
//                     in-process bookkeeping (PosixLocks.cs)       descriptor per process and
//                                                                  per-slot counts deciding
//                                                                  between its handles
//   other platforms   an in-process table per path only: handles   none (OpenSharedMemory
//                     in this process exclude each other, other    returns null, so WAL mode
//                     processes are not seen                       is refused)
//
// OFD locks belong to the open file description, that is to one IFile here: two handles in
// one process exclude each other as two processes do, closing one handle never drops the
// locks of another (the trap of classic POSIX locks, which SQLite's unixInodeInfo works
// around), and they conflict with the classic POSIX locks that the sqlite3 shell takes.
// The lock calls never wait: EAGAIN, EACCES and EINTR mean busy, any other errno is an
// I/O error (IOERR_LOCK, IOERR_UNLOCK, IOERR_CHECKRESERVEDLOCK, IOERR_SHMLOCK).
//
// Windows (os_win.c's winLock), locks being neither shared with nor convertible on a handle:
//   Shared       exclusive PENDING, shared SHARED range, release PENDING
//   Reserved     exclusive RESERVED
//   Exclusive    exclusive PENDING (unless held); release the shared SHARED range; exclusive
//                SHARED range, or on failure the shared SHARED range again and stay at Pending
//
// The -shm file (SQLite's unixOpenSharedMemory / unixShmMap / unixShmLock):
//   open     "<database>-shm", read-write (created) or else read-only; the DMS byte (128):
//            when no one holds it, write-lock it and cut the file to 3 bytes (0 on Windows)
//            since its content is stale; then hold it read-locked until closed. A read-only
//            first opener fails with READONLY_CANTINIT; a DMS byte write-locked by another
//            opener that is initializing it is BUSY.
//   map      region i = bytes [i*32768, (i+1)*32768); growing writes one zero byte at the end
//            of each new 4 KiB page (so a full disk fails here, not on a later memory access)
//   users    (POSIX and OFD) one descriptor per process and path, shared by every handle of
//            the process, which counts their slots: a slot is locked at the OS level once, when
//            the first handle takes it, and unlocked when the last lets go
//   lock     slot i = byte 120+i, read-locked (shared) or write-locked (exclusive)
//   close    with delete: when the DMS byte can be write-locked, no one else uses the file,
//            which is then deleted
using System.Buffers;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tern.Storage.Io;

/// <summary>How <see cref="OsFileSystem"/> locks files.</summary>
internal enum OsLockKind
{
    /// <summary>Linux open-file-description locks (the default on 64-bit Linux).</summary>
    OpenFileDescription,
    /// <summary>Windows LockFileEx (the default on Windows).</summary>
    Windows,
    /// <summary>Classic POSIX locks with SQLite's per-file bookkeeping (the default on macOS and FreeBSD).</summary>
    ClassicPosix,
    /// <summary>An in-process table only (the default elsewhere).</summary>
    InProcess,
}

public sealed partial class OsFileSystem
{
    /// <summary>This platform's way of locking files.</summary>
    internal static readonly OsLockKind DefaultLockKind =
        OperatingSystem.IsWindows() ? OsLockKind.Windows
        : OperatingSystem.IsLinux() && Environment.Is64BitProcess ? OsLockKind.OpenFileDescription
        : (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsFreeBSD()) && Environment.Is64BitProcess ? OsLockKind.ClassicPosix
        : OsLockKind.InProcess;

    private readonly OsLockKind _lockKind;

    /// <summary>
    /// A file system whose files are locked the given way. Tests use it to run the classic POSIX
    /// and in-process kinds on Linux; everything else uses <see cref="Instance"/>.
    /// </summary>
    internal OsFileSystem(OsLockKind lockKind)
    {
        _lockKind = lockKind;
    }

    /// <summary>How this file system locks files.</summary>
    internal OsLockKind LockKind => _lockKind;

    // ---- Linux fcntl ----

    private const int FOfdGetLk = 36;
    private const int FOfdSetLk = 37;
    private const short FRdLck = 0;
    private const short FWrLck = 1;
    private const short FUnLck = 2;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EAcces = 13;

    /// <summary>Linux's struct flock on 64-bit targets (l_pid must be 0 for OFD locks).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct LinuxFlock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static unsafe partial int FcntlLock(int fd, int command, LinuxFlock* flock);

    /// <summary>
    /// One F_OFD_SETLK (type F_RDLCK, F_WRLCK or F_UNLCK) on <paramref name="handle"/>: true when
    /// done, false when another lock is in the way; other failures throw with <paramref name="error"/>.
    /// </summary>
    private static unsafe bool OfdSet(SafeFileHandle handle, short type, long start, long length, ResultCode error)
    {
        Debug.Assert(OperatingSystem.IsLinux());
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var flock = new LinuxFlock { Type = type, Whence = 0 /* SEEK_SET */, Start = start, Length = length };
            if (FcntlLock((int)handle.DangerousGetHandle(), FOfdSetLk, &flock) == 0)
            {
                return true;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno is EAgain or EAcces or EIntr)
            {
                return false;
            }
            throw new TernException(error, TernException.DefaultMessage(error));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>F_OFD_GETLK: the type of a lock of another handle that would block a lock of <paramref name="type"/>, or F_UNLCK.</summary>
    private static unsafe short OfdGet(SafeFileHandle handle, short type, long start, long length, ResultCode error)
    {
        Debug.Assert(OperatingSystem.IsLinux());
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var flock = new LinuxFlock { Type = type, Whence = 0, Start = start, Length = length };
            if (FcntlLock((int)handle.DangerousGetHandle(), FOfdGetLk, &flock) != 0)
            {
                throw new TernException(error, TernException.DefaultMessage(error));
            }
            return flock.Type;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The database-lock primitives of one handle as Linux OFD locks.</summary>
    private sealed class OfdRangeLocks(SafeFileHandle handle) : IRangeLocks
    {
        public bool TrySet(LockRange range, bool write, ResultCode error)
        {
            (long start, long length) = LockProtocol.Bytes(range);
            return OfdSet(handle, write ? FWrLck : FRdLck, start, length, error);
        }

        public void Clear(LockRange range, ResultCode error)
        {
            (long start, long length) = LockProtocol.Bytes(range);
            if (!OfdSet(handle, FUnLck, start, length, error))
            {
                TernException.Throw(error); // an unlock is never blocked; EINTR and the like are failures here
            }
        }

        public bool IsWriteBlocked(LockRange range)
        {
            (long start, long length) = LockProtocol.Bytes(range);
            return OfdGet(handle, FWrLck, start, length, ResultCode.IoErrCheckReservedLock) != FUnLck;
        }
    }

    // ---- Windows LockFileEx ----

    private const uint LockfileFailImmediately = 1;
    private const uint LockfileExclusiveLock = 2;
    private const int ErrorLockViolation = 33;
    private const int ErrorIoPending = 997;

    [StructLayout(LayoutKind.Sequential)]
    private struct Overlapped
    {
        public nuint Internal;
        public nuint InternalHigh;
        public uint Offset;
        public uint OffsetHigh;
        public nint EventHandle;
    }

    [LibraryImport("kernel32.dll", EntryPoint = "LockFileEx", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool WinLockFileEx(SafeFileHandle file, uint flags, uint reserved, uint bytesLow, uint bytesHigh, ref Overlapped overlapped);

    [LibraryImport("kernel32.dll", EntryPoint = "UnlockFileEx", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool WinUnlockFileEx(SafeFileHandle file, uint reserved, uint bytesLow, uint bytesHigh, ref Overlapped overlapped);

    /// <summary>LockFileEx without waiting: true when taken, false when another lock is in the way.</summary>
    private static bool WinLock(SafeFileHandle handle, long start, long length, bool exclusive, ResultCode error)
    {
        Debug.Assert(OperatingSystem.IsWindows());
        var overlapped = new Overlapped { Offset = (uint)start, OffsetHigh = (uint)(start >> 32) };
        uint flags = LockfileFailImmediately | (exclusive ? LockfileExclusiveLock : 0);
        if (WinLockFileEx(handle, flags, 0, (uint)length, (uint)(length >> 32), ref overlapped))
        {
            return true;
        }
        int code = Marshal.GetLastPInvokeError();
        if (code is ErrorLockViolation or ErrorIoPending)
        {
            return false;
        }
        throw new TernException(error, TernException.DefaultMessage(error));
    }

    /// <summary>UnlockFileEx of exactly a range locked before; false when nothing was locked there.</summary>
    private static bool WinUnlock(SafeFileHandle handle, long start, long length)
    {
        Debug.Assert(OperatingSystem.IsWindows());
        var overlapped = new Overlapped { Offset = (uint)start, OffsetHigh = (uint)(start >> 32) };
        return WinUnlockFileEx(handle, 0, (uint)length, (uint)(length >> 32), ref overlapped);
    }

    // ---- The in-process table (platforms without per-handle locks) ----

    private static readonly Dictionary<string, LockSlots> s_processLocks = new(StringComparer.Ordinal);

    /// <summary>Registers a handle on <paramref name="path"/> in the in-process table.</summary>
    private static SlotRangeLocks JoinProcessLocks(string path)
    {
        lock (s_processLocks)
        {
            if (!s_processLocks.TryGetValue(path, out LockSlots? table))
            {
                table = new LockSlots(SlotRangeLocks.SlotCount);
                s_processLocks.Add(path, table);
            }
            return new SlotRangeLocks(table.Join());
        }
    }

    private sealed partial class OsFile
    {
        // The handle's lock primitives: OFD locks or the in-process table; null on Windows and
        // with classic POSIX locks, which have their own steps.
        private readonly IRangeLocks? _locks;
        private FileLock _level;
        private volatile bool _disposed;

        private static IRangeLocks? CreateLocks(SafeFileHandle handle, string path, OsLockKind kind) => kind switch
        {
            OsLockKind.OpenFileDescription => new OfdRangeLocks(handle),
            OsLockKind.InProcess => JoinProcessLocks(path),
            _ => null,
        };

        public FileLock LockLevel => _level;

        // What serializes lock calls: the in-process table is shared by every handle in the process.
        private object Gate => _locks is SlotRangeLocks ? s_processLocks : _gate;

        private readonly object _gate = new();

        public bool TryLock(FileLock level)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inode is not null)
            {
                return PosixTryLock(level);
            }
            if (_locks is null)
            {
                return WindowsTryLock(level);
            }
            lock (Gate)
            {
                return LockProtocol.TryLock(_locks, ref _level, level);
            }
        }

        public void Unlock(FileLock level)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inode is not null)
            {
                PosixUnlock(level);
                return;
            }
            if (_locks is null)
            {
                WindowsUnlock(level);
                return;
            }
            lock (Gate)
            {
                LockProtocol.Unlock(_locks, ref _level, level);
            }
        }

        public bool CheckReservedLock()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inode is not null)
            {
                return PosixCheckReservedLock();
            }
            if (_locks is null)
            {
                if (_level >= FileLock.Reserved)
                {
                    return true;
                }
                // os_win.c: a shared lock on the reserved byte fails when someone holds Reserved.
                if (!WinLock(_handle, LockProtocol.ReservedByte, 1, exclusive: false, ResultCode.IoErrCheckReservedLock))
                {
                    return true;
                }
                WinUnlock(_handle, LockProtocol.ReservedByte, 1);
                return false;
            }
            lock (Gate)
            {
                return LockProtocol.CheckReservedLock(_locks, _level);
            }
        }

        public ISharedMemory? OpenSharedMemory()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _kind == OsLockKind.InProcess ? null : OsSharedMemory.Open(_path + "-shm", _syncStream is null, _kind);
        }

        /// <summary>
        /// Drops every lock before the handle closes (closing alone would do on Linux, not at once
        /// on Windows). False when the handle must stay open (classic POSIX locks: closing any
        /// descriptor of the file would drop the locks other handles hold through it).
        /// </summary>
        private bool ReleaseLocks()
        {
            if (_inode is not null)
            {
                return PosixRelease();
            }
            try
            {
                if (_locks is SlotRangeLocks slots)
                {
                    lock (s_processLocks)
                    {
                        slots.Owner.Table.Leave(slots.Owner);
                        if (slots.Owner.Table.IsEmpty)
                        {
                            s_processLocks.Remove(_path);
                        }
                    }
                    _level = FileLock.None;
                }
                else if (_locks is null && _level != FileLock.None)
                {
                    WindowsUnlock(FileLock.None);
                }
                // OFD locks go with the file description when the handle closes.
            }
            catch (TernException)
            {
                // As SQLite's close: a failed unlock does not keep the file open.
            }
            return true;
        }

        /// <summary>os_win.c's winLock (see the file comment).</summary>
        private bool WindowsTryLock(FileLock level)
        {
            LockProtocol.Validate(_level, level);
            if (level <= _level)
            {
                return true;
            }
            bool ok = true;
            bool gotPending = false;
            FileLock next = _level;
            if ((level == FileLock.Shared && _level == FileLock.None) || (level == FileLock.Exclusive && _level <= FileLock.Reserved))
            {
                ok = gotPending = WinLock(_handle, LockProtocol.PendingByte, 1, exclusive: true, ResultCode.IoErrLock);
            }
            try
            {
                if (level == FileLock.Shared && ok)
                {
                    ok = WinLock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize, exclusive: false, ResultCode.IoErrLock);
                    if (ok) next = FileLock.Shared;
                }
                if (level == FileLock.Reserved && ok)
                {
                    ok = WinLock(_handle, LockProtocol.ReservedByte, 1, exclusive: true, ResultCode.IoErrLock);
                    if (ok) next = FileLock.Reserved;
                }
                if (level == FileLock.Exclusive && ok)
                {
                    next = FileLock.Pending;
                    gotPending = false; // kept: a waiting writer holds it
                    WinUnlock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize);
                    ok = WinLock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize, exclusive: true, ResultCode.IoErrLock);
                    if (ok)
                    {
                        next = FileLock.Exclusive;
                    }
                    else
                    {
                        WinLock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize, exclusive: false, ResultCode.IoErrLock);
                    }
                }
            }
            finally
            {
                if (gotPending && level == FileLock.Shared)
                {
                    WinUnlock(_handle, LockProtocol.PendingByte, 1);
                }
                _level = next;
            }
            return ok;
        }

        /// <summary>os_win.c's winUnlock.</summary>
        private void WindowsUnlock(FileLock level)
        {
            if (level is not (FileLock.None or FileLock.Shared))
            {
                throw new ArgumentOutOfRangeException(nameof(level), level, "a handle unlocks to None or Shared");
            }
            FileLock was = _level;
            if (was <= level)
            {
                return;
            }
            bool failed = false;
            if (was >= FileLock.Exclusive)
            {
                WinUnlock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize);
                if (level == FileLock.Shared && !WinLock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize, exclusive: false, ResultCode.IoErrUnlock))
                {
                    failed = true;
                }
            }
            if (was >= FileLock.Reserved)
            {
                WinUnlock(_handle, LockProtocol.ReservedByte, 1);
            }
            if (level == FileLock.None && was >= FileLock.Shared)
            {
                WinUnlock(_handle, LockProtocol.SharedFirst, LockProtocol.SharedSize);
            }
            if (was >= FileLock.Pending)
            {
                WinUnlock(_handle, LockProtocol.PendingByte, 1);
            }
            _level = level;
            if (failed)
            {
                TernException.Throw(ResultCode.IoErrUnlock);
            }
        }
    }

    /// <summary>A file's shared memory on the operating system: the -shm file (see the file comment).</summary>
    private sealed class OsSharedMemory : ISharedMemory
    {
        private const long LockBase = 120;   // byte of lock slot 0
        private const long DmsByte = 128;    // the "dead man switch"
        private const int OsPageSize = 4096;

        private readonly object _gate = new();
        private readonly SafeFileHandle _handle;
        private readonly string _path;
        private readonly bool _readOnly;
        private readonly byte[] _held = new byte[ISharedMemory.LockCount]; // 0 free, 1 shared, 2 exclusive
        private readonly List<MappedRegion?> _regions = [];
        // With classic POSIX locks: the process's one descriptor and lock counts; else null.
        private readonly PosixShmNode? _node;
        private bool _closed;

        private OsSharedMemory(SafeFileHandle handle, string path, bool readOnly, PosixShmNode? node)
        {
            _handle = handle;
            _path = path;
            _readOnly = readOnly;
            _node = node;
        }

        /// <summary>Opens (creating it when it can) the -shm file at <paramref name="path"/> and takes the DMS lock.</summary>
        public static OsSharedMemory Open(string path, bool databaseReadOnly, OsLockKind kind)
        {
            if (kind is OsLockKind.ClassicPosix or OsLockKind.OpenFileDescription)
            {
                return OpenPosix(path, databaseReadOnly, ofd: kind == OsLockKind.OpenFileDescription);
            }
            SafeFileHandle handle = OpenHandle(path, databaseReadOnly, out bool readOnly);
            var shm = new OsSharedMemory(handle, path, readOnly, null);
            try
            {
                shm.TakeDeadManSwitch();
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            return shm;
        }

        /// <summary>
        /// One descriptor per process (SQLite's unixShmNode): the first user in the process opens
        /// it and takes the DMS lock, later ones share it, and the process takes each OS lock once
        /// (a shared slot another user of the process holds already costs no system call). With
        /// classic POSIX locks this is what keeps one handle's close from dropping another's
        /// locks; with OFD locks it saves the system calls (two nodes of one file under different
        /// paths are two open file descriptions, whose locks exclude each other as processes do).
        /// </summary>
        private static OsSharedMemory OpenPosix(string path, bool databaseReadOnly, bool ofd)
        {
            lock (s_shmNodes)
            {
                if (!s_shmNodes.TryGetValue(path, out PosixShmNode? node))
                {
                    SafeFileHandle handle = OpenHandle(path, databaseReadOnly, out bool readOnly);
                    node = new PosixShmNode(handle, readOnly, ofd);
                    try
                    {
                        new OsSharedMemory(handle, path, readOnly, node).TakeDeadManSwitch();
                    }
                    catch
                    {
                        handle.Dispose();
                        throw;
                    }
                    s_shmNodes.Add(path, node);
                }
                node.Users++;
                return new OsSharedMemory(node.Handle, path, node.ReadOnly, node);
            }
        }

        /// <summary>Opens the -shm file read-write (creating it), or else read-only; CANTOPEN when neither works.</summary>
        private static SafeFileHandle OpenHandle(string path, bool databaseReadOnly, out bool readOnly)
        {
            SafeFileHandle handle;
            readOnly = false;
            try
            {
                handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (IsOpenFailure(e))
            {
                try
                {
                    handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    readOnly = true;
                }
                catch (Exception e2) when (IsOpenFailure(e2))
                {
                    throw new TernException(ResultCode.CantOpen, TernException.DefaultMessage(ResultCode.CantOpen), databaseReadOnly ? e2 : e);
                }
            }
            return handle;
        }

        /// <summary>Takes the DMS byte shared, first cutting stale content when no one else uses the file.</summary>
        private void TakeDeadManSwitch()
        {
            if (OperatingSystem.IsWindows())
            {
                if (!_readOnly && WinLock(_handle, DmsByte, 1, exclusive: true, ResultCode.IoErrShmLock))
                {
                    SetLength(0);
                    WinUnlock(_handle, DmsByte, 1);
                }
                if (!WinLock(_handle, DmsByte, 1, exclusive: false, ResultCode.IoErrShmLock))
                {
                    TernException.Throw(ResultCode.Busy);
                }
                return;
            }
            bool posix = _node is { Ofd: false };
            PosixAbi abi = PosixAbi.Current;
            short other = posix
                ? PosixFcntl(_handle, abi.GetLk, abi.WrLck, DmsByte, 1, ResultCode.IoErrLock).Type
                : OfdGet(_handle, FWrLck, DmsByte, 1, ResultCode.IoErrLock);
            if (other == (posix ? abi.UnLck : FUnLck))
            {
                if (_readOnly)
                {
                    TernException.Throw(ResultCode.ReadOnlyCantInit);
                }
                if (!SetDms(write: true))
                {
                    TernException.Throw(ResultCode.Busy);
                }
                // As SQLite: 3 bytes rather than 0, less than a header, so a legitimate cut can be told
                // from a stray one when debugging.
                SetLength(3);
            }
            else if (other == (posix ? abi.WrLck : FWrLck))
            {
                TernException.Throw(ResultCode.Busy); // another user is initializing it
            }
            if (!SetDms(write: false))
            {
                TernException.Throw(ResultCode.Busy);
            }
        }

        /// <summary>Read- or write-locks the DMS byte (OFD or classic POSIX); false when another user is in the way.</summary>
        private bool SetDms(bool write) => _node is null or { Ofd: true }
            ? OfdSet(_handle, write ? FWrLck : FRdLck, DmsByte, 1, ResultCode.IoErrShmLock)
            : PosixFcntl(_handle, PosixAbi.Current.SetLk, write ? PosixAbi.Current.WrLck : PosixAbi.Current.RdLck, DmsByte, 1, ResultCode.IoErrShmLock).Done;

        private void SetLength(long length)
        {
            try
            {
                RandomAccess.SetLength(_handle, length);
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw new TernException(ResultCode.IoErrShmOpen, TernException.DefaultMessage(ResultCode.IoErrShmOpen), e);
            }
        }

        public Memory<byte> Map(int index, bool extend)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                if (index < _regions.Count && _regions[index] is { } mapped)
                {
                    return mapped.Memory;
                }
                long end = (index + 1L) * ISharedMemory.RegionSize;
                long size;
                try
                {
                    size = RandomAccess.GetLength(_handle);
                }
                catch (Exception e) when (IsFileSystemFailure(e))
                {
                    throw new TernException(ResultCode.IoErrShmSize, TernException.DefaultMessage(ResultCode.IoErrShmSize), e);
                }
                if (size < end)
                {
                    if (!extend)
                    {
                        return Memory<byte>.Empty;
                    }
                    if (_readOnly)
                    {
                        TernException.Throw(ResultCode.IoErrShmSize);
                    }
                    Grow(size, end);
                }
                MappedRegion region;
                try
                {
                    region = new MappedRegion(_handle, index * (long)ISharedMemory.RegionSize, _readOnly);
                }
                catch (Exception e) when (IsFileSystemFailure(e) || e is ArgumentException)
                {
                    throw new TernException(ResultCode.IoErrShmMap, TernException.DefaultMessage(ResultCode.IoErrShmMap), e);
                }
                while (_regions.Count <= index)
                {
                    _regions.Add(null);
                }
                _regions[index] = region;
                return region.Memory;
            }
        }

        /// <summary>Extends the file to <paramref name="end"/> by writing the last byte of every new OS page.</summary>
        private void Grow(long size, long end)
        {
            byte[] zero = [0];
            try
            {
                for (long page = size / OsPageSize; page < end / OsPageSize; page++)
                {
                    RandomAccess.Write(_handle, zero, page * OsPageSize + OsPageSize - 1);
                }
            }
            catch (Exception e) when (IsFileSystemFailure(e))
            {
                throw new TernException(ResultCode.IoErrShmSize, TernException.DefaultMessage(ResultCode.IoErrShmSize), e);
            }
        }

        public bool TryLock(int slot, int count, bool exclusive)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                SharedMemorySlots.Validate(_held, slot, count, exclusive);
                bool got = _node is not null ? PosixTryLock(slot, count, exclusive)
                    : OperatingSystem.IsWindows()
                    ? WindowsTryLock(slot, count, exclusive)
                    : OfdSet(_handle, exclusive ? FWrLck : FRdLck, LockBase + slot, count, ResultCode.IoErrShmLock);
                if (got)
                {
                    _held.AsSpan(slot, count).Fill(exclusive ? (byte)2 : (byte)1);
                }
                return got;
            }
        }

        /// <summary>Windows: slot by slot (each range unlocked as it was locked), undoing on failure.</summary>
        private bool WindowsTryLock(int slot, int count, bool exclusive)
        {
            for (int i = slot; i < slot + count; i++)
            {
                bool upgrade = _held[i] == 1;
                if (upgrade)
                {
                    WinUnlock(_handle, LockBase + i, 1);
                }
                if (!WinLock(_handle, LockBase + i, 1, exclusive, ResultCode.IoErrShmLock))
                {
                    if (upgrade)
                    {
                        WinLock(_handle, LockBase + i, 1, exclusive: false, ResultCode.IoErrShmLock);
                    }
                    for (int j = slot; j < i; j++)
                    {
                        WinUnlock(_handle, LockBase + j, 1);
                        if (_held[j] == 1)
                        {
                            WinLock(_handle, LockBase + j, 1, exclusive: false, ResultCode.IoErrShmLock);
                        }
                    }
                    return false;
                }
            }
            return true;
        }

        public void Unlock(int slot, int count)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                SharedMemorySlots.Validate(_held, slot, count, exclusive: null);
                if (_node is not null)
                {
                    PosixUnlock(slot, count);
                }
                else if (OperatingSystem.IsWindows())
                {
                    for (int i = slot; i < slot + count; i++)
                    {
                        if (_held[i] != 0)
                        {
                            WinUnlock(_handle, LockBase + i, 1);
                        }
                    }
                }
                else if (!OfdSet(_handle, FUnLck, LockBase + slot, count, ResultCode.IoErrShmLock))
                {
                    TernException.Throw(ResultCode.IoErrShmLock);
                }
                _held.AsSpan(slot, count).Clear();
            }
        }

        public void Barrier() => Interlocked.MemoryBarrier();

        public void Close(bool delete)
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }
                _closed = true;
                foreach (MappedRegion? region in _regions)
                {
                    ((IDisposable?)region)?.Dispose();
                }
                _regions.Clear();
                if (_node is not null)
                {
                    PosixClose(delete);
                    return;
                }
                try
                {
                    if (delete && IsLastUser())
                    {
                        File.Delete(_path);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or TernException)
                {
                    // As SQLite: a -shm file that cannot be deleted is left for the next opener to reset.
                }
                finally
                {
                    _handle.Dispose(); // drops this handle's slot and DMS locks
                }
            }
        }

        /// <summary>Whether the DMS byte can be write-locked: no other user has the file open.</summary>
        private bool IsLastUser()
        {
            if (OperatingSystem.IsWindows())
            {
                WinUnlock(_handle, DmsByte, 1);
                return WinLock(_handle, DmsByte, 1, exclusive: true, ResultCode.IoErrShmLock);
            }
            return OfdSet(_handle, FWrLck, DmsByte, 1, ResultCode.IoErrShmLock);
        }

        public void Dispose() => Close(false);

        /// <summary>
        /// unixShmLock with classic POSIX locks: other handles of this process are judged by the
        /// node's counts, other processes by the OS lock, which the process takes once per slot.
        /// </summary>
        private bool PosixTryLock(int slot, int count, bool exclusive)
        {
            PosixShmNode node = _node!;
            lock (node)
            {
                bool heldByProcess = !exclusive;
                for (int i = slot; i < slot + count; i++)
                {
                    int othersShared = node.Shared[i] - (_held[i] == 1 ? 1 : 0);
                    if (node.Exclusive[i] || (exclusive && othersShared > 0))
                    {
                        return false;
                    }
                    heldByProcess &= node.Shared[i] > 0;
                }
                if (!heldByProcess && !NodeSet(node, exclusive ? LockKind.Write : LockKind.Read, slot, count))
                {
                    return false;
                }
                for (int i = slot; i < slot + count; i++)
                {
                    if (exclusive)
                    {
                        node.Shared[i] -= _held[i] == 1 ? 1 : 0;
                        node.Exclusive[i] = true;
                    }
                    else
                    {
                        node.Shared[i]++;
                    }
                }
                return true;
            }
        }

        private void PosixUnlock(int slot, int count)
        {
            PosixShmNode node = _node!;
            lock (node)
            {
                for (int i = slot; i < slot + count; i++)
                {
                    bool release = false;
                    if (_held[i] == 2)
                    {
                        node.Exclusive[i] = false;
                        release = true;
                    }
                    else if (_held[i] == 1)
                    {
                        release = --node.Shared[i] == 0;
                    }
                    if (release && !NodeSet(node, LockKind.Unlock, i, 1))
                    {
                        TernException.Throw(ResultCode.IoErrShmLock);
                    }
                    Debug.Assert(node.Shared[i] >= 0);
                }
            }
        }

        private enum LockKind
        {
            Read,
            Write,
            Unlock,
        }

        /// <summary>Sets the process's OS lock on lock slots through the node's descriptor (OFD or classic POSIX).</summary>
        private bool NodeSet(PosixShmNode node, LockKind kind, int slot, int count)
        {
            if (node.Ofd)
            {
                short type = kind switch { LockKind.Read => FRdLck, LockKind.Write => FWrLck, _ => FUnLck };
                return OfdSet(_handle, type, LockBase + slot, count, ResultCode.IoErrShmLock);
            }
            PosixAbi abi = PosixAbi.Current;
            short posixType = kind switch { LockKind.Read => abi.RdLck, LockKind.Write => abi.WrLck, _ => abi.UnLck };
            return PosixFcntl(_handle, abi.SetLk, posixType, LockBase + slot, count, ResultCode.IoErrShmLock).Done;
        }

        /// <summary>Releases this user's slots; the last user in the process closes (and may delete) the file.</summary>
        private void PosixClose(bool delete)
        {
            PosixShmNode node = _node!;
            lock (s_shmNodes)
            {
                try
                {
                    PosixUnlock(0, ISharedMemory.LockCount);
                }
                catch (TernException)
                {
                    // The descriptor's close below drops the OS locks anyway once no one is left.
                }
                Array.Clear(_held);
                if (--node.Users > 0)
                {
                    return;
                }
                s_shmNodes.Remove(_path);
                try
                {
                    if (delete && SetDms(write: true))
                    {
                        File.Delete(_path);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or TernException)
                {
                    // As SQLite: a -shm file that cannot be deleted is left for the next opener to reset.
                }
                finally
                {
                    node.Handle.Dispose();
                }
            }
        }
    }

    /// <summary>A -shm file's state in this process (SQLite's unixShmNode); its own object is the gate of its lock counts.</summary>
    private sealed class PosixShmNode(SafeFileHandle handle, bool readOnly, bool ofd)
    {
        public SafeFileHandle Handle { get; } = handle;

        public bool ReadOnly { get; } = readOnly;

        /// <summary>Whether the OS locks are OFD locks (else classic POSIX locks).</summary>
        public bool Ofd { get; } = ofd;

        /// <summary>Open ISharedMemory objects of this process on the file.</summary>
        public int Users { get; set; }

        /// <summary>Per slot: handles of this process holding it shared.</summary>
        public int[] Shared { get; } = new int[ISharedMemory.LockCount];

        /// <summary>Per slot: whether a handle of this process holds it exclusively.</summary>
        public bool[] Exclusive { get; } = new bool[ISharedMemory.LockCount];
    }

    private static readonly Dictionary<string, PosixShmNode> s_shmNodes = new(StringComparer.Ordinal);

    /// <summary>One region of the -shm file mapped shared into memory, handed out as <see cref="Memory{T}"/>.</summary>
    private sealed unsafe class MappedRegion : MemoryManager<byte>
    {
        private readonly MemoryMappedFile _file;
        private readonly MemoryMappedViewAccessor _view;
        private byte* _pointer;

        public MappedRegion(SafeFileHandle handle, long offset, bool readOnly)
        {
            MemoryMappedFileAccess access = readOnly ? MemoryMappedFileAccess.Read : MemoryMappedFileAccess.ReadWrite;
            _file = MemoryMappedFile.CreateFromFile(handle, null, 0, access, HandleInheritability.None, leaveOpen: true);
            try
            {
                _view = _file.CreateViewAccessor(offset, ISharedMemory.RegionSize, access);
                byte* pointer = null;
                _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
                _pointer = pointer + _view.PointerOffset;
            }
            catch
            {
                _view?.Dispose();
                _file.Dispose();
                throw;
            }
        }

        public override Span<byte> GetSpan()
        {
            ObjectDisposedException.ThrowIf(_pointer == null, this);
            return new Span<byte>(_pointer, ISharedMemory.RegionSize);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ObjectDisposedException.ThrowIf(_pointer == null, this);
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, ISharedMemory.RegionSize);
            return new MemoryHandle(_pointer + elementIndex);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (_pointer != null)
            {
                _pointer = null;
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
            _view.Dispose();
            _file.Dispose();
        }
    }
}
