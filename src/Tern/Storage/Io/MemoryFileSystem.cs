// An in-memory file system for tests, able to simulate power cuts and to inject I/O errors.
//
// Durability model. Every file has a current content (what reads see) and a durable content
// (what would be on the platter). Write and Truncate change the current content only;
// Sync on a file makes its current content durable. Creating a file (Open with
// ReadWriteCreate) and deleting one are durable at once, as if the directory were synced
// each time. A power cut reverts every file's current content to its durable content, so
// unsynced writes are lost; optionally the most recent unsynced write survives torn: its
// first k sector-sized pieces (sector boundaries taken from file offsets, k random from 0 to
// the number of sectors the write spans) land on top of the durable content and become
// durable. A cut also models the death of the process: handles opened before it fail on
// every later call, while new Open calls see the reverted files.
//
// A crash can be scheduled after a number of mutating operations (writes, truncates, syncs,
// deletes), and any operation can be made to fail with SQLite's extended IOERR code. One
// lock guards everything, which is ample for a single writer and any number of readers.
//
// Fault model (for I/O-error tests). Every call that can fail (open, read, write, truncate,
// sync, delete, existence and size questions, directory sync) is numbered as it happens, overall and per kind, failed calls included, so a
// workload run once tells how many calls it makes and each can then be made to fail in turn:
//
//   ScheduleFault(k, kind, persistent)   call number k (of that kind, or of any kind) fails;
//                                        persistent: every later call (of the kind) fails too
//   Capacity = bytes                     the disk holds this many bytes over all files: a
//                                        write that would pass it lands what fits, then fails
//                                        with SQLITE_FULL (a short write, as on a full disk)
//   ShortWrites = true                   an injected write failure lands the first half of
//                                        its data before failing (a torn, non-durable write)
//   FailWhen(op, path)                   any predicate
//
// A failed call changes nothing else (besides what a short write lands) and throws the
// TernException of its kind: CANTOPEN, IOERR_READ, IOERR_WRITE, IOERR_TRUNCATE, IOERR_FSYNC,
// IOERR_DELETE, IOERR_ACCESS, IOERR_FSTAT, IOERR_DIR_FSYNC, IOERR_LOCK, IOERR_UNLOCK,
// IOERR_CHECKRESERVEDLOCK, IOERR_SHMOPEN, IOERR_SHMMAP, IOERR_SHMLOCK, or FULL.
//
// Locks and shared memory. Every file has a table of database locks (LockSlots: the pending
// byte, the reserved byte, the shared range) in which each handle is an owner, and runs
// SQLite's unix protocol over it (LockProtocol), so handles exclude each other exactly as
// handles on real files do. BusyWhen(Lock or SharedMemoryLock, path) makes a lock report
// busy as if another process held it. A file's shared memory is a list of zeroed regions
// and a table of lock slots, created when the first user opens it and dropped when the last
// one closes it (the -shm file's DMS rule: stale content never survives). A power cut
// releases every lock and drops every shared memory; handles of the dead process fail.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Tern.Storage.Io;

