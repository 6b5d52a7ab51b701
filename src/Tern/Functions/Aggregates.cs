// The core aggregates with SQLite's rules: count(*)/count(x) (NULLs not counted); sum()
// (integer while every input is an integer, "integer overflow" on overflow, NULL for no
// input); total() (always a REAL, 0.0 for no input); avg() (REAL); min()/max() (NULLs
// skipped, SQLite's ordering); group_concat(x[, sep]) (default separator ",") and string_agg(x, sep).
using System.Diagnostics;
using System.Text;
using Tern.Vdbe;

namespace Tern.Functions;

internal sealed class CountAggregate(int argCount) : AggregateFunction("count", argCount)
{
    private sealed class State
    {
        public long N;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        if (args.Length == 0 || !args[0].IsNull) ((State)state).N++;
    }

    public override void Final(object state, ref Mem result) => result.SetInt(((State)state).N);
}

/// <summary>
/// sum(), total() and avg(), with SQLite's arithmetic step for step. Each input is first
/// given its numeric type (a text that is wholly a number counts as that number, so
/// '9223372036854775807' is an INTEGER and can overflow). Integers add exactly while no
/// other kind has been seen; the first non-integer, or an integer overflow, switches to a
/// compensated double sum (Kahan-Babuska-Neumaier), started from the exact sum and fed
/// integers of 2^52 or more in two parts (a multiple of 16384 and the rest) so no bits are
/// lost; other values are added as their double (text by its numeric prefix):
///
///   exact --(non-integer input | overflow)--> approximate
///
/// sum() of only integers that overflowed is the error "integer overflow"; total() and
/// avg() always give a REAL. The result is the sum plus its error term (unless the error
/// term is infinite or NaN).
/// </summary>
internal sealed class SumAggregate(string name) : AggregateFunction(name, 1), IInverseAggregate
{
    private const long Exact = 4503599627370496; // 2^52: beyond it a double cannot hold every integer

    private sealed class State
    {
        public long I;
        public double Sum;
        public double Err;
        public bool Approx;
        public bool Overflow;
        public long Count;

        /// <summary>One Kahan-Babuska-Neumaier step.</summary>
        public void Add(double r)
        {
            double s = Sum;
            double t = s + r;
            if (Math.Abs(s) > Math.Abs(r)) Err += (s - t) + r;
            else Err += (r - t) + s;
            Sum = t;
        }

        public void Add(long v)
        {
            if (v <= -Exact || v >= Exact)
            {
                long small = v % 16384;
                Add((double)(v - small));
                Add((double)small);
            }
            else Add((double)v);
        }

        /// <summary>Starts the compensated sum from the exact integer sum so far.</summary>
        public void StartApprox()
        {
            Approx = true;
            if (I <= -Exact || I >= Exact)
            {
                long small = I % 16384;
                Sum = I - small;
                Err = small;
            }
            else
            {
                Sum = I;
                Err = 0;
            }
        }

        public double Value => Approx ? (double.IsFinite(Err) ? Sum + Err : Sum) : I;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        Mem a = args[0];
        if (a.IsNull) return;
        s.Count++;
        if (a.Kind == MemKind.Text && NumericText.TryParseWhole(a.Span, out long ti, out double tr, out bool tInt))
        {
            // sqlite3_value_numeric_type: text that is wholly a number becomes that number.
            if (tInt) a.SetInt(ti);
            else
            {
                a.Kind = MemKind.Real;
                a.R = tr;
            }
        }
        if (a.Kind == MemKind.Int)
        {
            if (s.Approx)
            {
                s.Add(a.I);
                return;
            }
            long r = unchecked(s.I + a.I);
            if (((s.I ^ r) & (a.I ^ r)) < 0)
            {
                s.Overflow = true;
                s.StartApprox();
                s.Add(a.I);
                return;
            }
            s.I = r;
            return;
        }
        if (!s.Approx) s.StartApprox();
        // A non-integer after an overflow makes the sum an approximate REAL again.
        else s.Overflow = false;
        s.Add(a.Kind == MemKind.Real ? a.R : NumericText.ToDouble(a));
    }

    /// <summary>
    /// Takes a value back out, as SQLite's inverse step does when a window frame's start
    /// passes it: an exact sum subtracts it (an overflow makes the sum approximate from an
    /// empty compensated sum, and sum() an overflow error); a compensated one adds its
    /// negation (the smallest integer as the largest plus one).
    /// </summary>
    public void Inverse(object state, ReadOnlySpan<Mem> args) => Inverse(state, args[0]);

    public void WindowValue(object state, ref Mem result) => Final(state, ref result);

    public void Inverse(object state, Mem a)
    {
        var s = (State)state;
        if (a.IsNull) return;
        Debug.Assert(s.Count > 0);
        s.Count--;
        if (a.Kind == MemKind.Text && NumericText.TryParseWhole(a.Span, out long ti, out double tr, out bool tInt))
        {
            if (tInt) a.SetInt(ti);
            else
            {
                a.Kind = MemKind.Real;
                a.R = tr;
            }
        }
        if (!s.Approx)
        {
            long v = ArgValues.Int64(a);
            long r = unchecked(s.I - v);
            if (((s.I ^ v) & (s.I ^ r)) < 0)
            {
                s.Overflow = true;
                s.Approx = true;
            }
            else s.I = r;
        }
        else if (a.Kind == MemKind.Int)
        {
            if (a.I != long.MinValue) s.Add(-a.I);
            else
            {
                s.Add(long.MaxValue);
                s.Add(1L);
            }
        }
        else s.Add(-(a.Kind == MemKind.Real ? a.R : NumericText.ToDouble(a)));
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        switch (Name)
        {
            case "total":
                result.SetReal(s.Value);
                return;
            case "avg":
                if (s.Count == 0) result.SetNull();
                else result.SetReal(s.Value / s.Count);
                return;
        }
        if (s.Count == 0) result.SetNull();
        else if (s.Overflow) throw new TernException(ResultCode.Error, "integer overflow");
        else if (s.Approx) result.SetReal(s.Value);
        else result.SetInt(s.I);
    }
}

