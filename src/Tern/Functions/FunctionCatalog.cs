// The functions the compiler can call by name: the core scalar functions (more of them in
// MoreScalars, MathFunctions, DateTimeFunctions and JsonFunctions) and the core aggregates. Lookup is by
// lower-case name and argument count (-1 entries take any count, above a minimum for a
// few). iif()/if() and the likelihood functions are also compiled specially.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tern.Storage.Record;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>The built-in functions.</summary>
internal static class FunctionCatalog
{
    private static readonly Dictionary<string, List<FunctionDef>> Functions = Build();

    /// <summary>Finds a function; null when no function has that name.</summary>
    public static FunctionDef? Find(string name, int argCount, out bool wrongArgCount)
    {
        wrongArgCount = false;
        if (!Functions.TryGetValue(name.ToLowerInvariant(), out List<FunctionDef>? list)) return null;
        foreach (FunctionDef f in list) if (f.ArgCount == argCount) return f;
        foreach (FunctionDef f in list) if (f.ArgCount < 0 && argCount >= MinimumArguments(f.Name)) return f;
        wrongArgCount = true;
        return null;
    }

    /// <summary>The fewest arguments an any-count function takes.</summary>
    private static int MinimumArguments(string lowerName) => lowerName switch
    {
        "concat" => 1,
        "concat_ws" or "coalesce" or "min" or "max" => 2,
        _ => 0,
    };

    public static bool IsAggregateName(string name, int argCount) =>
        Find(name, argCount, out _) is AggregateFunction;

    private static Dictionary<string, List<FunctionDef>> Build()
    {
        var d = new Dictionary<string, List<FunctionDef>>();
        void Add(FunctionDef f)
        {
            if (!d.TryGetValue(f.Name, out List<FunctionDef>? l)) d[f.Name] = l = [];
            l.Add(f);
        }
        Add(new CountAggregate(0));
        Add(new CountAggregate(1));
        Add(new SumAggregate("sum"));
        Add(new SumAggregate("total"));
        Add(new SumAggregate("avg"));
        Add(new MinMaxAggregate("min", false));
        Add(new MinMaxAggregate("max", true));
        Add(new GroupConcatAggregate(1));
        Add(new GroupConcatAggregate(2));
        Add(new GroupConcatAggregate(2, "string_agg"));
        Add(new ScalarFunction("min", -1, MinMax(false)));
        Add(new ScalarFunction("max", -1, MinMax(true)));
        Add(new ScalarFunction("abs", 1, Abs));
        Add(new ScalarFunction("length", 1, Length));
        Add(new ScalarFunction("lower", 1, (a, ref r) => CaseMap(a, ref r, false)));
        Add(new ScalarFunction("upper", 1, (a, ref r) => CaseMap(a, ref r, true)));
        Add(new ScalarFunction("typeof", 1, TypeOf));
        Add(new ScalarFunction("coalesce", -1, Coalesce));
        Add(new ScalarFunction("ifnull", 2, Coalesce));
        Add(new ScalarFunction("nullif", 2, NullIf));
        Add(new ScalarFunction("substr", 2, Substr));
        Add(new ScalarFunction("substr", 3, Substr));
        Add(new ScalarFunction("substring", 2, Substr));
        Add(new ScalarFunction("substring", 3, Substr));
        Add(new ScalarFunction("round", 1, Round));
        Add(new ScalarFunction("round", 2, Round));
        Add(new ScalarFunction("hex", 1, Hex));
        Add(new ScalarFunction("instr", 2, Instr));
        Add(new ScalarFunction("replace", 3, Replace));
        Add(new ScalarFunction("trim", 1, (a, ref r) => Trim(a, ref r, true, true)));
        Add(new ScalarFunction("ltrim", 1, (a, ref r) => Trim(a, ref r, true, false)));
        Add(new ScalarFunction("rtrim", 1, (a, ref r) => Trim(a, ref r, false, true)));
        Add(new ScalarFunction("like", 2, PatternMatch.Like));
        Add(new ScalarFunction("like", 3, PatternMatch.Like));
        Add(new ScalarFunction("glob", 2, PatternMatch.Glob));
        static void NoBody(ReadOnlySpan<Mem> a, ref Mem r) => r.SetNull();
        Add(new ScalarFunction("changes", 0, NoBody) { FromConnection = h => h.Changes });
        Add(new ScalarFunction("total_changes", 0, NoBody) { FromConnection = h => h.TotalChanges });
        Add(new ScalarFunction("last_insert_rowid", 0, NoBody) { FromConnection = h => h.LastInsertRowId });
        MoreScalars.Register(Add);
        MathFunctions.Register(Add);
        DateTimeFunctions.Register(Add);
        JsonFunctions.Register(Add);
        return d;
    }

    /// <summary>
    /// The scalar min() or max() comparing with <paramref name="collation"/>: SQLite's multi-argument
    /// forms compare text with the collation of their first argument that has one.
    /// </summary>
    public static ScalarFunction MinMaxScalar(bool max, Collation collation) => MinMaxByCollation[(max ? 3 : 0) + (int)collation];