/// <summary>
/// An in-memory <see cref="IFileSystem"/> that can simulate power cuts (dropping unsynced
/// writes, optionally tearing the last one) and inject I/O errors, for crash tests.
/// </summary>
public sealed class MemoryFileSystem : IFileSystem
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Node> _files = new(StringComparer.Ordinal);
    // The lifetime of the simulated process; replaced at every power cut.
    private Epoch _epoch = new();
    private int _sectorSize = 512;
    // The most recent unsynced write, kept so that a power cut can tear it.
    private Node? _lastWriteNode;
    private long _lastWriteOffset;
    private byte[] _lastWriteData = [];
    private int _lastWriteLength;

    /// <summary>
    /// The sector size in bytes (default 512): the unit in which a torn write survives.
    /// Must be positive.
    /// </summary>
    public int SectorSize
    {
        get => _sectorSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _sectorSize = value;
        }
    }

    /// <summary>
    /// When set, the mutating operation (write, truncate, sync or delete) that finds
    /// <see cref="OperationCount"/> equal to (or above) this value crashes: so this many
    /// operations complete, and the next one does not happen (unless
    /// <see cref="TearOnCrash"/> tears it), a power cut is performed and a
    /// <see cref="SimulatedPowerCutException"/> is thrown. Every later call on a handle
    /// opened before the crash throws that exception too. The schedule clears itself
    /// (becomes null) when it fires, so the reverted files can then be reopened and used.
    /// </summary>
    public long? CrashAfterOperations { get; set; }

    /// <summary>
    /// Whether a scheduled crash tears a write: the crashing write itself when the crashing
    /// operation is a write, otherwise the most recent unsynced write (as a sync or truncate
    /// in progress at the moment of the cut may have flushed part of it).
    /// </summary>
    public bool TearOnCrash { get; set; }

    /// <summary>
    /// The random source for torn writes when <see cref="PowerCut"/> is given none, and for
    /// scheduled crashes. Seeded by default, so runs are reproducible.
    /// </summary>
    public Random TearRandom { get; set; } = new(20240601);

    /// <summary>
    /// The number of mutating operations (writes, truncates, syncs, deletes) performed so far.
    /// Operations that failed (injected faults, dead handles, the crashing one) are not counted.
    /// </summary>
    public long OperationCount { get; private set; }

    /// <summary>
    /// When set and returning true for an operation and a path, the operation has no effect and
    /// throws a <see cref="TernException"/> with the matching code: SQLITE_IOERR_READ, _WRITE,
    /// _TRUNCATE, _FSYNC, _DELETE, _ACCESS, _FSTAT or _DIR_FSYNC, or SQLITE_CANTOPEN for
    /// <see cref="IoOperation.Open"/>.
    /// </summary>
    public Func<IoOperation, string, bool>? FailWhen { get; set; }

    private readonly long[] _callCounts = new long[Enum.GetValues<IoOperation>().Length];
    private long _callCount;
    private (long Index, IoOperation? Kind, bool Persistent)? _fault;

    /// <summary>
    /// Calls that can fail (opens, reads, writes, truncates, syncs, deletes, existence and size
    /// questions, directory syncs) made so far, failed
    /// ones included: the numbering <see cref="ScheduleFault"/> uses.
    /// </summary>
    public long CallCount
    {
        get
        {
            lock (_lock)
            {
                return _callCount;
            }
        }
    }

    /// <summary>Calls of one kind made so far, failed ones included.</summary>
    public long CallCountOf(IoOperation operation)
    {
        lock (_lock)
        {
            return _callCounts[(int)operation];
        }
    }

    /// <summary>Failures injected so far by <see cref="ScheduleFault"/> and <see cref="Capacity"/>.</summary>
    public long FaultsInjected { get; private set; }

    /// <summary>
    /// Makes call number <paramref name="index"/> (counted from 0 over every call, or over calls
    /// of <paramref name="kind"/> only, as <see cref="CallCount"/> and <see cref="CallCountOf"/>
    /// number them) fail; with <paramref name="persistent"/> every later such call fails too.
    /// Replaces an earlier schedule.
    /// </summary>
    public void ScheduleFault(long index, IoOperation? kind = null, bool persistent = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_lock)
        {
            _fault = (index, kind, persistent);
        }
    }

    /// <summary>Removes the fault schedule, the capacity limit, <see cref="FailWhen"/> and <see cref="BusyWhen"/>.</summary>
    public void ClearFaults()
    {
        lock (_lock)
        {
            _fault = null;
            Capacity = null;
            FailWhen = null;
            BusyWhen = null;
        }
    }

    /// <summary>
    /// When set, the bytes the disk holds over all files' current content: a write or size change
    /// that would need more lands what fits and fails with SQLITE_FULL ("database or disk is full").
    /// </summary>
    public long? Capacity { get; set; }

    /// <summary>The most bytes all files' current content has taken at once (what a disk would have had to hold).</summary>
    public long PeakSize { get; private set; }

    /// <summary>Whether an injected write failure first lands the first half of the data (a short write).</summary>
    public bool ShortWrites { get; set; }

    /// <summary>
    /// When set and returning true for <see cref="IoOperation.Lock"/> (or
    /// <see cref="IoOperation.SharedMemoryLock"/>) and a path, a raise of a database lock (or the
    /// taking of shared-memory lock slots) on that file reports busy, as if another process held
    /// a conflicting lock: it returns false and changes nothing.
    /// </summary>
    public Func<IoOperation, string, bool>? BusyWhen { get; set; }

    /// <summary>The paths of the files that exist, in no particular order.</summary>
    public IEnumerable<string> Files
    {
        get
        {
            lock (_lock)
            {
                return _files.Keys.ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public IFile Open(string path, FileOpenMode mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (mode is not (FileOpenMode.ReadOnly or FileOpenMode.ReadWrite or FileOpenMode.ReadWriteCreate))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }
        lock (_lock)
        {
            ThrowIfFaulted(IoOperation.Open, path);
            if (!_files.TryGetValue(path, out Node? node))
            {
                if (mode != FileOpenMode.ReadWriteCreate)
                {
                    TernException.Throw(ResultCode.CantOpen);
                }
                node = new Node(path);
                _files.Add(path, node);
            }
            return new MemoryFile(this, node, _epoch, readOnly: mode == FileOpenMode.ReadOnly, node.Locks.Join());
        }
    }

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        lock (_lock)
        {
            ThrowIfFaulted(IoOperation.Access, path);
            return _files.ContainsKey(path);
        }
    }

    /// <inheritdoc/>
    public void Delete(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            ThrowIfFaulted(IoOperation.Delete, path);
            CountOperation();
            if (_files.Remove(path, out Node? node) && node == _lastWriteNode)
            {
                _lastWriteNode = null;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Creating and deleting files is durable at once in this file system, so there is nothing to do but fail when told to.</remarks>
    public void SyncDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            ThrowIfFaulted(IoOperation.DirectorySync, path);
        }
    }

    /// <inheritdoc/>
    public long GetSize(string path)
    {
        lock (_lock)
        {
            ThrowIfFaulted(IoOperation.Size, path);
            return _files.TryGetValue(path, out Node? node) ? node.Length : -1;
        }
    }

    /// <summary>A copy of a file's current content (what reads see).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public byte[] GetContent(string path)
    {
        lock (_lock)
        {
            Node node = GetNode(path);
            return node.Buffer.AsSpan(0, node.Length).ToArray();
        }
    }

    /// <summary>A copy of a file's durable content (what would survive a power cut).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public byte[] GetDurableContent(string path)
    {
        lock (_lock)
        {
            return (byte[])GetNode(path).Durable.Clone();
        }
    }

    /// <summary>
    /// Sets a file's content, both current and durable, creating the file when it does not
    /// exist. Handles open on the file see the new content.
    /// </summary>
    public void SetContent(string path, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        lock (_lock)
        {
            if (!_files.TryGetValue(path, out Node? node))
            {
                node = new Node(path);
                _files.Add(path, node);
            }
            node.Durable = (byte[])data.Clone();
            node.RevertToDurable();
            if (node == _lastWriteNode)
            {
                _lastWriteNode = null;
            }
        }
    }

    /// <summary>
    /// Simulates a power cut (and the death of the process): every file's current content
    /// reverts to its durable content, and handles opened before the cut fail with
    /// SQLITE_IOERR on every later call. With <paramref name="tearLastWrite"/>, the most recent
    /// unsynced write survives partially: its first k sector-sized pieces, k chosen with
    /// <paramref name="random"/> (or <see cref="TearRandom"/>) from 0 to the number of sectors
    /// it spans, are applied on top of its file's durable content and become durable.
    /// </summary>
    public void PowerCut(bool tearLastWrite = false, Random? random = null)
    {
        lock (_lock)
        {
            Cut(tearLastWrite, random ?? TearRandom, scheduled: false);
        }
    }

    // ---- Operations of open files (called under no lock) ----

    private long FileLength(MemoryFile file)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.Size, file.Node.Path);
            return file.Node.Length;
        }
    }

    private int Read(MemoryFile file, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.Read, file.Node.Path);
            return file.Node.ReadAt(offset, buffer);
        }
    }

    private void Write(MemoryFile file, long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            file.ThrowIfUnusable();
            if (IsFaulted(IoOperation.Write, file.Node.Path))
            {
                if (ShortWrites && data.Length > 1 && !file.IsReadOnly)
                {
                    LandShortWrite(file.Node, offset, data[..(data.Length / 2)]);
                }
                TernException.Throw(ResultCode.IoErrWrite);
            }
            file.ThrowIfReadOnly(ResultCode.IoErrWrite);
            if (offset + data.Length > Array.MaxLength)
            {
                TernException.Throw(ResultCode.Full);
            }
            long room = Room(file.Node, offset, data.Length);
            if (room < data.Length)
            {
                FaultsInjected++;
                if (room > 0)
                {
                    LandShortWrite(file.Node, offset, data[..(int)room]);
                }
                TernException.Throw(ResultCode.Full);
            }
            RememberWrite(file.Node, offset, data);
            CountOperation();
            file.Node.WriteAt((int)offset, data);
            NotePeak();
        }
    }

    private void Truncate(MemoryFile file, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.Truncate, file.Node.Path);
            file.ThrowIfReadOnly(ResultCode.IoErrTruncate);
            if (size > Array.MaxLength)
            {
                TernException.Throw(ResultCode.Full);
            }
            if (Room(file.Node, file.Node.Length, size - file.Node.Length) < size - file.Node.Length)
            {
                FaultsInjected++;
                TernException.Throw(ResultCode.Full);
            }
            CountOperation();
            file.Node.SetLength((int)size);
            NotePeak();
        }
    }

    private void Sync(MemoryFile file)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.Sync, file.Node.Path);
            CountOperation();
            file.Node.MakeDurable();
            if (file.Node == _lastWriteNode)
            {
                _lastWriteNode = null;
            }
        }
    }

    private bool TryLock(MemoryFile file, FileLock level)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            LockProtocol.Validate(file.Level, level);
            ThrowIfFaulted(IoOperation.Lock, file.Node.Path);
            if (level > file.Level && BusyWhen is { } busy && busy(IoOperation.Lock, file.Node.Path))
            {
                return false;
            }
            FileLock current = file.Level;
            bool got = LockProtocol.TryLock(file.Locks, ref current, level);
            file.Level = current;
            return got;
        }
    }

    private void Unlock(MemoryFile file, FileLock level)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.Unlock, file.Node.Path);
            FileLock current = file.Level;
            LockProtocol.Unlock(file.Locks, ref current, level);
            file.Level = current;
        }
    }

    private bool CheckReservedLock(MemoryFile file)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.CheckReservedLock, file.Node.Path);
            return LockProtocol.CheckReservedLock(file.Locks, file.Level);
        }
    }

    private MemorySharedMemory OpenSharedMemory(MemoryFile file)
    {
        lock (_lock)
        {
            file.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.SharedMemoryOpen, file.Node.Path);
            SharedState state = file.Node.Shared ??= new SharedState();
            state.Users++;
            return new MemorySharedMemory(this, file.Node.Path, state, _epoch, state.Slots.Join());
        }
    }

    /// <summary>Releases a handle's locks when it is disposed (no fault applies).</summary>
    private void Close(MemoryFile file)
    {
        lock (_lock)
        {
            file.Locks.Owner.Table.Leave(file.Locks.Owner);
            file.Level = FileLock.None;
        }
    }

    // ---- Crash machinery (called under the lock) ----

    /// <summary>
    /// How many bytes of a write of <paramref name="length"/> bytes at <paramref name="offset"/>
    /// fit on the disk: all of them without a <see cref="Capacity"/> or when the file need not
    /// grow past the free space; otherwise those that end within the file's length plus the
    /// free bytes.
    /// </summary>
    private long Room(Node node, long offset, long length)
    {
        long growth = offset + length - node.Length;
        if (Capacity is not { } capacity || growth <= 0)
        {
            return length;
        }
        long used = 0;
        foreach (Node n in _files.Values)
        {
            used += n.Length;
        }
        long free = Math.Max(0, capacity - used);
        return growth <= free ? length : Math.Max(0, node.Length + free - offset);
    }

    private void NotePeak()
    {
        long used = 0;
        foreach (Node n in _files.Values)
        {
            used += n.Length;
        }
        PeakSize = Math.Max(PeakSize, used);
    }

    /// <summary>Lands the first bytes of a failing write (not durable, not remembered for tearing).</summary>
    private static void LandShortWrite(Node node, long offset, ReadOnlySpan<byte> part) => node.WriteAt((int)offset, part);

    /// <summary>Numbers a call that can fail and says whether it fails (by the schedule or <see cref="FailWhen"/>).</summary>
    private bool IsFaulted(IoOperation operation, string path)
    {
        long ofKind = _callCounts[(int)operation]++;
        long any = _callCount++;
        bool fail = false;
        if (_fault is { } f)
        {
            long n = f.Kind is null ? any : f.Kind == operation ? ofKind : -1;
            if (n >= 0 && (n == f.Index || (f.Persistent && n > f.Index)))
            {
                fail = true;
            }
        }
        if (!fail && FailWhen is { } failWhen && failWhen(operation, path))
        {
            fail = true;
        }
        if (fail)
        {
            FaultsInjected++;
        }
        return fail;
    }

    private void ThrowIfFaulted(IoOperation operation, string path)
    {
        if (IsFaulted(operation, path))
        {
            TernException.Throw(operation switch
            {
                IoOperation.Read => ResultCode.IoErrRead,
                IoOperation.Write => ResultCode.IoErrWrite,
                IoOperation.Truncate => ResultCode.IoErrTruncate,
                IoOperation.Sync => ResultCode.IoErrFsync,
                IoOperation.Delete => ResultCode.IoErrDelete,
                IoOperation.Access => ResultCode.IoErrAccess,
                IoOperation.Size => ResultCode.IoErrFstat,
                IoOperation.DirectorySync => ResultCode.IoErrDirFsync,
                IoOperation.Lock => ResultCode.IoErrLock,
                IoOperation.Unlock => ResultCode.IoErrUnlock,
                IoOperation.CheckReservedLock => ResultCode.IoErrCheckReservedLock,
                IoOperation.SharedMemoryOpen => ResultCode.IoErrShmOpen,
                IoOperation.SharedMemoryMap => ResultCode.IoErrShmMap,
                IoOperation.SharedMemoryLock => ResultCode.IoErrShmLock,
                _ => ResultCode.CantOpen,
            });
        }
    }

    /// <summary>Counts a mutating operation, or crashes instead when the schedule says so.</summary>
    private void CountOperation()
    {
        if (CrashAfterOperations is { } limit && OperationCount >= limit)
        {
            CrashAfterOperations = null;
            Cut(TearOnCrash, TearRandom, scheduled: true);
            throw new SimulatedPowerCutException();
        }
        OperationCount++;
    }

    /// <summary>Records a write as the most recent unsynced one, reusing the copy buffer.</summary>
    private void RememberWrite(Node node, long offset, ReadOnlySpan<byte> data)
    {
        if (_lastWriteData.Length < data.Length)
        {
            _lastWriteData = new byte[Math.Max(data.Length, _lastWriteData.Length * 2)];
        }
        data.CopyTo(_lastWriteData);
        _lastWriteLength = data.Length;
        _lastWriteOffset = offset;
        _lastWriteNode = node;
    }

    private void Cut(bool tear, Random random, bool scheduled)
    {
        foreach (Node node in _files.Values)
        {
            node.RevertToDurable();
            node.Locks = new LockSlots(SlotRangeLocks.SlotCount); // the dead process's locks are gone
            node.Shared = null; // and so is its shared memory
        }
        if (tear && _lastWriteNode is { } torn && _files.TryGetValue(torn.Path, out Node? live) && live == torn)
        {
            ApplyTornWrite(torn, random);
        }
        _lastWriteNode = null;
        _epoch.Kill(scheduled);
        _epoch = new Epoch();
    }

    /// <summary>Lands the first k sector-sized pieces of the last write on the (reverted) node.</summary>
    private void ApplyTornWrite(Node node, Random random)
    {
        long offset = _lastWriteOffset;
        long end = offset + _lastWriteLength;
        long firstSector = offset / _sectorSize;
        long sectorsSpanned = (end + _sectorSize - 1) / _sectorSize - firstSector;
        long k = random.NextInt64(0, sectorsSpanned + 1);
        int surviving = k == 0 ? 0 : (int)Math.Min(_lastWriteLength, (firstSector + k) * _sectorSize - offset);
        if (surviving > 0)
        {
            node.WriteAt((int)offset, _lastWriteData.AsSpan(0, surviving));
            node.MakeDurable();
        }
    }

    private Node GetNode(string path) =>
        _files.TryGetValue(path, out Node? node) ? node : throw new FileNotFoundException("no such file", path);

    /// <summary>The lifetime of the simulated process that opened a set of handles.</summary>
    private sealed class Epoch
    {
        private volatile bool _dead;
        private bool _scheduled;

        public void Kill(bool scheduled)
        {
            _scheduled = scheduled;
            _dead = true;
        }

        /// <summary>Throws when the process that opened a handle has died.</summary>
        public void ThrowIfDead()
        {
            if (_dead)
            {
                ThrowDead();
            }
        }

        [DoesNotReturn]
        private void ThrowDead()
        {
            if (_scheduled)
            {
                throw new SimulatedPowerCutException();
            }
            TernException.Throw(ResultCode.IoErr);
        }
    }

    /// <summary>A file's content: current (a buffer with spare zeroed capacity) and durable.</summary>
    private sealed class Node(string path)
    {
        public string Path { get; } = path;

        /// <summary>The current content in its first <see cref="Length"/> bytes; zeros beyond.</summary>
        public byte[] Buffer { get; private set; } = [];

        public int Length { get; private set; }

        /// <summary>The durable content; never mutated in place, only replaced.</summary>
        public byte[] Durable { get; set; } = [];

        /// <summary>The database locks of the handles open on the file.</summary>
        public LockSlots Locks { get; set; } = new(SlotRangeLocks.SlotCount);

        /// <summary>The file's shared memory while any handle has it open, else null.</summary>
        public SharedState? Shared { get; set; }

        public int ReadAt(long offset, Span<byte> destination)
        {
            if (offset >= Length)
            {
                return 0;
            }
            int count = (int)Math.Min(destination.Length, Length - offset);
            Buffer.AsSpan((int)offset, count).CopyTo(destination);
            return count;
        }

        public void WriteAt(int offset, ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty)
            {
                return; // like pwrite of nothing: the file does not grow
            }
            int end = offset + data.Length;
            EnsureCapacity(end);
            data.CopyTo(Buffer.AsSpan(offset));
            Length = Math.Max(Length, end);
        }

        public void SetLength(int size)
        {
            if (size < Length)
            {
                Buffer.AsSpan(size, Length - size).Clear(); // keep the spare capacity zeroed
            }
            else
            {
                EnsureCapacity(size);
            }
            Length = size;
        }

        public void MakeDurable() => Durable = Buffer.AsSpan(0, Length).ToArray();

        public void RevertToDurable()
        {
            Buffer = (byte[])Durable.Clone();
            Length = Durable.Length;
        }

        private void EnsureCapacity(int size)
        {
            if (size > Buffer.Length)
            {
                int grown = (int)Math.Min(Array.MaxLength, Math.Max(16L, 2L * Buffer.Length));
                byte[] larger = new byte[Math.Max(size, grown)];
                Buffer.AsSpan(0, Length).CopyTo(larger);
                Buffer = larger;
            }
        }
    }

    /// <summary>A handle on a memory file, belonging to the process (epoch) that opened it.</summary>
    private sealed class MemoryFile(MemoryFileSystem fileSystem, Node node, Epoch epoch, bool readOnly, LockSlots.Owner owner) : IFile
    {
        private volatile bool _disposed;

        public Node Node { get; } = node;

        /// <summary>This handle's database locks (in the table of the file when the handle was opened).</summary>
        public SlotRangeLocks Locks { get; } = new(owner);

        /// <summary>The lock level this handle holds.</summary>
        public FileLock Level { get; set; }

        public FileLock LockLevel => Level;

        public bool TryLock(FileLock level) => fileSystem.TryLock(this, level);

        public void Unlock(FileLock level) => fileSystem.Unlock(this, level);

        public bool CheckReservedLock() => fileSystem.CheckReservedLock(this);

        public ISharedMemory? OpenSharedMemory() => fileSystem.OpenSharedMemory(this);

        public long Length => fileSystem.FileLength(this);

        public int Read(long offset, Span<byte> buffer) => fileSystem.Read(this, offset, buffer);

        public void Write(long offset, ReadOnlySpan<byte> data) => fileSystem.Write(this, offset, data);

        public void Truncate(long size) => fileSystem.Truncate(this, size);

        public void Sync() => fileSystem.Sync(this);

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                fileSystem.Close(this);
            }
        }

        public void ThrowIfUnusable()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            epoch.ThrowIfDead();
        }

        public bool IsReadOnly => readOnly;

        public void ThrowIfReadOnly(ResultCode code)
        {
            if (readOnly)
            {
                TernException.Throw(code);
            }
        }
    }

    /// <summary>A file's shared memory: zeroed regions and lock slots, shared by every user.</summary>
    private sealed class SharedState
    {
        public List<byte[]> Regions { get; } = [];

        public LockSlots Slots { get; } = new(ISharedMemory.LockCount);

        /// <summary>The handles that have it open; at 0 it is dropped.</summary>
        public int Users { get; set; }
    }

    private Memory<byte> Map(MemorySharedMemory shm, int index, bool extend)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_lock)
        {
            shm.ThrowIfUnusable();
            ThrowIfFaulted(IoOperation.SharedMemoryMap, shm.Path);
            List<byte[]> regions = shm.State.Regions;
            if (index >= regions.Count)
            {
                if (!extend)
                {
                    return Memory<byte>.Empty;
                }
                while (regions.Count <= index)
                {
                    regions.Add(new byte[ISharedMemory.RegionSize]);
                }
            }
            return regions[index];
        }
    }

    private bool TryLock(MemorySharedMemory shm, int slot, int count, bool exclusive)
    {
        lock (_lock)
        {
            shm.ThrowIfUnusable();
            SharedMemorySlots.Validate(shm.Owner.Modes, slot, count, exclusive);
            ThrowIfFaulted(IoOperation.SharedMemoryLock, shm.Path);
            if (BusyWhen is { } busy && busy(IoOperation.SharedMemoryLock, shm.Path))
            {
                return false;
            }
            return shm.State.Slots.TrySet(shm.Owner, slot, count, exclusive);
        }
    }

    private void Unlock(MemorySharedMemory shm, int slot, int count)
    {
        lock (_lock)
        {
            shm.ThrowIfUnusable();
            SharedMemorySlots.Validate(shm.Owner.Modes, slot, count, exclusive: null);
            ThrowIfFaulted(IoOperation.SharedMemoryLock, shm.Path);
            shm.State.Slots.Clear(shm.Owner, slot, count);
        }
    }

    private void Close(MemorySharedMemory shm)
    {
        lock (_lock)
        {
            shm.State.Slots.Leave(shm.Owner);
            shm.State.Users--;
            Debug.Assert(shm.State.Users >= 0);
            if (shm.State.Users == 0 && _files.TryGetValue(shm.Path, out Node? node) && node.Shared == shm.State)
            {
                node.Shared = null; // the last user is gone: the content goes with it
            }
        }
    }

    /// <summary>One user's view of a file's shared memory, belonging to the process (epoch) that opened it.</summary>
    private sealed class MemorySharedMemory(MemoryFileSystem fileSystem, string path, SharedState state, Epoch epoch, LockSlots.Owner owner) : ISharedMemory
    {
        private bool _closed;

        public string Path { get; } = path;

        public SharedState State { get; } = state;

        public LockSlots.Owner Owner { get; } = owner;

        public Memory<byte> Map(int index, bool extend) => fileSystem.Map(this, index, extend);

        public bool TryLock(int slot, int count, bool exclusive) => fileSystem.TryLock(this, slot, count, exclusive);

        public void Unlock(int slot, int count) => fileSystem.Unlock(this, slot, count);

        public void Barrier() => Interlocked.MemoryBarrier();

        public void Close(bool delete)
        {
            // There is no -shm file to delete: the regions go when the last user closes.
            if (!_closed)
            {
                _closed = true;
                fileSystem.Close(this);
            }
        }

        public void Dispose() => Close(false);

        public void ThrowIfUnusable()
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            epoch.ThrowIfDead();
        }
    }
}
