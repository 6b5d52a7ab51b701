// The pager: the layer between the b-tree and the file. It hands out pages from a
// bounded cache, reads them from the database file on a miss, and makes changes atomic
// with SQLite's rollback journal (journal_mode=DELETE): before a page is first changed
// in a transaction its original content is appended to "<db>-journal"; at commit the
// journal is synced, the changed pages are written to the database file and synced, and
// deleting the journal is the commit point. A journal left behind by a crash is "hot"
// and is played back the next time the database is read. In WAL mode (Pager.Wal.cs)
// changed pages are appended to the write-ahead log instead and the database file is only
// written by checkpoints.
//
// Transaction states:
//
//     Open --BeginRead--> Reader --BeginWrite--> Writer
//       ^                   |                      |
//       +-----EndRead-------+                      |
//       +----------------Commit / Rollback---------+
//
// In the Writer state the pager also tracks the database size in pages (which grows and
// shrinks with the b-tree), the set of pages already journaled, and the dirty pages.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Tern.Storage.Io;

namespace Tern.Storage.Pager;

/// <summary>Transaction state of a pager.</summary>
internal enum PagerState
{
    /// <summary>No transaction.</summary>
    Open,
    /// <summary>A read transaction.</summary>
    Reader,
    /// <summary>A write transaction.</summary>
    Writer,
}

/// <summary>Pages of one database file, with atomic commit through a rollback journal.</summary>
internal sealed partial class Pager : IDisposable
{
    private readonly IFileSystem _fs;
    private readonly PagerOptions _options;
    private readonly IFile _db;
    private PageCache _cache;
    private readonly List<Page> _dirty = new();
    private uint _dbSize;          // pages in the database as this transaction sees it
    private uint _dbOrigSize;      // pages at the start of the write transaction
    private uint _dbFileSize;      // pages the file holds (for reads past the end)
    private uint _cachedChangeCounter;
    private bool _cacheValid;
    private bool _disposed;

    private Pager(IFileSystem fs, string path, PagerOptions options, IFile db)
    {
        _fs = fs;
        Path = path;
        _options = options;
        _db = db;
        PageSize = options.PageSize;
        _requestedPageSize = options.PageSize;
        Synchronous = options.Synchronous;
        _cache = new PageCache(PageSize, options.CacheSize);
        JournalMode = options.JournalMode;
    }

    /// <summary>Opens (creating when allowed and missing) a database file.</summary>
    public static Pager Open(IFileSystem fs, string path, PagerOptions? options = null)
    {
        options ??= new PagerOptions();
        if (!DatabaseHeader.IsValidPageSize(options.PageSize))
            TernException.Throw(ResultCode.Misuse, $"invalid page size: {options.PageSize}");
        if (options.ReservedBytes is < 0 or > 255 || options.PageSize - options.ReservedBytes < 480)
            TernException.Throw(ResultCode.Misuse, $"invalid reserved bytes: {options.ReservedBytes}");
        // The journal header takes one sector; SQLite reads back sector sizes 32..65536 (powers of two).
        if (options.SectorSize is < 32 or > 65536 || (options.SectorSize & (options.SectorSize - 1)) != 0)
            TernException.Throw(ResultCode.Misuse, $"invalid sector size: {options.SectorSize}");
        IFile db = fs.Open(path, options.ReadOnly ? FileOpenMode.ReadOnly : FileOpenMode.ReadWriteCreate);
        var pager = new Pager(fs, path, options, db);
        try
        {
            pager.BeginRead();
            pager.EndRead();
        }
        catch (TernException e) when (e.Code == ResultCode.Busy)
        {
            // Another connection holds the file exclusively: the header is checked at the first read.
        }
        catch
        {
            pager.Dispose();
            throw;
        }
        return pager;
    }

    /// <summary>The file system holding the database file (and its journal).</summary>
    public IFileSystem FileSystem => _fs;

    /// <summary>The database file's path.</summary>
    public string Path { get; }

