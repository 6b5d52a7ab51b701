// The b-tree layer's shared state for one database: the pager, the page geometry
// (usable size, the payload thresholds for overflow), the open cursors, and the
// operations on whole trees: create, drop, clear, and the header "meta" values.
// A database file holds many b-trees, each identified by its root page number; page 1
// is always the root of the table b-tree holding sqlite_schema.
//
// Trees are either table trees (keyed by a 64-bit rowid, payload in the leaves) or
// index trees (keyed by a record, which is the whole payload; interior cells carry
// entries too). See Node.cs for the page layout and CellInfo.cs for cell formats.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

/// <summary>The b-trees of one database file.</summary>
internal sealed partial class BTree : IDisposable, ITransactionStore
{
    private readonly List<BTreeCursor> _cursors = new();
    private byte[] _scratch = Array.Empty<byte>();

    private BTree(Pager.Pager pager, bool autoVacuumForNew, bool incrementalForNew)
    {
        Pager = pager;
        _newAutoVacuum = autoVacuumForNew;
        _newIncremental = incrementalForNew;
        ComputeGeometry();
    }

    private bool _newAutoVacuum;
    private bool _newIncremental;

    /// <summary>
    /// Sets the auto-vacuum mode the file is created with, when it has no pages yet (as SQLite's
    /// <c>PRAGMA auto_vacuum</c> before the first table), and returns true; a file that exists
    /// keeps whether it is an auto-vacuum file (false is returned).
    /// </summary>
    public bool SetAutoVacuumForNewFile(bool autoVacuum, bool incremental)
    {
        bool started = Pager.State == PagerState.Open;
        if (started) BeginRead();
        try
        {
            if (Pager.PageCount != 0) return false;
            _newAutoVacuum = AutoVacuum = autoVacuum;
            _newIncremental = IncrementalVacuum = autoVacuum && incremental;
            return true;
        }
        finally
        {
            if (started) EndRead();
        }
    }

    /// <summary>
    /// Switches an auto-vacuum file between FULL and INCREMENTAL by rewriting the header's
    /// incremental-vacuum flag (offset 64), as SQLite's <c>PRAGMA auto_vacuum</c> does once the
    /// file exists. Needs a write transaction.
    /// </summary>
    public void SetIncrementalVacuum(bool incremental)
    {
        Debug.Assert(InWriteTransaction && AutoVacuum);
        SetMeta(DatabaseHeader.IncrementalVacuumOffset, incremental ? 1u : 0u);
        IncrementalVacuum = incremental;
    }

    /// <summary>
    /// PRAGMA journal_mode = <paramref name="mode"/> with no transaction open (the caller checks).
    /// Into or out of WAL mode the header's read and write versions change (2 for WAL, 1
    /// otherwise) in a transaction of the rollback mode, as SQLite's OP_JournalMode does;
    /// leaving WAL mode checkpoints and deletes the log first (SQLITE_BUSY while another
    /// connection uses the database). Returns the mode in force afterwards.
    /// </summary>
    public JournalMode SetJournalMode(JournalMode mode)
    {
        JournalMode old = Pager.JournalMode;
        if (mode == old) return old;
        if (mode != JournalMode.Wal && old != JournalMode.Wal) return Pager.SetJournalMode(mode);
        if (!Pager.CanUseWal || Pager.IsReadOnly) return old;
        Debug.Assert(Pager.State != PagerState.Writer);
        EndRead();
        if (old == JournalMode.Wal)
        {
            Pager.CloseWal(mode);
            SetVersion(1);
            return Pager.JournalMode;
        }
        // SQLite goes from MEMORY to WAL by way of OFF.
        if (old == JournalMode.Memory) Pager.SetJournalMode(JournalMode.Off);
        SetVersion(2);
        return Pager.SetJournalMode(JournalMode.Wal);
    }

    /// <summary>Writes the header's read and write versions (1 rollback journal, 2 WAL) in a transaction of its own.</summary>
    private void SetVersion(byte version)
    {
        Pager.SuppressWal = version == 1;
        try
        {
            BeginWrite();
            Page p1 = Pager.Get(1);
            try
            {
                if (p1.Data[DatabaseHeader.ReadVersionOffset] != version || p1.Data[DatabaseHeader.WriteVersionOffset] != version)
                {
                    Pager.MakeWritable(p1);
                    p1.Data[DatabaseHeader.ReadVersionOffset] = version;
                    p1.Data[DatabaseHeader.WriteVersionOffset] = version;
                }
            }
            finally
            {
                Pager.Release(p1);
            }
            Commit();
        }
        catch
        {
            if (InWriteTransaction) Rollback();
            else EndRead();
            throw;
        }
        finally
        {
            Pager.SuppressWal = false;
        }
    }

