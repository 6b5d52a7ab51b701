// One connection's view of a database in WAL mode: the "<db>-wal" log it reads and appends
// to, and the wal-index ("<db>-shm") it shares with every other connection, in this process
// and others, following SQLite's wal.c protocol so that both engines can share one file.
//
// Lock slots of the shared memory (ISharedMemory):
//
//   WRITE      one writer at a time appends frames
//   CKPT       one checkpointer at a time copies frames into the database
//   RECOVER    held while the wal-index is rebuilt from the log
//   READ(0)    shared: a reader that ignores the log (everything is in the database);
//              exclusive: a checkpointer writing the database file
//   READ(1..4) shared: a reader whose snapshot ends at that slot's read mark; exclusive for
//              a moment to move the mark
//
// A reader's snapshot is the wal-index header it read (mxFrame: the last committed frame).
// Holding READ(i) shared promises every checkpointer that frames up to aReadMark[i] are what
// the reader may read from the log, so no checkpoint copies past that mark and no writer
// restarts the log under it.
//
//   BeginRead:  read the header (rebuild it under WRITE+CKPT+RECOVER when it is bad), then
//               READ(0) when the log is fully backfilled, else the READ(i) whose mark is the
//               highest at or below mxFrame (setting a free slot's mark to mxFrame first);
//               retry when the header moved meanwhile.
//   BeginWrite: WRITE exclusive; SQLITE_BUSY_SNAPSHOT when the header moved since BeginRead.
//   Frames:     a reader on READ(0) after a full checkpoint restarts the log first (salt-1 + 1,
//               a new salt-2) when it can take READ(1..4); the header of a new log is written
//               before the first frame; a commit frame makes the transaction visible by
//               writing the wal-index header.
//   Checkpoint: CKPT exclusive (and WRITE for FULL/RESTART/TRUNCATE); the safe frame is the
//               lowest mark of a reader that cannot be moved; frames up to it go into the
//               database under READ(0), then nBackfill moves up.
using System.Buffers;
using System.Diagnostics;
using Tern.Storage.Io;
using Tern.Storage.Pager;

namespace Tern.Storage.Wal;

/// <summary>The four checkpoint modes of <c>PRAGMA wal_checkpoint</c>.</summary>
public enum CheckpointMode
{
    /// <summary>Copy what can be copied without waiting for anyone.</summary>
    Passive,
    /// <summary>Wait for the writer, then copy every frame (waiting for readers).</summary>
    Full,
    /// <summary>As FULL, then wait until no reader uses the log, so that the next writer restarts it.</summary>
    Restart,
    /// <summary>As RESTART, then cut the log file to nothing.</summary>
    Truncate,
}

/// <summary>What a checkpoint reports: SQLite's three columns.</summary>
/// <param name="Busy">Whether it could not do all its mode asked (another connection was in the way).</param>
/// <param name="LogFrames">Frames in the log (-1 outside WAL mode).</param>
/// <param name="Checkpointed">Frames of the log now in the database (-1 outside WAL mode).</param>
public readonly record struct CheckpointResult(bool Busy, int LogFrames, int Checkpointed);

/// <summary>A connection's handle on a write-ahead log and its wal-index.</summary>
internal sealed class Wal : IDisposable
{
    private const int WriteLock = 0;
    private const int CheckpointLock = 1;
    private const int RecoverLock = 2;
    private static int ReadLock(int i) => 3 + i;
    private const int MaxRetries = 100;
    private const int FramesPerWrite = 64;

    private readonly IFileSystem _fs;
    private readonly IFile _log;
    private readonly ISharedMemory _shm;
    private readonly SharedIndexMemory _memory;
    private readonly WalIndex _index;
    private WalIndexHeader _hdr;          // this connection's snapshot; during a write, its own frames too
    private int _readLock = -1;          // -1: no read transaction
    private bool _writeLock;
    private bool _checkpointLock;
    private uint _minFrame = 1;
    private uint _checkpointSequence;
    private bool _truncateOnCommit;    // this connection wrote a new log header: its next commit applies SizeLimit
    private bool _closed;

