// The decimal digits of a double as SQLite's printf finds them: the value is scaled by
// powers of ten in double-double arithmetic (a Dekker product against each power and
// the power's rounding error) until it lies between about 9.22e17 and 9.22e18, the
// 18 or 19 digits of that integer are taken, and they are rounded half-up once, at the
// requested place but never past mxRound significant digits (16, or 26 for the '!'
// flag). Reproducing the arithmetic step for step makes even the last digits of
// "%!.20e" (as quote() prints reals) agree with SQLite, and the text of every REAL
// ("%!.15g", ToSqlText) round exactly as SQLite's does.
namespace Tern.Functions;

/// <summary>A double decoded to decimal digits.</summary>
internal struct FloatDecimal
{
    /// <summary>'-' or '+'.</summary>
    public char Sign;

    /// <summary>0 for a finite value, 1 for an infinity, 2 for NaN.</summary>
    public int Special;

    /// <summary>The significant digits (no trailing zeros; "0" for zero).</summary>
    public string Digits;

    /// <summary>Where the decimal point falls: the value is 0.Digits times 10^DecimalPoint.</summary>
    public int DecimalPoint;

    /// <summary>
    /// Decodes <paramref name="r"/>. A positive <paramref name="round"/> asks for that many
    /// significant digits; zero or negative asks for -<paramref name="round"/> digits after
    /// the decimal point.
    /// </summary>
    public static FloatDecimal Decode(double r, int round, int maxRound)
    {
        var d = new FloatDecimal { Sign = '+', Digits = "" };
        if (r < 0)
        {
            d.Sign = '-';
            r = -r;
        }
        else if (r == 0)
        {
            d.Digits = "0";
            d.DecimalPoint = 1;
            return d;
        }
        if (double.IsNaN(r))
        {
            d.Special = 2;
            return d;
        }
        if (double.IsInfinity(r))
        {
            d.Special = 1;
            return d;
        }

        double hi = r, lo = 0;
        int exp = 0;
        if (hi > 9.223372036854774784e+18)
        {
            while (hi > 9.223372036854774784e+118)
            {
                exp += 100;
                Multiply(ref hi, ref lo, 1.0e-100, -1.99918998026028836196e-117);
            }
            while (hi > 9.223372036854774784e+28)
            {
                exp += 10;
                Multiply(ref hi, ref lo, 1.0e-10, -3.6432197315497741579e-27);
            }
            while (hi > 9.223372036854774784e+18)
            {
                exp += 1;
                Multiply(ref hi, ref lo, 1.0e-01, -5.5511151231257827021e-18);
            }
        }
        else
        {
            while (hi < 9.223372036854774784e-83)
            {
                exp -= 100;
                Multiply(ref hi, ref lo, 1.0e+100, -1.5902891109759918046e+83);
            }
            while (hi < 9.223372036854774784e+07)
            {
                exp -= 10;
                Multiply(ref hi, ref lo, 1.0e+10, 0.0);
            }
            while (hi < 9.22337203685477478e+17)
            {
                exp -= 1;
                Multiply(ref hi, ref lo, 1.0e+01, 0.0);
            }
        }
        ulong v = lo < 0 ? (ulong)hi - (ulong)(-lo) : (ulong)hi + (ulong)lo;

        // Digits, with one spare place in front for a carry out of the rounding.
        char[] z = ("0" + v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToCharArray();
        int start = 1;
        int n = z.Length - 1;
        d.DecimalPoint = n + exp;
        if (round <= 0)
        {
            round = d.DecimalPoint - round;
            if (round == 0 && z[start] >= '5')
            {
                // Rounds up to a new leading digit: put a zero in front and round after it.
                round = 1;
                start--;
                n++;
                d.DecimalPoint++;
            }
        }
        if (round > 0 && (round < n || n > maxRound))
        {
            if (round > maxRound) round = maxRound;
            n = round;
            if (z[start + round] >= '5')
            {
                int j = start + round - 1;
                while (true)
                {
                    z[j]++;
                    if (z[j] <= '9') break;
                    z[j] = '0';
                    if (j == start)
                    {
                        // 99..9 rounded up: the carry becomes a new leading 1.
                        start--;
                        z[start] = '1';
                        n = 1;
                        d.DecimalPoint++;
                        break;
                    }
                    j--;
                }
            }
        }
        while (n > 0 && z[start + n - 1] == '0') n--;
        d.Digits = new string(z, start, n);
        return d;
    }

    /// <summary>
    /// A REAL's text as SQLite writes it ("%!.15g"): 15 significant digits rounded half-up,
    /// trailing zeros dropped but always a ".0" or an exponent, exponent form below 1e-4
    /// and from 1e15 on; infinities as Inf and -Inf; negative zero as 0.0.
    /// </summary>
    public static string ToSqlText(double r)
    {
        FloatDecimal d = Decode(r, 15, 26);
        if (d.Special != 0) return d.Sign == '-' ? "-Inf" : "Inf";
        string z = d.Digits;
        int exp = d.DecimalPoint - 1;
        var b = new System.Text.StringBuilder(24);
        if (d.Sign == '-') b.Append('-');
        if (exp < -4 || exp > 14)
        {
            b.Append(z[0]).Append('.');
            if (z.Length > 1) b.Append(z, 1, z.Length - 1);
            else b.Append('0');
            b.Append(exp < 0 ? "e-" : "e+");
            int x = Math.Abs(exp);
            if (x < 10) b.Append('0');
            b.Append(x);
            return b.ToString();
        }
        if (exp < 0)
        {
            b.Append("0.").Append('0', -exp - 1).Append(z);
            return b.ToString();
        }
        // Digits before the point (padded with zeros), then the rest, or ".0".
        if (z.Length <= exp + 1) b.Append(z).Append('0', exp + 1 - z.Length).Append(".0");
        else b.Append(z, 0, exp + 1).Append('.').Append(z, exp + 1, z.Length - exp - 1);
        return b.ToString();
    }

    /// <summary>
    /// The double SQLite reads from a decimal number: the digits (up to about 19
    /// significant) as a 64-bit integer, scaled by its power of ten in the same
    /// double-double steps as Decode. Not always the nearest double (1e-300 reads one unit
    /// in the last place low), which is why SQLite's own round trips need this reading.
    /// The text must be a number: optional spaces and sign, digits with an optional point,
    /// an optional exponent.
    /// </summary>
    public static double Parse(ReadOnlySpan<byte> z)
    {
        int p = 0;
        while (p < z.Length && ArgValues.IsSpace(z[p])) p++;
        bool negative = false;
        if (p < z.Length && (z[p] == '-' || z[p] == '+'))
        {
            negative = z[p] == '-';
            p++;
        }
        const ulong big = (ulong.MaxValue - 9) / 10;
        ulong s = 0;
        int d = 0;
        while (p < z.Length && IsDigit(z[p]))
        {
            s = s * 10 + (ulong)(z[p++] - '0');
            if (s >= big)
            {
                // Further integer digits only scale the value.
                while (p < z.Length && IsDigit(z[p]))
                {
                    p++;
                    d++;
                }
            }
        }
        if (p < z.Length && z[p] == '.')
        {
            p++;
            for (; p < z.Length && IsDigit(z[p]); p++)
            {
                if (s < big)
                {
                    s = s * 10 + (ulong)(z[p] - '0');
                    d--;
                }
            }
        }
        int e = 0;
        if (p < z.Length && (z[p] == 'e' || z[p] == 'E'))
        {
            p++;
            int esign = 1;
            if (p < z.Length && (z[p] == '-' || z[p] == '+'))
            {
                esign = z[p] == '-' ? -1 : 1;
                p++;
            }
            for (; p < z.Length && IsDigit(z[p]); p++) e = e < 10000 ? e * 10 + (z[p] - '0') : 10000;
            e *= esign;
        }
        if (s == 0) return negative ? -0.0 : 0.0;
        e += d;
        while (e > 0 && s < (ulong.MaxValue - 0x7ff) / 10)
        {
            s *= 10;
            e--;
        }
        while (e < 0 && s % 10 == 0)
        {
            s /= 10;
            e++;
        }
        double hi = s, lo;
        if (hi <= 18446744073709549568.0)
        {
            ulong s2 = (ulong)hi;
            lo = s >= s2 ? (double)(s - s2) : -(double)(s2 - s);
        }
        else lo = 0.0;
        if (e > 0)
        {
            for (; e >= 100; e -= 100) Multiply(ref hi, ref lo, 1.0e+100, -1.5902891109759918046e+83);
            for (; e >= 10; e -= 10) Multiply(ref hi, ref lo, 1.0e+10, 0.0);
            for (; e >= 1; e -= 1) Multiply(ref hi, ref lo, 1.0e+01, 0.0);
        }
        else
        {
            for (; e <= -100; e += 100) Multiply(ref hi, ref lo, 1.0e-100, -1.99918998026028836196e-117);
            for (; e <= -10; e += 10) Multiply(ref hi, ref lo, 1.0e-10, -3.6432197315497741579e-27);
            for (; e <= -1; e += 1) Multiply(ref hi, ref lo, 1.0e-01, -5.5511151231257827021e-18);
        }
        double r = hi + lo;
        if (double.IsNaN(r)) r = double.PositiveInfinity;
        return negative ? -r : r;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>
    /// Multiplies the double-double (hi, lo) by y + yy, where yy is y's error term: Dekker's
    /// product with each factor split by clearing its low 26 mantissa bits.
    /// </summary>
    private static void Multiply(ref double hi, ref double lo, double y, double yy)
    {
        double hx = Split(hi);
        double tx = hi - hx;
        double hy = Split(y);
        double ty = y - hy;
        double p = hx * hy;
        double q = hx * ty + tx * hy;
        double c = p + q;
        double cc = p - c + q + tx * ty;
        cc = hi * yy + lo * y + cc;
        double h = c + cc;
        double l = c - h;
        l += cc;
        hi = h;
        lo = l;
    }

    private static double Split(double x) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & unchecked((long)0xfffffffffc000000UL));
}
