// SQLite's printf()/format(): its own printf dialect, not C's. Conversions: d i u x X o
// p r (integers; u x X o p unsigned, p being %X with a 0x prefix, r an ordinal such as
// 1st or 22nd), f e E g G (reals, with the digits of FloatDecimal: at most 16
// significant, 26 with '!'), s z (text), q Q w (text with its quotes doubled; Q adds the
// quotes and prints NULL bare; '#' escapes control characters unistr()-style), c (the
// first character, repeated precision times), n (nothing) and %%. Flags - + space # 0 ,
// and ! (for reals: keep ".0" and allow more digits; for text: width and precision
// count characters, not bytes); width and precision may be '*' (taken from the
// arguments, truncated to 32 bits). 'l' and 'll' are accepted and ignored. An unknown
// conversion, or the internal-only %T and %S, ends the output at that point. Missing
// arguments read as 0, 0.0 or NULL. The result is NULL when nothing at all was appended
// (an empty format) or when it outgrows the length limit.
using System.Text;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>SQLite's printf formatting.</summary>
internal static class Printf
{
    /// <summary>The printf()/format() SQL function.</summary>
    public static void Function(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a.Length == 0 || a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[]? result = Format(ArgValues.CString(NumericText.ToUtf8(a[0])), a[1..]);
        if (result is null) r.SetNull();
        else r.SetText(result);
    }

    /// <summary>Formats with an ASCII format string (for the engine's own uses).</summary>
    public static string Format(string format, params Mem[] args) =>
        Encoding.UTF8.GetString(Format(Encoding.ASCII.GetBytes(format), args) ?? []);

    /// <summary>Formats; null when nothing was appended or the result is too big.</summary>
    public static byte[]? Format(ReadOnlySpan<byte> fmt, ReadOnlySpan<Mem> args)
    {
        var st = new State(args);
        var output = new ByteBuilder();
        Run(fmt, ref st, output);
        if (!st.Touched || output.TooBig) return null;
        return output.ToArray();
    }

    private ref struct State(ReadOnlySpan<Mem> args)
    {
        private readonly ReadOnlySpan<Mem> _args = args;
        private int _used;

        public bool Touched;

        public long IntArg() => _used < _args.Length ? ArgValues.Int64(_args[_used++]) : 0;

        public double DoubleArg() => _used < _args.Length ? ArgValues.Double(_args[_used++]) : 0.0;

        public byte[]? TextArg() => _used < _args.Length ? ArgValues.Text(_args[_used++]) : null;
    }