    /// <summary>Opens the b-trees of a database file; <paramref name="autoVacuum"/> applies only when the file is new.</summary>
    public static BTree Open(IFileSystem fs, string path, PagerOptions? options = null, bool autoVacuum = false, bool incrementalVacuum = false)
    {
        var pager = Storage.Pager.Pager.Open(fs, path, options);
        return new BTree(pager, autoVacuum, incrementalVacuum);
    }

    /// <summary>Wraps an open pager.</summary>
    public static BTree Open(Pager.Pager pager, bool autoVacuum = false) => new(pager, autoVacuum, false);

    public Pager.Pager Pager { get; }

    /// <summary>Usable bytes per page.</summary>
    public int Usable { get; private set; }

    /// <summary>Largest payload kept entirely on a table leaf page.</summary>
    public int MaxLeaf { get; private set; }

    /// <summary>Largest payload kept entirely on an index page.</summary>
    public int MaxLocal { get; private set; }

    /// <summary>Smallest local part of a payload that overflows.</summary>
    public int MinLocal { get; private set; }

    /// <summary>Whether the database keeps pointer-map pages (auto_vacuum FULL or INCREMENTAL).</summary>
    public bool AutoVacuum { get; private set; }

    /// <summary>Whether auto-vacuum is incremental.</summary>
    public bool IncrementalVacuum { get; private set; }

    private void ComputeGeometry()
    {
        Usable = Pager.UsableSize;
        MaxLeaf = Usable - 35;
        MaxLocal = (Usable - 12) * 64 / 255 - 23;
        MinLocal = (Usable - 12) * 32 / 255 - 23;
        if (_scratch.Length < Pager.PageSize) _scratch = new byte[Pager.PageSize];
    }

    /// <summary>Starts a read transaction and reads the header's geometry and auto-vacuum mode.</summary>
    public void BeginRead()
    {
        bool was = Pager.State != PagerState.Open;
        Pager.BeginRead();
        if (!was) AfterBegin();
    }

    /// <summary>Starts a write transaction; the first write to an empty file creates page 1.</summary>
    public void BeginWrite(bool exclusive = false)
    {
        bool was = Pager.State != PagerState.Open;
        Pager.BeginWrite(exclusive);
        if (!was) AfterBegin();
        if (Pager.PageCount == 0) CreatePage1();
    }

    /// <summary>
    /// Reads the geometry and auto-vacuum mode from page 1 again, after the whole file was
    /// replaced inside the open write transaction (VACUUM copies a rebuilt database over it).
    /// </summary>
    internal void RefreshFromHeader()
    {
        Debug.Assert(InWriteTransaction);
        SaveAllCursors(null);
        AfterBegin();
    }

