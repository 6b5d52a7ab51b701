// VACUUM's two copies at the b-tree level. Rebuild writes every object of a database into an
// empty file, densely packed: each table and index tree is copied entry by entry in key
// order (records byte for byte; table rows keep their rowids, except where SQLite's in-place
// VACUUM numbers them anew: tables with neither an INTEGER PRIMARY KEY nor an index), so the
// new file has no free pages and no half-empty pages left by deletes. CopyBack then writes the rebuilt
// file's pages over the original inside the original's write transaction, so the change
// commits (or rolls back, or recovers after a crash) through the ordinary journal or WAL.
//
// The rebuilt sqlite_schema lists the objects in the order SQLite's VACUUM creates them (it
// runs each CREATE again and then copies the rows), and numbers the rows 1, 2, 3 ...:
//
//   1. every table with a b-tree except sqlite_sequence, in rowid order, each followed by
//      its automatic indexes (sql NULL) and, after the first AUTOINCREMENT table, by
//      sqlite_sequence (CREATE TABLE makes it then);
//   2. every index with SQL (CREATE INDEX), in rowid order;
//   3. views, triggers and virtual tables (no b-tree), in rowid order.
//
// Root pages are made in that order, so the roots sit at the front of the file in schema
// order (in an auto-vacuum file they must), and the trees' contents follow.
//
// Header fields the rebuilt file keeps (SQLite's VACUUM copies the same ones):
//
//   offset  field                 value in the rebuilt file
//   ------  --------------------  ------------------------------------------
//     40    schema cookie         the original's + 1 (other connections reload)
//     44    schema format         4 when any table or index was made, else 0
//     48    default cache size    copied
//     56    text encoding         copied
//     60    user_version          copied
//     68    application_id        copied
//
// Page size, reserved bytes and the auto-vacuum mode are the rebuilt file's own (the caller
// opens it with the ones it wants).
using System.Diagnostics;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

/// <summary>The copies VACUUM makes: rebuild a database into an empty file, and copy a file's pages over another.</summary>
internal static class VacuumCopy
{
    private static readonly int[] CopiedMeta =
    [
        DatabaseHeader.DefaultCacheSizeOffset, DatabaseHeader.TextEncodingOffset,
        DatabaseHeader.UserVersionOffset, DatabaseHeader.ApplicationIdOffset,
    ];

    /// <summary>
    /// Rebuilds <paramref name="source"/> (inside a read or write transaction) into
    /// <paramref name="target"/> (an empty file, inside a write transaction). A table uses
    /// AUTOINCREMENT when <paramref name="usesAutoincrement"/> says so (by name). Rows keep
    /// their rowids, except that with <paramref name="keepsRowids"/> a rowid table it does not
    /// name (no INTEGER PRIMARY KEY) and that has no index gets new ones, 1, 2, 3 ... in rowid
    /// order, as SQLite's in-place VACUUM gives them (its copy asks for a new rowid then).
    /// </summary>
    public static void Rebuild(BTree source, BTree target, Func<string, bool> usesAutoincrement, Func<string, bool>? keepsRowids = null)
    {
        Debug.Assert(source.TransactionState != TransactionState.None && target.InWriteTransaction);
        Debug.Assert(target.Pager.PageCount == 1, "the target holds only an empty sqlite_schema");
        var rows = new List<(long RowId, Value[] Row)>();
        if (source.Pager.PageCount > 0)
        {
            SchemaTable.CheckEncoding(source);
            using var schema = new BTreeCursor(source, 1, table: true);
            for (bool ok = schema.First(); ok; ok = schema.Next()) rows.Add((schema.RowId, RecordReader.Decode(schema.Payload)));
        }

        // The new order (see the top of the file); a row's index in `rows`.
        var order = new List<int>();
        var placed = new bool[rows.Count];
        int sequence = rows.FindIndex(r => IsType(r.Row, "table") && NameIs(r.Row, 1, "sqlite_sequence") && Root(r.Row) > 0);
        void Place(int i)
        {
            if (placed[i]) return;
            placed[i] = true;
            order.Add(i);
        }
        for (int i = 0; i < rows.Count; i++)
        {
            Value[] row = rows[i].Row;
            if (i == sequence || !IsType(row, "table") || Root(row) <= 0) continue;
            Place(i);
            string name = TextAt(row, 1);
            for (int j = 0; j < rows.Count; j++)
            {
                Value[] index = rows[j].Row;
                if (IsType(index, "index") && index.Length > 4 && index[4].Kind == ValueKind.Null && Root(index) > 0 && NameIs(index, 2, name)) Place(j);
            }
            if (sequence >= 0 && usesAutoincrement(name)) Place(sequence);
        }
        if (sequence >= 0) Place(sequence);
        for (int i = 0; i < rows.Count; i++)
        {
            if (IsType(rows[i].Row, "index") && Root(rows[i].Row) > 0) Place(i);
        }
        for (int i = 0; i < rows.Count; i++)
        {
            Value[] row = rows[i].Row;
            if (IsType(row, "view") || IsType(row, "trigger") || (IsType(row, "table") && Root(row) == 0)) Place(i);
        }

        // Roots and schema rows, in that order; then the trees' contents.
        var trees = new List<(uint From, uint To, bool Table, bool Renumber)>();
        using (var schema = new BTreeCursor(target, 1, table: true))
        {
            long rowId = 0;
            foreach (int i in order)
            {
                Value[] row = (Value[])rows[i].Row.Clone();
                long from = Root(row);
                if (from > 0)
                {
                    if (from > source.Pager.PageCount) TernException.ThrowCorrupt();
                    bool table = IsTableTree(source, (uint)from);
                    uint to = table ? target.CreateTable() : target.CreateIndex();
                    string name = TextAt(row, 1);
                    bool renumber = table && keepsRowids != null && IsType(row, "table") && !keepsRowids(name)
                        && !rows.Exists(r => IsType(r.Row, "index") && Root(r.Row) > 0 && NameIs(r.Row, 2, name));
                    trees.Add(((uint)from, to, table, renumber));
                    row[3] = Value.FromInteger(to);
                }
                schema.Insert(++rowId, RecordEncoder.Encode(row));
            }
        }
        foreach ((uint from, uint to, bool table, bool renumber) in trees) CopyTree(source, from, target, to, table, renumber);

        target.SetMeta(DatabaseHeader.SchemaCookieOffset, source.GetMeta(DatabaseHeader.SchemaCookieOffset) + 1);
        target.SetMeta(DatabaseHeader.SchemaFormatOffset, trees.Count > 0 ? 4u : 0u);
        foreach (int offset in CopiedMeta) target.SetMeta(offset, source.GetMeta(offset));
    }

