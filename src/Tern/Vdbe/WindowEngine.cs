// Window functions, computed over a whole materialized result. The compiler writes one
// record per row into a list cursor:
//
//   [ carried values (B) | per window call: partition keys, order keys, arguments, filter ]
//
// The Window opcode computes the calls in passes, as SQLite does: calls whose windows are
// alike (same PARTITION BY, ORDER BY and frame) share a pass, numbered by first appearance
// in the query, and the passes run from the last to the first, each over the rows in the
// order the pass before it left them. A pass puts the rows in its (partition, order) order
// (stable, so ties keep their order from the previous pass), walks each partition, and
// computes each call's value for every row from its frame. Finally every record is
// rewritten as
//
//   [ carried values (B) | the value of call 1, call 2, ... ]
//
// and the list is left in pass 0's order, which is the order the rows come out in when the
// query has no ORDER BY of its own:
//
//   loop order --pass k--> order k --pass k-1--> ... --pass 0--> output order
//
// Frames: ROWS, RANGE and GROUPS, bounds UNBOUNDED / n PRECEDING / CURRENT ROW /
// n FOLLOWING / UNBOUNDED FOLLOWING (RANGE offsets need one numeric ORDER BY term), and
// EXCLUDE CURRENT ROW / GROUP / TIES. The default frame is RANGE BETWEEN UNBOUNDED
// PRECEDING AND CURRENT ROW (the whole partition when there is no ORDER BY). Aggregates
// are recomputed for each row's frame, except sum()/total()/avg() over sliding ROWS frames,
// which keep one running sum stepped and inverse-stepped in SQLite's order. min()/max() compare
// with their argument's collation (the compiler hands over an aggregate made for it).
using Tern.Functions;
using Tern.Storage.Record;

namespace Tern.Vdbe;

internal enum WindowBound : byte
{
    UnboundedPreceding,
    Preceding,
    CurrentRow,
    Following,
    UnboundedFollowing,
}

internal enum WindowUnit : byte
{
    Rows,
    Range,
    Groups,
}

internal enum WindowExclude : byte
{
    None,
    CurrentRow,
    Group,
    Ties,
}

/// <summary>One window function call: where its inputs sit in the row record, and its frame.</summary>
internal sealed class WindowCall
{
    public required string Name { get; init; }
    public AggregateFunction? Aggregate { get; init; }
    public required int PartitionStart { get; init; }
    public required int PartitionCount { get; init; }
    public required int OrderStart { get; init; }
    public required int OrderCount { get; init; }
    public required bool[] OrderDescending { get; init; }

    /// <summary>Per ORDER BY term, whether NULL sorts as the largest value (NULLS LAST ascending, NULLS FIRST descending).</summary>
    public bool[]? OrderNullsLarge { get; init; }
    /// <summary>Per PARTITION BY term, the collation its text compares with.</summary>
    public required Collation[] PartitionCollations { get; init; }
    /// <summary>Per ORDER BY term, the collation its text compares with (peers are equal under it).</summary>
    public required Collation[] OrderCollations { get; init; }
    public required int ArgStart { get; init; }
    public required int ArgCount { get; init; }
    /// <summary>Column of the FILTER value, or -1.</summary>
    public int FilterColumn { get; init; } = -1;
    public bool Distinct { get; init; }
    public WindowUnit Unit { get; init; } = WindowUnit.Range;
    public WindowBound Start { get; init; } = WindowBound.UnboundedPreceding;
    public double StartOffset { get; init; }
    public WindowBound End { get; init; } = WindowBound.CurrentRow;
    public double EndOffset { get; init; }
    public WindowExclude Exclude { get; init; }
    /// <summary>The pass that computes this call (0 runs last and fixes the output order).</summary>
    public int Pass { get; set; }
}

/// <summary>What the Window opcode computes.</summary>
internal sealed class WindowPlan
{
    public required int Carried { get; init; }
    public required List<WindowCall> Calls { get; init; }
}

