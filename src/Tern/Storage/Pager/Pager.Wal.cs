// The pager in WAL mode: pages are read from the write-ahead log when this connection's
// snapshot has a frame for them, else from the database file; a commit appends the changed
// pages to the log (the last frame marks the commit) instead of writing the database file,
// and checkpoints copy the log back into the database file.
//
// Entering and leaving WAL mode, as SQLite does:
//
//   rollback mode --(header read/write versions 2, or a "-wal" file beside a non-empty
//                    database)--> OpenWal: the connection keeps its SHARED lock on the
//                    database file from then on (the last connection is the one that
//                    can take EXCLUSIVE)
//   WAL mode --CloseWal (EXCLUSIVE lock, checkpoint, delete the log)--> rollback mode
//
// The b-tree writes the header versions (2 into WAL, 1 out of it) in a transaction of the
// rollback mode; SuppressWal keeps the pager from re-entering WAL mode while it writes 1.
//
// Locks in WAL mode: SHARED on the database file for as long as the log is open; the
// log's own locks (Wal.cs) for readers, the writer and checkpoints. No RESERVED, PENDING or
// EXCLUSIVE lock is taken for a transaction.
using Tern.Storage.Io;
using Tern.Storage.Wal;

namespace Tern.Storage.Pager;

internal sealed partial class Pager
{
    private Wal.Wal? _wal;
    private bool _walSpilled;     // frames of the open write transaction already in the log

    /// <summary>The write-ahead log's path.</summary>
    public string WalPath => Path + "-wal";

    /// <summary>
    /// While set, a header saying WAL does not switch the pager into WAL mode (the b-tree
    /// sets it while writing the header that leaves WAL mode).
    /// </summary>
    public bool SuppressWal { get; set; }

    /// <summary>PRAGMA wal_autocheckpoint: after a commit leaves this many frames in the log, a PASSIVE checkpoint runs (0 or less: never).</summary>
    public int WalAutoCheckpoint { get; set; } = 1000;

    /// <summary>PRAGMA journal_size_limit: after a commit restarts the log, a longer log file is cut to this many bytes (-1: never).</summary>
    public long JournalSizeLimit { get; set; } = -1;

    /// <summary>
    /// Whether this database can be in WAL mode: not in memory, and its file system offers
    /// shared memory (SQLite's sqlite3PagerWalSupported; without it a database switched to
    /// WAL could not be opened again).
    /// </summary>
    public bool CanUseWal
    {
        get
        {
            if (InMemoryDatabase) return false;
            if (_wal != null) return true;
            ISharedMemory? probe;
            try
            {
                probe = _db.OpenSharedMemory();
            }
            catch (TernException)
            {
                return true; // there is shared memory; whatever failed will fail again where it matters
            }
            if (probe == null) return false;
            probe.Close(delete: true);
            return true;
        }
    }

    /// <summary>
    /// SQLite's pagerOpenWalIfPresent, under the SHARED lock: a log beside a non-empty database
    /// puts the connection in WAL mode; a log beside an empty database is deleted.
    /// </summary>
    private bool OpenWalIfPresent()
    {
        if (InMemoryDatabase || SuppressWal) return false;
        if (_fs.GetSize(WalPath) < 0)
        {
            // The header decides (it may say WAL and the log was deleted by the last closer).
            if (JournalMode == JournalMode.Wal) JournalMode = JournalMode.Delete;
            return false;
        }
        if (_db.Length == 0)
        {
            if (!_options.ReadOnly) _fs.Delete(WalPath);
            return false;
        }
        return OpenWal();
    }

    /// <summary>Opens the log and its wal-index: WAL mode from now on. Returns true.</summary>
    private bool OpenWal()
    {
        _wal = Wal.Wal.Open(_fs, Path, _db, _options.ReadOnly);
        JournalMode = JournalMode.Wal;
        _cache.Clear();
        _cacheValid = false;
        return true;
    }