    /// <summary>Whether the tree rooted at <paramref name="root"/> is a table (rowid) tree, from its page header.</summary>
    private static bool IsTableTree(BTree bt, uint root)
    {
        Page page = bt.GetPage(root);
        try
        {
            // The flag byte: 0x0D/0x05 table leaf/interior, 0x0A/0x02 index leaf/interior.
            byte flags = page.Data[root == 1 ? DatabaseHeader.Size : 0];
            if (flags is not (0x0D or 0x05 or 0x0A or 0x02)) TernException.ThrowCorrupt();
            return (flags & 0x01) != 0;
        }
        finally
        {
            bt.Pager.Release(page);
        }
    }

    /// <summary>Copies every entry of one tree, in order, into an empty tree of the same kind (table rows numbered anew with <paramref name="renumber"/>).</summary>
    private static void CopyTree(BTree source, uint from, BTree target, uint to, bool table, bool renumber)
    {
        using var read = new BTreeCursor(source, from, table);
        using var write = new BTreeCursor(target, to, table);
        long next = 0;
        for (bool ok = read.First(); ok; ok = read.Next())
        {
            if (table) write.Insert(renumber ? ++next : read.RowId, read.Payload);
            else write.AppendIndexEntry(read.Payload);
        }
    }

    /// <summary>
    /// Writes every page of <paramref name="from"/> (inside a read transaction) over
    /// <paramref name="into"/> (inside a write transaction, the same page size) and cuts
    /// <paramref name="into"/> to the same number of pages. In WAL mode page 1 keeps saying so
    /// (read and write versions 2).
    /// </summary>
    public static void CopyBack(BTree from, BTree into)
    {
        Pager.Pager source = from.Pager, target = into.Pager;
        Debug.Assert(into.InWriteTransaction && source.PageSize == target.PageSize);
        uint count = source.PageCount;
        int size = target.PageSize;
        for (uint n = 1; n <= count; n++)
        {
            Page dst = n <= target.PageCount ? target.Get(n) : target.Append();
            try
            {
                target.MakeWritable(dst);
                if (n == source.PendingBytePage)
                {
                    // The page holding the lock bytes is never used.
                    Array.Clear(dst.Data, 0, size);
                    continue;
                }
                // The change counter goes on from the original's, so that another connection's
                // cache of the old pages is seen to be stale at its next read.
                uint changeCounter = n == 1 ? DatabaseHeader.ReadUInt32(dst.Data, DatabaseHeader.ChangeCounterOffset) : 0;
                Page src = source.Get(n);
                try
                {
                    src.Data.AsSpan(0, size).CopyTo(dst.Data);
                }
                finally
                {
                    source.Release(src);
                }
                if (n == 1) DatabaseHeader.WriteUInt32(dst.Data, DatabaseHeader.ChangeCounterOffset, changeCounter);
                if (n == 1 && target.JournalMode == JournalMode.Wal)
                {
                    dst.Data[DatabaseHeader.ReadVersionOffset] = 2;
                    dst.Data[DatabaseHeader.WriteVersionOffset] = 2;
                }
            }
            finally
            {
                target.Release(dst);
            }
        }
        target.Truncate(count);
        into.RefreshFromHeader();
    }

    private static long Root(Value[] row) => row.Length > 3 && row[3].Kind == ValueKind.Integer ? row[3].AsInteger : 0;

    private static bool IsType(Value[] row, string type) => NameIs(row, 0, type) && row[0].Kind == ValueKind.Text;

    private static string TextAt(Value[] row, int i) => row.Length > i && row[i].Kind == ValueKind.Text ? row[i].AsString() : "";

    private static bool NameIs(Value[] row, int i, string name) => string.Equals(TextAt(row, i), name, StringComparison.OrdinalIgnoreCase);
}