internal static class WindowEngine
{
    /// <summary>Computes every call for the rows of a list cursor and rewrites the rows.</summary>
    public static void Run(List<byte[]> rows, WindowPlan plan)
    {
        int n = rows.Count;
        var decoded = new Mem[n][];
        for (int i = 0; i < n; i++) decoded[i] = Decode(rows[i]);
        var results = new Mem[plan.Calls.Count][];
        int[] order = Enumerable.Range(0, n).ToArray();
        int passes = plan.Calls.Count == 0 ? 0 : plan.Calls.Max(c => c.Pass) + 1;
        for (int pass = passes - 1; pass >= 0; pass--)
        {
            bool sorted = false;
            for (int c = 0; c < plan.Calls.Count; c++)
            {
                WindowCall call = plan.Calls[c];
                if (call.Pass != pass) continue;
                if (!sorted)
                {
                    order = SortedOrder(decoded, order, call);
                    sorted = true;
                }
                results[c] = new Mem[n];
                int p = 0;
                while (p < n)
                {
                    int q = p + 1;
                    while (q < n && SamePartition(decoded[order[p]], decoded[order[q]], call)) q++;
                    ComputePartition(decoded, order, p, q, call, results[c]);
                    p = q;
                }
            }
        }
        var output = new List<byte[]>(n);
        foreach (int i in order)
        {
            var values = new Value[plan.Carried + plan.Calls.Count];
            for (int k = 0; k < plan.Carried; k++) values[k] = decoded[i][k].ToValue();
            for (int c = 0; c < plan.Calls.Count; c++) values[plan.Carried + c] = results[c][i].ToValue();
            output.Add(RecordEncoder.Encode(values));
        }
        rows.Clear();
        rows.AddRange(output);
    }

    private static Mem[] Decode(byte[] record)
    {
        var rr = new RecordReader(record, stackalloc ulong[RecordReader.DefaultBufferLength]);
        var values = new Mem[rr.ColumnCount];
        for (int i = 0; i < values.Length; i++)
        {
            switch (rr.GetKind(i))
            {
                case ValueKind.Null: values[i].SetNull(); break;
                case ValueKind.Integer: values[i].SetInt(rr.GetInt64(i)); break;
                case ValueKind.Real: values[i].SetReal(rr.GetDouble(i)); break;
                case ValueKind.Text: values[i] = Mem.FromValue(Value.FromUtf8(rr.GetBytes(i).ToArray())); break;
                default: values[i] = Mem.FromValue(Value.FromBlob(rr.GetBytes(i).ToArray())); break;
            }
        }
        return values;
    }

    /// <summary>The rows of <paramref name="input"/> in a call's (partition, order) order; ties keep their order in <paramref name="input"/>.</summary>
    private static int[] SortedOrder(Mem[][] rows, int[] input, WindowCall call)
    {
        if (call.PartitionCount == 0 && call.OrderCount == 0) return input;
        // Enumerable.OrderBy is a stable sort.
        return input.OrderBy(i => i, Comparer<int>.Create((a, b) =>
        {
            for (int k = 0; k < call.PartitionCount; k++)
            {
                int r = MemCompare.Compare(rows[a][call.PartitionStart + k], rows[b][call.PartitionStart + k], call.PartitionCollations[k]);
                if (r != 0) return r;
            }
            return CompareOrder(rows[a], rows[b], call);
        })).ToArray();
    }

    private static int CompareOrder(Mem[] a, Mem[] b, WindowCall call)
    {
        for (int k = 0; k < call.OrderCount; k++)
        {
            int r = MemCompare.Compare(a[call.OrderStart + k], b[call.OrderStart + k], call.OrderCollations[k]);
            if (r == 0) continue;
            if (call.OrderNullsLarge != null && call.OrderNullsLarge[k] && (a[call.OrderStart + k].IsNull || b[call.OrderStart + k].IsNull)) r = -r;
            return call.OrderDescending[k] ? -r : r;
        }
        return 0;
    }

    private static bool SamePartition(Mem[] a, Mem[] b, WindowCall call)
    {
        for (int k = 0; k < call.PartitionCount; k++)
        {
            if (MemCompare.Compare(a[call.PartitionStart + k], b[call.PartitionStart + k], call.PartitionCollations[k]) != 0) return false;
        }
        return true;
    }

