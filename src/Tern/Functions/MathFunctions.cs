// The math functions SQLite builds in (SQLITE_ENABLE_MATH_FUNCTIONS): the C library's
// trigonometric, hyperbolic, exponential and logarithmic functions on doubles, plus
// ceil/ceiling, floor and trunc, which return an integer argument unchanged. An
// argument must be a number or a text that is wholly one (numeric affinity is applied);
// anything else, NULL included, gives NULL. A result that is not a number (a domain
// error such as sqrt(-1) or acos(2)) is NULL; infinities are kept. log() and its
// relatives return NULL for arguments at or below zero, and log(B, X) for a base at or
// below one.
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>The math SQL functions.</summary>
internal static class MathFunctions
{
    public static void Register(Action<FunctionDef> add)
    {
        add(new ScalarFunction("ceil", 1, (a, ref r) => Rounding(a, ref r, Math.Ceiling)));
        add(new ScalarFunction("ceiling", 1, (a, ref r) => Rounding(a, ref r, Math.Ceiling)));
        add(new ScalarFunction("floor", 1, (a, ref r) => Rounding(a, ref r, Math.Floor)));
        add(new ScalarFunction("trunc", 1, (a, ref r) => Rounding(a, ref r, Math.Truncate)));
        add(new ScalarFunction("ln", 1, (a, ref r) => Log(a, ref r, Math.Log)));
        add(new ScalarFunction("log", 1, (a, ref r) => Log(a, ref r, Math.Log10)));
        add(new ScalarFunction("log10", 1, (a, ref r) => Log(a, ref r, Math.Log10)));
        add(new ScalarFunction("log", 2, (a, ref r) => Log(a, ref r, Math.Log)));
        add(new ScalarFunction("log2", 1, (a, ref r) => Log(a, ref r, Math.Log2)));
        add(new ScalarFunction("exp", 1, (a, ref r) => Unary(a, ref r, Math.Exp)));
        add(new ScalarFunction("pow", 2, (a, ref r) => Binary(a, ref r, Math.Pow)));
        add(new ScalarFunction("power", 2, (a, ref r) => Binary(a, ref r, Math.Pow)));
        add(new ScalarFunction("mod", 2, (a, ref r) => Binary(a, ref r, (x, y) => x % y)));
        add(new ScalarFunction("acos", 1, (a, ref r) => Unary(a, ref r, Math.Acos)));
        add(new ScalarFunction("asin", 1, (a, ref r) => Unary(a, ref r, Math.Asin)));
        add(new ScalarFunction("atan", 1, (a, ref r) => Unary(a, ref r, Math.Atan)));
        add(new ScalarFunction("atan2", 2, (a, ref r) => Binary(a, ref r, Math.Atan2)));
        add(new ScalarFunction("cos", 1, (a, ref r) => Unary(a, ref r, Math.Cos)));
        add(new ScalarFunction("sin", 1, (a, ref r) => Unary(a, ref r, Math.Sin)));
        add(new ScalarFunction("tan", 1, (a, ref r) => Unary(a, ref r, Math.Tan)));
        add(new ScalarFunction("cosh", 1, (a, ref r) => Unary(a, ref r, Math.Cosh)));
        add(new ScalarFunction("sinh", 1, (a, ref r) => Unary(a, ref r, Math.Sinh)));
        add(new ScalarFunction("tanh", 1, (a, ref r) => Unary(a, ref r, Math.Tanh)));
        add(new ScalarFunction("acosh", 1, (a, ref r) => Unary(a, ref r, Math.Acosh)));
        add(new ScalarFunction("asinh", 1, (a, ref r) => Unary(a, ref r, Math.Asinh)));
        add(new ScalarFunction("atanh", 1, (a, ref r) => Unary(a, ref r, Math.Atanh)));
        add(new ScalarFunction("sqrt", 1, (a, ref r) => Unary(a, ref r, Math.Sqrt)));
        add(new ScalarFunction("degrees", 1, (a, ref r) => Unary(a, ref r, x => x * (180.0 / Math.PI))));
        add(new ScalarFunction("radians", 1, (a, ref r) => Unary(a, ref r, x => x * (Math.PI / 180.0))));
        add(new ScalarFunction("pi", 0, (a, ref r) => r.SetReal(Math.PI)));
    }

    /// <summary>The argument with numeric affinity applied, when it is then a number.</summary>
    private static bool Number(in Mem arg, out Mem m, out MemKind kind)
    {
        m = arg;
        kind = ArgValues.NumericType(ref m);
        return kind is MemKind.Int or MemKind.Real;
    }

    private static void Rounding(ReadOnlySpan<Mem> a, ref Mem r, Func<double, double> f)
    {
        if (!Number(a[0], out Mem m, out MemKind kind)) r.SetNull();
        else if (kind == MemKind.Int) r.SetInt(m.I);
        else r.SetReal(f(m.R));
    }

    private static void Unary(ReadOnlySpan<Mem> a, ref Mem r, Func<double, double> f)
    {
        if (!Number(a[0], out Mem m, out _)) r.SetNull();
        else r.SetReal(f(ArgValues.Double(m)));
    }

    private static void Binary(ReadOnlySpan<Mem> a, ref Mem r, Func<double, double, double> f)
    {
        if (!Number(a[0], out Mem x, out _) || !Number(a[1], out Mem y, out _)) r.SetNull();
        else r.SetReal(f(ArgValues.Double(x), ArgValues.Double(y)));
    }

    /// <summary>ln, log10, log2 of one argument; log(B, X) as ln(X)/ln(B).</summary>
    private static void Log(ReadOnlySpan<Mem> a, ref Mem r, Func<double, double> f)
    {
        r.SetNull();
        if (!Number(a[0], out Mem m, out _)) return;
        double x = ArgValues.Double(m);
        if (x <= 0.0) return;
        if (a.Length == 1)
        {
            r.SetReal(f(x));
            return;
        }
        // SQLite checks only the base's type; X is read as a double whatever it is.
        double b = Math.Log(x);
        if (b <= 0.0) return;
        x = ArgValues.Double(a[1]);
        if (x <= 0.0) return;
        r.SetReal(Math.Log(x) / b);
    }
}
