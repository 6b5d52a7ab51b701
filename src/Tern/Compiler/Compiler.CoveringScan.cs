// Full scans through a covering index. When a SELECT scans a whole table and one of its
// indexes holds every column the query reads from that table, SQLite walks the index
// instead of the table if an index row is estimated to be smaller than a table row
// (where.c: a full-index-scan loop, costed from szIdxRow against szTabRow), so rows come
// in index order. Tern decides after the statement's code is generated, from what the
// code actually does with the scan's cursor:
//
//   candidate scan (plain SCAN of a table in a SELECT, not NOT INDEXED; with INDEXED BY
//   only that index is considered)
//     (and the query does not sort: GROUP BY, ORDER BY, DISTINCT and windows may make SQLite
//     prefer an index that saves the sort, which is not modelled)
//     every instruction on the cursor is OpenRead / Rewind / Next / NullRow / Column / Rowid?
//       no  -> keep the table scan
//       yes -> used columns = the Column reads; among the non-partial indexes holding all
//              of them (plain columns, number < 63, not generated), take the cheapest
//              1 + 15*szIdxRow/szTabRow (integer), only if szIdxRow < szTabRow; ties go to
//              the index SQLite meets first (newest first, REPLACE-conflict ones last)
//     rewrite: OpenRead -> the index's root and key info; Column c -> Column k (c's place in
//              the index key); Rowid -> Column n (the rowid after the n key fields);
//              the plan note becomes "SCAN t USING COVERING INDEX i"
//
// Row sizes are SQLite's estimates: each column counts szEst (1, or 5 for TEXT/BLOB/CLOB
// declared without a size, or size/4+1 with one), a table adds 1 for its rowid unless a
// column aliases it, an index adds 1 for the rowid and 1 per expression; the sum times 4
// goes through LogEst (about 10*log2).
using System.Diagnostics;
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;
using Tern.Vdbe;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>Whether plain table scans may become covering-index scans (SELECT statements).</summary>
    private bool _coveringScans;

    /// <summary>Plain scans that may be turned into covering-index scans once the code is complete.</summary>
    private readonly List<(Source Source, int Open, PlanNote Note)> _scanCandidates = [];

    /// <summary>Notes a plain full scan of a table (its OpenRead at <paramref name="open"/>) as a candidate.</summary>
    private void NoteScanCandidate(Source s, int open)
    {
        if (!_coveringScans || s.Materialized || s.NotIndexed || _plan.Count == 0 || !s.Table.Indexes.Exists(ix => ix.RootPage != 0 && ix.Where == null)) return;
        Debug.Assert(_code[open].Op == Opcode.OpenRead && _code[open].P1 == s.Cursor);
        _scanCandidates.Add((s, open, _plan[^1]));
    }

    /// <summary>Turns each candidate scan whose reads an index covers into a scan of that index.</summary>
    private void ApplyCoveringScans()
    {
        foreach ((Source s, int open, PlanNote note) in _scanCandidates)
        {
            int cursor = s.Cursor;
            var uses = new List<int>();
            var fields = new HashSet<int>();
            bool ok = true;
            for (int a = 0; a < _code.Count && ok; a++)
            {
                Instruction ins = _code[a];
                if (ins.P1 != cursor || !UsesCursorInP1(ins.Op)) continue;
                switch (ins.Op)
                {
                    case Opcode.Column:
                        fields.Add(ins.P2);
                        uses.Add(a);
                        break;
                    case Opcode.Rowid:
                        uses.Add(a);
                        break;
                    case Opcode.OpenRead:
                        ok = a == open;
                        break;
                    case Opcode.Rewind or Opcode.Next or Opcode.NullRow:
                        break;
                    default:
                        ok = false;
                        break;
                }
            }
            if (!ok) continue;
            Table t = s.Table;
            var columns = new List<int>();
            foreach (int f in fields)
            {
                int col = Enumerable.Range(0, t.Columns.Count).FirstOrDefault(c => !t.Columns[c].IsVirtual && t.StorageIndex(c) == f, -1);
                // A generated column counts as reading every column (SQLite's column-used mask).
                if (col < 0 || col >= 63 || t.Columns[col].Generated != null)
                {
                    ok = false;
                    break;
                }
                columns.Add(col);
            }
            if (!ok) continue;
            Index? best = CheapestCoveringIndex(t, columns, s.IndexedBy);
            if (best == null) continue;
            Instruction o = _code[open];
            o.P2 = (int)best.RootPage;
            o.P4 = best.KeyInfo();
            _code[open] = o;
            foreach (int a in uses)
            {
                Instruction ins = _code[a];
                if (ins.Op == Opcode.Rowid)
                {
                    // A WITHOUT ROWID row's key is made from the index entry's key fields as well.
                    if (t.WithoutRowid) continue;
                    _code[a] = new Instruction(Opcode.Column, cursor, best.Columns.Length, ins.P2, null, ins.P5);
                    continue;
                }
                int col = Enumerable.Range(0, t.Columns.Count).First(c => !t.Columns[c].IsVirtual && t.StorageIndex(c) == ins.P2);
                ins.P2 = CoveredField(best, col);
                ins.P4 = null;
                _code[a] = ins;
            }
            note.Detail = $"SCAN {s.Name} USING COVERING INDEX {best.Name}";
        }
        _scanCandidates.Clear();
    }

    /// <summary>SQLite's pick among the indexes that hold <paramref name="columns"/>, or null when the table scan stays cheaper.</summary>
    private static Index? CheapestCoveringIndex(Table t, List<int> columns, string? indexedBy)
    {
        int tableSize = TableRowSize(t);
        Index? best = null;
        int bestCost = int.MaxValue;
        foreach (Index ix in IndexesInSqliteOrder(t))
        {
            if (ix.RootPage == 0 || ix.Where != null || !columns.TrueForAll(c => CoveredField(ix, c) >= 0)) continue;
            if (indexedBy != null && !string.Equals(ix.Name, indexedBy, StringComparison.OrdinalIgnoreCase)) continue;
            int size = IndexRowSize(ix);
            if (size >= tableSize && indexedBy == null) continue;
            int cost = 1 + 15 * size / tableSize;
            if (cost < bestCost)
            {
                best = ix;
                bestCost = cost;
            }
        }
        return best;
    }

    /// <summary>The order SQLite keeps a table's indexes in: the newest first, those whose conflict clause is REPLACE after the others.</summary>
    private static IEnumerable<Index> IndexesInSqliteOrder(Table t)
    {
        var list = new List<Index>(t.Indexes);
        list.Reverse();
        return list.Where(ix => ix.OnConflict != ConflictResolution.Replace).Concat(list.Where(ix => ix.OnConflict == ConflictResolution.Replace));
    }

    private static int TableRowSize(Table t)
    {
        ulong width = 0;
        foreach (Column c in t.Columns) width += (ulong)ColumnSizeEstimate(c.DeclaredType);
        if (!t.Columns.Exists(c => c.IsRowidAlias)) width++;
        return LogEst(width * 4);
    }

    private static int IndexRowSize(Index ix)
    {
        ulong width = ix.Table.WithoutRowid ? 0UL : 1UL; // the rowid
        foreach (int c in ix.Columns) width += c < 0 ? 1UL : (ulong)ColumnSizeEstimate(ix.Table.Columns[c].DeclaredType);
        if (ix.Table.WithoutRowid)
        {
            foreach (int c in WithoutRowidLayout.Suffix(ix)) width += (ulong)ColumnSizeEstimate(ix.Table.Columns[c].DeclaredType);
        }
        return LogEst(width * 4);
    }

    /// <summary>The field of an entry of <paramref name="ix"/> that holds column <paramref name="col"/> as stored, or -1 (a WITHOUT ROWID table's index also holds the key columns it ends with).</summary>
    private static int CoveredField(Index ix, int col)
    {
        int k = Array.IndexOf(ix.Columns, col);
        if (k >= 0 || !ix.Table.WithoutRowid) return k;
        int s = Array.IndexOf(WithoutRowidLayout.Suffix(ix), col);
        return s < 0 ? -1 : ix.Columns.Length + s;
    }

    /// <summary>
    /// SQLite's size estimate of a column from its declared type, in units of about four bytes:
    /// a text or blob type counts 5, or size/4+1 when it gives a size as in VARCHAR(40);
    /// anything else (and no type) counts 1.
    /// </summary>
    private static int ColumnSizeEstimate(string? declaredType)
    {
        if (string.IsNullOrEmpty(declaredType)) return 1;
        // Follow SQLite's scan of the type name: the last of CHAR/CLOB/TEXT/BLOB/REAL/FLOA/DOUB
        // decides, and INT ends the scan.
        const int Numeric = 0, Text = 1, Blob = 2, Real = 3, Integer = 4;
        int affinity = Numeric;
        int sizeAt = -1;
        string upper = declaredType.ToUpperInvariant();
        uint h = 0;
        for (int i = 0; i < upper.Length; i++)
        {
            h = (h << 8) + (byte)upper[i];
            if (h == Pack("CHAR"))
            {
                affinity = Text;
                sizeAt = i + 1;
            }
            else if (h == Pack("CLOB") || h == Pack("TEXT")) affinity = Text;
            else if (h == Pack("BLOB") && affinity is Numeric or Real)
            {
                affinity = Blob;
                if (i + 1 < upper.Length && upper[i + 1] == '(') sizeAt = i + 1;
            }
            else if ((h == Pack("REAL") || h == Pack("FLOA") || h == Pack("DOUB")) && affinity == Numeric) affinity = Real;
            else if ((h & 0x00FFFFFF) == (Pack("INT") & 0x00FFFFFF))
            {
                affinity = Integer;
                break;
            }
        }
        if (affinity is not (Text or Blob)) return 1;
        long v = 16;
        if (sizeAt >= 0)
        {
            v = 0;
            for (int i = sizeAt; i < upper.Length; i++)
            {
                if (!char.IsAsciiDigit(upper[i])) continue;
                int j = i;
                while (j < upper.Length && char.IsAsciiDigit(upper[j]) && v < int.MaxValue) v = v * 10 + (upper[j++] - '0');
                break;
            }
        }
        v = v / 4 + 1;
        return (int)Math.Min(v, 255);

        static uint Pack(string s)
        {
            uint x = 0;
            foreach (char ch in s) x = (x << 8) + ch;
            return x;
        }
    }

    /// <summary>SQLite's LogEst: about 10*log2(x), from a small table of fractions.</summary>
    private static int LogEst(ulong x)
    {
        ReadOnlySpan<int> fraction = [0, 2, 3, 5, 6, 7, 8, 9];
        int y = 40;
        if (x < 8)
        {
            if (x < 2) return 0;
            while (x < 8)
            {
                y -= 10;
                x <<= 1;
            }
        }
        else
        {
            while (x > 255)
            {
                y += 40;
                x >>= 4;
            }
            while (x > 15)
            {
                y += 10;
                x >>= 1;
            }
        }
        return fraction[(int)(x & 7)] + y - 10;
    }

    private static bool UsesCursorInP1(Opcode op) => op is Opcode.OpenRead or Opcode.OpenWrite or Opcode.OpenEphemeral or Opcode.OpenPseudo
        or Opcode.SorterOpen or Opcode.SorterInsert or Opcode.SorterSort or Opcode.SorterNext or Opcode.SorterData or Opcode.Close
        or Opcode.Rewind or Opcode.Last or Opcode.Next or Opcode.Prev or Opcode.Column or Opcode.Rowid or Opcode.IdxRowid
        or Opcode.NewRowid or Opcode.Insert or Opcode.Delete or Opcode.SeekRowid or Opcode.NotExists or Opcode.SeekGE or Opcode.SeekGT
        or Opcode.SeekLE or Opcode.SeekLT or Opcode.IdxGE or Opcode.IdxGT or Opcode.IdxLE or Opcode.IdxLT or Opcode.IdxInsert
        or Opcode.IdxDelete or Opcode.NoConflict or Opcode.Found or Opcode.NotFound or Opcode.Count or Opcode.NullRow
        or Opcode.IfNullRow or Opcode.Window;
}