    /// <summary>Computes the call for the rows order[from..to) (one partition).</summary>
    private static void ComputePartition(Mem[][] rows, int[] order, int from, int to, WindowCall call, Mem[] result)
    {
        int m = to - from;
        Mem[] Row(int i) => rows[order[from + i]];
        // Peer groups: runs of rows whose ORDER BY values are equal.
        var group = new int[m];
        var groupStart = new List<int>();
        for (int i = 0; i < m; i++)
        {
            if (i == 0 || CompareOrder(Row(i - 1), Row(i), call) != 0) groupStart.Add(i);
            group[i] = groupStart.Count - 1;
        }
        int GroupEnd(int g) => g + 1 < groupStart.Count ? groupStart[g + 1] : m;
        Mem Arg(int i, int k) => k < call.ArgCount ? Row(i)[call.ArgStart + k] : default;

        // sum(), total() and avg() over ROWS frames that slide forward keep one running sum with
        // inverse steps, in the order SQLite makes them (rounding depends on that history). A
        // row leaves once the frame's start has passed it, but no sooner than SQLite's start
        // cursor moves: with a PRECEDING or CURRENT ROW start, before the rows of the next
        // frame's end come in; with a FOLLOWING start, only after the row (end - start) rows
        // later has come in (after every row, when the end is UNBOUNDED FOLLOWING).
        // group_concat() and string_agg() slide the same way, with SQLite's inverse step.
        IInverseAggregate? slidingSum = call.Aggregate as IInverseAggregate;
        long slideLag = call.Start != WindowBound.Following ? long.MinValue / 2
            : call.End == WindowBound.Following ? (long)call.EndOffset - (long)call.StartOffset : long.MaxValue / 2;
        if (call.Unit != WindowUnit.Rows || call.Exclude != WindowExclude.None || call.Distinct || slideLag < 0 && call.Start == WindowBound.Following
            || call.Start is WindowBound.UnboundedPreceding or WindowBound.UnboundedFollowing || call.End == WindowBound.UnboundedPreceding)
        {
            slidingSum = null;
        }
        object? slideState = (slidingSum as AggregateFunction)?.NewState();
        int slideAdded = 0, slideRemoved = 0;
        for (int i = 0; i < m; i++)
        {
            ref Mem res = ref result[order[from + i]];
            switch (call.Name)
            {
                case "row_number":
                    res.SetInt(i + 1);
                    continue;
                case "rank":
                    res.SetInt(groupStart[group[i]] + 1);
                    continue;
                case "dense_rank":
                    res.SetInt(group[i] + 1);
                    continue;
                case "percent_rank":
                    res.SetReal(m <= 1 ? 0.0 : (double)groupStart[group[i]] / (m - 1));
                    continue;
                case "cume_dist":
                    res.SetReal((double)GroupEnd(group[i]) / m);
                    continue;
                case "ntile":
                    {
                        long buckets = Arg(i, 0).Kind == MemKind.Int ? Arg(i, 0).I : (long)NumericText.ToDouble(Arg(i, 0));
                        if (buckets <= 0) throw new TernException(ResultCode.Error, "argument of ntile must be a positive integer");
                        long size = m / buckets, extra = m % buckets;
                        long bigRows = extra * (size + 1);
                        long tile = i < bigRows ? i / (size + 1) : extra + (i - bigRows) / Math.Max(size, 1);
                        res.SetInt(tile + 1);
                        continue;
                    }
                case "lag":
                case "lead":
                    {
                        // SQLite seeks the row at the current one's position minus (lag) or plus (lead)
                        // the offset: a NULL or fractional offset finds no row, so the default is answered.
                        long? off = call.ArgCount > 1 ? LagLeadOffset(Arg(i, 1)) : 1;
                        long j = off is not { } o ? -1 : call.Name == "lag" ? i - o : i + o;
                        // SQLite seeks among the rows read so far: lag() answers with the current
                        // row read one ahead, so a negative offset reaches the next row (-1) but
                        // no further. lead() has read its whole partition.
                        if (call.Name == "lag" && j > i + 1) j = -1;
                        if (j >= 0 && j < m) res = Row((int)j)[call.ArgStart];
                        else if (call.ArgCount > 2) res = Arg(i, 2);
                        else res.SetNull();
                        continue;
                    }
            }
            (int lo, int hi) = Frame(i, m, call, group, groupStart, Row);
            switch (call.Name)
            {
                case "first_value":
                    {
                        int j = FrameRows(i, lo, hi, call, group).FirstOrDefault(-1);
                        if (j >= 0) res = Row(j)[call.ArgStart]; else res.SetNull();
                        continue;
                    }
                case "last_value":
                    {
                        int j = FrameRows(i, lo, hi, call, group).LastOrDefault(-1);
                        if (j >= 0) res = Row(j)[call.ArgStart]; else res.SetNull();
                        continue;
                    }
                case "nth_value":
                    {
                        long nth = NthValueN(Arg(i, 1));
                        int j = FrameRows(i, lo, hi, call, group).Skip((int)Math.Min(nth - 1, int.MaxValue)).FirstOrDefault(-1);
                        if (j >= 0) res = Row(j)[call.ArgStart]; else res.SetNull();
                        continue;
                    }
            }
            AggregateFunction agg = call.Aggregate ?? throw new TernException(ResultCode.Error, $"no such window function: {call.Name}");
            if (slidingSum != null)
            {
                for (;;)
                {
                    for (; slideRemoved < lo && slideRemoved < slideAdded && slideRemoved + slideLag < slideAdded; slideRemoved++)
                    {
                        if (call.FilterColumn < 0 || Truth(Row(slideRemoved)[call.FilterColumn]) == 1) slidingSum.Inverse(slideState!, Row(slideRemoved).AsSpan(call.ArgStart, call.ArgCount));
                    }
                    if (slideAdded >= hi) break;
                    if (slideAdded >= slideRemoved && (call.FilterColumn < 0 || Truth(Row(slideAdded)[call.FilterColumn]) == 1))
                    {
                        ((AggregateFunction)slidingSum).Step(slideState!, Row(slideAdded).AsSpan(call.ArgStart, call.ArgCount));
                    }
                    slideAdded++;
                }
                for (; slideRemoved < lo && slideRemoved < slideAdded; slideRemoved++)
                {
                    if (call.FilterColumn < 0 || Truth(Row(slideRemoved)[call.FilterColumn]) == 1) slidingSum.Inverse(slideState!, Row(slideRemoved).AsSpan(call.ArgStart, call.ArgCount));
                }
                slideRemoved = Math.Max(slideRemoved, lo);
                slidingSum.WindowValue(slideState!, ref res);
                continue;
            }
            object state = agg.NewState();
            var seen = call.Distinct ? new List<Mem>() : null;
            var args = new Mem[call.ArgCount];
            // min() and max() over a sliding frame (one that does not start at UNBOUNDED
            // PRECEDING and has no EXCLUDE, which SQLite computes by rescanning) keep their values
            // in an index ordered by (value, arrival), as SQLite does, and answer with its extreme
            // entry: of the values that tie (1 and 1.0, or 'b' and 'B' under NOCASE) the one that
            // came last. Stepping the frame backwards makes the aggregate, which keeps the first
            // of equal values, see that one first.
            IEnumerable<int> frameRows = FrameRows(i, lo, hi, call, group);
            if (agg is MinMaxAggregate && call.Start != WindowBound.UnboundedPreceding && call.Exclude == WindowExclude.None) frameRows = frameRows.Reverse();
            foreach (int j in frameRows)
            {
                if (call.FilterColumn >= 0 && Truth(Row(j)[call.FilterColumn]) != 1) continue;
                for (int k = 0; k < call.ArgCount; k++) args[k] = Row(j)[call.ArgStart + k];
                if (seen != null)
                {
                    if (seen.Exists(x => MemCompare.Compare(x, args[0]) == 0)) continue;
                    seen.Add(args[0]);
                }
                agg.Step(state, args);
            }
            agg.Final(state, ref res);
        }
    }