    private Wal(IFileSystem fs, string path, IFile log, ISharedMemory shm)
    {
        _fs = fs;
        LogPath = path;
        _log = log;
        _shm = shm;
        _memory = new SharedIndexMemory(shm);
        _index = new WalIndex(_memory);
    }

    /// <summary>
    /// Opens the log of database <paramref name="databasePath"/> (creating an empty one when
    /// missing, unless <paramref name="readOnly"/>) and the database file's shared memory.
    /// SQLITE_CANTOPEN where the file system has no shared memory.
    /// </summary>
    public static Wal Open(IFileSystem fs, string databasePath, IFile database, bool readOnly)
    {
        ISharedMemory shm = database.OpenSharedMemory()
            ?? throw new TernException(ResultCode.CantOpen, TernException.DefaultMessage(ResultCode.CantOpen));
        string path = databasePath + "-wal";
        IFile log;
        try
        {
            // As SQLite: read-write (created when missing) even for a read-only connection,
            // so that a log can exist for it to read; read-only when that is refused.
            try
            {
                log = fs.Open(path, FileOpenMode.ReadWriteCreate);
            }
            catch (TernException) when (readOnly)
            {
                log = fs.Open(path, FileOpenMode.ReadOnly);
            }
        }
        catch
        {
            shm.Dispose();
            throw;
        }
        return new Wal(fs, path, log, shm);
    }

    /// <summary>The log file's path.</summary>
    public string LogPath { get; }

    /// <summary>The database size in pages in this connection's snapshot (0: take the database file's).</summary>
    public uint DatabaseSize => _hdr.DatabaseSize;

    /// <summary>The last frame of this connection's snapshot (with its own uncommitted frames while writing).</summary>
    public uint MaxFrame => _hdr.MaxFrame;

    /// <summary>
    /// PRAGMA journal_size_limit: the first commit into a new (or restarted) log cuts a longer
    /// log file to this many bytes, or to the end of its own frames when they reach further
    /// (-1: never), as SQLite does.
    /// </summary>
    public long SizeLimit { get; set; } = -1;

    // ---- lock slots ----

    // Slots whose release failed (an I/O error of the shared memory): this handle may still
    // hold them. As in SQLite, a failed unlock does not fail the operation that ends with it;
    // the release is tried again before the slot is next taken, and at the start of every
    // transaction and checkpoint, so that other connections are not locked out for long.
    private int _staleSlots;

    /// <summary>Takes lock slots, first releasing any of them a failed unlock may have left held.</summary>
    private bool TryLockSlots(int slot, int count, bool exclusive)
    {
        int mask = SlotMask(slot, count);
        if ((_staleSlots & mask) != 0) ReleaseStaleSlots(mask);
        return _shm.TryLock(slot, count, exclusive);
    }

    /// <summary>Releases lock slots; a failure is remembered and the release retried later (SQLite ignores it).</summary>
    private void UnlockSlots(int slot, int count)
    {
        try
        {
            _shm.Unlock(slot, count);
        }
        catch (TernException)
        {
            _staleSlots |= SlotMask(slot, count);
        }
    }

    /// <summary>Retries the releases that failed among <paramref name="mask"/>; throws when one fails again.</summary>
    private void ReleaseStaleSlots(int mask)
    {
        for (int i = 0; i < ISharedMemory.LockCount; i++)
        {
            int bit = 1 << i;
            if ((_staleSlots & mask & bit) == 0) continue;
            _shm.Unlock(i, 1);
            _staleSlots &= ~bit;
        }
    }

    /// <summary>Retries every failed release, leaving those that fail again for later.</summary>
    private void TryReleaseStaleSlots()
    {
        if (_staleSlots == 0) return;
        try
        {
            ReleaseStaleSlots(_staleSlots);
        }
        catch (TernException)
        {
            // Still failing: the next attempt to take one of the slots tries again.
        }
    }