    /// <summary>The journal file's path.</summary>
    public string JournalPath => Path + "-journal";

    /// <summary>The page size in bytes.</summary>
    public int PageSize { get; private set; }

    private int _requestedPageSize;    // PRAGMA page_size: the size a database created from an empty file gets

    /// <summary>
    /// PRAGMA page_size = <paramref name="size"/>: while the database has no pages, the page
    /// size page 1 will be created with; ignored once the database has pages or when the
    /// size is not a power of two from 512 to 65536, as in SQLite.
    /// </summary>
    public void RequestPageSize(int size)
    {
        ThrowIfDisposed();
        if (!DatabaseHeader.IsValidPageSize(size) || size - ReservedBytes < 480 || _dbSize != 0 || _dirty.Count > 0) return;
        _requestedPageSize = size;
        PageSize = size;
        ResetCacheIfPageSizeChanged();
        _cache.Clear();
    }

    /// <summary>Bytes reserved at the end of every page.</summary>
    public int ReservedBytes { get; private set; }

    /// <summary>Usable bytes per page (page size minus reserved bytes).</summary>
    public int UsableSize => PageSize - ReservedBytes;

    /// <summary>The database size in pages, as the current transaction sees it.</summary>
    public uint PageCount => _dbSize;

    /// <summary>PRAGMA max_page_count: the database may not grow past this many pages (SQLITE_FULL).</summary>
    public uint MaxPageCount { get; set; } = 0xFFFFFFFE;

    /// <summary>
    /// PRAGMA data_version: starts at 1 and grows each time a read transaction finds that another
    /// connection changed the file since this pager last read it (its own commits leave it alone).
    /// </summary>
    public long DataVersion { get; private set; } = 1;

    /// <summary>The current transaction state.</summary>
    public PagerState State { get; private set; }

    /// <summary>Whether the database was opened read-only.</summary>
    public bool IsReadOnly => _options.ReadOnly;

    /// <summary>The journal mode in force (<see cref="SetJournalMode"/> changes it).</summary>
    public JournalMode JournalMode { get; private set; }

    /// <summary>Whether changes go to a rollback journal (not OFF, not WAL).</summary>
    private bool UsesRollbackJournal => JournalMode is not (JournalMode.Off or JournalMode.Wal);

    /// <summary>Whether the database lives in memory (its journal can only be in memory or off).</summary>
    private bool InMemoryDatabase => _options.JournalMode == JournalMode.Memory;

    /// <summary>Whether the database is a file (not an in-memory database such as :memory: or temp).</summary>
    public bool IsFileDatabase => !InMemoryDatabase;

    /// <summary>
    /// PRAGMA journal_mode = mode, as SQLite takes it: an in-memory database only switches
    /// between MEMORY and OFF, and nothing changes while a write transaction is open. Leaving
    /// PERSIST or TRUNCATE for a mode without a journal file deletes the file left behind,
    /// unless a writer (RESERVED) is using it. Returns the mode in force afterwards.
    /// </summary>
    public JournalMode SetJournalMode(JournalMode mode)
    {
        ThrowIfDisposed();
        if (InMemoryDatabase && mode is not (JournalMode.Memory or JournalMode.Off)) return JournalMode;
        if ((State == PagerState.Writer && HasChanged) || mode == JournalMode) return JournalMode;
        if (mode == JournalMode.Wal || JournalMode == JournalMode.Wal)
        {
            // Into WAL once the header says so (the b-tree writes it first); out of it only
            // through CloseWal. Either way with no transaction open.
            if (mode == JournalMode.Wal && _wal == null && State == PagerState.Open) JournalMode = JournalMode.Wal;
            else if (mode != JournalMode.Wal && _wal == null && State == PagerState.Open) JournalMode = mode;
            return JournalMode;
        }
        JournalMode old = JournalMode;
        JournalMode = mode;
        if (old is JournalMode.Persist or JournalMode.Truncate && mode is JournalMode.Delete or JournalMode.Off or JournalMode.Memory
            && !_options.ReadOnly)
        {
            bool locked = State == PagerState.Open;
            if (locked && !_db.TryLock(FileLock.Shared)) return JournalMode;
            try
            {
                if (!_db.CheckReservedLock() && _fs.Exists(JournalPath)) _fs.Delete(JournalPath);
            }
            finally
            {
                if (locked) _db.Unlock(FileLock.None);
            }
        }
        return JournalMode;
    }