    private static void Run(ReadOnlySpan<byte> fmt, ref State st, ByteBuilder output)
    {
        int i = 0;
        byte C(int k, ReadOnlySpan<byte> f) => k < f.Length ? f[k] : (byte)0;
        while (i < fmt.Length)
        {
            if (fmt[i] != '%')
            {
                int j = i;
                while (j < fmt.Length && fmt[j] != '%') j++;
                output.Append(fmt[i..j]);
                st.Touched = true;
                i = j;
                continue;
            }
            i++;
            if (i >= fmt.Length)
            {
                output.Append((byte)'%');
                st.Touched = true;
                return;
            }

            bool left = false, alt = false, alt2 = false, zeroPad = false, thousands = false;
            byte signFlag = 0;
            int width = 0, precision = -1;
            byte c = fmt[i];
            while (true)
            {
                bool done = false;
                switch (c)
                {
                    case (byte)'-': left = true; break;
                    case (byte)'+': signFlag = (byte)'+'; break;
                    case (byte)' ': signFlag = (byte)' '; break;
                    case (byte)'#': alt = true; break;
                    case (byte)'!': alt2 = true; break;
                    case (byte)'0': zeroPad = true; break;
                    case (byte)',': thousands = true; break;
                    case (byte)'l':
                        c = C(++i, fmt);
                        if (c == 'l') c = C(++i, fmt);
                        done = true;
                        break;
                    case >= (byte)'1' and <= (byte)'9':
                        {
                            uint wx = (uint)(c - '0');
                            while ((c = C(++i, fmt)) is >= (byte)'0' and <= (byte)'9') wx = unchecked(wx * 10 + (uint)(c - '0'));
                            width = (int)(wx & 0x7fffffff);
                            if (c != '.' && c != 'l') done = true;
                            else i--;
                            break;
                        }
                    case (byte)'*':
                        {
                            width = unchecked((int)st.IntArg());
                            if (width < 0)
                            {
                                left = true;
                                width = width >= -2147483647 ? -width : 0;
                            }
                            byte next = C(i + 1, fmt);
                            if (next != '.' && next != 'l')
                            {
                                c = C(++i, fmt);
                                done = true;
                            }
                            break;
                        }
                    case (byte)'.':
                        {
                            c = C(++i, fmt);
                            if (c == '*')
                            {
                                precision = unchecked((int)st.IntArg());
                                if (precision < 0) precision = precision >= -2147483647 ? -precision : -1;
                                c = C(++i, fmt);
                            }
                            else
                            {
                                uint px = 0;
                                while (c is >= (byte)'0' and <= (byte)'9')
                                {
                                    px = unchecked(px * 10 + (uint)(c - '0'));
                                    c = C(++i, fmt);
                                }
                                precision = (int)(px & 0x7fffffff);
                            }
                            if (c == 'l') i--;
                            else done = true;
                            break;
                        }
                    default:
                        done = true;
                        break;
                }
                if (done) break;
                c = C(++i, fmt);
                if (c == 0) break;
            }
            i++;

            var spec = new Spec
            {
                Left = left,
                Alt = alt,
                Alt2 = alt2,
                ZeroPad = zeroPad,
                Thousands = thousands,
                SignFlag = signFlag,
                Width = width,
                Precision = precision,
            };
            if (c is (byte)'d' or (byte)'i' or (byte)'u' or (byte)'r' or (byte)'x' or (byte)'p' or (byte)'X' or (byte)'o'
                && precision > ArgValues.MaxLength - 16)
            {
                // Zero-padding to such a precision cannot fit in a result.
                output.MarkTooBig();
                return;
            }
            switch (c)
            {
                case (byte)'d' or (byte)'i':
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), true, 10, false, ""), spec);
                    break;
                case (byte)'u':
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), false, 10, false, ""), spec);
                    break;
                case (byte)'r':
                    spec.Thousands = false;
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), true, 10, false, "", ordinal: true), spec);
                    break;
                case (byte)'x':
                    spec.Thousands = false;
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), false, 16, false, "0x"), spec);
                    break;
                case (byte)'p':
                    spec.Thousands = false;
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), false, 16, true, "0x"), spec);
                    break;
                case (byte)'X':
                    spec.Thousands = false;
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), false, 16, true, "0X"), spec);
                    break;
                case (byte)'o':
                    spec.Thousands = false;
                    Emit(output, ref st, IntegerText(ref spec, st.IntArg(), false, 8, false, "0"), spec);
                    break;
                case (byte)'f' or (byte)'e' or (byte)'E' or (byte)'g' or (byte)'G':
                    Emit(output, ref st, FloatText(st.DoubleArg(), (char)c, spec), spec);
                    break;
                case (byte)'s' or (byte)'z':
                    StringConversion(output, ref st, spec);
                    break;
                case (byte)'q' or (byte)'Q' or (byte)'w':
                    EscapeConversion(output, ref st, (char)c, spec);
                    break;
                case (byte)'c':
                    CharConversion(output, ref st, spec);
                    break;
                case (byte)'n':
                    spec.Width = 0;
                    Emit(output, ref st, [], spec);
                    break;
                case (byte)'%':
                    Emit(output, ref st, "%"u8, spec);
                    break;
                default:
                    // An unknown conversion (or one for internal use only) ends the output.
                    return;
            }
        }
    }

    private struct Spec
    {
        public bool Left, Alt, Alt2, ZeroPad, Thousands;
        public byte SignFlag;
        public int Width, Precision;
    }

    /// <summary>Appends a converted field padded with spaces to its width.</summary>
    private static void Emit(ByteBuilder output, ref State st, ReadOnlySpan<byte> text, Spec spec)
    {
        st.Touched = true;
        long pad = (long)spec.Width - text.Length;
        if (pad > 0 && !spec.Left) output.AppendRepeat((byte)' ', pad);
        output.Append(text);
        if (pad > 0 && spec.Left) output.AppendRepeat((byte)' ', pad);
    }

    private static byte[] IntegerText(ref Spec spec, long arg, bool signed, int radix, bool upper, string altPrefix, bool ordinal = false)
    {
        ulong v;
        byte sign = 0;
        if (signed)
        {
            if (arg < 0)
            {
                v = unchecked((ulong)~arg + 1);
                sign = (byte)'-';
            }
            else
            {
                v = (ulong)arg;
                sign = spec.SignFlag;
            }
        }
        else v = unchecked((ulong)arg);
        bool alt = spec.Alt && v != 0 && radix != 10;
        int precision = spec.Precision;
        if (spec.ZeroPad && precision < spec.Width - (sign != 0 ? 1 : 0)) precision = spec.Width - (sign != 0 ? 1 : 0);

        var body = new List<byte>(24);
        if (ordinal)
        {
            int x = (int)(v % 10);
            if (x >= 4 || (v / 10) % 10 == 1) x = 0;
            string suffix = x switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
            body.Add((byte)suffix[1]);
            body.Add((byte)suffix[0]);
        }
        string digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        do
        {
            body.Add((byte)digits[(int)(v % (ulong)radix)]);
            v /= (ulong)radix;
        }
        while (v > 0);
        while (body.Count < precision) body.Add((byte)'0');
        body.Reverse();
        if (spec.Thousands)
        {
            int n = body.Count;
            var grouped = new List<byte>(n + n / 3);
            for (int k = 0; k < n; k++)
            {
                if (k > 0 && (n - k) % 3 == 0) grouped.Add((byte)',');
                grouped.Add(body[k]);
            }
            body = grouped;
        }
        if (sign != 0) body.Insert(0, sign);
        if (alt) body.InsertRange(0, Encoding.ASCII.GetBytes(altPrefix));
        return body.ToArray();
    }

    /// <summary>The text of a real for the f, e, E, g and G conversions (before width padding).</summary>
    private static byte[] FloatText(double value, char conv, Spec spec)
    {
        int precision = spec.Precision < 0 ? 6 : Math.Min(spec.Precision, 100000000);
        char type = char.ToLowerInvariant(conv);
        int round;
        if (type == 'f') round = -precision;
        else if (type == 'g')
        {
            if (precision == 0) precision = 1;
            round = precision;
        }
        else round = precision + 1;
        FloatDecimal d = FloatDecimal.Decode(value, round, spec.Alt2 ? 26 : 16);
        if (d.Special == 2) return Encoding.ASCII.GetBytes(spec.ZeroPad ? "null" : "NaN");
        if (d.Special == 1)
        {
            if (!spec.ZeroPad)
            {
                if (d.Sign == '-') return "-Inf"u8.ToArray();
                return spec.SignFlag != 0 ? [spec.SignFlag, (byte)'I', (byte)'n', (byte)'f'] : "Inf"u8.ToArray();
            }
            // Zero-padded infinities print as 9e+999.
            d.Digits = "9";
            d.DecimalPoint = 1000;
        }
        byte sign = d.Sign == '-' ? (byte)'-' : spec.SignFlag;
        int exp = d.DecimalPoint - 1;
        bool trimZeros;
        if (type == 'g')
        {
            precision--;
            trimZeros = !spec.Alt;
            if (exp < -4 || exp > precision) type = 'e';
            else
            {
                precision -= exp;
                type = 'f';
            }
        }
        else trimZeros = spec.Alt2;
        int e2 = type == 'e' ? 0 : d.DecimalPoint - 1;
        string z = d.Digits;
        int j = 0;
        var b = new StringBuilder();
        if (sign != 0) b.Append((char)sign);
        if (e2 < 0) b.Append('0');
        else
        {
            for (; e2 >= 0; e2--)
            {
                b.Append(j < z.Length ? z[j++] : '0');
                if (spec.Thousands && e2 % 3 == 0 && e2 > 1) b.Append(',');
            }
        }
        bool point = precision > 0 || spec.Alt || spec.Alt2;
        if (point) b.Append('.');
        for (e2++; e2 < 0 && precision > 0; precision--, e2++) b.Append('0');
        while (precision-- > 0) b.Append(j < z.Length ? z[j++] : '0');
        if (trimZeros && point)
        {
            int end = b.Length;
            while (b[end - 1] == '0') end--;
            b.Length = end;
            if (b[end - 1] == '.')
            {
                if (spec.Alt2) b.Append('0');
                else b.Length = end - 1;
            }
        }
        if (type == 'e')
        {
            b.Append(char.IsUpper(conv) ? 'E' : 'e');
            int x = exp;
            if (x < 0)
            {
                b.Append('-');
                x = -x;
            }
            else b.Append('+');
            if (x >= 100)
            {
                b.Append((char)('0' + x / 100));
                x %= 100;
            }
            b.Append((char)('0' + x / 10));
            b.Append((char)('0' + x % 10));
        }
        if (spec.ZeroPad && !spec.Left && b.Length < spec.Width)
            b.Insert(sign != 0 ? 1 : 0, "0", spec.Width - b.Length);
        return Encoding.ASCII.GetBytes(b.ToString());
    }

    private static void StringConversion(ByteBuilder output, ref State st, Spec spec)
    {
        byte[]? t = st.TextArg();
        ReadOnlySpan<byte> s = t is null ? [] : ArgValues.CString(t);
        int length;
        if (spec.Precision >= 0)
        {
            if (spec.Alt2)
            {
                int p = 0;
                for (int k = spec.Precision; k > 0 && p < s.Length; k--)
                {
                    if (s[p++] >= 0xC0)
                    {
                        while (p < s.Length && (s[p] & 0xC0) == 0x80) p++;
                    }
                }
                length = p;
            }
            else length = Math.Min(spec.Precision, s.Length);
        }
        else length = s.Length;
        s = s[..length];
        spec.Width = WidthInCharacters(s, spec);
        Emit(output, ref st, s, spec);
    }

    private static void EscapeConversion(ByteBuilder output, ref State st, char conv, Spec spec)
    {
        byte quote = conv == 'w' ? (byte)'"' : (byte)'\'';
        byte[]? t = st.TextArg();
        bool isNull = t is null;
        ReadOnlySpan<byte> s = isNull ? (conv == 'Q' ? "NULL"u8 : "(NULL)"u8) : ArgValues.CString(t);
        int i = 0;
        for (int k = spec.Precision; k != 0 && i < s.Length; i++, k--)
        {
            if (spec.Alt2 && (s[i] & 0xC0) == 0xC0)
            {
                while (i + 1 < s.Length && (s[i + 1] & 0xC0) == 0x80) i++;
            }
        }
        bool addQuotes = !isNull && conv == 'Q';

        // '#' on q and Q: control characters become \u00XX and backslashes double, as
        // unistr() reads them; %#Q then wraps the literal in unistr(...), and does all
        // this only when there is a control character to escape.
        bool escape = false;
        if (spec.Alt && conv != 'w')
        {
            bool control = false;
            for (int k = 0; k < i; k++) control |= s[k] <= 0x1F;
            escape = control || conv == 'q';
        }
        var b = new List<byte>(i + 8);
        if (addQuotes && escape) b.AddRange("unistr("u8);
        if (addQuotes) b.Add(quote);
        for (int k = 0; k < i; k++)
        {
            byte x = s[k];
            if (escape && x == '\\')
            {
                b.Add(x);
                b.Add(x);
            }
            else if (escape && x <= 0x1F)
            {
                b.AddRange(Encoding.ASCII.GetBytes("\\u00" + x.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                b.Add(x);
                if (x == quote) b.Add(quote);
            }
        }
        if (addQuotes) b.Add(quote);
        if (addQuotes && escape) b.Add((byte)')');
        byte[] text = b.ToArray();
        spec.Width = WidthInCharacters(text, spec);
        Emit(output, ref st, text, spec);
    }

    private static void CharConversion(ByteBuilder output, ref State st, Spec spec)
    {
        byte[]? t = st.TextArg();
        var ch = new List<byte>(4);
        if (t is null || t.Length == 0) ch.Add(0);
        else
        {
            ch.Add(t[0]);
            if ((t[0] & 0xC0) == 0xC0)
            {
                for (int k = 1; ch.Count < 4 && k < t.Length && (t[k] & 0xC0) == 0x80; k++) ch.Add(t[k]);
            }
        }
        byte[] one = ch.ToArray();
        if (spec.Precision > 1)
        {
            spec.Width -= spec.Precision - 1;
            if (spec.Width > 1 && !spec.Left)
            {
                output.AppendRepeat((byte)' ', spec.Width - 1);
                spec.Width = 0;
            }
            if ((long)(spec.Precision - 1) * one.Length + output.Length > ArgValues.MaxLength) output.MarkTooBig();
            for (int k = 1; k < spec.Precision && !output.TooBig; k++) output.Append(one);
            st.Touched = true;
        }
        spec.Alt2 = true;
        spec.Width = WidthInCharacters(one, spec);
        Emit(output, ref st, one, spec);
    }

    /// <summary>With '!', a width counts characters: widen it by the text's continuation bytes.</summary>
    private static int WidthInCharacters(ReadOnlySpan<byte> text, Spec spec)
    {
        int width = spec.Width;
        if (spec.Alt2 && width > 0)
        {
            foreach (byte x in text) if ((x & 0xC0) == 0x80) width++;
        }
        return width;
    }
}