    private static int Truth(in Mem m)
    {
        if (m.IsNull) return -1;
        return m.Kind switch
        {
            MemKind.Int => m.I != 0 ? 1 : 0,
            MemKind.Real => m.R != 0 ? 1 : 0,
            _ => NumericText.ToDouble(m) != 0 ? 1 : 0,
        };
    }

    /// <summary>The rows of [lo, hi) that the EXCLUDE clause keeps for row i.</summary>
    private static IEnumerable<int> FrameRows(int i, int lo, int hi, WindowCall call, int[] group)
    {
        for (int j = lo; j < hi; j++)
        {
            switch (call.Exclude)
            {
                case WindowExclude.CurrentRow when j == i: continue;
                case WindowExclude.Group when group[j] == group[i]: continue;
                case WindowExclude.Ties when group[j] == group[i] && j != i: continue;
            }
            yield return j;
        }
    }

    /// <summary>The frame of row i as a half-open range of partition positions.</summary>
    private static (int Lo, int Hi) Frame(int i, int m, WindowCall call, int[] group, List<int> groupStart, Func<int, Mem[]> row)
    {
        int GroupEnd(int g) => g + 1 < groupStart.Count ? groupStart[g + 1] : m;
        switch (call.Unit)
        {
            case WindowUnit.Rows:
                {
                    long lo = call.Start switch
                    {
                        WindowBound.UnboundedPreceding => 0,
                        WindowBound.Preceding => i - (long)call.StartOffset,
                        WindowBound.CurrentRow => i,
                        WindowBound.Following => i + (long)call.StartOffset,
                        _ => m,
                    };
                    long hi = call.End switch
                    {
                        WindowBound.UnboundedFollowing => m,
                        WindowBound.Following => i + (long)call.EndOffset + 1,
                        WindowBound.CurrentRow => i + 1,
                        WindowBound.Preceding => i - (long)call.EndOffset + 1,
                        _ => 0,
                    };
                    return ((int)Math.Clamp(lo, 0, m), (int)Math.Clamp(hi, 0, m));
                }
            case WindowUnit.Groups:
                {
                    int g = group[i];
                    long glo = call.Start switch
                    {
                        WindowBound.UnboundedPreceding => 0,
                        WindowBound.Preceding => g - (long)call.StartOffset,
                        WindowBound.CurrentRow => g,
                        WindowBound.Following => g + (long)call.StartOffset,
                        _ => groupStart.Count,
                    };
                    long ghi = call.End switch
                    {
                        WindowBound.UnboundedFollowing => groupStart.Count - 1,
                        WindowBound.Following => g + (long)call.EndOffset,
                        WindowBound.CurrentRow => g,
                        WindowBound.Preceding => g - (long)call.EndOffset,
                        _ => -1,
                    };
                    glo = Math.Max(glo, 0);
                    ghi = Math.Min(ghi, groupStart.Count - 1);
                    if (glo > ghi) return (0, 0);
                    return (groupStart[(int)glo], GroupEnd((int)ghi));
                }
            default:
                {
                    // RANGE: CURRENT ROW means the row's peers; offsets compare the one ORDER BY value.
                    int lo, hi;
                    if (call.OrderCount == 0) return (call.Start == WindowBound.UnboundedPreceding || call.Start == WindowBound.CurrentRow || call.Start == WindowBound.Preceding ? 0 : m,
                        call.End == WindowBound.UnboundedFollowing || call.End == WindowBound.CurrentRow || call.End == WindowBound.Following ? m : 0);
                    // RANGE with an offset, as SQLite's range test compares: a key is moved
                    // along the sort order by the offset only when it is a number (a NULL, text
                    // or blob key stays as it is, so it frames its peers), and compared with the
                    // ORDER BY's collation, direction and NULLS placement. Which key moves
                    // follows SQLite, which matters only where the sum overflows to a real:
                    //
                    //   start n PRECEDING:  row j is in when  key_j moved n forward >= key_i
                    //   start n FOLLOWING:  row j is in when  key_j >= key_i moved n forward
                    //   end n PRECEDING/FOLLOWING:  row j is in when  key_j moved back by the
                    //                       end's signed offset <= key_i
                    Mem Key(int j) => row(j)[call.OrderStart];
                    bool desc = call.OrderDescending[0];
                    int Sort(Mem a, Mem b)
                    {
                        int r = MemCompare.Compare(a, b, call.OrderCollations[0]);
                        if (r != 0 && call.OrderNullsLarge != null && call.OrderNullsLarge[0] && (a.IsNull || b.IsNull)) r = -r;
                        return desc ? -r : r;
                    }
                    Mem Shift(Mem a, double by) => ShiftKey(a, desc ? -by : by);
                    Mem cur = Key(i);
                    switch (call.Start)
                    {
                        case WindowBound.UnboundedPreceding: lo = 0; break;
                        case WindowBound.CurrentRow: lo = groupStart[group[i]]; break;
                        case WindowBound.UnboundedFollowing: lo = m; break;
                        case WindowBound.Preceding:
                            lo = 0;
                            while (lo < m && Sort(Shift(Key(lo), call.StartOffset), cur) < 0) lo++;
                            break;
                        default:
                            {
                                Mem from = Shift(cur, call.StartOffset);
                                lo = 0;
                                while (lo < m && Sort(Key(lo), from) < 0) lo++;
                                break;
                            }
                    }
                    switch (call.End)
                    {
                        case WindowBound.UnboundedFollowing: hi = m; break;
                        case WindowBound.CurrentRow: hi = GroupEnd(group[i]); break;
                        case WindowBound.UnboundedPreceding: hi = 0; break;
                        default:
                            {
                                double back = call.End == WindowBound.Following ? -call.EndOffset : call.EndOffset;
                                hi = m;
                                while (hi > 0 && Sort(Shift(Key(hi - 1), back), cur) > 0) hi--;
                                break;
                            }
                    }
                    return (lo, Math.Max(lo, hi));
                }
        }
    }