    private void AfterBegin()
    {
        ComputeGeometry();
        if (Pager.PageCount == 0)
        {
            AutoVacuum = _newAutoVacuum;
            IncrementalVacuum = _newIncremental;
            return;
        }
        Page p1 = Pager.Get(1);
        try
        {
            AutoVacuum = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.LargestRootPageOffset) != 0;
            IncrementalVacuum = DatabaseHeader.ReadUInt32(p1.Data, DatabaseHeader.IncrementalVacuumOffset) != 0;
        }
        finally
        {
            Pager.Release(p1);
        }
    }

    private void CreatePage1()
    {
        Page p1 = Pager.Append();
        try
        {
            AutoVacuum = _newAutoVacuum;
            IncrementalVacuum = _newIncremental;
            DatabaseHeader.InitializeNew(p1.Data, Pager.PageSize, Pager.ReservedBytes, AutoVacuum, IncrementalVacuum);
            new Node(p1).Initialize(PageType.LeafTable, Usable);
        }
        finally
        {
            Pager.Release(p1);
        }
    }

    /// <summary>Ends a read transaction.</summary>
    public void EndRead()
    {
        if (Pager.State == PagerState.Reader)
        {
            SaveAllCursors(null);
            Pager.EndRead();
        }
    }

    /// <summary>
    /// Commits the write transaction; with auto_vacuum=FULL the file first gives its free pages
    /// back. With <paramref name="keepReading"/> a read transaction goes on after it (other
    /// statements, or other connections of a shared cache, are still reading).
    /// </summary>
    public void Commit(bool keepReading = false)
    {
        SaveAllCursors(null);
        if (AutoVacuum && !IncrementalVacuum && InWriteTransaction) Vacuum();
        try
        {
            Pager.Commit(keepReading);
        }
        catch (TernException)
        {
            // The pager rolled the transaction back: what the cursors point at is gone.
            foreach (BTreeCursor c in _cursors) c.Trip();
            throw;
        }
    }

    /// <summary>
    /// A commit over several databases, step by step (TransactionStores): first every b-tree
    /// prepares (cursors saved, auto-vacuum done) and takes its commit lock, then each runs the
    /// first phase naming the super-journal, then, once the super-journal is deleted, the second.
    /// </summary>
    public void PrepareCommit()
    {
        SaveAllCursors(null);
        if (AutoVacuum && !IncrementalVacuum && InWriteTransaction) Vacuum();
        Pager.LockForCommit();
    }

    /// <summary>The first phase of a commit over several databases (see <see cref="PrepareCommit"/>).</summary>
    public void CommitPhaseOne(string superJournal)
    {
        try
        {
            Pager.CommitPhaseOne(superJournal);
        }
        catch (TernException)
        {
            foreach (BTreeCursor c in _cursors) c.Trip();
            throw;
        }
    }

    /// <summary>The second phase of a commit over several databases (see <see cref="PrepareCommit"/>).</summary>
    public void CommitPhaseTwo(bool keepReading) => Pager.CommitPhaseTwo(keepReading, superJournal: true);

    /// <summary>
    /// Rolls the write transaction back. With <paramref name="keepReading"/> a read transaction
    /// goes on after it, and open cursors (readers of other statements, or of other connections
    /// of a shared cache) keep their keys and find them again, as SQLite's do; otherwise any
    /// cursor still open is tripped (its next use fails with SQLITE_ABORT_ROLLBACK).
    /// </summary>
    public void Rollback(bool keepReading = false)
    {
        if (keepReading) SaveAllCursors(null);
        else foreach (BTreeCursor c in _cursors) c.Trip();
        Pager.Rollback(keepReading);
    }

    /// <summary>Whether a write transaction is open.</summary>
    public bool InWriteTransaction => Pager.State == PagerState.Writer;

    /// <inheritdoc/>
    public TransactionState TransactionState => Pager.State switch
    {
        PagerState.Writer => TransactionState.Write,
        PagerState.Reader => TransactionState.Read,
        _ => TransactionState.None,
    };

    /// <inheritdoc/>
    public int OpenSavepoint() => Pager.OpenSavepoint();

    /// <inheritdoc/>
    public void ReleaseSavepoint(int index) => Pager.ReleaseSavepoint(index);

    /// <inheritdoc/>
    public void RollbackToSavepoint(int index) => Pager.RollbackToSavepoint(index);

    /// <inheritdoc/>
    public int SavepointCount => Pager.SavepointCount;

    /// <summary>Reads a 32-bit field of the database header ("meta" value), e.g. the schema cookie.</summary>
    public uint GetMeta(int headerOffset)
    {
        if (Pager.PageCount == 0) return 0;
        Page p1 = Pager.Get(1);
        try { return DatabaseHeader.ReadUInt32(p1.Data, headerOffset); }
        finally { Pager.Release(p1); }
    }

    /// <summary>Writes a 32-bit field of the database header.</summary>
    public void SetMeta(int headerOffset, uint value)
    {
        Page p1 = Pager.Get(1);
        try
        {
            Pager.MakeWritable(p1);
            DatabaseHeader.WriteUInt32(p1.Data, headerOffset, value);
        }
        finally { Pager.Release(p1); }
    }

    /// <summary>Gets a page (pinned), checking that it exists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Page GetPage(uint pageNumber)
    {
        if (pageNumber == 0 || pageNumber > Pager.PageCount) TernException.ThrowCorrupt();
        return Pager.Get(pageNumber);
    }

    /// <summary>
    /// Gets a page (pinned) that the caller is about to rewrite in a role other than a b-tree
    /// node (freelist trunk, overflow page to free, pointer map, fresh allocation). Nothing else
    /// may hold it: a page a cursor holds is in use as a tree page, so the file is corrupt
    /// (SQLite makes the same check), and rewriting it would pull the node out from under the cursor.
    /// </summary>
    internal Page GetUnsharedPage(uint pageNumber)
    {
        Page p = GetPage(pageNumber);
        if (p.PinCount > 1)
        {
            Pager.Release(p);
            TernException.ThrowCorrupt();
        }
        return p;
    }

    /// <summary>Gets a page and checks its header is a b-tree node of the expected kind.</summary>
    internal Page GetNodePage(uint pageNumber, bool table)
    {
        Page p = GetPage(pageNumber);
        if (!CheckNodeHeader(new Node(p), table))
        {
            Pager.Release(p);
            TernException.ThrowCorrupt();
        }
        return p;
    }

    /// <summary>Validates a node's header fields against the page's bounds.</summary>
    internal bool CheckNodeHeader(Node n, bool table)
    {
        byte f = n.Flags;
        if (table ? f != PageType.LeafTable && f != PageType.InteriorTable
                  : f != PageType.LeafIndex && f != PageType.InteriorIndex) return false;
        int nCell = n.CellCount;
        int arrEnd = n.CellArray + 2 * nCell;
        int content = n.ContentStart;
        return arrEnd <= content && content <= Usable;
    }

    // ---------------------------------------------------------------- cells

    /// <summary>Bytes of a payload kept on the page (the rest overflows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int LocalSize(int payloadSize, bool tableLeaf)
    {
        int max = tableLeaf ? MaxLeaf : MaxLocal;
        if (payloadSize <= max) return payloadSize;
        int surplus = MinLocal + (payloadSize - MinLocal) % (Usable - 4);
        return surplus <= max ? surplus : MinLocal;
    }

    /// <summary>Decodes the cell at <paramref name="offset"/> of a node, bounds-checked against the usable size.</summary>
    internal CellInfo ParseCell(in Node n, int offset)
    {
        CellInfo c = default;
        byte[] d = n.Data;
        int limit = Usable;
        if (offset < n.CellArray || offset >= limit) TernException.ThrowCorrupt();
        int p = offset;
        byte flags = n.Flags;
        if (flags == PageType.InteriorTable)
        {
            if (p + 5 > limit) TernException.ThrowCorrupt();
            c.Child = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(p, 4));
            p += 4;
            p += Varint.Read(d.AsSpan(p, limit - p), out ulong rid);
            c.RowId = (long)rid;
            c.Size = p - offset;
            return c;
        }
        if (flags == PageType.InteriorIndex)
        {
            if (p + 5 > limit) TernException.ThrowCorrupt();
            c.Child = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(p, 4));
            p += 4;
        }
        p += Varint.Read(d.AsSpan(p, limit - p), out ulong size);
        if (size > int.MaxValue) TernException.ThrowCorrupt();
        c.PayloadSize = (int)size;
        bool tableLeaf = flags == PageType.LeafTable;
        if (tableLeaf)
        {
            if (p >= limit) TernException.ThrowCorrupt();
            p += Varint.Read(d.AsSpan(p, limit - p), out ulong rid);
            c.RowId = (long)rid;
        }
        c.PayloadOffset = p;
        int local = LocalSize(c.PayloadSize, tableLeaf);
        c.Local = local;
        int end = p + local;
        if (local < c.PayloadSize)
        {
            // The overflow chain must fit in the file: this bounds every buffer sized by PayloadSize.
            if (end + 4 > limit || (ulong)(uint)(c.PayloadSize - local) > (ulong)Pager.PageCount * (uint)(limit - 4))
                TernException.ThrowCorrupt();
            c.Overflow = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(end, 4));
            end += 4;
        }
        else if (end > limit) TernException.ThrowCorrupt();
        c.Size = Math.Max(end - offset, 4);
        if (offset + c.Size > limit) TernException.ThrowCorrupt();
        return c;
    }

    /// <summary>Decodes cell <paramref name="i"/> of a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CellInfo ParseCellAt(in Node n, int i) => ParseCell(n, n.CellOffset(i));

    /// <summary>Reads only the rowid of a table cell (interior or leaf), the hot path of rowid seeks.</summary>
    internal long ReadRowId(in Node n, int i)
    {
        int off = n.CellOffset(i);
        byte[] d = n.Data;
        int limit = Usable;
        if (off < n.CellArray || off + 4 > limit) TernException.ThrowCorrupt();
        if (n.IsLeaf)
        {
            int p = off + Varint.Read(d.AsSpan(off, limit - off), out _);
            if (p >= limit) TernException.ThrowCorrupt();
            Varint.Read(d.AsSpan(p, limit - p), out ulong rid);
            return (long)rid;
        }
        Varint.Read(d.AsSpan(off + 4, limit - off - 4), out ulong r);
        return (long)r;
    }

    /// <summary>Scratch page-sized buffer for defragmenting (single-threaded use).</summary>
    internal byte[] Scratch => _scratch;

    // ---------------------------------------------------------------- cursors

    internal void Register(BTreeCursor c) => _cursors.Add(c);

    internal void Unregister(BTreeCursor c) => _cursors.Remove(c);

    /// <summary>
    /// Before a tree changes, every other cursor on it remembers its key and lets go of its
    /// pages; it finds its place again when next used.
    /// </summary>
    internal void SaveAllCursors(BTreeCursor? except, uint root = 0)
    {
        foreach (BTreeCursor c in _cursors)
        {
            if (c != except && (root == 0 || c.Root == root)) c.SavePosition();
        }
    }

    /// <summary>Closes the database; open cursors are closed too.</summary>
    public void Dispose()
    {
        foreach (BTreeCursor c in _cursors.ToArray()) c.Dispose();
        Pager.Dispose();
    }
}