    private static int SlotMask(int slot, int count) => ((1 << count) - 1) << slot;

    // ---- read transactions ----

    /// <summary>
    /// Opens a read transaction on the latest committed snapshot. Returns whether the log
    /// changed since this connection's previous snapshot (its page cache is then stale).
    /// SQLITE_BUSY (or SQLITE_BUSY_RECOVERY) when another connection is in the way for now;
    /// SQLITE_PROTOCOL when the header keeps moving.
    /// </summary>
    public bool BeginRead()
    {
        Debug.Assert(_readLock < 0 && !_writeLock);
        TryReleaseStaleSlots();
        bool changed = false;
        int attempt = 0;
        while (!TryBeginRead(useLog: false, ref attempt, ref changed))
        {
        }
        return changed;
    }

    /// <summary>
    /// One attempt of SQLite's walTryBeginRead. Returns false to retry; throws BUSY and
    /// other errors.
    /// </summary>
    private bool TryBeginRead(bool useLog, ref int attempt, ref bool changed)
    {
        if (attempt > 5)
        {
            if (attempt > MaxRetries) TernException.Throw(ResultCode.Protocol);
            // Back off: someone is moving the header under us again and again.
            int micros = attempt >= 10 ? (attempt - 9) * (attempt - 9) * 39 : 1;
            Thread.Sleep(TimeSpan.FromTicks(micros * 10L));
        }
        attempt++;

        if (!useLog)
        {
            if (!ReadHeader(ref changed))
            {
                // The header is being written (retry) or rebuilt by another connection (busy).
                if (!TryLockSlots(RecoverLock, 1, exclusive: false))
                    throw new TernException(ResultCode.BusyRecovery, TernException.DefaultMessage(ResultCode.Busy));
                UnlockSlots(RecoverLock, 1);
                return false;
            }
        }

        Span<byte> region0 = _memory.GetOrAddRegion(0);
        uint backfill = WalIndexFields.Backfill(region0);
        if (!useLog && backfill == _hdr.MaxFrame)
        {
            // Everything is in the database: read it and ignore the log.
            if (TryLockSlots(ReadLock(0), 1, exclusive: false))
            {
                _shm.Barrier();
                if (!HeaderUnchanged())
                {
                    UnlockSlots(ReadLock(0), 1);
                    return false;
                }
                _readLock = 0;
                _minFrame = 1;
                return true;
            }
        }

        uint maxFrame = _hdr.MaxFrame;
        uint bestMark = 0;
        int best = 0;
        for (int i = 1; i < WalIndex.ReaderCount; i++)
        {
            uint mark = WalIndexFields.ReadMark(region0, i);
            if (bestMark <= mark && mark <= maxFrame)
            {
                bestMark = mark;
                best = i;
            }
        }
        bool sawBusy = false;
        if (bestMark < maxFrame || best == 0)
        {
            for (int i = 1; i < WalIndex.ReaderCount; i++)
            {
                if (TryLockSlots(ReadLock(i), 1, exclusive: true))
                {
                    WalIndexFields.SetReadMark(region0, i, maxFrame);
                    UnlockSlots(ReadLock(i), 1);
                    bestMark = maxFrame;
                    best = i;
                    break;
                }
                sawBusy = true;
            }
        }
        if (best == 0)
        {
            if (sawBusy) return false;
            TernException.Throw(ResultCode.ReadOnlyCantInit);
        }
        if (!TryLockSlots(ReadLock(best), 1, exclusive: false)) return false;
        _minFrame = WalIndexFields.Backfill(region0) + 1;
        _shm.Barrier();
        if (WalIndexFields.ReadMark(region0, best) != bestMark || !HeaderUnchanged())
        {
            UnlockSlots(ReadLock(best), 1);
            return false;
        }
        _readLock = best;
        return true;
    }

