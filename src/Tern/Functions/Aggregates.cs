// The core aggregates with SQLite's rules: count(*)/count(x) (NULLs not counted); sum()
// (integer while every input is an integer, "integer overflow" on overflow, NULL for no
// input); total() (always a REAL, 0.0 for no input); avg() (REAL); min()/max() (NULLs
// skipped, SQLite's ordering); group_concat(x[, sep]) (default separator ",").
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

internal sealed class SumAggregate(string name) : AggregateFunction(name, 1)
{
    private sealed class State
    {
        public long I;
        public double R;
        public bool Real;
        public bool Overflow;
        public long Count;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        Mem a = args[0];
        if (a.IsNull) return;
        s.Count++;
        if (a.Kind == MemKind.Int && !s.Real)
        {
            long r;
            try
            {
                r = checked(s.I + a.I);
            }
            catch (OverflowException)
            {
                s.Overflow = true;
                r = 0;
            }
            s.I = r;
            s.R += a.I;
            return;
        }
        if (!s.Real)
        {
            s.Real = true;
            s.R = s.I;
        }
        if (a.Kind == MemKind.Int) s.R += a.I;
        else
        {
            Mem m = a;
            NumericText.ToNumeric(ref m);
            s.R += m.Kind == MemKind.Int ? m.I : m.R;
        }
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        switch (Name)
        {
            case "total":
                result.SetReal(s.Real ? s.R : s.I);
                return;
            case "avg":
                if (s.Count == 0) result.SetNull();
                else result.SetReal((s.Real ? s.R : (double)s.R) / s.Count);
                return;
        }
        if (s.Count == 0) result.SetNull();
        else if (s.Real) result.SetReal(s.R);
        else if (s.Overflow) throw new TernException(ResultCode.Error, "integer overflow");
        else result.SetInt(s.I);
    }
}

internal sealed class MinMaxAggregate(string name, bool max) : AggregateFunction(name, 1)
{
    private sealed class State
    {
        public Mem Best;
        public bool Any;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        if (args[0].IsNull) return;
        int c = s.Any ? MemCompare.Compare(args[0], s.Best) : 0;
        if (!s.Any || (max ? c > 0 : c < 0))
        {
            s.Best = args[0];
            s.Best.MakeOwned();
            s.Any = true;
        }
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        if (s.Any) result = s.Best;
        else result.SetNull();
    }
}

internal sealed class GroupConcatAggregate(int argCount) : AggregateFunction("group_concat", argCount)
{
    private sealed class State
    {
        public readonly List<byte> Bytes = [];
        public bool Any;
    }

    public override object NewState() => new State();

    public override void Step(object state, ReadOnlySpan<Mem> args)
    {
        var s = (State)state;
        if (args[0].IsNull) return;
        if (s.Any)
        {
            if (args.Length > 1)
            {
                if (!args[1].IsNull) s.Bytes.AddRange(NumericText.ToUtf8(args[1]));
            }
            else s.Bytes.Add((byte)',');
        }
        s.Bytes.AddRange(NumericText.ToUtf8(args[0]));
        s.Any = true;
    }

    public override void Final(object state, ref Mem result)
    {
        var s = (State)state;
        if (!s.Any) result.SetNull();
        else result.SetText(s.Bytes.ToArray());
    }
}

/// <summary>Makes a text Mem from a string (helper for functions).</summary>
internal static class MemText
{
    public static void Set(ref Mem m, string s) => m.SetText(Encoding.UTF8.GetBytes(s));
}