    /// <summary>The synchronous level in force.</summary>
    public SynchronousMode Synchronous { get; set; }

    /// <summary>The page cache's bound, in pages.</summary>
    public int CacheSize
    {
        get => _cache.Capacity;
        set => _cache.Capacity = Math.Max(value, 10);
    }

    /// <summary>Options for a new database (page size, reserved bytes).</summary>
    internal PagerOptions Options => _options;

    /// <summary>The page number of the page holding the byte at offset 2^30 (SQLite's pending byte), never used for data.</summary>
    public uint PendingBytePage => (uint)(0x40000000 / PageSize) + 1;

    /// <summary>Number of pages currently cached (diagnostics and tests).</summary>
    internal int CachedPageCount => _cache.Count;

    /// <summary>
    /// SQLite's busy handler: called with how many times it was already called for the lock
    /// being waited for; returns true to try again, false to give up with SQLITE_BUSY.
    /// </summary>
    public Func<int, bool>? BusyHandler { get; set; }

    /// <summary>Takes <paramref name="level"/> on the database file, asking the busy handler while another connection is in the way.</summary>
    private void WaitForLock(FileLock level, bool useBusyHandler = true)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (_db.TryLock(level)) return;
            if (!useBusyHandler || BusyHandler == null || !BusyHandler(attempt)) TernException.Throw(ResultCode.Busy);
        }
    }

    /// <summary>Gives up every lock on the database file (best effort: a failure leaves it to closing the file).</summary>
    private void UnlockAll()
    {
        try
        {
            _db.Unlock(FileLock.None);
        }
        catch (TernException)
        {
        }
    }

    /// <summary>
    /// Starts a read transaction: takes a SHARED lock, plays back a hot journal if there is
    /// one (a journal no writer holds a RESERVED lock for, left by a crash), reads the header
    /// and drops the cache when another connection changed the file since it was filled.
    /// </summary>
    public void BeginRead()
    {
        ThrowIfDisposed();
        if (State != PagerState.Open) return;
        if (_errorState) RecoverFromError();
        if (_wal != null)
        {
            BeginWalRead();
            State = PagerState.Reader;
            return;
        }
        // A lock left above SHARED by a release that failed (an I/O error) is given up first:
        // holding RESERVED would hide this connection's own hot journal from itself.
        if (_db.LockLevel > FileLock.Shared) _db.Unlock(FileLock.None);
        WaitForLock(FileLock.Shared);
        try
        {
            if (HasHotJournal())
            {
                // Playing the journal back writes the file: nobody else may be reading it.
                if (!_db.TryLock(FileLock.Exclusive)) TernException.Throw(ResultCode.Busy);
                PlaybackHotJournal();
                _db.Unlock(FileLock.Shared);
            }
            // A log beside the database, or a header that says WAL, switches this
            // connection to WAL mode; from then on it keeps its SHARED lock until it closes.
            if (OpenWalIfPresent() || (ReadHeaderAndValidateCache() && OpenWal()))
            {
                BeginWalRead();
            }
        }
        catch
        {
            if (_wal == null) UnlockAll();
            throw;
        }
        State = PagerState.Reader;
    }

    /// <summary>Ends a read transaction, giving up its SHARED lock.</summary>
    public void EndRead()
    {
        if (State != PagerState.Reader) return;
        State = PagerState.Open;
        if (_wal != null) _wal.EndRead();
        else UnlockAll();
    }

    /// <summary>
    /// Starts a write transaction (starting a read transaction first when needed): takes the
    /// RESERVED lock, which one connection at a time holds, and with <paramref name="exclusive"/>
    /// the EXCLUSIVE lock too (BEGIN EXCLUSIVE: no reader until the transaction ends). The busy handler is asked only
    /// when no transaction was open before, as in SQLite (a reader that waited for a writer
    /// could wait for ever on a writer waiting for it).
    /// </summary>
    public void BeginWrite(bool exclusive = false)
    {
        ThrowIfDisposed();
        if (State == PagerState.Writer)
        {
            if (exclusive && _wal == null) WaitForLock(FileLock.Exclusive);
            return;
        }
        if (_options.ReadOnly) TernException.Throw(ResultCode.ReadOnly);
        bool hadTransaction = State != PagerState.Open;
        if (hadTransaction)
        {
            if (_wal != null) _wal.BeginWrite();
            else WaitForLock(FileLock.Reserved, useBusyHandler: false);
        }
        else
        {
            // Between attempts the SHARED lock (or the WAL snapshot) is given up too, so that
            // a writer this one waits for can take EXCLUSIVE and commit, and the next attempt
            // reads its commit (SQLite's begin-transaction loop).
            for (int attempt = 0; ; attempt++)
            {
                BeginRead();
                TernException? busy = TryTakeWriteLock();
                if (busy == null) break;
                EndRead();
                if (BusyHandler == null || !BusyHandler(attempt)) throw busy;
            }
        }
        // In WAL mode readers never stand in a writer's way: EXCLUSIVE is IMMEDIATE there.
        if (_wal != null) exclusive = false;
        if (exclusive)
        {
            try
            {
                WaitForLock(FileLock.Exclusive);
            }
            catch (TernException)
            {
                _db.Unlock(FileLock.Shared);
                if (!hadTransaction) EndRead();
                throw;
            }
        }
        State = PagerState.Writer;
        HasChanged = false;
        _dbOrigSize = _dbSize;
        _spilled = false;
        _walSpilled = false;
        ClearSavepoints();
        _journaled.Clear();
    }

    /// <summary>The write lock of a writer: RESERVED, or the log's write lock; the BUSY error when another connection has it.</summary>
    private TernException? TryTakeWriteLock()
    {
        if (_wal == null) return _db.TryLock(FileLock.Reserved) ? null : new TernException(ResultCode.Busy, TernException.DefaultMessage(ResultCode.Busy));
        try
        {
            _wal.BeginWrite();
            return null;
        }
        catch (TernException e) when (e.Code == ResultCode.Busy)
        {
            return e;
        }
    }

    /// <summary>
    /// Reads the first bytes of the file (in WAL mode: of page 1 as this snapshot sees it),
    /// checks they form a database header, and adopts its page size. Returns true when the
    /// header says the database is in WAL mode and this pager is not yet (nothing else is
    /// set up then: the caller opens the log and reads again).
    /// </summary>
    private bool ReadHeaderAndValidateCache(bool walChanged = false)
    {
        long fileBytes = _db.Length;
        uint walFrame = _wal?.FindFrame(1) ?? 0;
        if (fileBytes == 0 && walFrame == 0)
        {
            // An empty file is an empty database; page 1 is created by the first write.
            PageSize = _requestedPageSize;
            ReservedBytes = _options.ReservedBytes;
            ResetCacheIfPageSizeChanged();
            _cache.Clear();
            _dbSize = _dbFileSize = 0;
            _cacheValid = false;
            return false;
        }
        Span<byte> header = stackalloc byte[DatabaseHeader.Size];
        header.Clear();
        int read;
        if (walFrame != 0)
        {
            _wal!.ReadFrame(walFrame, _wal.PageSize, header);
            read = header.Length;
        }
        else
        {
            read = _db.Read(0, header);
        }
        if (read < DatabaseHeader.Size || !header[..16].SequenceEqual(DatabaseHeader.Magic))
            TernException.Throw(ResultCode.NotADb);
        int pageSize = DatabaseHeader.ReadPageSize(header);
        int reserved = header[DatabaseHeader.ReservedOffset];
        if (pageSize == 0 || header[21] != 64 || header[22] != 32 || header[23] != 32 || pageSize - reserved < 480)
            TernException.Throw(ResultCode.NotADb);
        if (header[DatabaseHeader.ReadVersionOffset] > 2)
            TernException.Throw(ResultCode.NotADb);
        bool walHeader = header[DatabaseHeader.ReadVersionOffset] == 2 || header[DatabaseHeader.WriteVersionOffset] == 2;
        if (walHeader && _wal == null && !SuppressWal && !InMemoryDatabase) return true;
        if (_wal != null && walFrame != 0 && _wal.PageSize != pageSize) TernException.ThrowCorrupt();
        PageSize = pageSize;
        ReservedBytes = reserved;
        ResetCacheIfPageSizeChanged();

        _dbFileSize = (uint)Math.Min((fileBytes + pageSize - 1) / pageSize, uint.MaxValue);
        uint changeCounter = DatabaseHeader.ReadUInt32(header, DatabaseHeader.ChangeCounterOffset);
        uint headerSize = DatabaseHeader.ReadUInt32(header, DatabaseHeader.DatabaseSizeOffset);
        uint validFor = DatabaseHeader.ReadUInt32(header, DatabaseHeader.VersionValidForOffset);
        uint pagerCount = _wal != null && _wal.DatabaseSize != 0 ? _wal.DatabaseSize : _dbFileSize;
        uint size = headerSize != 0 && validFor == changeCounter ? headerSize : pagerCount;
        if (size > pagerCount) TernException.ThrowCorrupt();
        _dbSize = size;

        // In WAL mode the log says whether anything changed; in rollback mode the change
        // counter, which every commit increments.
        bool stale = _wal != null ? walChanged : changeCounter != _cachedChangeCounter;
        if (!_cacheValid || stale)
        {
            if (_cacheValid) DataVersion++;
            _cache.Clear();
            _cachedChangeCounter = changeCounter;
            _cacheValid = true;
        }
        return false;
    }

    private void ResetCacheIfPageSizeChanged()
    {
        if (_cache.Count == 0 || _cache.Pages.First().Data.Length != PageSize)
            _cache = new PageCache(PageSize, _cache.Capacity);
    }

    /// <summary>
    /// Returns page <paramref name="pageNumber"/>, pinned: the caller must
    /// <see cref="Release"/> it. A page number outside the database is corruption.
    /// </summary>
    public Page Get(uint pageNumber)
    {
        Page? page = _cache.Get(pageNumber);
        if (page != null)
        {
            page.PinCount++;
            return page;
        }
        return Load(pageNumber);
    }

    private Page Load(uint pageNumber)
    {
        Debug.Assert(State != PagerState.Open, "pages are read inside a transaction");
        if (pageNumber == 0 || pageNumber > _dbSize) TernException.ThrowCorrupt();
        MakeRoom();
        Page page = _cache.RentPage(pageNumber);
        byte[] buffer = page.Data;
        uint frame = _wal?.FindFrame(pageNumber) ?? 0;
        if (frame != 0)
        {
            _wal!.ReadFrame(frame, PageSize, buffer);
        }
        else if (pageNumber <= _dbFileSize || _wal != null)
        {
            // (In WAL mode checkpoints by other connections grow the file at any time: the
            // read itself tells whether the page is there.)
            long offset = (long)(pageNumber - 1) * PageSize;
            int n = _db.Read(offset, buffer);
            if (n < buffer.Length) Array.Clear(buffer, n, buffer.Length - n);
        }
        else
        {
            Array.Clear(buffer);
        }
        page.PinCount = 1;
        _cache.Add(page);
        return page;
    }

    /// <summary>Unpins a page obtained from <see cref="Get"/> or <see cref="Append"/>.</summary>
    public void Release(Page page)
    {
        Debug.Assert(page.PinCount > 0);
        page.PinCount--;
    }

    /// <summary>
    /// Adds a page at the end of the database and returns it zeroed, writable and pinned.
    /// </summary>
    public Page Append()
    {
        RequireWriter();
        if (_dbSize >= int.MaxValue || _dbSize >= MaxPageCount) TernException.Throw(ResultCode.Full);
        uint number = _dbSize + 1;
        Page? stale = _cache.Get(number);
        if (stale != null) _cache.Remove(stale);
        MakeRoom();
        _dbSize = number;
        Page page = _cache.RentPage(number);
        Array.Clear(page.Data);
        page.PinCount = 1;
        _cache.Add(page);
        MarkDirty(page);
        return page;
    }

    /// <summary>
    /// Prepares a page to be changed: journals its original content (once per transaction)
    /// and marks it dirty. Call before every write to <see cref="Page.Data"/>.
    /// </summary>
    public void MakeWritable(Page page)
    {
        if (_savepoints.Count > 0) SaveForSavepoints(page);
        if (page.IsDirty) return;
        RequireWriter();
        if (page.Number <= _dbOrigSize && UsesRollbackJournal && !_journaled.Contains(page.Number)) JournalPage(page.Number, page.Data);
        MarkDirty(page);
    }

    /// <summary>
    /// Whether the open write transaction has changed a page (SQLite's WRITER_CACHEMOD state
    /// or later): from then on the journal mode stays as it is until the transaction ends.
    /// </summary>
    public bool HasChanged { get; private set; }

    private void MarkDirty(Page page)
    {
        HasChanged = true;
        if (page.IsDirty) return;
        page.IsDirty = true;
        _dirty.Add(page);
    }

    /// <summary>
    /// Sets the database size in pages; pages past the new end are dropped at commit and the
    /// file is cut to size. Pages of the original database that are cut off are journaled
    /// first, so a crash after the file was cut, or a rollback after their numbers were
    /// reused by <see cref="Append"/>, can restore them.
    /// </summary>
    public void Truncate(uint pageCount)
    {
        RequireWriter();
        if (pageCount >= _dbSize) return;
        if (_savepoints.Count > 0) SaveTruncatedPages(pageCount);
        if (UsesRollbackJournal) JournalOriginalPages(pageCount + 1, Math.Min(_dbSize, _dbOrigSize));
        for (int i = _dirty.Count - 1; i >= 0; i--)
        {
            if (_dirty[i].Number > pageCount)
            {
                _dirty[i].IsDirty = false;
                _dirty.RemoveAt(i);
            }
        }
        _cache.RemoveAbove(pageCount);
        _dbSize = pageCount;
    }

    /// <summary>
    /// Evicts pages until the cache is below its bound (it may have grown past it while pages
    /// were pinned), spilling dirty pages in a write transaction if nothing else can go.
    /// </summary>
    private void MakeRoom()
    {
        while (_cache.IsFull)
        {
            if (_cache.TryEvictOne()) continue;
            if (State != PagerState.Writer || _dirty.Count == 0) break;
            Spill();
            if (!_cache.TryEvictOne()) break;
        }
        // When nothing can go, every page is pinned (or dirty and pinned): the cache grows
        // past its bound until pages are released.
    }

    private void RequireWriter()
    {
        if (State != PagerState.Writer) ThrowNotWriter();
    }

    [DoesNotReturn]
    private static void ThrowNotWriter() => throw new InvalidOperationException("the pager has no write transaction");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Closes the files. An open write transaction is rolled back.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            if (State == PagerState.Writer) Rollback();
            else EndRead();
        }
        catch (Exception)
        {
            // The file system failed: a hot journal, if any, is played back on next open.
        }
        finally
        {
            _disposed = true;
            CloseWalOnDispose();
            CloseJournal();
            try { _db.Dispose(); } catch (Exception) { /* the handle is gone with the process */ }
        }
    }
}
