// The rollback journal: commit, rollback, spilling and hot-journal playback.
//
// Journal file layout ("<db>-journal", SQLite's format):
//
//   +--------------------------------------------------------------+ offset 0
//   | header: one sector (SectorSize bytes, the rest zero)         |
//   |   0  8  magic d9 d5 05 f9 20 a1 63 d7                        |
//   |   8  4  record count nRec (0xFFFFFFFF: count from file size) |
//   |  12  4  checksum nonce (random)                              |
//   |  16  4  database size in pages before the transaction        |
//   |  20  4  sector size                                          |
//   |  24  4  page size                                            |
//   +--------------------------------------------------------------+ offset SectorSize
//   | record: 4 page number | page-size original bytes | 4 cksum  |
//   | record ...                                                   |
//   +--------------------------------------------------------------+
//
// cksum = nonce + data[N-200] + data[N-400] + ... (bytes at offsets N-200k > 0).
// A journal may hold several segments, each starting with a header at a sector
// boundary; playback reads them in turn. (SQLite starts a new segment each time it syncs
// the journal to spill pages, and fills in a header's magic only when it syncs it; Tern
// writes one segment and rewrites its record count.) A journal of a transaction over
// several databases ends with the name of its super-journal:
//
//   | 4 pending-byte page number | name | 4 length | 4 checksum | 8 magic |
//
// and is played back only while that super-journal exists.
//
// Commit order (synchronous=FULL): journal records are appended as pages are first
// changed; then fsync journal; write nRec into the header; fsync journal; write the
// dirty pages into the database; fsync database; delete the journal (commit point).
// NORMAL skips the first fsync, OFF skips all of them (nRec stays 0xFFFFFFFF).
//
// Spilling: when the cache is full of dirty pages, the journal is synced (as at commit)
// and the unpinned dirty pages are written to the database before commit; a crash then
// leaves a hot journal whose synced records restore them.
//
// I/O errors. Any file operation may fail (TernException with an IOERR code or FULL).
// `_spilled` is set before the first page of a transaction is written to the database file
// (by a spill or by commit), so a rollback knows it must play the journal back. A failed
// commit rolls back at once; the VM rolls the whole transaction back after an I/O error in
// any statement (as SQLite does), so a half-done spill or b-tree change never stays. When a
// rollback itself fails, FailTransaction drops every cached page and marks the pager in
// error; the next read recovers from the journal on disk exactly as after a crash:
//
//   Writer --I/O error--> (VM) Rollback --ok--> Open
//                                  \--fails--> Open + error state --BeginRead--> hot journal playback
using System.Buffers.Binary;
using System.Diagnostics;
using Tern.Storage.Io;

namespace Tern.Storage.Pager;

