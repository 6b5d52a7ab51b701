// The function catalogue's entries: a scalar function computes one value from its
// arguments; an aggregate keeps a state object across AggStep calls and produces its
// value at AggFinal. Arguments arrive as a span of registers.
namespace Tern.Functions;

using Tern.Vdbe;

/// <summary>A scalar function body.</summary>
internal delegate void ScalarBody(ReadOnlySpan<Mem> args, ref Mem result);

/// <summary>A SQL function known to the engine.</summary>
internal abstract class FunctionDef
{
    protected FunctionDef(string name, int argCount)
    {
        Name = name;
        ArgCount = argCount;
    }

    /// <summary>The lower-case name.</summary>
    public string Name { get; }

    /// <summary>The number of arguments, or -1 for any number.</summary>
    public int ArgCount { get; }

    public override string ToString() => Name + "(" + (ArgCount < 0 ? "-1" : ArgCount.ToString(System.Globalization.CultureInfo.InvariantCulture)) + ")";
}

/// <summary>A scalar function.</summary>
internal sealed class ScalarFunction(string name, int argCount, ScalarBody body) : FunctionDef(name, argCount)
{
    public ScalarBody Body { get; } = body;

    /// <summary>For changes(), total_changes() and last_insert_rowid(): the value comes from the connection.</summary>
    public Func<IVdbeHost, long>? FromConnection { get; init; }
}

/// <summary>An aggregate function.</summary>
internal abstract class AggregateFunction(string name, int argCount) : FunctionDef(name, argCount)
{
    public abstract object NewState();

    public abstract void Step(object state, ReadOnlySpan<Mem> args);

    /// <summary>
    /// Steps, and says whether the row should not load the query's bare columns: min() and
    /// max() answer true unless the row holds the new extreme (SQLite's bare-column rule).
    /// </summary>
    public virtual bool StepSkipsBareColumns(object state, ReadOnlySpan<Mem> args)
    {
        Step(state, args);
        return false;
    }

    public abstract void Final(object state, ref Mem result);
}
