// SQLite's JSON SQL functions: json(), json_array(), json_object(), json_extract() and the
// -> / ->> operators, json_set()/json_insert()/json_replace()/json_remove(), json_patch(),
// json_type(), json_array_length(), json_valid(), json_error_position(), json_quote(),
// json_pretty() and the json_group_array()/json_group_object() aggregates, each also as a
// jsonb_* variant returning SQLite's binary JSON (JSONB) where SQLite has one.
//
// A text produced by a JSON function is marked as JSON (SQLite's JSON subtype) by making
// the result register's Obj the very array that holds its bytes; anything that copies the
// bytes elsewhere (storage, materialised subqueries) drops the mark, as SQLite drops
// subtypes there. A JSON-marked text argument is read as JSON where a plain text would be
// a JSON string.
using System.Globalization;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>The JSON functions.</summary>
internal static class JsonFunctions
{
    /// <summary>The -> operator.</summary>
    public static readonly ScalarFunction Arrow = new("->", 2, (a, ref r) => ArrowBody(a, ref r, false));

    /// <summary>The ->> operator.</summary>
    public static readonly ScalarFunction ArrowText = new("->>", 2, (a, ref r) => ArrowBody(a, ref r, true));

    public static void Register(Action<FunctionDef> add)
    {
        foreach (bool b in new[] { false, true })
        {
            string p = b ? "jsonb" : "json";
            bool bin = b;
            add(new ScalarFunction(p, 1, (a, ref r) => Json(a, ref r, bin)));
            add(new ScalarFunction(p + "_array", -1, (a, ref r) => MakeArray(a, ref r, bin)));
            add(new ScalarFunction(p + "_object", -1, (a, ref r) => MakeObject(a, ref r, bin)));
            add(new ScalarFunction(p + "_extract", -1, (a, ref r) => Extract(a, ref r, bin)));
            add(new ScalarFunction(p + "_insert", -1, (a, ref r) => Edit(a, ref r, bin, EditMode.Insert, "json_insert")));
            add(new ScalarFunction(p + "_replace", -1, (a, ref r) => Edit(a, ref r, bin, EditMode.Replace, "json_replace")));
            add(new ScalarFunction(p + "_set", -1, (a, ref r) => Edit(a, ref r, bin, EditMode.Set, "json_set")));
            add(new ScalarFunction(p + "_remove", -1, (a, ref r) => Remove(a, ref r, bin)));
            add(new ScalarFunction(p + "_patch", 2, (a, ref r) => Patch(a, ref r, bin)));
            add(new JsonGroupArray(p + "_group_array", bin));
            add(new JsonGroupObject(p + "_group_object", bin));
        }
        add(new ScalarFunction("json_array_length", 1, ArrayLength));
        add(new ScalarFunction("json_array_length", 2, ArrayLength));
        add(new ScalarFunction("json_type", 1, TypeName));
        add(new ScalarFunction("json_type", 2, TypeName));
        add(new ScalarFunction("json_valid", 1, Valid));
        add(new ScalarFunction("json_valid", 2, Valid));
        add(new ScalarFunction("json_error_position", 1, ErrorPosition));
        add(new ScalarFunction("json_quote", 1, Quote));
        add(new ScalarFunction("json_pretty", 1, Pretty));
        add(new ScalarFunction("json_pretty", 2, Pretty));
        // subtype(X): the subtype SQLite attaches to a value; the JSON functions' 'J' (74) is
        // the only one the engine makes.
        add(new ScalarFunction("subtype", 1, (a, ref r) => r.SetInt(IsJson(a[0]) ? 74 : 0)));
    }

    // ---- values in and out -------------------------------------------------------------

    /// <summary>Whether a register holds text marked as JSON.</summary>
    public static bool IsJson(in Mem m) => m.Kind == MemKind.Text && m.Obj != null && ReferenceEquals(m.Obj, m.Bytes);

    private static TernException Error(string message) => new(ResultCode.Error, message);

