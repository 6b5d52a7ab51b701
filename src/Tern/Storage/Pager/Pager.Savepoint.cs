// Savepoints inside a write transaction: the statement journal that undoes one failed
// statement, and (later) the SAVEPOINT / ROLLBACK TO statements. Kept in memory.
//
// While any savepoint is open, the first change to a page after the innermost savepoint
// opened copies the page's content into the sub-journal, and the page is marked as saved
// in every open savepoint (a page saved for an inner savepoint is also saved for the
// outer ones: the copy is older than any change they could have missed):
//
//   sub-journal:  [ (page 7, image) (page 2, image) | (page 7, image) (page 9, image) ... ]
//                   ^ savepoint 0 starts here        ^ savepoint 1 starts here
//
// Rolling back to savepoint k puts the database size back to what it was when k opened
// and writes back, for each page, its first image at or after k's start (the oldest one,
// so the page as it was when k opened); later records and inner savepoints are dropped.
// Pages added after k opened fall away with the size. Because restored pages stay dirty
// and the main journal already holds their originals, the transaction can still commit
// or roll back as a whole afterwards.
namespace Tern.Storage.Pager;

internal sealed partial class Pager
{
    private sealed class SavepointState
    {
        public required uint DbSize { get; init; }
        public required int SubJournalStart { get; init; }
        public HashSet<uint> Saved { get; } = new();
    }

    private readonly List<SavepointState> _savepoints = new();
    private readonly List<(uint Page, byte[] Image)> _subJournal = new();

    /// <summary>The number of open savepoints.</summary>
    public int SavepointCount => _savepoints.Count;

    /// <summary>Opens a savepoint in the write transaction; returns its index.</summary>
    public int OpenSavepoint()
    {
        RequireWriter();
        _savepoints.Add(new SavepointState { DbSize = _dbSize, SubJournalStart = _subJournal.Count });
        return _savepoints.Count - 1;
    }

    /// <summary>Forgets savepoint <paramref name="index"/> and every savepoint opened after it; their changes stay.</summary>
    public void ReleaseSavepoint(int index)
    {
        if (index < 0 || index >= _savepoints.Count) return;
        _savepoints.RemoveRange(index, _savepoints.Count - index);
        if (_savepoints.Count == 0) _subJournal.Clear();
    }

    /// <summary>
    /// Undoes every change made since savepoint <paramref name="index"/> opened. The savepoint
    /// stays open (and empty); savepoints opened after it are gone.
    /// </summary>
    public void RollbackToSavepoint(int index)
    {
        RequireWriter();
        SavepointState sp = _savepoints[index];
        _savepoints.RemoveRange(index + 1, _savepoints.Count - index - 1);
        // Nothing below may record into the sub-journal while it is being played back.
        _savepoints.RemoveAt(index);
        DropPagesAbove(sp.DbSize);
        _dbSize = sp.DbSize;
        var restored = new HashSet<uint>();
        for (int i = sp.SubJournalStart; i < _subJournal.Count; i++)
        {
            (uint number, byte[] image) = _subJournal[i];
            if (number > sp.DbSize || !restored.Add(number)) continue;
            Page page = Get(number);
            try
            {
                MakeWritable(page);
                image.CopyTo(page.Data, 0);
            }
            finally
            {
                Release(page);
            }
        }
        _subJournal.RemoveRange(sp.SubJournalStart, _subJournal.Count - sp.SubJournalStart);
        _savepoints.Add(new SavepointState { DbSize = sp.DbSize, SubJournalStart = sp.SubJournalStart });
    }

    /// <summary>Copies a page into the sub-journal the first time it changes under the innermost savepoint.</summary>
    private void SaveForSavepoints(Page page)
    {
        SavepointState top = _savepoints[^1];
        if (top.Saved.Contains(page.Number)) return;
        _subJournal.Add((page.Number, (byte[])page.Data.Clone()));
        foreach (SavepointState sp in _savepoints) sp.Saved.Add(page.Number);
    }

    /// <summary>Before the database shrinks under open savepoints: keep the pages that fall off.</summary>
    private void SaveTruncatedPages(uint pageCount)
    {
        uint limit = 0;
        foreach (SavepointState sp in _savepoints) limit = Math.Max(limit, sp.DbSize);
        for (uint n = pageCount + 1; n <= Math.Min(_dbSize, limit); n++)
        {
            if (_savepoints[^1].Saved.Contains(n)) continue;
            Page page = Get(n);
            try
            {
                SaveForSavepoints(page);
            }
            finally
            {
                Release(page);
            }
        }
    }

    /// <summary>Forgets pages past <paramref name="pageCount"/> that exist only in memory.</summary>
    private void DropPagesAbove(uint pageCount)
    {
        if (pageCount >= _dbSize) return;
        for (int i = _dirty.Count - 1; i >= 0; i--)
        {
            if (_dirty[i].Number > pageCount)
            {
                _dirty[i].IsDirty = false;
                _dirty.RemoveAt(i);
            }
        }
        _cache.RemoveAbove(pageCount);
    }

    private void ClearSavepoints()
    {
        _savepoints.Clear();
        _subJournal.Clear();
    }
}
