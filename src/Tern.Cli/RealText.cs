// REAL values as the sqlite3 shell (3.40) writes them in its json, quote and insert modes:
// printf's "%!.20g". SQLite produces those digits in x87 extended precision (long double,
// 64-bit significand) by scaling the value into [1, 10), adding a rounding term and
// peeling off one digit at a time, so digits past the 17th are not the exact decimal
// expansion of the double (0.1 prints as 0.10000000000000000555 but 9007199254740992.0 as
// 9007199254740991.9999). To print the same text, the same steps are carried out here on
// an exact software model of the 80-bit format (Ext): every operation is done exactly and
// then rounded to 64 significant bits, ties to even, as the FPU does.
//
// The list-mode form ("%!.15g") is the engine's own text of a REAL (Statement.GetString).
using System.Numerics;
using System.Text;

namespace Tern.Cli;

/// <summary>printf-style "%!.Ng" text of a double, as SQLite 3.40 prints it.</summary>
internal static class RealText
{
    /// <summary>A positive (or zero) extended-precision value: <c>M * 2^E</c> with M of exactly 64 bits.</summary>
    private readonly record struct Ext(BigInteger M, int E)
    {
        public bool IsZero => M.IsZero;

        public static Ext Round(BigInteger m, int e)
        {
            if (m.IsZero) return new Ext(BigInteger.Zero, 0);
            long bits = (long)m.GetBitLength();
            if (bits <= 64) return new Ext(m << (int)(64 - bits), e - (int)(64 - bits));
            int shift = (int)(bits - 64);
            BigInteger q = m >> shift;
            BigInteger rest = m - (q << shift);
            BigInteger half = BigInteger.One << (shift - 1);
            if (rest > half || (rest == half && !q.IsEven)) q += 1;
            if (q.GetBitLength() > 64)
            {
                q >>= 1;
                shift++;
            }
            return new Ext(q, e + shift);
        }

        public static Ext FromDouble(double d)
        {
            if (d == 0) return new Ext(BigInteger.Zero, 0);
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(d));
            int exp = (int)((bits >> 52) & 0x7FF);
            long frac = bits & 0xF_FFFF_FFFF_FFFFL;
            return exp == 0 ? Round(frac, -1074) : Round(frac | (1L << 52), exp - 1075);
        }

        public static Ext operator *(Ext a, Ext b) => Round(a.M * b.M, a.E + b.E);

        public static Ext operator /(Ext a, Ext b)
        {
            BigInteger q = BigInteger.DivRem(a.M << 130, b.M, out BigInteger r);
            return Round((q << 1) | (r.IsZero ? BigInteger.Zero : BigInteger.One), a.E - b.E - 131);
        }

        public static Ext operator +(Ext a, Ext b)
        {
            if (a.IsZero) return b;
            if (b.IsZero) return a;
            int e = Math.Min(a.E, b.E);
            return Round((a.M << (a.E - e)) + (b.M << (b.E - e)), e);
        }

        /// <summary>a - b for a >= b.</summary>
        public static Ext operator -(Ext a, Ext b)
        {
            if (b.IsZero) return a;
            int e = Math.Min(a.E, b.E);
            return Round((a.M << (a.E - e)) - (b.M << (b.E - e)), e);
        }

        public int CompareTo(Ext b)
        {
            if (IsZero || b.IsZero) return (IsZero ? 0 : 1) - (b.IsZero ? 0 : 1);
            int e = Math.Min(E, b.E);
            return (M << (E - e)).CompareTo(b.M << (b.E - e));
        }

        /// <summary>The integer part (the value is below 2^31 where this is used).</summary>
        public int Truncate() => IsZero ? 0 : (int)(E >= 0 ? M << E : M >> -E);
    }

    private static readonly Ext One = Ext.FromDouble(1.0);
    private static readonly Ext Ten = Ext.FromDouble(10.0);
    private static readonly Ext E8 = Ext.FromDouble(1e8);
    private static readonly Ext E10 = Ext.FromDouble(1e10);
    private static readonly Ext E100 = Ext.FromDouble(1e100);
    private static readonly Ext EMinus8 = Ext.FromDouble(1e-8);
    private static readonly Ext EMinus10 = Ext.FromDouble(1e-10);
    private static readonly Ext Tenth = Ext.FromDouble(0.1);

    /// <summary>Formats <paramref name="value"/> as "%!.<paramref name="precision"/>g" (the "!" form: at least one digit after the point).</summary>
    public static string Format(double value, int precision = 20)
    {
        if (double.IsNaN(value)) return "NaN";
        var sb = new StringBuilder();
        if (value < 0) sb.Append('-');
        if (double.IsInfinity(value)) return sb.Append("Inf").ToString();
        Ext real = Ext.FromDouble(Math.Abs(value));
        if (precision > 0) precision--;
        // The rounding term: 5 in the digit after the last one printed.
        double[] halves = [5e-1, 5e-2, 5e-3, 5e-4, 5e-5, 5e-6, 5e-7, 5e-8, 5e-9, 5e-10];
        Ext rounder = Ext.FromDouble(halves[precision % 10]);
        for (int idx = precision; idx >= 10; idx -= 10) rounder *= EMinus10;
        // Scale into [1, 10).
        int exp = 0;
        if (!real.IsZero)
        {
            Ext scale = One;
            while (real.CompareTo(E100 * scale) >= 0 && exp <= 350) { scale *= E100; exp += 100; }
            while (real.CompareTo(E10 * scale) >= 0 && exp <= 350) { scale *= E10; exp += 10; }
            while (real.CompareTo(Ten * scale) >= 0 && exp <= 350) { scale *= Ten; exp++; }
            real /= scale;
            while (real.CompareTo(EMinus8) < 0) { real *= E8; exp -= 8; }
            while (real.CompareTo(One) < 0) { real *= Ten; exp--; }
            if (exp > 350) return sb.Append("Inf").ToString();
        }
        real += rounder;
        if (real.CompareTo(Ten) >= 0)
        {
            real *= Tenth;
            exp++;
        }
        bool exponential = exp < -4 || exp > precision;
        int before;
        if (exponential) before = 0;
        else
        {
            precision -= exp;
            before = exp;
        }
        int significant = 26;
        char Digit()
        {
            if (significant <= 0) return '0';
            significant--;
            int d = real.Truncate();
            real = (real - Ext.Round(d, 0)) * Ten;
            return (char)('0' + d);
        }
        if (before < 0) sb.Append('0');
        else for (; before >= 0; before--) sb.Append(Digit());
        sb.Append('.');
        for (before++; before < 0; precision--, before++) sb.Append('0');
        while (precision-- > 0) sb.Append(Digit());
        while (sb[^1] == '0') sb.Length--;
        if (sb[^1] == '.') sb.Append('0');
        if (exponential)
        {
            sb.Append('e').Append(exp < 0 ? '-' : '+');
            int x = Math.Abs(exp);
            if (x >= 100)
            {
                sb.Append((char)('0' + x / 100));
                x %= 100;
            }
            sb.Append((char)('0' + x / 10)).Append((char)('0' + x % 10));
        }
        return sb.ToString();
    }
}