    /// <summary>Whether the shared header still equals this connection's snapshot.</summary>
    private bool HeaderUnchanged() => _index.TryReadHeader(out WalIndexHeader now) && now == _hdr;

    /// <summary>
    /// SQLite's walIndexReadHdr: adopts the shared header when it reads whole; otherwise takes
    /// the write lock and, if the header is still bad, rebuilds the index from the log.
    /// Returns false when another connection holds the write lock (the caller decides between
    /// retrying and SQLITE_BUSY_RECOVERY).
    /// </summary>
    private bool ReadHeader(ref bool changed)
    {
        if (TryAdoptHeader(ref changed)) return CheckVersion();
        bool hadWriteLock = _writeLock;
        if (!hadWriteLock)
        {
            if (!TryLockSlots(WriteLock, 1, exclusive: true)) return false;
            _writeLock = true;
        }
        try
        {
            if (!TryAdoptHeader(ref changed))
            {
                Recover();
                changed = true;
            }
        }
        finally
        {
            if (!hadWriteLock)
            {
                _writeLock = false;
                UnlockSlots(WriteLock, 1);
            }
        }
        return CheckVersion();
    }

    private bool CheckVersion()
    {
        if (_hdr.Version != WalIndex.IndexVersion) TernException.Throw(ResultCode.CantOpen);
        return true;
    }

    private bool TryAdoptHeader(ref bool changed)
    {
        _memory.GetOrAddRegion(0);
        if (!_index.TryReadHeader(out WalIndexHeader h)) return false;
        if (h != _hdr)
        {
            changed = true;
            _hdr = h;
        }
        return true;
    }

    /// <summary>
    /// Rebuilds the wal-index from the log (SQLite's walIndexRecover), holding the write lock
    /// and taking the checkpoint and recover locks. SQLITE_BUSY when a checkpoint is running.
    /// </summary>
    private void Recover()
    {
        Debug.Assert(_writeLock);
        // A checkpoint that finds the header bad holds the checkpoint lock already.
        int first = _checkpointLock ? RecoverLock : CheckpointLock;
        int count = RecoverLock - first + 1;
        if (!TryLockSlots(first, count, exclusive: true)) TernException.Throw(ResultCode.Busy);
        try
        {
            WalRecoveryResult log = WalRecovery.Scan(_log);
            if (log.Header is { } h && log.HeaderValid) _checkpointSequence = h.CheckpointSequence;
            _hdr = _index.Rebuild(log);
            _shm.Barrier();
        }
        finally
        {
            UnlockSlots(first, count);
        }
    }

    /// <summary>Ends the read transaction.</summary>
    public void EndRead()
    {
        Debug.Assert(!_writeLock);
        if (_readLock < 0) return;
        int slot = _readLock;
        _readLock = -1;
        UnlockSlots(ReadLock(slot), 1);
    }

    /// <summary>
    /// The frame holding the latest version of <paramref name="pageNumber"/> in this
    /// connection's snapshot, or 0 when the page is to be read from the database file.
    /// </summary>
    public uint FindFrame(uint pageNumber)
    {
        Debug.Assert(_readLock >= 0);
        if (_hdr.MaxFrame == 0 || _readLock == 0) return 0;
        return _index.FindFrame(pageNumber, _hdr.MaxFrame, _minFrame);
    }

    /// <summary>The page size of the log's frames in this snapshot (0 before the first commit).</summary>
    public int PageSize => _hdr.PageSize;

    /// <summary>Reads the start of frame <paramref name="frame"/>'s page image (frames of <paramref name="pageSize"/> bytes) into <paramref name="buffer"/>.</summary>
    public void ReadFrame(uint frame, int pageSize, Span<byte> buffer)
    {
        Debug.Assert(buffer.Length <= pageSize);
        long offset = WalFormat.FrameOffset(frame, pageSize) + WalFormat.FrameHeaderSize;
        int n = _log.Read(offset, buffer);
        if (n < buffer.Length) TernException.Throw(ResultCode.IoErrShortRead, TernException.DefaultMessage(ResultCode.IoErr));
    }

