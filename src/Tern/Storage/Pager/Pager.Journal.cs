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
// boundary; playback reads them in turn.
//
// Commit order (synchronous=FULL): journal records are appended as pages are first
// changed; then fsync journal; write nRec into the header; fsync journal; write the
// dirty pages into the database; fsync database; delete the journal (commit point).
// NORMAL skips the first fsync, OFF skips all of them (nRec stays 0xFFFFFFFF).
//
// Spilling: when the cache is full of dirty pages, the journal is synced (as at commit)
// and the unpinned dirty pages are written to the database before commit; a crash then
// leaves a hot journal whose synced records restore them.
using System.Buffers.Binary;
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
    private byte[]? _journalBuffer;

    /// <summary>Commits the write transaction: the journal, then the database, then the journal is deleted.</summary>
    public void Commit()
    {
        if (State != PagerState.Writer) return;
        try
        {
            if (_dirty.Count > 0 || _journal != null || _dbSize != _dbOrigSize)
            {
                if (_dbSize > 0) UpdateChangeCounter();
                SyncJournal();
                WriteDirtyPages();
                if (_dbSize < _dbFileSize || _db.Length > (long)_dbSize * PageSize)
                {
                    _db.Truncate((long)_dbSize * PageSize);
                }
                _dbFileSize = _dbSize;
                if (Synchronous != SynchronousMode.Off) _db.Sync();
                DeleteJournal();
            }
            _journaled.Clear();
            State = PagerState.Open;
        }
        catch (TernException)
        {
            FailTransaction();
            throw;
        }
    }

    /// <summary>Abandons the write transaction: every change since <see cref="BeginWrite"/> is undone.</summary>
    public void Rollback()
    {
        if (State != PagerState.Writer) return;
        try
        {
            foreach (Page p in _dirty) p.IsDirty = false;
            _dirty.Clear();
            if (_spilled)
            {
                // Pages reached the database file: put the originals back from the journal.
                _cache.Clear();
                PlaybackJournal(_journal!, isHot: false, recordLimit: _journalRecords);
                if (Synchronous != SynchronousMode.Off) _db.Sync();
            }
            else
            {
                // Nothing reached the file; forget every page changed or added in memory.
                _cache.Clear();
            }
            if (_db.Length > (long)_dbOrigSize * PageSize) _db.Truncate((long)_dbOrigSize * PageSize);
            _dbSize = _dbOrigSize;
            _dbFileSize = (uint)((_db.Length + PageSize - 1) / PageSize);
            DeleteJournal();
            _journaled.Clear();
            State = PagerState.Open;
        }
        catch (TernException)
        {
            FailTransaction();
            throw;
        }
    }

    /// <summary>
    /// After an I/O error in commit or rollback the in-memory state cannot be trusted: drop
    /// it, and recover from the journal on disk (as after a crash) at the next read.
    /// </summary>
    private void FailTransaction()
    {
        foreach (Page p in _dirty) p.IsDirty = false;
        _dirty.Clear();
        _cache.Clear();
        _cacheValid = false;
        _journaled.Clear();
        CloseJournal();
        _errorState = true;
        State = PagerState.Open;
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
    private void JournalPage(Page page)
    {
        if (_journal == null) OpenJournal();
        int recordSize = PageSize + 8;
        byte[] rec = _journalBuffer ??= new byte[recordSize];
        BinaryPrimitives.WriteUInt32BigEndian(rec, page.Number);
        page.Data.AsSpan().CopyTo(rec.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(rec.AsSpan(4 + PageSize), Checksum(page.Data));
        _journal!.Write(_journalOffset, rec.AsSpan(0, recordSize));
        _journalOffset += recordSize;
        _journalRecords++;
        _journalNeedsSync = true;
        _journaled.Add(page.Number);
    }

    private uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = _nonce;
        for (int i = data.Length - 200; i > 0; i -= 200) sum += data[i];
        return sum;
    }

    private void OpenJournal()
    {
        _journal = _fs.Open(JournalPath, FileOpenMode.ReadWriteCreate);
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
        _journalOffset = sector;
        _journalRecords = 0;
        _journalSyncedRecords = 0;
        _journalNeedsSync = true;
    }

    /// <summary>Makes the journal durable before any page of the database file is overwritten.</summary>
    private void SyncJournal()
    {
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
        SyncJournal();
        _dirty.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        int kept = 0;
        for (int i = 0; i < _dirty.Count; i++)
        {
            Page p = _dirty[i];
            if (p.PinCount > 0)
            {
                _dirty[kept++] = p;
                continue;
            }
            _db.Write((long)(p.Number - 1) * PageSize, p.Data);
            if (p.Number > _dbFileSize) _dbFileSize = p.Number;
            p.IsDirty = false;
            _spilled = true;
        }
        _dirty.RemoveRange(kept, _dirty.Count - kept);
    }

    private void CloseJournal()
    {
        if (_journal == null) return;
        try { _journal.Dispose(); } catch (Exception) { /* already gone */ }
        _journal = null;
    }

    private void DeleteJournal()
    {
        CloseJournal();
        _fs.Delete(JournalPath);
        _journalOffset = 0;
        _journalRecords = 0;
        _journalSyncedRecords = 0;
        _journalNeedsSync = false;
    }

    /// <summary>
    /// A journal is hot when it exists, is not empty, and the database file is not empty
    /// (single process: no other connection can be writing it).
    /// </summary>
    private bool HasHotJournal()
    {
        long size = _fs.GetSize(JournalPath);
        if (size < 0) return false;
        if (size == 0 || _db.Length == 0)
        {
            if (!_options.ReadOnly) _fs.Delete(JournalPath);
            return false;
        }
        return true;
    }

    private void PlaybackHotJournal()
    {
        if (_options.ReadOnly) TernException.Throw((ResultCode)((int)ResultCode.ReadOnly | (3 << 8)), "attempt to write a readonly database");
        _cache.Clear();
        _cacheValid = false;
        IFile journal = _fs.Open(JournalPath, FileOpenMode.ReadWrite);
        try
        {
            PlaybackJournal(journal, isHot: true, recordLimit: uint.MaxValue);
            if (Synchronous != SynchronousMode.Off) _db.Sync();
        }
        finally
        {
            journal.Dispose();
        }
        _fs.Delete(JournalPath);
    }

    /// <summary>
    /// Copies the journaled original pages back into the database file and cuts the file
    /// to its original size. Playback stops at the first record that is incomplete or whose
    /// checksum does not match (it was never synced, so its page never reached the file).
    /// </summary>
    private void PlaybackJournal(IFile journal, bool isHot, uint recordLimit)
    {
        long size = journal.Length;
        long offset = 0;
        bool first = true;
        Span<byte> hdr = stackalloc byte[28];
        while (true)
        {
            if (offset + 28 > size) break;
            if (journal.Read(offset, hdr) < 28 || !hdr[..8].SequenceEqual(JournalMagic)) break;
            uint nRec = BinaryPrimitives.ReadUInt32BigEndian(hdr[8..]);
            uint nonce = BinaryPrimitives.ReadUInt32BigEndian(hdr[12..]);
            uint origSize = BinaryPrimitives.ReadUInt32BigEndian(hdr[16..]);
            uint sector = BinaryPrimitives.ReadUInt32BigEndian(hdr[20..]);
            uint pageSize = BinaryPrimitives.ReadUInt32BigEndian(hdr[24..]);
            if (sector < 32 || sector > 65536 || (sector & (sector - 1)) != 0) break;
            if (!DatabaseHeader.IsValidPageSize((int)pageSize)) break;
            offset += sector;
            int recordSize = (int)pageSize + 8;
            if (!isHot) nRec = recordLimit;
            else if (nRec == 0xFFFFFFFF) nRec = (uint)((size - offset) / recordSize);
            if (first)
            {
                // The original size comes from the first header; cut the file back to it.
                if (_db.Length > (long)origSize * pageSize) _db.Truncate((long)origSize * pageSize);
                _dbOrigSize = origSize;
                first = false;
            }
            byte[] rec = new byte[recordSize];
            uint done = 0;
            for (; done < nRec; done++)
            {
                if (offset + recordSize > size) break;
                if (journal.Read(offset, rec) < recordSize) break;
                uint pgno = BinaryPrimitives.ReadUInt32BigEndian(rec);
                ReadOnlySpan<byte> data = rec.AsSpan(4, (int)pageSize);
                uint cksum = BinaryPrimitives.ReadUInt32BigEndian(rec.AsSpan(4 + (int)pageSize));
                uint sum = nonce;
                for (int i = (int)pageSize - 200; i > 0; i -= 200) sum += data[i];
                if (pgno == 0 || sum != cksum) break;
                if (pgno <= _dbOrigSize) _db.Write((long)(pgno - 1) * pageSize, data);
                offset += recordSize;
            }
            if (!isHot || done < nRec) break;
            // The next segment, if any, starts at the next sector boundary.
            offset = (offset + sector - 1) / sector * sector;
        }
    }
}
