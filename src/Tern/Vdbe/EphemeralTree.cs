// The large form of an ephemeral index (DISTINCT, UNION/INTERSECT/EXCEPT sets, IN lists,
// DISTINCT aggregates). An ephemeral index starts as a sorted list in memory; once it holds
// more than a few thousand records it moves into a real index b-tree in a temporary
// database file, where inserts and probes cost O(log n) and whatever does not fit the page
// cache (sized from the sort memory limit) lives on disk, as SQLite's ephemeral tables do.
//
// The temporary database is private to the cursor: one write transaction is opened on
// it and never committed; closing the cursor drops the file (and its journal).
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Vdbe;

/// <summary>An ephemeral index held in a b-tree in a temporary file.</summary>
internal sealed class EphemeralTree : IDisposable
{
    private const int PageSize = 4096;
    private readonly IFileSystem _fs;
    private readonly string _path;
    private readonly BTree _bt;

    public EphemeralTree(TempFiles temp, KeyInfo? keyInfo, long memoryLimit)
    {
        _fs = temp.FileSystem;
        _path = temp.NewPath("temp", "db");
        int cachePages = (int)Math.Clamp(memoryLimit / PageSize, 64, 1 << 20);
        _bt = BTree.Open(_fs, _path, new PagerOptions { PageSize = PageSize, CacheSize = cachePages, Synchronous = SynchronousMode.Off });
        try
        {
            _bt.BeginWrite();
            Cursor = new BTreeCursor(_bt, _bt.CreateIndex(), table: false, keyInfo);
        }
        catch (TernException)
        {
            _bt.Dispose();
            RemoveFiles();
            throw;
        }
    }

    /// <summary>The cursor over the index (positioned by the VM's Rewind/Next/...).</summary>
    public BTreeCursor Cursor { get; }

    /// <summary>Inserts a record; an equal one is replaced.</summary>
    public void Insert(ReadOnlySpan<byte> record) => Cursor.Insert(record);

    /// <summary>Whether an entry equal to the record (over the record's fields) is there.</summary>
    public bool Find(ReadOnlySpan<byte> record) => Cursor.MoveTo(record) == 0;

    /// <summary>Removes the entry equal to the record, if there is one.</summary>
    public void Delete(ReadOnlySpan<byte> record)
    {
        if (Cursor.MoveTo(record) == 0) Cursor.Delete();
    }

    public void Dispose()
    {
        Cursor.Dispose();
        try
        {
            _bt.Rollback();
        }
        catch (TernException)
        {
            // The file is dropped below whatever state it is in.
        }
        finally
        {
            _bt.Dispose();
            RemoveFiles();
        }
    }

    private void RemoveFiles()
    {
        foreach (string p in new[] { _path, _path + "-journal" })
        {
            try
            {
                if (_fs.Exists(p)) _fs.Delete(p);
            }
            catch (TernException)
            {
                // Left for the system's temporary-file cleanup.
            }
        }
    }
}