internal sealed class MinMaxAggregate(string name, bool max, Storage.Record.Collation collation = Storage.Record.Collation.Binary) : AggregateFunction(name, 1)
{
    /// <summary>The same aggregate comparing text with <paramref name="coll"/> (its argument's collation).</summary>
    public MinMaxAggregate WithCollation(Storage.Record.Collation coll) => coll == collation ? this : new MinMaxAggregate(Name, max, coll);

    private sealed class State
    {
        public Mem Best;
        public bool Any;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args) => StepSkipsBareColumns(state, args);

    /// <summary>
    /// A row loads the bare columns when it brings a new extreme, or while no value has been
    /// seen (a NULL before any value); a NULL after one, or a value that is not better
    /// (an equal one included), leaves them as they were.
    /// </summary>
    public override bool StepSkipsBareColumns(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        if (args[0].IsNull) return s.Any;
        int c = s.Any ? MemCompare.Compare(args[0], s.Best, collation) : 0;
        if (!s.Any || (max ? c > 0 : c < 0))
        {
            s.Best = args[0];
            s.Best.MakeOwned();
            s.Any = true;
            return false;
        }
        return true;
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        if (s.Any) result = s.Best;
        else result.SetNull();
    }
}

/// <summary>group_concat(x[, sep]), and string_agg(x, sep), which is the same with the separator required.</summary>
/// <remarks>
/// In a sliding window frame SQLite takes a value back out by cutting its bytes and the
/// separator after it off the front of the text. It remembers the separators' lengths, not
/// which one followed which value, and once the text is empty it starts afresh, so the next
/// value gets no separator before it: over ('', '|'), ('', '|'), ('x', '|') a two-row frame
/// gives '', '|', then 'x' (not '|x'). The state keeps the same bookkeeping:
///
///   Bytes       the text: v1 sep2 v2 sep3 v3 ...
///   Count       values in it (SQLite's nAccum)
///   FirstSep    the separator length used so far while all were alike
///   SepLengths  once lengths differ: the length of each separator, in order
///   Any         a value has been added since the text was last empty (else no separator)
/// </remarks>
internal sealed class GroupConcatAggregate(int argCount, string name = "group_concat") : AggregateFunction(name, argCount), IInverseAggregate
{
    private sealed class State
    {
        public readonly List<byte> Bytes = [];
        public bool Any;
        public int Count;
        public int FirstSep;
        public List<int>? SepLengths;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        if (args[0].IsNull) return;
        if (args.Length == 1)
        {
            if (s.Any) s.Bytes.Add((byte)',');
            else s.FirstSep = 1;
        }
        else if (s.Any)
        {
            int sep = 0;
            if (!args[1].IsNull)
            {
                byte[] sepBytes = NumericText.ToUtf8(args[1]);
                s.Bytes.AddRange(sepBytes);
                sep = sepBytes.Length;
            }
            if (sep != s.FirstSep || s.SepLengths != null)
            {
                if (s.SepLengths == null)
                {
                    s.SepLengths = [];
                    for (int i = 0; i < s.Count - 1; i++) s.SepLengths.Add(s.FirstSep);
                }
                Debug.Assert(s.Count > 0);
                while (s.SepLengths.Count < s.Count) s.SepLengths.Add(0);
                s.SepLengths[s.Count - 1] = sep;
            }
        }
        else s.FirstSep = args[1].IsNull ? 0 : NumericText.ToUtf8(args[1]).Length;
        s.Count++;
        s.Bytes.AddRange(NumericText.ToUtf8(args[0]));
        s.Any = true;
    }

    /// <summary>Takes the oldest value (and the separator after it) back out, as SQLite does.</summary>
    public void Inverse(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        if (args[0].IsNull) return;
        int cut = NumericText.ToUtf8(args[0]).Length;
        s.Count--;
        if (s.SepLengths != null)
        {
            if (s.Count > 0)
            {
                cut += s.SepLengths[0];
                s.SepLengths.RemoveAt(0);
            }
        }
        else cut += s.FirstSep;
        if (cut >= s.Bytes.Count) s.Bytes.Clear();
        else s.Bytes.RemoveRange(0, cut);
        if (s.Bytes.Count == 0)
        {
            s.Any = false;
            s.SepLengths = null;
        }
    }

    /// <summary>The value in a window frame: '' while values are in the frame, NULL when none are.</summary>
    public void WindowValue(object state, ref Mem result)
    {
        var s = (State)state;
        if (s.Count > 0 && s.Bytes.Count == 0) result.SetText([]);
        else if (s.Bytes.Count == 0) result.SetNull();
        else result.SetText(s.Bytes.ToArray());
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        if (!s.Any) result.SetNull();
        else result.SetText(s.Bytes.ToArray());
    }
}

/// <summary>An aggregate with SQLite's inverse step, for window frames that slide.</summary>
internal interface IInverseAggregate
{
    /// <summary>Takes a row's arguments back out of the state.</summary>
    void Inverse(object state, ReadOnlySpan<Mem> args);

    /// <summary>The current value over the frame (SQLite's xValue).</summary>
    void WindowValue(object state, ref Mem result);
}

/// <summary>Makes a text Mem from a string (helper for functions).</summary>
internal static class MemText
{
    public static void Set(ref Mem m, string s) => m.SetText(Encoding.UTF8.GetBytes(s));
}