    private static readonly ScalarFunction[] MinMaxByCollation =
        [.. new[] { false, true }.SelectMany(max => new[] { Collation.Binary, Collation.NoCase, Collation.RTrim }
            .Select(c => new ScalarFunction(max ? "max" : "min", -1, MinMax(max, c))))];

    private static ScalarBody MinMax(bool max, Collation collation = Collation.Binary) => (ReadOnlySpan<Mem> a, ref Mem r) =>
    {
        int best = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].IsNull)
            {
                r.SetNull();
                return;
            }
            // Among equal values min() keeps the last, max() the first, as SQLite does.
            int c = MemCompare.Compare(a[i], a[best], collation);
            if (max ? c > 0 : c <= 0) best = i;
        }
        r = a[best];
    };

    /// <summary>abs(X): integers stay integers (the smallest one overflows); anything else is read as a double.</summary>
    private static void Abs(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Mem m = a[0];
        switch (m.Kind)
        {
            case MemKind.Null:
                r.SetNull();
                return;
            case MemKind.Int:
                if (m.I == long.MinValue) throw new TernException(ResultCode.Error, "integer overflow");
                r.SetInt(Math.Abs(m.I));
                return;
            default:
                {
                    double v = ArgValues.Double(m);
                    r.SetReal(v < 0 ? -v : v);
                    return;
                }
        }
    }

    private static void Length(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Mem m = a[0];
        switch (m.Kind)
        {
            case MemKind.Null: r.SetNull(); return;
            case MemKind.Blob: r.SetInt(m.Length); return;
            case MemKind.Text:
                {
                    // Characters up to the first NUL, as SQLite counts them.
                    ReadOnlySpan<byte> text = m.Span;
                    int nul = text.IndexOf((byte)0);
                    if (nul >= 0) text = text[..nul];
                    r.SetInt(CountChars(text));
                    return;
                }
            default: r.SetInt(NumericText.ToUtf8(m).Length); return;
        }
    }

    private static void CaseMap(ReadOnlySpan<Mem> a, ref Mem r, bool upper)
    {
        if (a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] b = NumericText.ToUtf8(a[0]);
        for (int i = 0; i < b.Length; i++)
        {
            if (upper && b[i] is >= (byte)'a' and <= (byte)'z') b[i] -= 32;
            else if (!upper && b[i] is >= (byte)'A' and <= (byte)'Z') b[i] += 32;
        }
        r.SetText(b);
    }

    private static void TypeOf(ReadOnlySpan<Mem> a, ref Mem r) => MemText.Set(ref r, a[0].Kind switch
    {
        MemKind.Int => "integer",
        MemKind.Real => "real",
        MemKind.Text => "text",
        MemKind.Blob => "blob",
        _ => "null",
    });

    private static void Coalesce(ReadOnlySpan<Mem> a, ref Mem r)
    {
        foreach (Mem m in a)
        {
            if (!m.IsNull)
            {
                r = m;
                return;
            }
        }
        r.SetNull();
    }

    private static void NullIf(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (MemCompare.Compare(a[0], a[1]) == 0) r.SetNull();
        else r = a[0];
    }

    /// <summary>
    /// substr(X, P1[, P2]) with SQLite's 64-bit arithmetic (wrapping where SQLite's does):
    /// positions count characters of text (up to its first NUL) and bytes of a blob; an empty
    /// blob gives NULL; without P2 the length is SQLite's string limit.
    /// </summary>
    private static void Substr(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull || (a.Length > 2 && a[2].IsNull) || (a[0].Kind == MemKind.Blob && a[0].Length == 0))
        {
            r.SetNull();
            return;
        }
        bool blob = a[0].Kind == MemKind.Blob;
        byte[] src = NumericText.ToUtf8(a[0]);
        int nul = blob ? -1 : Array.IndexOf(src, (byte)0);
        int size = nul >= 0 ? nul : src.Length;
        long p1 = ArgValues.Int64(a[1]);
        long len = blob ? size : p1 < 0 ? CountChars(src.AsSpan(0, size)) : 0;
        bool negP2 = false;
        long p2 = ArgValues.MaxLength;
        unchecked
        {
            if (a.Length > 2)
            {
                p2 = ArgValues.Int64(a[2]);
                if (p2 < 0)
                {
                    p2 = -p2;
                    negP2 = true;
                }
            }
            if (p1 < 0)
            {
                p1 += len;
                if (p1 < 0)
                {
                    p2 += p1;
                    if (p2 < 0) p2 = 0;
                    p1 = 0;
                }
            }
            else if (p1 > 0) p1--;
            else if (p2 > 0) p2--;
            if (negP2)
            {
                p1 -= p2;
                if (p1 < 0)
                {
                    p2 += p1;
                    p1 = 0;
                }
            }
        }
        if (p2 < 0) p2 = 0;
        Debug.Assert(p1 >= 0);
        if (blob)
        {
            if (p1 >= len) p1 = p2 = 0;
            else if (p2 > len - p1) p2 = len - p1;
            byte[] outb = src.AsSpan((int)p1, (int)p2).ToArray();
            r.SetBytes(MemKind.Blob, outb, 0, outb.Length);
            return;
        }
        int bs = SkipChars(src, 0, size, p1);
        int be = SkipChars(src, bs, size, p2);
        r.SetText(src.AsSpan(bs, be - bs).ToArray());
    }

    /// <summary>
    /// Characters as SQLite steps over them: a byte of 0xC0 or more takes the continuation
    /// bytes that follow it; any other byte (a stray continuation byte included) is one character.
    /// </summary>
    private static long CountChars(ReadOnlySpan<byte> s)
    {
        long n = 0;
        for (int i = 0; i < s.Length; n++) i = NextChar(s, i, s.Length);
        return n;
    }

    /// <summary>The byte offset of the character after the one at <paramref name="i"/> (at most <paramref name="end"/>).</summary>
    private static int NextChar(ReadOnlySpan<byte> s, int i, int end)
    {
        if (s[i++] >= 0xC0)
        {
            while (i < end && (s[i] & 0xC0) == 0x80) i++;
        }
        return i;
    }

    /// <summary>The byte offset <paramref name="count"/> characters after <paramref name="from"/> (at most <paramref name="end"/>).</summary>
    private static int SkipChars(byte[] s, int from, int end, long count)
    {
        int i = from;
        while (i < end && count > 0)
        {
            i = NextChar(s, i, end);
            count--;
        }
        return i;
    }

    /// <summary>
    /// round(X[, N]): N (0 to 30 digits) is read as an integer; a value beyond 2^52 has no
    /// fraction to round; N = 0 rounds half away from zero through a 64-bit integer;
    /// otherwise the value is printed with "%!.Nf" and read back as SQLite reads numbers.
    /// </summary>
    private static void Round(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || (a.Length > 1 && a[1].IsNull))
        {
            r.SetNull();
            return;
        }
        long digits = a.Length > 1 ? Math.Clamp(ArgValues.Int64(a[1]), 0, 30) : 0;
        double x = ArgValues.Double(a[0]);
        if (x is < -4503599627370496.0 or > 4503599627370496.0)
        {
            // No fractional part to round.
        }
        else if (digits == 0) x = (long)(x + (x < 0 ? -0.5 : 0.5));
        else
        {
            var v = default(Mem);
            v.Kind = MemKind.Real;
            v.R = x;
            var n = default(Mem);
            n.SetInt(digits);
            x = FloatDecimal.Parse(Printf.Format("%!.*f"u8, [n, v]));
        }
        r.SetReal(x);
    }

    private static void Hex(ReadOnlySpan<Mem> a, ref Mem r) =>
        MemText.Set(ref r, Convert.ToHexString(a[0].IsNull ? [] : NumericText.ToUtf8(a[0])));

    /// <summary>
    /// instr(X, Y): the 1-based position of Y's first occurrence in X. Two blobs are searched
    /// byte by byte; otherwise both are read as text and the search steps a character at a
    /// time (a byte of 0xC0 or more with its continuation bytes, as SQLite steps), counting
    /// characters. An empty Y is found at 1.
    /// </summary>
    private static void Instr(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] h = NumericText.ToUtf8(a[0]), n = NumericText.ToUtf8(a[1]);
        if (n.Length == 0)
        {
            r.SetInt(1);
            return;
        }
        bool text = a[0].Kind != MemKind.Blob || a[1].Kind != MemKind.Blob;
        long position = 1;
        int p = 0;
        while (n.Length <= h.Length - p && !h.AsSpan(p, n.Length).SequenceEqual(n))
        {
            position++;
            p++;
            if (text)
            {
                while (p < h.Length && (h[p] & 0xC0) == 0x80) p++;
            }
        }
        r.SetInt(n.Length > h.Length - p ? 0 : position);
    }

    /// <summary>
    /// replace(X, Y, Z) on bytes, as SQLite does it: X and Y are read as text; a Y that is
    /// empty or starts with a NUL byte gives X's text unchanged, before Z is looked at (so a
    /// NULL Z does not matter then); otherwise every byte-for-byte occurrence of Y, scanning
    /// from the left and resuming after each match, is replaced by Z's text.
    /// </summary>
    private static void Replace(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] s = NumericText.ToUtf8(a[0]);
        byte[] f = NumericText.ToUtf8(a[1]);
        if (f.Length == 0 || f[0] == 0)
        {
            r.SetText(s);
            return;
        }
        if (a[2].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] z = NumericText.ToUtf8(a[2]);
        var b = new ByteBuilder();
        int i = 0;
        while (i <= s.Length - f.Length)
        {
            int k = s.AsSpan(i, s.Length - i).IndexOf(f);
            if (k < 0) break;
            b.Append(s.AsSpan(i, k));
            b.Append(z);
            i += k + f.Length;
        }
        b.Append(s.AsSpan(i));
        b.SetText(ref r);
    }

    private static void Trim(ReadOnlySpan<Mem> a, ref Mem r, bool left, bool right)
    {
        if (a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        ReadOnlySpan<byte> s = NumericText.ToUtf8(a[0]);
        if (left) s = s.TrimStart((byte)' ');
        if (right) s = s.TrimEnd((byte)' ');
        r.SetText(s.ToArray());
    }
}
