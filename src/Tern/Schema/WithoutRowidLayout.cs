// The layout of WITHOUT ROWID tables, as SQLite has it (fileformat2 "Representation Of SQL
// Tables"). Such a table has no rowid: its b-tree is an index b-tree whose entries are
// records of the PRIMARY KEY columns first (in key order, each once, with the key's
// collations and ASC/DESC), then the other columns in declaration order (VIRTUAL
// generated columns are not stored). The PRIMARY KEY index is the table itself: it is
// named sqlite_autoindex_T_n but has no b-tree and no sqlite_schema row of its own.
//
//   CREATE TABLE t(a TEXT COLLATE NOCASE, b INT, c, PRIMARY KEY(b DESC, a)) WITHOUT ROWID
//   table entry:        [b DESC, a NOCASE | c]          key fields: 2
//   CREATE INDEX ti ON t(c)
//   index entry:        [c | b DESC, a NOCASE]          (the key columns not in the index)
//   CREATE INDEX tj ON t(a COLLATE NOCASE, c)
//   index entry:        [a NOCASE, c | b DESC]          (a already there with its collation)
//
// Where a rowid table's code carries a rowid (an integer in a register), a WITHOUT ROWID
// table's carries the row's key: a record (a BLOB) of its PRIMARY KEY fields. The VM makes
// it with Rowid (from the table's entry) and IdxRowid (from an index entry), finds the row
// with NotExists/SeekRowid, and Insert writes the entry into the index b-tree; KeyInfo's
// PrimaryKeyFields says where the key fields sit in each b-tree's entries.
using Tern.Storage.Record;

namespace Tern.Schema;

/// <summary>Key layouts of WITHOUT ROWID tables and their indexes.</summary>
internal static class WithoutRowidLayout
{
    /// <summary>The number n of an automatic index sqlite_autoindex_T_n (0 for another name).</summary>
    public static int AutoIndexNumber(string name) =>
        int.TryParse(name.AsSpan(name.LastIndexOf('_') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;

    /// <summary>Whether index <paramref name="ix"/> of a WITHOUT ROWID table was made after its PRIMARY KEY (a later constraint, or CREATE INDEX).</summary>
    public static bool MadeAfterPrimaryKey(Index ix) =>
        !ix.IsAuto || AutoIndexNumber(ix.Name) > AutoIndexNumber(ix.Table.PrimaryKey!.Name);

    /// <summary>The KeyInfo of a WITHOUT ROWID table's own b-tree: its PRIMARY KEY fields.</summary>
    public static KeyInfo TableKeyInfo(Table t)
    {
        Index pk = t.PrimaryKey!;
        var fields = new int[pk.Columns.Length];
        for (int i = 0; i < fields.Length; i++) fields[i] = i;
        return new KeyInfo(pk.Descending, pk.Collations) { PrimaryKeyFields = fields };
    }

    /// <summary>
    /// The PRIMARY KEY columns (table column numbers, key order) an entry of index
    /// <paramref name="ix"/> holds after its key columns: those not already a key column
    /// with the same collation.
    /// </summary>
    public static int[] Suffix(Index ix)
    {
        Index pk = ix.Table.PrimaryKey!;
        var suffix = new List<int>();
        for (int j = 0; j < pk.Columns.Length; j++)
        {
            if (KeyPosition(ix, pk, j) < 0) suffix.Add(pk.Columns[j]);
        }
        return suffix.ToArray();
    }

    // The key field of ix that holds PRIMARY KEY column j (same column, same collation), or -1.
    private static int KeyPosition(Index ix, Index pk, int j)
    {
        for (int k = 0; k < ix.Columns.Length; k++)
        {
            if (!ix.IsExpression(k) && ix.Columns[k] == pk.Columns[j] && ix.Collations[k] == pk.Collations[j]) return k;
        }
        return -1;
    }

    /// <summary>The KeyInfo of an index of a WITHOUT ROWID table: its key fields, then the suffix's (with the key's orders and collations).</summary>
    public static KeyInfo IndexKeyInfo(Index ix)
    {
        Index pk = ix.Table.PrimaryKey!;
        var desc = new List<bool>(ix.Descending);
        var colls = new List<Collation>(ix.Collations);
        var fields = new int[pk.Columns.Length];
        int next = ix.Columns.Length;
        for (int j = 0; j < pk.Columns.Length; j++)
        {
            int k = KeyPosition(ix, pk, j);
            if (k >= 0)
            {
                fields[j] = k;
                continue;
            }
            fields[j] = next++;
            desc.Add(pk.Descending[j]);
            colls.Add(pk.Collations[j]);
        }
        return new KeyInfo(desc.ToArray(), colls.ToArray()) { PrimaryKeyFields = fields };
    }
}