    /// <summary>A JSON document argument; null for SQL NULL. Throws "malformed JSON".</summary>
    internal static JsonNode? Document(in Mem m)
    {
        switch (m.Kind)
        {
            case MemKind.Null:
                return null;
            case MemKind.Blob when JsonBinary.LooksLikeJsonb(m.Span):
                return JsonBinary.Decode(m.Span) ?? throw Error("malformed JSON");
            default:
                {
                    byte[] text = NumericText.ToUtf8(m);
                    try
                    {
                        return new JsonParser(text).ParseDocument();
                    }
                    catch (JsonSyntaxException)
                    {
                        throw Error("malformed JSON");
                    }
                }
        }
    }

    /// <summary>A SQL value as a JSON element (json_array()'s arguments, json_set()'s values).</summary>
    private static JsonNode Value(in Mem m, bool rawText = false)
    {
        switch (m.Kind)
        {
            case MemKind.Null:
                return new JsonNode(JsonNode.Null);
            case MemKind.Int:
                return new JsonNode(JsonNode.Int, System.Text.Encoding.ASCII.GetBytes(m.I.ToString(CultureInfo.InvariantCulture)));
            case MemKind.Real:
                return new JsonNode(JsonNode.Float, RealText(m.R));
            case MemKind.Blob:
                return JsonBinary.Decode(m.Span) ?? throw Error("JSON cannot hold BLOB values");
            default:
                if (IsJson(m))
                {
                    try
                    {
                        return new JsonParser(m.Span).ParseDocument();
                    }
                    catch (JsonSyntaxException)
                    {
                        throw Error("malformed JSON");
                    }
                }
                return rawText ? new JsonNode(JsonNode.TextRaw, m.Span.ToArray()) : JsonNode.FromRawText(m.Span);
        }
    }

    /// <summary>A double as JSON prints it ("%!0.15g"; infinities as 9.0e+999).</summary>
    private static byte[] RealText(double r)
    {
        if (double.IsPositiveInfinity(r)) return "9.0e+999"u8.ToArray();
        if (double.IsNegativeInfinity(r)) return "-9.0e+999"u8.ToArray();
        var v = default(Mem);
        v.Kind = MemKind.Real;
        v.R = r;
        return Printf.Format("%!0.15g"u8, [v]) ?? [];
    }

    /// <summary>Sets a JSON result: marked text, or a JSONB blob.</summary>
    private static void SetJson(ref Mem r, JsonNode n, bool binary)
    {
        if (binary)
        {
            byte[] b = JsonBinary.Encode(n);
            r.SetBytes(MemKind.Blob, b, 0, b.Length);
            return;
        }
        SetJsonText(ref r, JsonText.Render(n));
    }

    private static void SetJsonText(ref Mem r, byte[] text)
    {
        r.SetText(text);
        r.Obj = text;
    }

    /// <summary>An element as a SQL value (json_extract(), ->>).</summary>
    internal static void ToSql(JsonNode n, ref Mem r, bool binary)
    {
        switch (n.Type)
        {
            case JsonNode.Null: r.SetNull(); return;
            case JsonNode.True: r.SetInt(1); return;
            case JsonNode.False: r.SetInt(0); return;
            case JsonNode.Int:
                {
                    if (long.TryParse(n.Payload, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) r.SetInt(v);
                    else r.SetReal(FloatDecimal.Parse(n.Payload));
                    return;
                }
            case JsonNode.Int5:
                {
                    byte[] t = JsonText.Render(n);
                    if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) r.SetInt(v);
                    else r.SetReal(FloatDecimal.Parse(t));
                    return;
                }
            case JsonNode.Float:
            case JsonNode.Float5:
                r.SetReal(FloatDecimal.Parse(JsonText.Render(n)));
                return;
            case JsonNode.Array:
            case JsonNode.Object:
                SetJson(ref r, n, binary);
                return;
            default:
                r.SetText(n.StringValue());
                return;
        }
    }

    // ---- paths -------------------------------------------------------------------------

    internal readonly record struct Step(byte[]? Key, long Index, bool FromEnd);

