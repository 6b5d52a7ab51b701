// Classic POSIX locks (fcntl F_SETLK) with SQLite's in-process bookkeeping, for Unix systems
// without open-file-description locks (macOS, FreeBSD). Classic locks belong to the process,
// not to a descriptor, so two handles in one process never conflict through the kernel, and
// closing any descriptor of a file drops every lock the process holds on it. As SQLite's
// unixInodeInfo, one PosixInode per file (keyed by its full path here) therefore records
// what the process holds and decides between the handles of this process:
//
//   Level        the highest level any handle of the process holds (the OS locks held)
//   SharedCount  handles at Shared or above: the OS shared lock goes when the last one leaves
//   LockCount    handles holding any lock: while above 0, closing a handle only parks its
//                descriptor in PendingCloses; they close when the count returns to 0
//
// A request conflicts with another handle of the process when that handle holds Pending or
// more, or when anything above Shared is asked while the process level is not this handle's
// own; Exclusive also waits for the process's other readers (SharedCount > 1). The OS calls
// are then those of LockProtocol.cs.
//
//   struct flock      Linux (x64, arm64)        macOS                     FreeBSD
//   l_type            short @0                  short @20                 short @20
//   l_whence          short @2                  short @22                 short @22
//   l_start           off_t @8                  off_t @0                  off_t @0
//   l_len             off_t @16                 off_t @8                  off_t @8
//   l_pid             pid_t @24                 pid_t @16                 pid_t @16
//   size              32                        24                        32 (l_sysid @24)
//   F_GETLK/F_SETLK   5/6                       7/8                       11/12
//   F_RDLCK/WR/UN     0/1/2                     1/3/2                     1/3/2
//   EAGAIN            11                        35                        35
//
// fcntl is variadic; on Apple's arm64 ABI a variadic argument goes on the stack, so there the
// pointer is passed as the ninth argument, after six unused register arguments. The -shm file
// with these locks (PosixShmNode: one descriptor per process, per-slot counts) is in
// OsFileSystem.Locks.cs beside the other kinds.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tern.Storage.Io;

public sealed partial class OsFileSystem
{
    /// <summary>What this process holds on one file (SQLite's unixInodeInfo).</summary>
    private sealed class PosixInode(string key)
    {
        public string Key { get; } = key;

        public FileLock Level { get; set; }

        public int SharedCount { get; set; }

        public int LockCount { get; set; }

        /// <summary>Open handles on the file (the entry goes when the last one closes).</summary>
        public int Users { get; set; }

        /// <summary>Descriptors of closed handles, kept open while the process holds locks.</summary>
        public List<IDisposable> PendingCloses { get; } = [];
    }

    private static readonly Dictionary<string, PosixInode> s_inodes = new(StringComparer.Ordinal);

    private static PosixInode JoinInode(string path)
    {
        lock (s_inodes)
        {
            if (!s_inodes.TryGetValue(path, out PosixInode? inode))
            {
                inode = new PosixInode(path);
                s_inodes.Add(path, inode);
            }
            inode.Users++;
            return inode;
        }
    }