    /// <summary>
    /// A RANGE key plus an offset, as SQLite's OP_Add computes it: integer + whole offset stays
    /// an integer unless it overflows (then a real); a real key or offset gives a real; a
    /// NULL, text or blob key is not moved.
    /// </summary>
    private static Mem ShiftKey(Mem a, double by)
    {
        Mem r = default;
        switch (a.Kind)
        {
            case MemKind.Int:
                // The offset arrives as a double: 2^63 stands for the largest integer literal.
                if (by == Math.Floor(by) && Math.Abs(by) <= 9.2233720368547758E18)
                {
                    long d = Math.Abs(by) >= 9.2233720368547758E18 ? (by > 0 ? long.MaxValue : -long.MaxValue) : (long)by;
                    long sum = unchecked(a.I + d);
                    if (((a.I ^ sum) & (d ^ sum)) >= 0)
                    {
                        r.SetInt(sum);
                        return r;
                    }
                }
                r.SetReal(a.I + by);
                return r;
            case MemKind.Real:
                r.SetReal(a.R + by);
                return r;
            default:
                return a;
        }
    }

    /// <summary>
    /// nth_value's N as SQLite takes it: an integer, a real with no fractional part that fits a
    /// 64-bit integer, or text that is wholly such a number; anything else, and N below 1,
    /// fails the statement.
    /// </summary>
    private static long NthValueN(Mem n)
    {
        long nth = 0;
        switch (Functions.ArgValues.NumericType(ref n))
        {
            case MemKind.Int:
                nth = n.I;
                break;
            case MemKind.Real when n.R >= -9223372036854775808.0 && n.R < 9223372036854775808.0 && (long)n.R == n.R:
                nth = (long)n.R;
                break;
        }
        if (nth <= 0) throw new TernException(ResultCode.Error, "second argument to nth_value must be a positive integer");
        return nth;
    }

    /// <summary>lag()/lead()'s offset as SQLite's arithmetic reads it: null when it is NULL or not a whole number.</summary>
    private static long? LagLeadOffset(Mem n)
    {
        if (n.IsNull) return null;
        if (n.Kind == MemKind.Int) return n.I;
        if (Functions.ArgValues.NumericType(ref n) == MemKind.Int) return n.I;
        double d = n.Kind == MemKind.Real ? n.R : NumericText.ToDouble(n);
        return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && Math.Floor(d) == d ? (long)d : null;
    }
}
