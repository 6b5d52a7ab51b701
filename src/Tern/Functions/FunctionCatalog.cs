// The functions the compiler can call by name: the core scalar functions (more of them in
// MoreScalars, MathFunctions, DateTimeFunctions and JsonFunctions) and the core aggregates. Lookup is by
// lower-case name and argument count (-1 entries take any count, above a minimum for a
// few). iif()/if() and the likelihood functions are also compiled specially.
using System.Globalization;
using System.Text;
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

    private static ScalarBody MinMax(bool max) => (ReadOnlySpan<Mem> a, ref Mem r) =>
    {
        int best = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].IsNull)
            {
                r.SetNull();
                return;
            }
            int c = MemCompare.Compare(a[i], a[best]);
            if (max ? c > 0 : c < 0) best = i;
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
                    long n = 0;
                    foreach (byte b in text) if ((b & 0xC0) != 0x80) n++;
                    r.SetInt(n);
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

    private static void Substr(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull || (a.Length > 2 && a[2].IsNull))
        {
            r.SetNull();
            return;
        }
        bool blob = a[0].Kind == MemKind.Blob;
        byte[] src = NumericText.ToUtf8(a[0]);
        if (blob && src.Length == 0)
        {
            r.SetNull(); // SQLite reads an empty blob as no value at all
            return;
        }
        // Work in characters for text, bytes for blobs.
        int[] starts = blob ? [] : CharStarts(src);
        long len = blob ? src.Length : starts.Length;
        long p1 = ArgValues.Int64(a[1]);
        long p2 = a.Length > 2 ? ArgValues.Int64(a[2]) : long.MaxValue / 4;
        if (p1 < 0)
        {
            p1 += len;
            if (p1 < 0)
            {
                p2 += p1;
                p1 = 0;
            }
        }
        else if (p1 > 0) p1--;
        else if (p2 > 0) p2--;
        if (p2 < 0)
        {
            p1 += p2;
            p2 = -p2;
            if (p1 < 0)
            {
                p2 += p1;
                p1 = 0;
            }
        }
        if (p1 > len) p1 = len;
        if (p1 + p2 > len) p2 = len - p1;
        if (p2 < 0) p2 = 0;
        if (blob)
        {
            byte[] outb = src.AsSpan((int)p1, (int)p2).ToArray();
            r.SetBytes(MemKind.Blob, outb, 0, outb.Length);
            return;
        }
        int bs = p1 < starts.Length ? starts[p1] : src.Length;
        int be = p1 + p2 < starts.Length ? starts[p1 + p2] : src.Length;
        r.SetText(src.AsSpan(bs, be - bs).ToArray());
    }

    private static int[] CharStarts(byte[] s)
    {
        var l = new List<int>();
        for (int i = 0; i < s.Length; i++) if ((s[i] & 0xC0) != 0x80) l.Add(i);
        return l.ToArray();
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

    private static void Instr(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] h = NumericText.ToUtf8(a[0]), n = NumericText.ToUtf8(a[1]);
        int i = h.AsSpan().IndexOf(n);
        if (i < 0)
        {
            r.SetInt(0);
            return;
        }
        if (a[0].Kind == MemKind.Blob)
        {
            r.SetInt(i + 1);
            return;
        }
        long chars = 0;
        for (int k = 0; k < i; k++) if ((h[k] & 0xC0) != 0x80) chars++;
        r.SetInt(chars + 1);
    }

    private static void Replace(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a[0].IsNull || a[1].IsNull || a[2].IsNull)
        {
            r.SetNull();
            return;
        }
        string s = Encoding.UTF8.GetString(NumericText.ToUtf8(a[0]));
        string f = Encoding.UTF8.GetString(NumericText.ToUtf8(a[1]));
        if (f.Length == 0)
        {
            r = a[0];
            return;
        }
        MemText.Set(ref r, s.Replace(f, Encoding.UTF8.GetString(NumericText.ToUtf8(a[2])), StringComparison.Ordinal));
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