    // ---- write transactions ----

    /// <summary>
    /// Takes the write lock. SQLITE_BUSY when another connection writes; SQLITE_BUSY_SNAPSHOT
    /// when another connection committed since this read transaction began.
    /// </summary>
    public void BeginWrite()
    {
        Debug.Assert(_readLock >= 0 && !_writeLock);
        if (!TryLockSlots(WriteLock, 1, exclusive: true)) TernException.Throw(ResultCode.Busy);
        _writeLock = true;
        if (!HeaderUnchanged())
        {
            _writeLock = false;
            UnlockSlots(WriteLock, 1);
            throw new TernException(ResultCode.BusySnapshot, TernException.DefaultMessage(ResultCode.Busy));
        }
    }

    /// <summary>Releases the write lock (after a commit or <see cref="Undo"/>); the read transaction stays.</summary>
    public void EndWrite()
    {
        if (!_writeLock) return;
        _writeLock = false;
        UnlockSlots(WriteLock, 1);
    }

    /// <summary>
    /// Forgets the frames this write transaction appended: the snapshot goes back to the
    /// shared header (which only a commit moves) and their index entries are cleared.
    /// </summary>
    public void Undo()
    {
        _truncateOnCommit = false;
        if (!_writeLock) return;
        uint appended = _hdr.MaxFrame;
        if (_index.TryReadHeader(out WalIndexHeader shared)) _hdr = shared;
        if (appended != _hdr.MaxFrame) _index.Cleanup(_hdr.MaxFrame);
    }