    /// <summary>Compiles a path; null when it is malformed.</summary>
    internal static List<Step>? ParsePath(ReadOnlySpan<byte> p)
    {
        if (p.Length == 0 || p[0] != '$') return null;
        var steps = new List<Step>();
        int i = 1;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                i++;
                if (i < p.Length && p[i] == '"')
                {
                    int j = i + 1;
                    while (j < p.Length && p[j] != '"') j += p[j] == '\\' ? 2 : 1;
                    if (j >= p.Length) return null;
                    var b = new ByteBuilder(j - i);
                    JsonText.Unescape(b, p[(i + 1)..j]);
                    steps.Add(new Step(b.ToArray(), 0, false));
                    i = j + 1;
                }
                else
                {
                    int j = i;
                    while (j < p.Length && p[j] != '.' && p[j] != '[') j++;
                    if (j == i) return null;
                    steps.Add(new Step(p[i..j].ToArray(), 0, false));
                    i = j;
                }
            }
            else if (p[i] == '[')
            {
                i++;
                bool fromEnd = false;
                long n = 0;
                if (i < p.Length && p[i] == '#')
                {
                    fromEnd = true;
                    i++;
                    if (i < p.Length && p[i] == '-')
                    {
                        i++;
                        int d = i;
                        while (i < p.Length && p[i] >= '0' && p[i] <= '9') n = n * 10 + (p[i++] - '0');
                        if (i == d) return null;
                    }
                }
                else
                {
                    int d = i;
                    while (i < p.Length && p[i] >= '0' && p[i] <= '9') n = n * 10 + (p[i++] - '0');
                    if (i == d) return null;
                }
                if (i >= p.Length || p[i] != ']') return null;
                i++;
                steps.Add(new Step(null, n, fromEnd));
            }
            else return null;
        }
        return steps;
    }

    /// <summary>A path argument's text; like SQLite's C string it ends at the first NUL byte.</summary>
    internal static byte[] PathText(in Mem m)
    {
        byte[] p = NumericText.ToUtf8(m);
        int nul = Array.IndexOf(p, (byte)0);
        return nul < 0 ? p : p[..nul];
    }

    internal static List<Step> Path(in Mem m)
    {
        byte[] p = PathText(m);
        return ParsePath(p) ?? throw Error("bad JSON path: " + QuoteSql(p));
    }

    private static string QuoteSql(byte[] p) => "'" + System.Text.Encoding.UTF8.GetString(p).Replace("'", "''", StringComparison.Ordinal) + "'";

    internal static int ChildIndex(JsonNode c, Step s, bool forInsert = false)
    {
        List<JsonNode> items = c.Items!;
        if (s.Key != null)
        {
            if (c.Type != JsonNode.Object) return -1;
            for (int i = 0; i + 1 < items.Count; i += 2)
            {
                if (items[i].StringValue().AsSpan().SequenceEqual(s.Key)) return i + 1;
            }
            return -1;
        }
        if (c.Type != JsonNode.Array) return -1;
        long idx = s.FromEnd ? items.Count - s.Index : s.Index;
        if (idx < 0 || idx >= items.Count) return -1;
        return (int)idx;
    }

    internal static JsonNode? Lookup(JsonNode root, List<Step> steps)
    {
        JsonNode cur = root;
        foreach (Step s in steps)
        {
            if (!cur.IsContainer) return null;
            int i = ChildIndex(cur, s);
            if (i < 0) return null;
            cur = cur.Items![i];
        }
        return cur;
    }

    // ---- the functions -----------------------------------------------------------------

    private static void Json(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        JsonNode? n = Document(a[0]);
        if (n == null)
        {
            r.SetNull();
            return;
        }
        SetJson(ref r, n, binary);
    }

    private static void MakeArray(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        JsonNode n = JsonNode.NewArray();
        foreach (Mem m in a) n.Items!.Add(Value(m));
        SetJson(ref r, n, binary);
    }

    private static void MakeObject(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        if (a.Length % 2 != 0) throw Error("json_object() requires an even number of arguments");
        JsonNode n = JsonNode.NewObject();
        for (int i = 0; i < a.Length; i += 2)
        {
            if (a[i].Kind != MemKind.Text) throw Error("json_object() labels must be TEXT");
            n.Items!.Add(JsonNode.FromRawText(a[i].Span));
            n.Items.Add(Value(a[i + 1]));
        }
        SetJson(ref r, n, binary);
    }

    private static void Extract(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        if (a.Length < 2)
        {
            r.SetNull();
            return;
        }
        JsonNode? doc = Document(a[0]);
        if (doc == null)
        {
            r.SetNull();
            return;
        }
        if (a.Length == 2)
        {
            if (a[1].IsNull)
            {
                r.SetNull();
                return;
            }
            JsonNode? found = Lookup(doc, Path(a[1]));
            if (found == null) r.SetNull();
            else ToSql(found, ref r, binary);
            return;
        }
        JsonNode list = JsonNode.NewArray();
        for (int i = 1; i < a.Length; i++)
        {
            if (a[i].IsNull)
            {
                r.SetNull();
                return;
            }
            list.Items!.Add(Lookup(doc, Path(a[i])) ?? new JsonNode(JsonNode.Null));
        }
        SetJson(ref r, list, binary);
    }

    private static void ArrowBody(ReadOnlySpan<Mem> a, ref Mem r, bool asSql)
    {
        JsonNode? doc = Document(a[0]);
        if (doc == null || a[1].IsNull)
        {
            r.SetNull();
            return;
        }
        List<Step> steps;
        if (a[1].Kind == MemKind.Int)
        {
            long v = a[1].I;
            steps = [v < 0 ? new Step(null, -v, true) : new Step(null, v, false)];
        }
        else
        {
            byte[] p = PathText(a[1]);
            if (p.Length > 0 && p[0] == '$') steps = ParsePath(p) ?? throw Error("bad JSON path: " + QuoteSql(p));
            else if (p.Length > 0 && p[0] == '[')
            {
                byte[] full = new byte[p.Length + 1];
                full[0] = (byte)'$';
                p.CopyTo(full, 1);
                steps = ParsePath(full) ?? throw Error("bad JSON path: " + QuoteSql(p));
            }
            else steps = [new Step(p, 0, false)];
        }
        JsonNode? found = Lookup(doc, steps);
        if (found == null)
        {
            r.SetNull();
            return;
        }
        if (asSql)
        {
            if (found.IsContainer) r.SetText(JsonText.Render(found));
            else ToSql(found, ref r, false);
            return;
        }
        SetJson(ref r, found, false);
    }

    private enum EditMode
    {
        Insert,
        Replace,
        Set,
    }

    private static void Edit(ReadOnlySpan<Mem> a, ref Mem r, bool binary, EditMode mode, string name)
    {
        if (a.Length < 1)
        {
            r.SetNull();
            return;
        }
        if (a.Length % 2 == 0) throw Error(name + "() needs an odd number of arguments");
        JsonNode? doc = Document(a[0]);
        if (doc == null)
        {
            r.SetNull();
            return;
        }
        for (int i = 1; i < a.Length; i += 2)
        {
            if (a[i].IsNull) continue;
            List<Step> steps = Path(a[i]);
            JsonNode v = Value(a[i + 1], true);
            doc = Apply(doc, steps, mode, v);
        }
        SetJson(ref r, doc, binary);
    }

    /// <summary>Applies one edit; returns the (possibly new) root.</summary>
    private static JsonNode Apply(JsonNode root, List<Step> steps, EditMode mode, JsonNode value)
    {
        if (steps.Count == 0) return mode == EditMode.Insert ? root : value;
        JsonNode cur = root;
        for (int k = 0; k < steps.Count; k++)
        {
            Step s = steps[k];
            bool last = k == steps.Count - 1;
            if (!cur.IsContainer) return root;
            int i = ChildIndex(cur, s);
            if (i >= 0)
            {
                if (last)
                {
                    if (mode != EditMode.Insert) cur.Items![i] = value;
                    return root;
                }
                cur = cur.Items![i];
                continue;
            }
            if (mode == EditMode.Replace) return root;
            // Missing: create it (an object member, or an array element just past the end).
            JsonNode? made = Build(steps, k + 1, value);
            if (made == null) return root;
            if (s.Key != null)
            {
                if (cur.Type != JsonNode.Object) return root;
                cur.Items!.Add(new JsonNode(JsonNode.TextRaw, s.Key));
                cur.Items.Add(made);
            }
            else
            {
                if (cur.Type != JsonNode.Array) return root;
                long idx = s.FromEnd ? cur.Items!.Count - s.Index : s.Index;
                if (idx != cur.Items!.Count) return root;
                cur.Items.Add(made);
            }
            return root;
        }
        return root;
    }

    /// <summary>The substructure that a path's remaining steps create around a value.</summary>
    private static JsonNode? Build(List<Step> steps, int from, JsonNode value)
    {
        if (from == steps.Count) return value;
        JsonNode? inner = Build(steps, from + 1, value);
        if (inner == null) return null;
        Step s = steps[from];
        if (s.Key != null)
        {
            JsonNode o = JsonNode.NewObject();
            o.Items!.Add(new JsonNode(JsonNode.TextRaw, s.Key));
            o.Items.Add(inner);
            return o;
        }
        if (s.FromEnd ? s.Index != 0 : s.Index != 0) return null;
        JsonNode arr = JsonNode.NewArray();
        arr.Items!.Add(inner);
        return arr;
    }

    private static void Remove(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        if (a.Length < 1)
        {
            r.SetNull();
            return;
        }
        JsonNode? doc = Document(a[0]);
        if (doc == null)
        {
            r.SetNull();
            return;
        }
        for (int i = 1; i < a.Length; i++)
        {
            if (a[i].IsNull)
            {
                r.SetNull();
                return;
            }
            List<Step> steps = Path(a[i]);
            if (steps.Count == 0)
            {
                r.SetNull();
                return;
            }
            JsonNode? parent = Lookup(doc, steps.GetRange(0, steps.Count - 1));
            if (parent == null || !parent.IsContainer) continue;
            int k = ChildIndex(parent, steps[^1]);
            if (k < 0) continue;
            if (parent.Type == JsonNode.Object) parent.Items!.RemoveRange(k - 1, 2);
            else parent.Items!.RemoveAt(k);
        }
        SetJson(ref r, doc, binary);
    }

    private static void Patch(ReadOnlySpan<Mem> a, ref Mem r, bool binary)
    {
        JsonNode? target = Document(a[0]);
        JsonNode? patch = Document(a[1]);
        if (target == null || patch == null)
        {
            r.SetNull();
            return;
        }
        SetJson(ref r, MergePatch(target, patch), binary);
    }

    /// <summary>RFC 7396 merge patch.</summary>
    private static JsonNode MergePatch(JsonNode target, JsonNode patch)
    {
        if (patch.Type != JsonNode.Object) return patch;
        if (target.Type != JsonNode.Object) target = JsonNode.NewObject();
        List<JsonNode> p = patch.Items!;
        for (int i = 0; i + 1 < p.Count; i += 2)
        {
            byte[] key = p[i].StringValue();
            JsonNode pv = p[i + 1];
            List<JsonNode> t = target.Items!;
            int found = -1;
            for (int j = 0; j + 1 < t.Count; j += 2)
            {
                if (t[j].StringValue().AsSpan().SequenceEqual(key))
                {
                    found = j;
                    break;
                }
            }
            if (pv.Type == JsonNode.Null)
            {
                if (found >= 0) t.RemoveRange(found, 2);
            }
            else if (found >= 0) t[found + 1] = MergePatch(t[found + 1], pv);
            else
            {
                t.Add(p[i]);
                t.Add(MergePatch(new JsonNode(JsonNode.Null), pv));
            }
        }
        return target;
    }

    private static void ArrayLength(ReadOnlySpan<Mem> a, ref Mem r)
    {
        JsonNode? doc = Document(a[0]);
        if (doc == null || (a.Length > 1 && a[1].IsNull))
        {
            r.SetNull();
            return;
        }
        JsonNode? n = a.Length > 1 ? Lookup(doc, Path(a[1])) : doc;
        if (n == null) r.SetNull();
        else r.SetInt(n.Type == JsonNode.Array ? n.Items!.Count : 0);
    }

    private static void TypeName(ReadOnlySpan<Mem> a, ref Mem r)
    {
        JsonNode? doc = Document(a[0]);
        if (doc == null || (a.Length > 1 && a[1].IsNull))
        {
            r.SetNull();
            return;
        }
        JsonNode? n = a.Length > 1 ? Lookup(doc, Path(a[1])) : doc;
        if (n == null)
        {
            r.SetNull();
            return;
        }
        MemText.Set(ref r, n.Type switch
        {
            JsonNode.Null => "null",
            JsonNode.True => "true",
            JsonNode.False => "false",
            JsonNode.Int or JsonNode.Int5 => "integer",
            JsonNode.Float or JsonNode.Float5 => "real",
            JsonNode.Array => "array",
            JsonNode.Object => "object",
            _ => "text",
        });
    }

    private static void Valid(ReadOnlySpan<Mem> a, ref Mem r)
    {
        long flags = 1;
        if (a.Length > 1)
        {
            flags = ArgValues.Int64(a[1]);
            if (flags < 1 || flags > 15) throw Error("FLAGS parameter to json_valid() must be between 1 and 15");
        }
        Mem m = a[0];
        if (m.IsNull)
        {
            r.SetNull();
            return;
        }
        // A blob taken as JSONB is judged only as JSONB (flag 4: the quick check, flag 8: the
        // strict one, neither: not valid); any other blob is read as text.
        if (m.Kind == MemKind.Blob && JsonBinary.LooksLikeJsonb(m.Span))
        {
            bool ok = (flags & 0x04) != 0 || ((flags & 0x08) != 0 && JsonBinary.ValidityCheck(m.Span, 0, m.Span.Length, 1) == 0);
            r.SetInt(ok ? 1 : 0);
            return;
        }
        if ((flags & 0x03) == 0)
        {
            r.SetInt(0);
            return;
        }
        var parser = new JsonParser(NumericText.ToUtf8(m));
        bool valid;
        try
        {
            parser.ParseDocument();
            valid = (flags & 0x02) != 0 || !parser.NonStandard;
        }
        catch (JsonSyntaxException)
        {
            valid = false;
        }
        r.SetInt(valid ? 1 : 0);
    }

    private static void ErrorPosition(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Mem m = a[0];
        if (m.IsNull)
        {
            r.SetNull();
            return;
        }
        if (m.Kind == MemKind.Blob && JsonBinary.LooksLikeJsonb(m.Span))
        {
            r.SetInt(JsonBinary.ValidityCheck(m.Span, 0, m.Span.Length, 1));
            return;
        }
        byte[] text = NumericText.ToUtf8(m);
        try
        {
            new JsonParser(text).ParseDocument();
            r.SetInt(0);
        }
        catch (JsonSyntaxException e)
        {
            long chars = 0;
            for (int k = 0; k < e.Position && k < text.Length; k++) if ((text[k] & 0xc0) != 0x80) chars++;
            r.SetInt(chars + 1);
        }
    }

    private static void Quote(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (IsJson(a[0]))
        {
            r = a[0];
            return;
        }
        SetJson(ref r, Value(a[0]), false);
    }

    private static void Pretty(ReadOnlySpan<Mem> a, ref Mem r)
    {
        JsonNode? doc = Document(a[0]);
        if (doc == null)
        {
            r.SetNull();
            return;
        }
        byte[] indent = a.Length > 1 && !a[1].IsNull ? NumericText.ToUtf8(a[1]) : "    "u8.ToArray();
        // SQLite returns json_pretty()'s text without the JSON subtype: it reads back as a
        // plain string (json_array(json_pretty('{}')) is ["{}"]).
        r.SetText(JsonText.RenderPretty(doc, indent));
    }

    // ---- aggregates ----------------------------------------------------------------------

    private sealed class GroupState
    {
        public JsonNode Node = JsonNode.NewArray();
    }

    private sealed class JsonGroupArray(string name, bool binary) : AggregateFunction(name, 1)
    {
        public override object NewState() => new GroupState();

        public override void Step(object state, ReadOnlySpan<Mem> args) => ((GroupState)state).Node.Items!.Add(Value(args[0]));

        public override void Final(object state, ref Mem result) => SetJson(ref result, ((GroupState)state).Node, binary);
    }

    private sealed class JsonGroupObject(string name, bool binary) : AggregateFunction(name, 2)
    {
        public override object NewState() => new GroupState { Node = JsonNode.NewObject() };

        public override void Step(object state, ReadOnlySpan<Mem> args)
        {
            if (args[0].IsNull) return;
            JsonNode o = ((GroupState)state).Node;
            o.Items!.Add(JsonNode.FromRawText(NumericText.ToUtf8(args[0])));
            o.Items.Add(Value(args[1]));
        }

        public override void Final(object state, ref Mem result) => SetJson(ref result, ((GroupState)state).Node, binary);
    }
}