    /// <summary>
    /// Opens a read transaction on the log's latest snapshot, asking the busy handler while
    /// another connection is rebuilding the wal-index, and reads the header as that snapshot
    /// sees it.
    /// </summary>
    private void BeginWalRead()
    {
        bool changed;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                changed = _wal!.BeginRead();
                break;
            }
            catch (TernException e) when (e.Code == ResultCode.Busy)
            {
                if (BusyHandler == null || !BusyHandler(attempt)) throw;
            }
        }
        // The same snapshot as the last transaction's (nothing committed since): the cache,
        // the size and the header read then still hold, and nothing need be read now.
        if (!changed && _cacheValid) return;
        try
        {
            ReadHeaderAndValidateCache(changed);
        }
        catch
        {
            _wal.EndRead();
            throw;
        }
    }

    /// <summary>
    /// Commits the write transaction by appending its pages to the log, the last one a commit
    /// frame; then runs the automatic checkpoint when the log has grown past its threshold.
    /// When appending fails the transaction is rolled back (frames already written lie past
    /// the last commit, where every reader and recovery ignore them).
    /// </summary>
    private void CommitToWal(bool keepReading)
    {
        Wal.Wal wal = _wal!;
        wal.SizeLimit = JournalSizeLimit;
        bool writes = _dirty.Count > 0 || _walSpilled || _dbSize != _dbOrigSize;
        try
        {
            if (writes)
            {
                // Page 1 carries the database size; SQLite bumps the change counter whenever
                // page 1 is written.
                bool page1Dirty = _cache.Get(1) is { IsDirty: true };
                if (_dbSize > 0 && (page1Dirty || _dbSize != _dbOrigSize)) UpdateChangeCounter();
                foreach (Page p in _dirty)
                {
                    if (p.Number > _dbSize) p.IsDirty = false;
                }
                _dirty.RemoveAll(static p => !p.IsDirty);
                _dirty.Sort(static (a, b) => a.Number.CompareTo(b.Number));
                if (_dirty.Count == 0)
                {
                    // Everything was spilled: a commit still needs a frame to carry its mark.
                    Page p1 = Get(1);
                    try
                    {
                        wal.WriteFrames([p1], _dbSize, PageSize, Synchronous);
                    }
                    finally
                    {
                        Release(p1);
                    }
                }
                else
                {
                    wal.WriteFrames(_dirty, _dbSize, PageSize, Synchronous);
                }
                foreach (Page p in _dirty) p.IsDirty = false;
                _dirty.Clear();
            }
        }
        catch (TernException)
        {
            RollbackWal();
            throw;
        }
        _walSpilled = false;
        wal.EndWrite();
        if (keepReading)
        {
            // The snapshot is this commit's; a checkpoint waits until every reader is done.
            State = PagerState.Reader;
            return;
        }
        State = PagerState.Open;
        wal.EndRead();
        if (writes && WalAutoCheckpoint > 0 && wal.MaxFrame >= WalAutoCheckpoint)
        {
            try
            {
                Checkpoint(CheckpointMode.Passive);
            }
            catch (TernException)
            {
                // As SQLite's automatic checkpoint: a failure leaves the frames for the next one.
            }
        }
    }

    /// <summary>
    /// Abandons the write transaction: its frames are forgotten and the cache dropped; with
    /// <paramref name="keepReading"/> the snapshot the transaction began on stays open.
    /// </summary>
    private void RollbackWal(bool keepReading = false)
    {
        foreach (Page p in _dirty) p.IsDirty = false;
        _dirty.Clear();
        _cache.Clear();
        _cacheValid = false;
        _dbSize = _dbOrigSize;
        _walSpilled = false;
        State = keepReading ? PagerState.Reader : PagerState.Open;
        try
        {
            _wal!.Undo();
        }
        finally
        {
            _wal!.EndWrite();
            if (!keepReading) _wal.EndRead();
        }
    }

    /// <summary>Appends the unpinned dirty pages to the log as frames of the open transaction, so the cache can shrink.</summary>
    private void SpillToWal()
    {
        var spill = new List<Page>();
        foreach (Page p in _dirty)
        {
            if (p.PinCount == 0 && p.Number <= _dbSize) spill.Add(p);
        }
        if (spill.Count == 0) return;
        spill.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        _wal!.WriteFrames(spill, 0, PageSize, Synchronous);
        _walSpilled = true;
        foreach (Page p in spill) p.IsDirty = false;
        _dirty.RemoveAll(static p => !p.IsDirty);
    }

    /// <summary>
    /// PRAGMA wal_checkpoint: copies the log into the database file as <paramref name="mode"/>
    /// asks. Outside WAL mode there is nothing to copy: (0, -1, -1), as in SQLite.
    /// </summary>
    public CheckpointResult Checkpoint(CheckpointMode mode)
    {
        ThrowIfDisposed();
        if (State != PagerState.Open) TernException.Throw(ResultCode.Locked);
        if (_wal == null && !InMemoryDatabase)
        {
            // A connection that has not read yet does not know the database is in WAL mode.
            BeginRead();
            EndRead();
        }
        if (_wal == null) return new CheckpointResult(false, -1, -1);
        if (_options.ReadOnly) TernException.Throw(ResultCode.ReadOnly);
        return _wal.Checkpoint(mode, _db, PageSize, BusyHandler, Synchronous);
    }

    /// <summary>
    /// Leaves WAL mode (SQLite's sqlite3PagerCloseWal): takes the EXCLUSIVE lock on the
    /// database file (SQLITE_BUSY while another connection uses the database), checkpoints,
    /// deletes the log and shared memory, and goes back to rollback mode
    /// <paramref name="mode"/>. No transaction may be open. When the checkpoint fails its
    /// error is thrown and the mode stays WAL: the log is closed but kept, and the next read
    /// opens it again (frames the checkpoint did not finish copying are read from it).
    /// </summary>
    public void CloseWal(JournalMode mode)
    {
        ThrowIfDisposed();
        if (_wal == null)
        {
            if (State == PagerState.Open) JournalMode = mode;
            return;
        }
        if (State != PagerState.Open) TernException.Throw(ResultCode.Locked);
        if (!_db.TryLock(FileLock.Exclusive))
        {
            _db.Unlock(FileLock.Shared);
            TernException.Throw(ResultCode.Busy);
        }
        Wal.Wal wal = _wal;
        _wal = null;
        try
        {
            wal.Close(last: true, _db, PageSize, Synchronous, throwOnError: true);
            JournalMode = mode;
        }
        finally
        {
            _cache.Clear();
            _cacheValid = false;
            UnlockAll();
        }
    }

    /// <summary>
    /// On close in WAL mode: the last connection (the one that can take EXCLUSIVE)
    /// checkpoints and deletes the log, as SQLite does; the others just let go.
    /// </summary>
    private void CloseWalOnDispose()
    {
        if (_wal == null) return;
        Wal.Wal wal = _wal;
        _wal = null;
        bool last = false;
        try
        {
            last = !_options.ReadOnly && _db.TryLock(FileLock.Exclusive);
        }
        catch (TernException)
        {
        }
        try
        {
            wal.Close(last, _db, PageSize, Synchronous);
        }
        catch (Exception)
        {
            // The log stays; the next connection recovers it.
        }
        UnlockAll();
    }
}