    /// <summary>
    /// Appends one frame per page (in the order given). With <paramref name="commitSize"/> not
    /// 0 the last frame commits the transaction with that database size, the log is synced as
    /// <paramref name="sync"/> asks (FULL: at every commit) and the transaction becomes visible
    /// to new readers.
    /// </summary>
    public void WriteFrames(IReadOnlyList<Page> pages, uint commitSize, int pageSize, SynchronousMode sync)
    {
        Debug.Assert(_writeLock && pages.Count > 0);
        RestartLogIfPossible();
        WalWriter writer;
        if (_hdr.MaxFrame == 0)
        {
            // A new (or restarted) log: its header first, with new salts unless a checkpoint
            // that restarted the log chose them.
            Span<byte> header = stackalloc byte[WalFormat.HeaderSize];
            uint salt1 = _hdr.Salt1, salt2 = _hdr.Salt2;
            if (_checkpointSequence == 0)
            {
                salt1 = WalWriter.RandomUInt32();
                salt2 = WalWriter.RandomUInt32();
            }
            writer = WalWriter.CreateLog(header, pageSize, _checkpointSequence, salt1, salt2);
            _log.Write(0, header);
            _truncateOnCommit = true;
            if (sync != SynchronousMode.Off) _log.Sync();
            _hdr = _hdr with
            {
                Salt1 = salt1, Salt2 = salt2, BigEndianChecksum = writer.Header.BigEndianChecksum,
                FrameChecksum = writer.Running, PageSize = pageSize,
            };
        }
        else
        {
            if (_hdr.PageSize != pageSize) TernException.ThrowCorrupt();
            var header = new WalHeader(_hdr.BigEndianChecksum ? WalFormat.MagicBigEndian : WalFormat.MagicLittleEndian,
                WalFormat.FormatVersion, (uint)pageSize, _checkpointSequence, _hdr.Salt1, _hdr.Salt2, default);
            writer = new WalWriter(header, _hdr.MaxFrame, _hdr.FrameChecksum);
        }

        int frameSize = pageSize + WalFormat.FrameHeaderSize;
        int batch = Math.Min(FramesPerWrite, pages.Count);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(batch * frameSize);
        var slice = new List<(uint, ReadOnlyMemory<byte>)>(batch);
        try
        {
            for (int start = 0; start < pages.Count; start += batch)
            {
                int count = Math.Min(batch, pages.Count - start);
                slice.Clear();
                for (int i = 0; i < count; i++) slice.Add((pages[start + i].Number, pages[start + i].Data));
                uint first = writer.LastFrame + 1;
                bool last = start + count == pages.Count;
                int bytes = writer.AppendFrames(slice, last ? commitSize : 0, buffer);
                _log.Write(WalFormat.FrameOffset(first, pageSize), buffer.AsSpan(0, bytes));
                for (int i = 0; i < count; i++) _index.Append(first + (uint)i, slice[i].Item1);
                _hdr = _hdr with { MaxFrame = writer.LastFrame, FrameChecksum = writer.Running };
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (commitSize != 0)
        {
            if (sync == SynchronousMode.Full) _log.Sync();
            if (_truncateOnCommit && SizeLimit >= 0)
            {
                long keep = Math.Max(SizeLimit, WalFormat.FrameOffset(_hdr.MaxFrame + 1, pageSize));
                if (_log.Length > keep) _log.Truncate(keep);
                _truncateOnCommit = false;
            }
            _hdr = _hdr with { DatabaseSize = commitSize, Change = _hdr.Change + 1, PageSize = pageSize };
            _shm.Barrier();
            _hdr = _index.WriteHeader(_hdr);
        }
    }

    /// <summary>
    /// SQLite's walRestartLog: a writer whose snapshot ignores the log (everything was
    /// checkpointed) starts the log over when no reader uses it, then reads through a read
    /// mark like any writer, so that its own frames are found.
    /// </summary>
    private void RestartLogIfPossible()
    {
        if (_readLock != 0) return;
        Span<byte> region0 = _memory.GetOrAddRegion(0);
        if (WalIndexFields.Backfill(region0) > 0 && TryLockSlots(ReadLock(1), WalIndex.ReaderCount - 1, exclusive: true))
        {
            try
            {
                RestartHeader(WalWriter.RandomUInt32());
            }
            finally
            {
                UnlockSlots(ReadLock(1), WalIndex.ReaderCount - 1);
            }
        }
        UnlockSlots(ReadLock(0), 1);
        _readLock = -1;
        int attempt = 0;
        bool changed = false;
        while (!TryBeginRead(useLog: true, ref attempt, ref changed))
        {
        }
    }

    /// <summary>SQLite's walRestartHdr: an empty log with salt-1 + 1 and a new salt-2; read marks reset.</summary>
    private void RestartHeader(uint salt2)
    {
        _checkpointSequence++;
        _hdr = _hdr with { MaxFrame = 0, Salt1 = _hdr.Salt1 + 1, Salt2 = salt2 };
        _hdr = _index.WriteHeader(_hdr);
        Span<byte> region0 = _memory.GetOrAddRegion(0);
        WalIndexFields.SetBackfill(region0, 0);
        WalIndexFields.SetBackfillAttempted(region0, 0);
        WalIndexFields.SetReadMark(region0, 1, 0);
        for (int i = 2; i < WalIndex.ReaderCount; i++) WalIndexFields.SetReadMark(region0, i, WalIndex.ReadMarkNotUsed);
    }

    // ---- checkpoints ----

    /// <summary>
    /// Copies committed frames into the database file (SQLite's sqlite3WalCheckpoint). No read
    /// transaction of this connection may be open. <paramref name="busy"/> is asked while a
    /// lock is in the way, except in PASSIVE mode.
    /// </summary>
    public CheckpointResult Checkpoint(CheckpointMode mode, IFile database, int pageSize, Func<int, bool>? busy, SynchronousMode sync)
    {
        Debug.Assert(_readLock < 0 && !_writeLock);
        TryReleaseStaleSlots();
        if (!TryLockSlots(CheckpointLock, 1, exclusive: true)) TernException.Throw(ResultCode.Busy);
        _checkpointLock = true;
        CheckpointMode effective = mode;
        Func<int, bool>? handler = mode == CheckpointMode.Passive ? null : busy;
        bool changed = false;
        try
        {
            if (mode != CheckpointMode.Passive)
            {
                if (WaitForLock(WriteLock, 1, handler)) _writeLock = true;
                else
                {
                    effective = CheckpointMode.Passive;
                    handler = null;
                }
            }
            if (!ReadHeader(ref changed)) TernException.Throw(ResultCode.Busy);
            if (_hdr.MaxFrame != 0 && _hdr.PageSize != pageSize) TernException.ThrowCorrupt();
            bool complete = Backfill(effective, database, handler, sync);
            Span<byte> region0 = _memory.GetOrAddRegion(0);
            var result = new CheckpointResult(!complete || effective != mode, (int)_hdr.MaxFrame, (int)WalIndexFields.Backfill(region0));
            return result;
        }
        finally
        {
            // A header read here may be newer than the one the page cache was filled under:
            // forgetting it makes the next read transaction see a change.
            if (changed) _hdr = default;
            EndWrite();
            _checkpointLock = false;
            UnlockSlots(CheckpointLock, 1);
        }
    }

    /// <summary>Returns false when the mode asked for more than could be done (SQLITE_BUSY).</summary>
    private bool Backfill(CheckpointMode mode, IFile database, Func<int, bool>? busy, SynchronousMode sync)
    {
        Span<byte> region0 = _memory.GetOrAddRegion(0);
        int pageSize = _hdr.PageSize;
        if (WalIndexFields.Backfill(region0) < _hdr.MaxFrame)
        {
            uint safe = _hdr.MaxFrame;
            uint maxPage = _hdr.DatabaseSize;
            for (int i = 1; i < WalIndex.ReaderCount; i++)
            {
                uint mark = WalIndexFields.ReadMark(region0, i);
                if (safe <= mark) continue;
                if (WaitForLock(ReadLock(i), 1, busy))
                {
                    WalIndexFields.SetReadMark(region0, i, i == 1 ? safe : WalIndex.ReadMarkNotUsed);
                    UnlockSlots(ReadLock(i), 1);
                }
                else
                {
                    safe = mark;
                    busy = null;
                }
            }
            uint done = WalIndexFields.Backfill(region0);
            if (done < safe && WaitForLock(ReadLock(0), 1, busy))
            {
                try
                {
                    WalIndexFields.SetBackfillAttempted(region0, safe);
                    if (sync != SynchronousMode.Off) _log.Sync();
                    CopyFrames(database, done, safe, maxPage, pageSize);
                    if (safe == WalIndexFields.SharedMaxFrame(region0))
                    {
                        database.Truncate((long)_hdr.DatabaseSize * pageSize);
                    }
                    if (sync != SynchronousMode.Off) database.Sync();
                    _shm.Barrier();
                    WalIndexFields.SetBackfill(region0, safe);
                }
                finally
                {
                    UnlockSlots(ReadLock(0), 1);
                }
            }
        }

        if (mode == CheckpointMode.Passive) return true;
        if (WalIndexFields.Backfill(region0) < _hdr.MaxFrame) return false;
        if (mode >= CheckpointMode.Restart)
        {
            uint salt2 = WalWriter.RandomUInt32();
            if (!WaitForLock(ReadLock(1), WalIndex.ReaderCount - 1, busy)) return false;
            try
            {
                if (mode == CheckpointMode.Truncate)
                {
                    RestartHeader(salt2);
                    _log.Truncate(0);
                }
            }
            finally
            {
                UnlockSlots(ReadLock(1), WalIndex.ReaderCount - 1);
            }
        }
        return true;
    }

    /// <summary>
    /// Writes into the database, in page order, the latest frame of each page among frames
    /// (<paramref name="after"/>, <paramref name="upTo"/>], skipping pages past <paramref name="maxPage"/>.
    /// </summary>
    private void CopyFrames(IFile database, uint after, uint upTo, uint maxPage, int pageSize)
    {
        var latest = new SortedDictionary<uint, uint>();
        for (uint f = after + 1; f <= upTo; f++)
        {
            uint page = _index.PageOfFrame(f);
            if (page == 0) TernException.ThrowCorrupt();
            latest[page] = f;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(pageSize);
        try
        {
            Span<byte> data = buffer.AsSpan(0, pageSize);
            foreach ((uint page, uint frame) in latest)
            {
                if (page > maxPage) continue;
                ReadFrame(frame, pageSize, data);
                database.Write((long)(page - 1) * pageSize, data);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Takes lock slots exclusively, asking <paramref name="busy"/> while they are held elsewhere.</summary>
    private bool WaitForLock(int slot, int count, Func<int, bool>? busy)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (TryLockSlots(slot, count, exclusive: true)) return true;
            if (busy == null || !busy(attempt)) return false;
        }
    }

    // ---- closing ----

    /// <summary>
    /// Closes the log. <paramref name="last"/> says this is the last connection to the database
    /// (it holds the database file's EXCLUSIVE lock): the log is checkpointed and, when every
    /// frame reached the database, deleted with the shared memory, as SQLite does. The log is
    /// closed either way; with <paramref name="throwOnError"/> an error of the checkpoint is
    /// then rethrown (the log stays, and the next reader recovers from it), as SQLite's
    /// sqlite3WalClose returns it to a connection leaving WAL mode.
    /// </summary>
    public void Close(bool last, IFile database, int pageSize, SynchronousMode sync, bool throwOnError = false)
    {
        if (_closed) return;
        _closed = true;
        bool delete = false;
        TernException? error = null;
        try
        {
            if (_writeLock) Undo();
            EndWrite();
            EndRead();
            if (last)
            {
                CheckpointResult r = Checkpoint(CheckpointMode.Passive, database, pageSize, null, sync);
                delete = !r.Busy && r.Checkpointed == r.LogFrames;
            }
        }
        catch (TernException e)
        {
            delete = false;
            error = e;
        }
        finally
        {
            ReleaseFiles(delete);
        }
        if (error != null && throwOnError) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        ReleaseFiles(delete: false);
    }

    /// <summary>Closes the log and the shared memory; with <paramref name="delete"/> deletes both files.</summary>
    private void ReleaseFiles(bool delete)
    {
        try { _log.Dispose(); } catch (Exception) { /* gone with the process */ }
        try { _shm.Close(delete); } catch (Exception) { /* gone with the process */ }
        if (delete)
        {
            try { _fs.Delete(LogPath); } catch (TernException) { /* recovered at next open */ }
        }
    }

    /// <summary>The wal-index regions as memory shared through <see cref="ISharedMemory"/>.</summary>
    private sealed class SharedIndexMemory(ISharedMemory shm) : IWalIndexMemory
    {
        private readonly List<Memory<byte>> _regions = [];

        public int RegionCount
        {
            get
            {
                while (!TryGetRegion(_regions.Count).IsEmpty)
                {
                }
                return _regions.Count;
            }
        }

        public Span<byte> GetRegion(int index)
        {
            Span<byte> r = TryGetRegion(index);
            if (r.IsEmpty) TernException.ThrowCorrupt();
            return r;
        }

        public Span<byte> TryGetRegion(int index)
        {
            if (index < _regions.Count) return _regions[index].Span;
            for (int i = _regions.Count; i <= index; i++)
            {
                Memory<byte> m = shm.Map(i, extend: false);
                if (m.IsEmpty) return Span<byte>.Empty;
                _regions.Add(m);
            }
            return _regions[index].Span;
        }

        public Span<byte> GetOrAddRegion(int index)
        {
            if (index < _regions.Count) return _regions[index].Span;
            for (int i = _regions.Count; i <= index; i++) _regions.Add(shm.Map(i, extend: true));
            return _regions[index].Span;
        }
    }
}
