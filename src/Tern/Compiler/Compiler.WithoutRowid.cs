// Code for WITHOUT ROWID tables (layout in Schema/WithoutRowidLayout.cs). The write and
// read paths are the rowid paths: where they carry a rowid in a register, a WITHOUT ROWID
// table's carry the row's key, the record of its PRIMARY KEY fields (a BLOB), which
// Rowid/IdxRowid make and NotExists/SeekRowid/Insert understand. What differs is made
// here: the table cursor's KeyInfo, the key of a new row, and the PRIMARY KEY columns an
// index entry ends with instead of the rowid.
using System.Diagnostics;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>P4 of OpenRead/OpenWrite on a table: its column count, or for a WITHOUT ROWID table the KeyInfo of its b-tree.</summary>
    private static object TableCursorInfo(Table t) => t.WithoutRowid ? WithoutRowidLayout.TableKeyInfo(t) : t.Columns.Count;

    /// <summary>r[key] = the key of the WITHOUT ROWID row in r[cols..] (affinities applied): the record of its PRIMARY KEY columns.</summary>
    private void PrimaryKeyFromRegisters(Table t, int cols, int key)
    {
        Debug.Assert(t.WithoutRowid);
        int[] pk = t.PrimaryKey!.Columns;
        int block = NewRegisters(pk.Length);
        for (int i = 0; i < pk.Length; i++) Emit(Opcode.SCopy, cols + pk[i], block + i, 0);
        Emit(Opcode.MakeRecord, block, pk.Length, key, null, P5Flags.IntRealAsInteger);
    }

    /// <summary>The number of fields of an entry of index <paramref name="ix"/>: its key, then the rowid or the PRIMARY KEY columns not in the key.</summary>
    private static int IndexEntryWidth(Index ix) =>
        ix.Columns.Length + (ix.Table.WithoutRowid ? WithoutRowidLayout.Suffix(ix).Length : 1);

    /// <summary>The PRIMARY KEY columns that end an entry of <paramref name="ix"/>, from the row in r[cols..].</summary>
    private void IndexSuffixFromRegisters(Index ix, Table t, int cols, int target)
    {
        int[] suffix = WithoutRowidLayout.Suffix(ix);
        for (int i = 0; i < suffix.Length; i++) Emit(Opcode.SCopy, cols + suffix[i], target + i, 0);
    }

    /// <summary>The PRIMARY KEY columns that end an entry of <paramref name="ix"/>, from the row the table cursor is on.</summary>
    private void IndexSuffixFromCursor(Index ix, Source src, int target)
    {
        int[] suffix = WithoutRowidLayout.Suffix(ix);
        for (int i = 0; i < suffix.Length; i++) EmitColumnRaw(src, suffix[i], target + i);
    }
}