internal sealed partial class Pager
{
    private static ReadOnlySpan<byte> JournalMagic => [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

    private IFile? _journal;
    private readonly HashSet<uint> _journaled = new();
    private long _journalOffset;
    private uint _journalRecords;
    private uint _journalSyncedRecords;
    private bool _journalNeedsSync;
    private uint _nonce;
    private bool _spilled;
    private bool _errorState;
    private bool _journalDirectoryUnsynced;   // a new journal whose directory entry is not yet durable
    private byte[]? _journalBuffer;

    /// <summary>
    /// Commits the write transaction: the journal, then the database, then the journal is
    /// deleted. When any step fails the transaction is rolled back (the journal puts back
    /// whatever reached the database file) and the error is rethrown; when the rollback
    /// fails too, the pager drops its state and the journal left on disk is played back at
    /// the next read, as after a crash. With <paramref name="keepReading"/> the read
    /// transaction goes on after the commit (a shared cache whose other connections are still
    /// reading): the SHARED lock, or the log snapshot, is kept.
    /// </summary>
    public void Commit(bool keepReading = false)
    {
        if (State != PagerState.Writer) return;
        if (_wal != null)
        {
            CommitToWal(keepReading);
            return;
        }
        CommitPhaseOne(null);
        CommitPhaseTwo(keepReading, superJournal: false);
    }

    /// <summary>Whether the open transaction will write anything to the files at commit.</summary>
    private bool CommitWrites => _dirty.Count > 0 || _journal != null || _dbSize != _dbOrigSize;

    /// <summary>
    /// Whether this pager's commit can take part in a super-journal (SQLite's rule): a rollback
    /// journal on disk (DELETE, TRUNCATE or PERSIST, not WAL, MEMORY or OFF) and synchronous not OFF.
    /// </summary>
    public bool CanJoinSuperJournal => _wal == null && State == PagerState.Writer && Synchronous != SynchronousMode.Off
        && JournalMode is JournalMode.Delete or JournalMode.Truncate or JournalMode.Persist;

    /// <summary>
    /// Takes the EXCLUSIVE lock a commit that writes needs (SQLITE_BUSY while readers remain;
    /// the transaction stays open). A commit over several databases takes every lock first.
    /// </summary>
    public void LockForCommit()
    {
        if (State == PagerState.Writer && _wal == null && CommitWrites) WaitForLock(FileLock.Exclusive);
    }

    /// <summary>
    /// The first half of a rollback-journal commit: the journal made durable (ending with the
    /// name of <paramref name="superJournal"/> when the transaction spans several databases),
    /// then every changed page written to the database file and synced. After it the journal
    /// still undoes the transaction; <see cref="CommitPhaseTwo"/> ends it. A failure rolls the
    /// transaction back (as <see cref="Commit"/> does) and is rethrown.
    /// </summary>
    public void CommitPhaseOne(string? superJournal)
    {
        Debug.Assert(State == PagerState.Writer && _wal == null);
        bool writes = CommitWrites;
        // Writing the database file needs the EXCLUSIVE lock: readers must finish first. When
        // they do not, the commit fails with SQLITE_BUSY and the transaction stays open.
        if (writes) WaitForLock(FileLock.Exclusive);
        ClearSavepoints();
        _commitWrites = writes;
        try
        {
            if (writes)
            {
                if (_dbSize > 0) UpdateChangeCounter();
                if (superJournal != null) WriteSuperJournalName(superJournal);
                SyncJournal();
                // From here on the database file may hold pages of this transaction.
                _spilled = true;
                WriteDirtyPages();
                if (_dbSize < _dbFileSize || _db.Length > (long)_dbSize * PageSize)
                {
                    _db.Truncate((long)_dbSize * PageSize);
                }
                _dbFileSize = _dbSize;
                if (Synchronous != SynchronousMode.Off) _db.Sync();
            }
        }
        catch (TernException)
        {
            RollbackAfterFailure();
            throw;
        }
    }

    /// <summary>Whether the commit under way (between the phases) writes to the files.</summary>
    private bool _commitWrites;

    /// <summary>
    /// The second half of a commit: the journal is ended (the commit point of a single-database
    /// transaction) and the write locks are released. In a transaction over several databases
    /// (<paramref name="superJournal"/>) the commit point has passed already (the super-journal
    /// is deleted): a failure here cannot undo anything, so the pager only drops its state and
    /// the journal left behind, which names a super-journal that no longer exists, is deleted
    /// unplayed at the next read; the failure is not reported.
    /// </summary>
    public void CommitPhaseTwo(bool keepReading, bool superJournal)
    {
        if (_commitWrites)
        {
            try
            {
                // The commit point. When zeroing or cutting the journal fails half-way (or its
                // sync fails after it), only the journal on disk can say whether the transaction
                // happened: the state is dropped and the next read decides, as after a crash and
                // as SQLite's pager does (its COMMIT then reports the error either way).
                DeleteJournal();
            }
            catch (TernException) when (superJournal)
            {
                FailTransaction();
                return;
            }
            catch (TernException) when (JournalMode is JournalMode.Persist or JournalMode.Truncate)
            {
                FailTransaction();
                throw;
            }
            catch (TernException)
            {
                // Deleting is all or nothing: the journal is still whole and undoes the commit now.
                RollbackAfterFailure();
                throw;
            }
        }
        _commitWrites = false;
        _journaled.Clear();
        EndWriteLocks(keepReading);
    }

    /// <summary>
    /// Appends the super-journal's name to the journal, as SQLite's writeSuperJournal does:
    /// under synchronous FULL from the next sector boundary (the last record may be synced
    /// already), then a record for the pending-byte page (which ends any playback there), the
    /// name, its length, the sum of its bytes and the journal magic; a longer journal file left
    /// by PERSIST is cut after it, so the name is what the file ends with.
    /// </summary>
    private void WriteSuperJournalName(string superJournal)
    {
        if (_journal == null) OpenJournal();
        byte[] name = System.Text.Encoding.UTF8.GetBytes(superJournal);
        uint checksum = 0;
        foreach (byte b in name) checksum += (uint)(sbyte)b;
        long offset = _journalOffset;
        int sector = _options.SectorSize;
        if (Synchronous == SynchronousMode.Full && offset % sector != 0) offset += sector - offset % sector;
        byte[] record = new byte[4 + name.Length + 16];
        BinaryPrimitives.WriteUInt32BigEndian(record, PendingBytePage);
        name.CopyTo(record, 4);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4 + name.Length), (uint)name.Length);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(8 + name.Length), checksum);
        JournalMagic.CopyTo(record.AsSpan(12 + name.Length));
        _journal!.Write(offset, record);
        _journalOffset = offset + record.Length;
        if (_journal.Length > _journalOffset) _journal.Truncate(_journalOffset);
        _journalNeedsSync = true;
    }

    /// <summary>
    /// After a commit or rollback in rollback-journal mode: back to no transaction and no lock,
    /// or with <paramref name="keepReading"/> down to a read transaction on the SHARED lock.
    /// </summary>
    private void EndWriteLocks(bool keepReading)
    {
        if (!keepReading)
        {
            State = PagerState.Open;
            UnlockAll();
            return;
        }
        State = PagerState.Reader;
        try
        {
            _db.Unlock(FileLock.Shared);
        }
        catch (TernException)
        {
        }
    }

    /// <summary>
    /// Abandons the write transaction: every change since <see cref="BeginWrite"/> is undone.
    /// When the file system fails meanwhile, the pager drops its state (see
    /// <see cref="FailTransaction"/>) and the journal is played back at the next read.
    /// <paramref name="keepReading"/> as for <see cref="Commit"/>.
    /// </summary>
    public void Rollback(bool keepReading = false)
    {
        if (State != PagerState.Writer) return;
        ClearSavepoints();
        if (_wal != null)
        {
            RollbackWal(keepReading);
            return;
        }
        try
        {
            foreach (Page p in _dirty) p.IsDirty = false;
            _dirty.Clear();
            _cache.Clear();
            if (_spilled)
            {
                // Pages reached the database file: put the originals back from the journal.
                // (A commit that failed after closing the journal reopens it by name.)
                if (JournalMode != JournalMode.Off)
                {
                    _journal ??= _fs.Open(JournalPath, FileOpenMode.ReadWrite);
                    PlaybackJournal(_journal, isHot: false, recordLimit: _journalRecords);
                }
                if (Synchronous != SynchronousMode.Off) _db.Sync();
            }
            // Otherwise nothing reached the file: forgetting the cached pages undoes everything.
            if (_db.Length > (long)_dbOrigSize * PageSize) _db.Truncate((long)_dbOrigSize * PageSize);
            _dbSize = _dbOrigSize;
            _dbFileSize = (uint)((_db.Length + PageSize - 1) / PageSize);
            DeleteJournal();
            _journaled.Clear();
            _cacheValid = false;
            EndWriteLocks(keepReading);
        }
        catch (TernException)
        {
            FailTransaction();
            throw;
        }
    }

    /// <summary>Rolls back after a failed commit step, keeping the commit's error for the caller.</summary>
    private void RollbackAfterFailure()
    {
        if (State != PagerState.Writer) return;
        try
        {
            Rollback();
        }
        catch (TernException)
        {
            // Rollback has left the pager in its error state; the journal on disk recovers
            // the file at the next read.
        }
    }

    /// <summary>
    /// After an I/O error in commit or rollback the in-memory state cannot be trusted: drop
    /// it, and recover from the journal on disk (as after a crash) at the next read.
    /// </summary>
    private void FailTransaction()
    {
        ClearSavepoints();
        foreach (Page p in _dirty) p.IsDirty = false;
        _dirty.Clear();
        _cache.Clear();
        _cacheValid = false;
        _journaled.Clear();
        CloseJournal();
        _errorState = true;
        State = PagerState.Open;
        // The journal left on disk is hot now: whichever connection reads next plays it back.
        UnlockAll();
    }

    private void RecoverFromError()
    {
        _errorState = false;
        _cache.Clear();
        _cacheValid = false;
    }

    private void UpdateChangeCounter()
    {
        Page p1 = Get(1);
        try
        {
            MakeWritable(p1);
            Span<byte> d = p1.Data;
            uint counter = DatabaseHeader.ReadUInt32(d, DatabaseHeader.ChangeCounterOffset) + 1;
            DatabaseHeader.WriteUInt32(d, DatabaseHeader.ChangeCounterOffset, counter);
            DatabaseHeader.WriteUInt32(d, DatabaseHeader.VersionValidForOffset, counter);
            DatabaseHeader.WriteUInt32(d, DatabaseHeader.DatabaseSizeOffset, _dbSize);
            DatabaseHeader.WriteUInt32(d, DatabaseHeader.SqliteVersionOffset, DatabaseHeader.WriterVersionNumber);
            _cachedChangeCounter = counter;
        }
        finally
        {
            Release(p1);
        }
    }

    /// <summary>Writes the original content of a page to the journal, opening the journal first when needed.</summary>
    private void JournalPage(uint pageNumber, ReadOnlySpan<byte> original)
    {
        // The page holding the pending byte is never used, and a record for it would end
        // SQLite's playback of the journal (that page number marks a super-journal name).
        if (pageNumber == PendingBytePage) return;
        if (_journal == null) OpenJournal();
        int recordSize = PageSize + 8;
        byte[] rec = _journalBuffer is { } b && b.Length == recordSize ? b : _journalBuffer = new byte[recordSize];
        BinaryPrimitives.WriteUInt32BigEndian(rec, pageNumber);
        original.CopyTo(rec.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(rec.AsSpan(4 + PageSize), Checksum(original));
        _journal!.Write(_journalOffset, rec.AsSpan(0, recordSize));
        _journalOffset += recordSize;
        _journalRecords++;
        _journalNeedsSync = true;
        _journaled.Add(pageNumber);
    }

    /// <summary>
    /// Journals the pages <paramref name="first"/>..<paramref name="last"/> that are not in
    /// the journal yet, as they are in the database file (before <see cref="Truncate"/> cuts
    /// them off). A page not yet journaled is either not cached or cached clean, so the
    /// file holds its original content.
    /// </summary>
    private void JournalOriginalPages(uint first, uint last)
    {
        byte[]? buffer = null;
        for (uint n = first; n <= last && n != 0; n++)
        {
            if (_journaled.Contains(n) || n == PendingBytePage) continue;
            Page? cached = _cache.Get(n);
            if (cached != null)
            {
                JournalPage(n, cached.Data);
                continue;
            }
            buffer ??= new byte[PageSize];
            int read = n <= _dbFileSize ? _db.Read((long)(n - 1) * PageSize, buffer) : 0;
            buffer.AsSpan(read).Clear();
            JournalPage(n, buffer);
        }
    }

    private uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = _nonce;
        for (int i = data.Length - 200; i > 0; i -= 200) sum += data[i];
        return sum;
    }

    private void OpenJournal()
    {
        Debug.Assert(JournalMode != JournalMode.Off);
        // MEMORY keeps the journal in a private in-memory file: ROLLBACK works, a crash leaves nothing to play back.
        _journal = JournalMode == JournalMode.Memory
            ? new MemoryFileSystem().Open("journal", FileOpenMode.ReadWriteCreate)
            : _fs.Open(JournalPath, FileOpenMode.ReadWriteCreate);
        if (_journal.Length > 0) _journal.Truncate(0);
        _nonce = (uint)Random.Shared.Next();
        int sector = _options.SectorSize;
        byte[] header = new byte[sector];
        JournalMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), Synchronous == SynchronousMode.Off ? 0xFFFFFFFFu : 0u);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), _nonce);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), _dbOrigSize);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(20), (uint)sector);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(24), (uint)PageSize);
        _journal.Write(0, header);
        _journalDirectoryUnsynced = true;
        _journalOffset = sector;
        _journalRecords = 0;
        _journalSyncedRecords = 0;
        _journalNeedsSync = true;
    }

    /// <summary>Makes the journal durable before any page of the database file is overwritten.</summary>
    private void SyncJournal()
    {
        if (JournalMode == JournalMode.Off) return;
        if (_journal == null)
        {
            // A transaction that changed only new pages still needs a journal holding the
            // original size, so that a crash truncates the file back.
            OpenJournal();
        }
        if (!_journalNeedsSync) return;
        if (Synchronous != SynchronousMode.Off)
        {
            if (Synchronous == SynchronousMode.Full) _journal!.Sync();
            Span<byte> n = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(n, _journalRecords);
            _journal!.Write(8, n);
            _journal.Sync();
            if (_journalDirectoryUnsynced && JournalMode != JournalMode.Memory)
            {
                // The journal must survive a power cut as a directory entry too, as SQLite ensures.
                _fs.SyncDirectory(JournalPath);
                _journalDirectoryUnsynced = false;
            }
        }
        _journalSyncedRecords = _journalRecords;
        _journalNeedsSync = false;
    }

    /// <summary>Writes dirty pages to the database file in page order and marks them clean.</summary>
    private void WriteDirtyPages()
    {
        _dirty.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        foreach (Page p in _dirty)
        {
            if (p.Number <= _dbSize)
            {
                _db.Write((long)(p.Number - 1) * PageSize, p.Data);
                if (p.Number > _dbFileSize) _dbFileSize = p.Number;
            }
            p.IsDirty = false;
        }
        _dirty.Clear();
    }

    /// <summary>Writes the unpinned dirty pages to the database early, so the cache can shrink.</summary>
    private void Spill()
    {
        if (_wal != null)
        {
            SpillToWal();
            return;
        }
        // Without a journal a spilled page could not be taken back: the cache grows instead.
        if (JournalMode == JournalMode.Off) return;
        // Writing to the database file needs the EXCLUSIVE lock; while readers hold SHARED
        // locks the cache grows instead.
        if (!_db.TryLock(FileLock.Exclusive)) return;
        SyncJournal();
        _dirty.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        // From here on the database file may hold pages of this transaction: a rollback
        // must play the journal back, even when a write below fails half-way.
        _spilled = true;
        try
        {
            foreach (Page p in _dirty)
            {
                if (p.PinCount > 0) continue;
                _db.Write((long)(p.Number - 1) * PageSize, p.Data);
                if (p.Number > _dbFileSize) _dbFileSize = p.Number;
                p.IsDirty = false;
            }
        }
        finally
        {
            // Keep the pages still dirty: the pinned ones, and those a failed write did not reach.
            _dirty.RemoveAll(static p => !p.IsDirty);
        }
    }

    private void CloseJournal()
    {
        if (_journal == null) return;
        try { _journal.Dispose(); } catch (Exception) { /* already gone */ }
        _journal = null;
    }

    /// <summary>
    /// Ends the transaction's journal as the journal mode says: DELETE deletes the file (the
    /// commit point), TRUNCATE cuts it to nothing, PERSIST zeroes its header (a journal whose
    /// first byte is zero is not hot), MEMORY drops it, OFF has none.
    /// </summary>
    private void DeleteJournal()
    {
        switch (JournalMode)
        {
            case JournalMode.Truncate or JournalMode.Persist when _journal != null || _fs.Exists(JournalPath):
                {
                    _journal ??= _fs.Open(JournalPath, FileOpenMode.ReadWrite);
                    bool changed = JournalMode == JournalMode.Truncate || _journal.Length > 0;
                    if (JournalMode == JournalMode.Truncate) _journal.Truncate(0);
                    else if (changed) _journal.Write(0, new byte[Math.Min(JournalHeaderFieldsSize, _journal.Length)]);
                    if (changed && Synchronous == SynchronousMode.Full) _journal.Sync();
                    CloseJournal();
                    break;
                }
            case JournalMode.Delete:
                CloseJournal();
                _fs.Delete(JournalPath);
                break;
            default:
                CloseJournal();
                break;
        }
        ResetJournalState();
    }

    /// <summary>The journal header's fields (magic, record count, nonce, size, sector and page size): what PERSIST zeroes.</summary>
    private const int JournalHeaderFieldsSize = 28;

    private void ResetJournalState()
    {
        _journalOffset = 0;
        _journalRecords = 0;
        _journalSyncedRecords = 0;
        _journalNeedsSync = false;
    }

    /// <summary>
    /// A journal is hot when it exists, no connection (in any process) holds the RESERVED
    /// lock (else it is that writer's journal), the database file is not empty, and the
    /// journal's first byte is not zero (TRUNCATE and PERSIST leave an empty or zeroed journal
    /// behind after every transaction). A journal beside an empty database is deleted by
    /// whoever can take RESERVED for a moment, as SQLite does.
    /// </summary>
    private bool HasHotJournal()
    {
        long size = _fs.GetSize(JournalPath);
        if (size < 0 || _db.CheckReservedLock()) return false;
        if (_db.Length == 0)
        {
            if (!_options.ReadOnly && _db.TryLock(FileLock.Reserved))
            {
                try
                {
                    _fs.Delete(JournalPath);
                }
                finally
                {
                    _db.Unlock(FileLock.Shared);
                }
            }
            return false;
        }
        if (size == 0) return false;
        IFile journal;
        try
        {
            journal = _fs.Open(JournalPath, FileOpenMode.ReadOnly);
        }
        catch (TernException e) when (e.Code == ResultCode.CantOpen)
        {
            // Gone since it was seen: a writer that rolled back deleted it (then released
            // RESERVED). A journal that cannot be opened is not hot, as in SQLite.
            return false;
        }
        using (journal)
        {
            Span<byte> first = stackalloc byte[1];
            return journal.Read(0, first) == 1 && first[0] != 0;
        }
    }

    private void PlaybackHotJournal()
    {
        if (_options.ReadOnly) TernException.Throw((ResultCode)((int)ResultCode.ReadOnly | (3 << 8)), "attempt to write a readonly database");
        _cache.Clear();
        _cacheValid = false;
        // Another connection that saw the same hot journal may have played it back and
        // deleted it before this one got the EXCLUSIVE lock: then there is nothing to do.
        if (_fs.GetSize(JournalPath) <= 0) return;
        IFile journal = _fs.Open(JournalPath, FileOpenMode.ReadWrite);
        string? superJournal;
        try
        {
            // A journal that names a super-journal belongs to a transaction over several
            // databases. Deleting the super-journal is that transaction's commit point: when
            // it is gone the transaction committed, and this journal is not played back.
            superJournal = ReadSuperJournalName(journal);
            if (superJournal == null || _fs.Exists(superJournal))
            {
                PlaybackJournal(journal, isHot: true, recordLimit: uint.MaxValue);
            }
            if (Synchronous != SynchronousMode.Off) _db.Sync();
        }
        finally
        {
            journal.Dispose();
        }
        _fs.Delete(JournalPath);
        if (superJournal != null && _fs.Exists(superJournal)) DeleteSuperJournalIfUnused(superJournal);
    }

    /// <summary>Longest super-journal name SQLite's unix VFS reads back (its mxPathname).</summary>
    private const int MaxSuperJournalName = 512;

    /// <summary>
    /// Reads the super-journal name SQLite writes at the end of a journal in a multi-database
    /// commit, or returns null when there is none (or its checksum fails, which SQLite also
    /// treats as none). Layout at the end of the file:
    ///
    ///   4 pending-byte page number | name | 4 name length | 4 checksum | 8 journal magic
    ///
    /// where the checksum is the sum of the name's bytes as signed chars.
    /// </summary>
    private static string? ReadSuperJournalName(IFile journal)
    {
        long size = journal.Length;
        if (size < 16) return null;
        Span<byte> tail = stackalloc byte[16];
        if (journal.Read(size - 16, tail) < 16 || !tail[8..].SequenceEqual(JournalMagic)) return null;
        uint length = BinaryPrimitives.ReadUInt32BigEndian(tail);
        uint checksum = BinaryPrimitives.ReadUInt32BigEndian(tail[4..]);
        if (length == 0 || length > MaxSuperJournalName || length > size - 16) return null;
        byte[] name = new byte[length];
        if (journal.Read(size - 16 - length, name) < length) return null;
        foreach (byte b in name) checksum -= (uint)(sbyte)b;
        if (checksum != 0) return null;
        int end = Array.IndexOf(name, (byte)0);
        if (end == 0) return null;
        return System.Text.Encoding.UTF8.GetString(name, 0, end < 0 ? name.Length : end);
    }

    /// <summary>
    /// After a child journal is played back, deletes the super-journal unless another of the
    /// journals it lists (NUL-separated names) still exists and names it.
    /// </summary>
    private void DeleteSuperJournalIfUnused(string superJournal)
    {
        byte[] content;
        using (IFile super = _fs.Open(superJournal, FileOpenMode.ReadOnly))
        {
            content = new byte[super.Length];
            int read = super.Read(0, content);
            if (read < content.Length) Array.Resize(ref content, read);
        }
        foreach (string child in System.Text.Encoding.UTF8.GetString(content).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_fs.Exists(child)) continue;
            using IFile childJournal = _fs.Open(child, FileOpenMode.ReadOnly);
            if (ReadSuperJournalName(childJournal) == superJournal) return;
        }
        _fs.Delete(superJournal);
    }

    /// <summary>
    /// Copies the journaled original pages back into the database file and sets the file to
    /// its original size, following SQLite's pager_playback: segment after segment (each
    /// starts with a header at a sector boundary; the page and sector sizes and the original
    /// size come from the first); within a segment, a record for page 0 or for the page
    /// holding the pending byte ends playback, a record past the original size is skipped,
    /// and a record whose checksum does not match ends playback (it was never synced, so its
    /// page never reached the file). For a hot journal a segment holds nRec records (all the
    /// whole records in the file when nRec is 0xFFFFFFFF); a rollback plays
    /// <paramref name="recordLimit"/> records of the one segment Tern writes.
    /// </summary>
    private void PlaybackJournal(IFile journal, bool isHot, uint recordLimit)
    {
        long size = journal.Length;
        long offset = 0;
        bool first = true;
        uint sector = 0, pageSize = 0, origSize = 0, pendingPage = 0;
        int recordSize = 0;
        byte[] rec = [];
        Span<byte> hdr = stackalloc byte[28];
        while (true)
        {
            if (offset + 28 > size || (!first && offset + sector > size)) break;
            if (journal.Read(offset, hdr) < 28 || !hdr[..8].SequenceEqual(JournalMagic)) break;
            uint nRec = BinaryPrimitives.ReadUInt32BigEndian(hdr[8..]);
            uint nonce = BinaryPrimitives.ReadUInt32BigEndian(hdr[12..]);
            if (first)
            {
                origSize = BinaryPrimitives.ReadUInt32BigEndian(hdr[16..]);
                sector = BinaryPrimitives.ReadUInt32BigEndian(hdr[20..]);
                pageSize = BinaryPrimitives.ReadUInt32BigEndian(hdr[24..]);
                if (sector < 32 || sector > 65536 || (sector & (sector - 1)) != 0) break;
                if (!DatabaseHeader.IsValidPageSize((int)pageSize)) break;
                if (offset + sector > size) break;
                recordSize = (int)pageSize + 8;
                rec = new byte[recordSize];
                pendingPage = 0x40000000 / pageSize + 1;
                // Cut the file back to its original size, or grow it to that size when it
                // is at least a page short (as SQLite's pager_truncate does).
                long want = (long)origSize * pageSize, have = _db.Length;
                if (have > want) _db.Truncate(want);
                else if (have + pageSize <= want) _db.Write(want - pageSize, new byte[pageSize]);
                _dbOrigSize = origSize;
                first = false;
            }
            offset += sector;
            if (!isHot) nRec = recordLimit;
            else if (nRec == 0xFFFFFFFF) nRec = (uint)((size - offset) / recordSize);
            for (uint done = 0; done < nRec; done++)
            {
                if (offset + recordSize > size || journal.Read(offset, rec) < recordSize) return;
                offset += recordSize;
                uint pgno = BinaryPrimitives.ReadUInt32BigEndian(rec);
                if (pgno == 0 || pgno == pendingPage) return;
                if (pgno > origSize) continue;
                ReadOnlySpan<byte> data = rec.AsSpan(4, (int)pageSize);
                uint sum = nonce;
                for (int i = (int)pageSize - 200; i > 0; i -= 200) sum += data[i];
                if (sum != BinaryPrimitives.ReadUInt32BigEndian(rec.AsSpan(4 + (int)pageSize))) return;
                _db.Write((long)(pgno - 1) * pageSize, data);
            }
            if (!isHot) break;
            // The next segment, if any, starts at the next sector boundary.
            offset = (offset + sector - 1) / sector * sector;
        }
    }
}