    /// <summary>The fcntl numbers and struct flock layout of this platform.</summary>
    private sealed record PosixAbi(int GetLk, int SetLk, short RdLck, short WrLck, short UnLck, int EAgain,
        int TypeAt, int WhenceAt, int StartAt, int LengthAt, bool AppleArm64)
    {
        public static readonly PosixAbi Current =
            OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst()
                ? new PosixAbi(7, 8, 1, 3, 2, 35, 20, 22, 0, 8, RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            : OperatingSystem.IsFreeBSD()
                ? new PosixAbi(11, 12, 1, 3, 2, 35, 20, 22, 0, 8, false)
                : new PosixAbi(5, 6, 0, 1, 2, 11, 0, 2, 8, 16, false);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static unsafe partial int FcntlPointer(int fd, int command, byte* argument);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static unsafe partial int FcntlPointerOnStack(int fd, int command, nint unused2, nint unused3, nint unused4,
        nint unused5, nint unused6, nint unused7, byte* argument);

    /// <summary>
    /// One classic fcntl lock call; returns the call's result with the struct flock read back
    /// (its l_type) for F_GETLK. Busy (EAGAIN, EACCES, EINTR) is reported as (false, 0); other
    /// failures throw with <paramref name="error"/>.
    /// </summary>
    private static unsafe (bool Done, short Type) PosixFcntl(SafeFileHandle handle, int command, short type, long start, long length, ResultCode error)
    {
        PosixAbi abi = PosixAbi.Current;
        byte* flock = stackalloc byte[32];
        var bytes = new Span<byte>(flock, 32);
        bytes.Clear();
        BinaryPrimitives.WriteInt16LittleEndian(bytes[abi.TypeAt..], type);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[abi.WhenceAt..], 0); // SEEK_SET
        BinaryPrimitives.WriteInt64LittleEndian(bytes[abi.StartAt..], start);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[abi.LengthAt..], length);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            int rc = abi.AppleArm64
                ? FcntlPointerOnStack(fd, command, 0, 0, 0, 0, 0, 0, flock)
                : FcntlPointer(fd, command, flock);
            if (rc == 0)
            {
                return (true, BinaryPrimitives.ReadInt16LittleEndian(bytes[abi.TypeAt..]));
            }
            int errno = Marshal.GetLastPInvokeError();
            if (command == abi.SetLk && (errno == abi.EAgain || errno is EAcces or EIntr))
            {
                return (false, 0);
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

    private sealed partial class OsFile
    {
        // This process's bookkeeping for the file, with classic POSIX locks; else null.
        private readonly PosixInode? _inode;

        private bool PosixSet(LockRange range, short type, ResultCode error)
        {
            (long start, long length) = LockProtocol.Bytes(range);
            return PosixFcntl(_handle, PosixAbi.Current.SetLk, type, start, length, error).Done;
        }

        private void PosixClear(LockRange range, ResultCode error)
        {
            if (!PosixSet(range, PosixAbi.Current.UnLck, error))
            {
                TernException.Throw(error);
            }
        }

        /// <summary>SQLite's unixLock (see the file comment).</summary>
        private bool PosixTryLock(FileLock level)
        {
            PosixInode inode = _inode!;
            PosixAbi abi = PosixAbi.Current;
            LockProtocol.Validate(_level, level);
            if (level <= _level)
            {
                return true;
            }
            lock (s_inodes)
            {
                if (_level != inode.Level && (inode.Level >= FileLock.Pending || level > FileLock.Shared))
                {
                    return false; // another handle of this process is in the way
                }
                if (level == FileLock.Shared && inode.Level is FileLock.Shared or FileLock.Reserved)
                {
                    _level = FileLock.Shared; // the process holds the OS lock already
                    inode.SharedCount++;
                    inode.LockCount++;
                    return true;
                }
                if (level == FileLock.Shared || (level == FileLock.Exclusive && _level < FileLock.Pending))
                {
                    if (!PosixSet(LockRange.Pending, level == FileLock.Shared ? abi.RdLck : abi.WrLck, ResultCode.IoErrLock))
                    {
                        return false;
                    }
                }
                if (level == FileLock.Shared)
                {
                    bool got;
                    try
                    {
                        got = PosixSet(LockRange.Shared, abi.RdLck, ResultCode.IoErrLock);
                    }
                    finally
                    {
                        PosixClear(LockRange.Pending, ResultCode.IoErrUnlock);
                    }
                    if (!got)
                    {
                        return false;
                    }
                    _level = inode.Level = FileLock.Shared;
                    inode.LockCount++;
                    inode.SharedCount = 1;
                    return true;
                }
                bool ok;
                if (level == FileLock.Exclusive && inode.SharedCount > 1)
                {
                    ok = false; // other readers in this process
                }
                else
                {
                    if (level == FileLock.Exclusive)
                    {
                        _level = inode.Level = FileLock.Pending; // held from here on, as below
                    }
                    ok = PosixSet(level == FileLock.Reserved ? LockRange.Reserved : LockRange.Shared, abi.WrLck, ResultCode.IoErrLock);
                }
                if (ok)
                {
                    _level = inode.Level = level;
                }
                else if (level == FileLock.Exclusive)
                {
                    _level = inode.Level = FileLock.Pending;
                }
                return ok;
            }
        }

        /// <summary>SQLite's posixUnlock.</summary>
        private void PosixUnlock(FileLock level)
        {
            if (level is not (FileLock.None or FileLock.Shared))
            {
                throw new ArgumentOutOfRangeException(nameof(level), level, "a handle unlocks to None or Shared");
            }
            if (_level <= level)
            {
                return;
            }
            PosixInode inode = _inode!;
            lock (s_inodes)
            {
                if (_level > FileLock.Shared)
                {
                    if (level == FileLock.Shared && !PosixSet(LockRange.Shared, PosixAbi.Current.RdLck, ResultCode.IoErrRdLock))
                    {
                        TernException.Throw(ResultCode.IoErrRdLock);
                    }
                    PosixClear(LockRange.PendingAndReserved, ResultCode.IoErrUnlock);
                    _level = inode.Level = FileLock.Shared;
                }
                if (level == FileLock.None)
                {
                    _level = FileLock.None;
                    inode.LockCount--;
                    inode.SharedCount--;
                    try
                    {
                        if (inode.SharedCount == 0)
                        {
                            inode.Level = FileLock.None;
                            PosixClear(LockRange.All, ResultCode.IoErrUnlock);
                        }
                    }
                    finally
                    {
                        if (inode.LockCount == 0)
                        {
                            ClosePending(inode);
                        }
                    }
                }
            }
        }

        /// <summary>SQLite's unixCheckReservedLock: this process's level, else the OS's view of the reserved byte.</summary>
        private bool PosixCheckReservedLock()
        {
            lock (s_inodes)
            {
                if (_inode!.Level > FileLock.Shared)
                {
                    return true;
                }
                (long start, long length) = LockProtocol.Bytes(LockRange.Reserved);
                PosixAbi abi = PosixAbi.Current;
                return PosixFcntl(_handle, abi.GetLk, abi.WrLck, start, length, ResultCode.IoErrCheckReservedLock).Type != abi.UnLck;
            }
        }

        /// <summary>
        /// SQLite's unixClose: unlocks, then closes the descriptor unless other handles of the
        /// process still hold locks on the file, in which case it waits in PendingCloses.
        /// </summary>
        private bool PosixRelease()
        {
            PosixInode inode = _inode!;
            try
            {
                PosixUnlock(FileLock.None);
            }
            catch (TernException)
            {
                // As SQLite's close: a failed unlock does not keep the handle usable.
            }
            lock (s_inodes)
            {
                inode.Users--;
                bool defer = inode.LockCount > 0;
                if (defer)
                {
                    if (_syncStream is not null)
                    {
                        inode.PendingCloses.Add(_syncStream);
                    }
                    inode.PendingCloses.Add(_handle);
                }
                if (inode.Users == 0 && inode.LockCount == 0)
                {
                    s_inodes.Remove(inode.Key);
                }
                return !defer;
            }
        }

        private static void ClosePending(PosixInode inode)
        {
            foreach (IDisposable pending in inode.PendingCloses)
            {
                pending.Dispose();
            }
            inode.PendingCloses.Clear();
        }
    }
}
