// The JSON document model shared by the json_* and jsonb_* functions. A node keeps the
// element type of SQLite's binary JSON format (JSONB) and, for a scalar, its payload
// bytes exactly as JSONB stores them, so that text -> node -> JSONB and JSONB -> node ->
// text give the bytes SQLite gives. Containers hold their children in order; an object's
// children alternate label, value. Here: the text parser (RFC 8259 plus the JSON5
// extensions SQLite accepts), the JSONB reader and writer, and the text renderers
// (minified and pretty).
using System.Diagnostics;
using System.Text;

namespace Tern.Functions;

/// <summary>One JSON element.</summary>
internal sealed class JsonNode
{
    public const byte Null = 0, True = 1, False = 2, Int = 3, Int5 = 4, Float = 5, Float5 = 6,
        Text = 7, TextJ = 8, Text5 = 9, TextRaw = 10, Array = 11, Object = 12;

    public byte Type;
    public byte[] Payload = [];
    public List<JsonNode>? Items;

    public JsonNode(byte type) => Type = type;

    public JsonNode(byte type, byte[] payload)
    {
        Type = type;
        Payload = payload;
    }

    public static JsonNode NewArray() => new(Array) { Items = [] };

    public static JsonNode NewObject() => new(Object) { Items = [] };

    public bool IsContainer => Type is Array or Object;

    public bool IsString => Type is Text or TextJ or Text5 or TextRaw;

    public JsonNode DeepCopy()
    {
        var n = new JsonNode(Type, Payload);
        if (Items != null)
        {
            n.Items = new List<JsonNode>(Items.Count);
            foreach (JsonNode c in Items) n.Items.Add(c.DeepCopy());
        }
        return n;
    }

    /// <summary>A string node for a raw (unescaped) SQL text: TEXT when nothing needs escaping, else TEXTJ.</summary>
    public static JsonNode FromRawText(ReadOnlySpan<byte> raw)
    {
        var b = new ByteBuilder(raw.Length + 2);
        bool escaped = JsonText.AppendEscaped(b, raw);
        return new JsonNode(escaped ? TextJ : Text, b.ToArray());
    }

    /// <summary>The unescaped content of a string node.</summary>
    public byte[] StringValue()
    {
        if (Type is Text or TextRaw) return Payload;
        var b = new ByteBuilder(Payload.Length);
        JsonText.Unescape(b, Payload);
        return b.ToArray();
    }
}

/// <summary>Thrown by the text parser; Position is the byte offset of the error.</summary>
internal sealed class JsonSyntaxException(int position) : Exception("malformed JSON")
{
    public int Position { get; } = position;
}

/// <summary>Parses JSON text into nodes.</summary>
internal ref struct JsonParser
{
    private const int MaxDepth = 1000;
    private readonly ReadOnlySpan<byte> _s;
    private int _p;
    private int _depth;

    /// <summary>Set when the text used any JSON5 extension.</summary>
    public bool NonStandard;

    public JsonParser(ReadOnlySpan<byte> s)
    {
        _s = s;
        _p = 0;
        _depth = 0;
        NonStandard = false;
    }

    /// <summary>Parses the whole text (up to a NUL byte after the value); throws <see cref="JsonSyntaxException"/>.</summary>
    public JsonNode ParseDocument()
    {
        SkipSpace();
        JsonNode n = ParseValue();
        SkipSpace();
        // A NUL byte ends the text, as it ends SQLite's C string. Anything else after the
        // value is an error SQLite reports at offset 0 (json_error_position() is then 1).
        if (_p < _s.Length && _s[_p] != 0) Fail(0);
        return n;
    }

    private static void Fail(int at) => throw new JsonSyntaxException(at);

    private byte At(int i) => i < _s.Length ? _s[i] : (byte)0;

    private void SkipSpace()
    {
        while (_p < _s.Length)
        {
            byte c = _s[_p];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _p++;
                continue;
            }
            int n = Json5Space(_p);
            if (n == 0) return;
            NonStandard = true;
            _p += n;
        }
    }

    /// <summary>The length of JSON5 white space or a comment at i (0 when none).</summary>
    private int Json5Space(int i)
    {
        byte c = _s[i];
        switch (c)
        {
            case 0x0b:
            case 0x0c:
                return 1;
            case (byte)'/':
                if (At(i + 1) == '*')
                {
                    int j = i + 2;
                    while (j + 1 < _s.Length && !(_s[j] == '*' && _s[j + 1] == '/')) j++;
                    if (j + 1 >= _s.Length) return 0;
                    return j + 2 - i;
                }
                if (At(i + 1) == '/')
                {
                    int j = i + 2;
                    while (j < _s.Length && _s[j] != '\n') j++;
                    if (j < _s.Length) j++;
                    return j - i;
                }
                return 0;
            case 0xc2:
                return At(i + 1) == 0xa0 ? 2 : 0;
            case 0xe1:
                return At(i + 1) == 0x9a && At(i + 2) == 0x80 ? 3 : 0;
            case 0xe2:
                if (At(i + 1) == 0x80 && (At(i + 2) is >= 0x80 and <= 0x8a or 0xa8 or 0xa9 or 0xaf)) return 3;
                if (At(i + 1) == 0x81 && At(i + 2) == 0x9f) return 3;
                return 0;
            case 0xe3:
                return At(i + 1) == 0x80 && At(i + 2) == 0x80 ? 3 : 0;
            case 0xef:
                return At(i + 1) == 0xbb && At(i + 2) == 0xbf ? 3 : 0;
            default:
                return 0;
        }
    }

    private JsonNode ParseValue()
    {
        if (_p >= _s.Length) Fail(_p);
        byte c = _s[_p];
        switch (c)
        {
            case (byte)'{':
                return ParseObject();
            case (byte)'[':
                return ParseArray();
            case (byte)'"':
            case (byte)'\'':
                return ParseString();
            case (byte)'t':
                if (Word("true")) return new JsonNode(JsonNode.True);
                break;
            case (byte)'f':
                if (Word("false")) return new JsonNode(JsonNode.False);
                break;
            case (byte)'n':
                if (Word("null")) return new JsonNode(JsonNode.Null);
                break;
        }
        if (c is (byte)'-' or (byte)'+' or (byte)'.' or (>= (byte)'0' and <= (byte)'9')) return ParseNumber();
        JsonNode? special = NanInf(_p, false);
        if (special != null) return special;
        Fail(_p);
        return null!;
    }

    private bool Word(string w)
    {
        for (int k = 0; k < w.Length; k++) if (At(_p + k) != w[k]) return false;
        if (IsAlnum(At(_p + w.Length))) return false;
        _p += w.Length;
        return true;
    }

    private static bool IsAlnum(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z');

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsHex(byte b) => IsDigit(b) || b is (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    /// <summary>Infinity / NaN spellings (JSON5), optionally after a sign.</summary>
    private JsonNode? NanInf(int i, bool negative)
    {
        string[] names = ["infinity", "inf", "qnan", "snan", "nan"];
        foreach (string name in names)
        {
            bool match = true;
            for (int k = 0; k < name.Length; k++)
            {
                byte b = At(i + k);
                if (b >= 'A' && b <= 'Z') b += 32;
                if (b != name[k])
                {
                    match = false;
                    break;
                }
            }
            if (!match || IsAlnum(At(i + name.Length))) continue;
            bool inf = name[0] == 'i';
            if (!inf && negative) return null;
            NonStandard = true;
            _p = i + name.Length;
            if (!inf) return new JsonNode(JsonNode.Null);
            return new JsonNode(JsonNode.Float, Encoding.ASCII.GetBytes(negative ? "-9e999" : "9e999"));
        }
        return null;
    }

    private JsonNode ParseNumber()
    {
        int start = _p;
        int i = _p;
        bool json5 = false;
        var payload = new ByteBuilder(16);
        if (_s[i] == '+')
        {
            json5 = true;
            i++;
        }
        else if (_s[i] == '-') i++;
        byte c = At(i);
        if (c is (byte)'I' or (byte)'i' or (byte)'N' or (byte)'n' or (byte)'Q' or (byte)'q' or (byte)'S' or (byte)'s')
        {
            JsonNode? special = NanInf(i, _s[start] == '-');
            if (special == null) Fail(start);
            return special!;
        }
        if (c == '0' && (At(i + 1) is (byte)'x' or (byte)'X') && IsHex(At(i + 2)))
        {
            NonStandard = true;
            int j = i + 2;
            while (IsHex(At(j))) j++;
            payload.Append(_s[(_s[start] == '+' ? start + 1 : start)..j]);
            _p = j;
            return new JsonNode(JsonNode.Int5, payload.ToArray());
        }
        bool isFloat = false;
        // A leading zero before a digit: SQLite reports the digit after an unsigned '0' and
        // the '0' after a sign.
        if (c == '0' && IsDigit(At(i + 1))) Fail(i == start ? i + 1 : i);
        int digitsStart = i;
        while (IsDigit(At(i))) i++;
        bool intDigits = i > digitsStart;
        if (At(i) == '.')
        {
            isFloat = true;
            if (!intDigits) json5 = true;
            i++;
            int f = i;
            while (IsDigit(At(i))) i++;
            if (i == f)
            {
                // No digit on either side of the '.': after a sign the error is seen past
                // the '.', a bare '.' is wrong where it stands.
                if (!intDigits) Fail(i > start + 1 ? i : start);
                json5 = true;
            }
        }
        else if (!intDigits) Fail(start);
        if (At(i) is (byte)'e' or (byte)'E')
        {
            isFloat = true;
            int e = i + 1;
            if (At(e) is (byte)'+' or (byte)'-') e++;
            if (!IsDigit(At(e))) Fail(e - 1);
            while (IsDigit(At(e))) e++;
            i = e;
        }
        // A second '.' or exponent is an error here; any other byte after the number is
        // left for the enclosing container (or the end-of-text check) to judge.
        if (At(i) is (byte)'.' or (byte)'e' or (byte)'E') Fail(i);
        payload.Append(_s[(_s[start] == '+' ? start + 1 : start)..i]);
        _p = i;
        if (json5) NonStandard = true;
        byte type = isFloat ? (NeedsFloat5(payload.Written) ? JsonNode.Float5 : JsonNode.Float) : JsonNode.Int;
        return new JsonNode(type, payload.ToArray());
    }

    private static bool HasDotBeforeExponent(ReadOnlySpan<byte> s)
    {
        // A "5.e3" style number: a dot not followed by a digit.
        for (int k = 0; k < s.Length; k++) if (s[k] == '.' && (k + 1 == s.Length || !IsDigit(s[k + 1]))) return true;
        return false;
    }

    private static bool NeedsFloat5(ReadOnlySpan<byte> s)
    {
        int k = s.Length > 0 && s[0] == '-' ? 1 : 0;
        return (k < s.Length && s[k] == '.') || HasDotBeforeExponent(s);
    }

    private JsonNode ParseString()
    {
        byte delim = _s[_p];
        if (delim == '\'') NonStandard = true;
        int i = _p + 1;
        int start = i;
        byte type = JsonNode.Text;
        while (true)
        {
            if (i >= _s.Length) Fail(i);
            byte c = _s[i];
            if (c == delim) break;
            if (c == '\\')
            {
                byte e = At(i + 1);
                if (e is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
                {
                    if (type == JsonNode.Text) type = JsonNode.TextJ;
                    i += 2;
                    continue;
                }
                if (e == 'u' && IsHex(At(i + 2)) && IsHex(At(i + 3)) && IsHex(At(i + 4)) && IsHex(At(i + 5)))
                {
                    if (type == JsonNode.Text) type = JsonNode.TextJ;
                    i += 6;
                    continue;
                }
                if (e is (byte)'\'' or (byte)'v' or (byte)'\n' || (e == '0' && !IsDigit(At(i + 2))))
                {
                    type = JsonNode.Text5;
                    NonStandard = true;
                    i += 2;
                    continue;
                }
                if (e == 'x' && IsHex(At(i + 2)) && IsHex(At(i + 3)))
                {
                    type = JsonNode.Text5;
                    NonStandard = true;
                    i += 4;
                    continue;
                }
                if (e == '\r')
                {
                    type = JsonNode.Text5;
                    NonStandard = true;
                    i += At(i + 2) == '\n' ? 3 : 2;
                    continue;
                }
                if (e == 0xe2 && At(i + 2) == 0x80 && At(i + 3) is 0xa8 or 0xa9)
                {
                    type = JsonNode.Text5;
                    NonStandard = true;
                    i += 4;
                    continue;
                }
                Fail(i);
            }
            if (c < 0x20)
            {
                if (c == 0) Fail(i);
                type = JsonNode.Text5;
                NonStandard = true;
            }
            else if (c == '"') type = JsonNode.Text5;
            i++;
        }
        _p = i + 1;
        return new JsonNode(type, _s[start..i].ToArray());
    }

    private JsonNode ParseArray()
    {
        if (++_depth > MaxDepth) Fail(_p);
        _p++;
        JsonNode a = JsonNode.NewArray();
        SkipSpace();
        if (At(_p) == ']' && _p < _s.Length)
        {
            _p++;
            _depth--;
            return a;
        }
        while (true)
        {
            a.Items!.Add(ParseValue());
            SkipSpace();
            if (_p >= _s.Length) Fail(_p);
            byte c = _s[_p];
            if (c == ']')
            {
                _p++;
                break;
            }
            if (c != ',') Fail(_p);
            _p++;
            SkipSpace();
            if (At(_p) == ']' && _p < _s.Length)
            {
                NonStandard = true;
                _p++;
                break;
            }
        }
        _depth--;
        return a;
    }

    private JsonNode ParseObject()
    {
        if (++_depth > MaxDepth) Fail(_p);
        _p++;
        JsonNode o = JsonNode.NewObject();
        SkipSpace();
        if (At(_p) == '}' && _p < _s.Length)
        {
            _p++;
            _depth--;
            return o;
        }
        while (true)
        {
            if (_p >= _s.Length) Fail(_p);
            byte c = _s[_p];
            JsonNode key;
            if (c is (byte)'"' or (byte)'\'') key = ParseString();
            else if (IsIdentStart(c) || IsUnicodeEscape(_p))
            {
                // A JSON5 unquoted key; a \uXXXX escape may stand for any of its characters
                // (the key is then kept escaped, as TEXTJ).
                bool escaped = c == '\\';
                int j = _p + 1;
                while (j < _s.Length && (IsIdentStart(_s[j]) || IsDigit(_s[j]) || IsUnicodeEscape(j)))
                {
                    if (_s[j] == '\\') escaped = true;
                    j++;
                }
                key = new JsonNode(escaped ? JsonNode.TextJ : JsonNode.Text, _s[_p..j].ToArray());
                NonStandard = true;
                _p = j;
            }
            else
            {
                Fail(_p);
                return null!;
            }
            o.Items!.Add(key);
            SkipSpace();
            if (At(_p) != ':' || _p >= _s.Length) Fail(_p);
            _p++;
            SkipSpace();
            o.Items.Add(ParseValue());
            SkipSpace();
            if (_p >= _s.Length) Fail(_p);
            c = _s[_p];
            if (c == '}')
            {
                _p++;
                break;
            }
            if (c != ',') Fail(_p);
            _p++;
            SkipSpace();
            if (At(_p) == '}' && _p < _s.Length)
            {
                NonStandard = true;
                _p++;
                break;
            }
        }
        _depth--;
        return o;
    }

    private bool IsUnicodeEscape(int i) => At(i) == '\\' && At(i + 1) == 'u' && IsHex(At(i + 2)) && IsHex(At(i + 3)) && IsHex(At(i + 4)) && IsHex(At(i + 5));

    private static bool IsIdentStart(byte c) => c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or (byte)'$' or >= 0x80;
}

/// <summary>JSONB encoding and decoding.</summary>
internal static class JsonBinary
{
    public static byte[] Encode(JsonNode n)
    {
        var b = new ByteBuilder(64);
        Write(b, n);
        if (b.TooBig) ArgValues.ThrowTooBig();
        return b.ToArray();
    }

    private static void Write(ByteBuilder b, JsonNode n)
    {
        if (!n.IsContainer)
        {
            Header(b, n.Type, n.Payload.Length);
            b.Append(n.Payload);
            return;
        }
        var inner = new ByteBuilder(64);
        foreach (JsonNode c in n.Items!) Write(inner, c);
        if (inner.TooBig) b.MarkTooBig();
        Header(b, n.Type, inner.Length);
        b.Append(inner.Written);
    }

    private static void Header(ByteBuilder b, byte type, int size)
    {
        if (size <= 11) b.Append((byte)(type | (size << 4)));
        else if (size <= 0xff)
        {
            b.Append((byte)(type | 0xc0));
            b.Append((byte)size);
        }
        else if (size <= 0xffff)
        {
            b.Append((byte)(type | 0xd0));
            b.Append((byte)(size >> 8));
            b.Append((byte)size);
        }
        else
        {
            b.Append((byte)(type | 0xe0));
            b.Append((byte)(size >> 24));
            b.Append((byte)(size >> 16));
            b.Append((byte)(size >> 8));
            b.Append((byte)size);
        }
    }

    /// <summary>
    /// Whether a blob argument is taken as JSONB rather than as JSON text. The quick check:
    /// the first byte names an element type, its header reads, the header and payload span
    /// exactly the whole blob, and a null/true/false has no payload. A blob that passes but
    /// whose first byte could also begin JSON text ('[', '{' or a digit; the header then
    /// says a payload of at most seven bytes) must also pass the strict check, or it is
    /// read as text: x'5B6E756C6C5D' is the text [null], not a five-byte array.
    /// </summary>
    public static bool LooksLikeJsonb(ReadOnlySpan<byte> s)
    {
        if (s.Length == 0 || (s[0] & 0x0f) > JsonNode.Object) return false;
        int n = PayloadSize(s, 0, out long size);
        if (n == 0 || n + size != s.Length) return false;
        if ((s[0] & 0x0f) <= JsonNode.False && size != 0) return false;
        byte first = s[0];
        bool ambiguous = first is (byte)'[' or (byte)'{' or (>= (byte)'0' and <= (byte)'9');
        return !ambiguous || ValidityCheck(s, 0, s.Length, 1) == 0;
    }

    // An element header (SQLite's JSONB, as jsonbPayloadSize reads it):
    //
    //   byte 0:  high nibble x   low nibble: element type (0..12)
    //   x <= 11: the payload size is x; the header is 1 byte
    //   x == 12: a 1-byte size follows (header 2 bytes)
    //   x == 13: a 2-byte big-endian size follows (header 3 bytes)
    //   x == 14: a 4-byte big-endian size follows (header 5 bytes)
    //   x == 15: an 8-byte big-endian size follows (header 9 bytes); its high four bytes
    //            must be zero
    //
    // Returns the header length (0 when the header is cut short, too big, or its payload
    // runs past the end of the blob) and the payload size.
    private static int PayloadSize(ReadOnlySpan<byte> s, int i, out long size)
    {
        size = 0;
        int x = s[i] >> 4;
        int n;
        if (x <= 11)
        {
            size = x;
            n = 1;
        }
        else
        {
            n = x switch { 12 => 2, 13 => 3, 14 => 5, _ => 9 };
            if (i + n - 1 >= s.Length) return 0;
            if (n == 9 && (s[i + 1] | s[i + 2] | s[i + 3] | s[i + 4]) != 0) return 0;
            for (int k = n == 9 ? 5 : 1; k < n; k++) size = (size << 8) | s[i + k];
        }
        if (i + n + size > s.Length)
        {
            size = 0;
            return 0;
        }
        return n;
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static bool IsHexDigit(byte c) => IsDigit(c) || (c | 0x20) is >= (byte)'a' and <= (byte)'f';

    /// <summary>A byte that may stand unescaped in a JSON string (not a control character, quote or backslash).</summary>
    private static bool PlainStringByte(byte c) => c >= 0x20 && c != '"' && c != '\\';

    /// <summary>
    /// The strict check of the element at s[i..end) (json_valid's flag 8 and
    /// json_error_position on a blob): 0 when it is well formed, else the 1-based offset of
    /// the byte where the problem was seen. Numbers must be spelled as their type says,
    /// strings may hold only the escapes their type allows, null/true/false carry no payload
    /// and a one-byte header, object labels are strings, and nesting stops at depth 1000.
    /// </summary>
    public static long ValidityCheck(ReadOnlySpan<byte> s, int i, int end, int depth)
    {
        if (depth > 1000) return i + 1;
        int n = PayloadSize(s, i, out long lsize);
        if (n == 0 || i + n + lsize != end) return i + 1;
        int sz = (int)lsize;
        byte x = (byte)(s[i] & 0x0f);
        int j = i + n, k = j + sz;
        switch (x)
        {
            case JsonNode.Null:
            case JsonNode.True:
            case JsonNode.False:
                return n + sz == 1 ? 0 : i + 1;
            case JsonNode.Int:
                if (sz < 1) return i + 1;
                if (s[j] == '-')
                {
                    j++;
                    if (sz < 2) return i + 1;
                }
                for (; j < k; j++) if (!IsDigit(s[j])) return j + 1;
                return 0;
            case JsonNode.Int5:
                if (sz < 3) return i + 1;
                if (s[j] == '-')
                {
                    if (sz < 4) return i + 1;
                    j++;
                }
                if (s[j] != '0') return i + 1;
                if ((s[j + 1] | 0x20) != 'x') return j + 2;
                for (j += 2; j < k; j++) if (!IsHexDigit(s[j])) return j + 1;
                return 0;
            case JsonNode.Float:
            case JsonNode.Float5:
                return CheckFloat(s, i, j, k, x == JsonNode.Float);
            case JsonNode.Text:
                for (; j < k; j++) if (!PlainStringByte(s[j])) return j + 1;
                return 0;
            case JsonNode.TextJ:
            case JsonNode.Text5:
                return CheckEscapedText(s, j, k, x == JsonNode.Text5);
            case JsonNode.TextRaw:
                return 0;
            case JsonNode.Array:
            case JsonNode.Object:
                {
                    int count = 0;
                    while (j < k)
                    {
                        int cn = PayloadSize(s, j, out long csz);
                        if (cn == 0 || j + cn + csz > k) return j + 1;
                        if (x == JsonNode.Object && (count & 1) == 0)
                        {
                            int t = s[j] & 0x0f;
                            if (t < JsonNode.Text || t > JsonNode.TextRaw) return j + 1;
                        }
                        long sub = ValidityCheck(s, j, j + cn + (int)csz, depth + 1);
                        if (sub != 0) return sub;
                        count++;
                        j += cn + (int)csz;
                    }
                    Debug.Assert(j == k);
                    if (x == JsonNode.Object && (count & 1) != 0) return j + 1;
                    return 0;
                }
            default:
                return i + 1;
        }
    }

    // A FLOAT payload is a canonical JSON number with a fraction or an exponent; FLOAT5 may
    // also start or end its mantissa with a '.'. Neither may lack both.
    private static long CheckFloat(ReadOnlySpan<byte> s, int i, int j, int k, bool canonical)
    {
        int seen = 0; // 0: nothing yet, 1: '.' seen, 2: exponent seen
        int sz = k - j;
        if (sz < 2) return i + 1;
        if (s[j] == '-')
        {
            j++;
            if (sz < 3) return i + 1;
        }
        if (s[j] == '.')
        {
            if (canonical) return j + 1;
            if (!IsDigit(At(s, j + 1))) return j + 1;
            j += 2;
            seen = 1;
        }
        else if (s[j] == '0' && canonical)
        {
            if (j + 3 > k) return j + 1;
            if (s[j + 1] is not ((byte)'.' or (byte)'e' or (byte)'E')) return j + 1;
            j++;
        }
        for (; j < k; j++)
        {
            byte c = s[j];
            if (IsDigit(c)) continue;
            if (c == '.')
            {
                if (seen > 0) return j + 1;
                if (canonical && (j == k - 1 || !IsDigit(s[j + 1]))) return j + 1;
                seen = 1;
                continue;
            }
            if (c is (byte)'e' or (byte)'E')
            {
                if (seen == 2 || j == k - 1) return j + 1;
                if (s[j + 1] is (byte)'+' or (byte)'-')
                {
                    j++;
                    if (j == k - 1) return j + 1;
                }
                seen = 2;
                continue;
            }
            return j + 1;
        }
        return seen == 0 ? i + 1 : 0;
    }

    // TEXTJ allows the JSON escapes; TEXT5 also allows raw control characters and quotes
    // and the JSON5 escapes. A backslash followed by a NUL byte passes as SQLite lets it
    // (its escape-letter test finds the string terminator). Bytes of 0x80 and up are not
    // checked for UTF-8.
    private static long CheckEscapedText(ReadOnlySpan<byte> s, int j, int k, bool json5)
    {
        for (; j < k; j++)
        {
            byte c = s[j];
            if (PlainStringByte(c)) continue;
            if (c == '"' || c <= 0x1f)
            {
                if (!json5) return j + 1;
                continue;
            }
            Debug.Assert(c == '\\');
            if (j + 1 >= k) return j + 1;
            byte e = s[j + 1];
            if (e is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or 0)
            {
                j++;
            }
            else if (e == 'u')
            {
                if (j + 5 >= k) return j + 1;
                for (int h = 2; h < 6; h++) if (!IsHexDigit(s[j + h])) return j + 1;
                j++;
            }
            else if (!json5) return j + 1;
            else
            {
                int len = Json5EscapeLength(s[j..k]);
                if (len == 0) return j + 1;
                j += len - 1;
            }
        }
        return 0;
    }

    private static byte At(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : (byte)0;

    // The length of the JSON5 escape at e[0] ('\\'), or 0 when it is not one: \' \v \0 (not
    // before a digit), \xHH (the digits not checked), and line continuations (a backslash
    // before LF, CR, CRLF, U+2028 or U+2029), which swallow the character after them (again
    // read as an escape when it is a backslash).
    private static int Json5EscapeLength(ReadOnlySpan<byte> e)
    {
        int n = e.Length;
        if (n < 2) return 0;
        switch (e[1])
        {
            case (byte)'u':
                if (n < 6) return 0;
                if ((HexValue4(e[2..]) & 0xfc00) == 0xd800 && n >= 12 && e[6] == '\\' && e[7] == 'u'
                    && (HexValue4(e[8..]) & 0xfc00) == 0xdc00) return 12;
                return 6;
            case (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'v'
                or (byte)'\'' or (byte)'"' or (byte)'/' or (byte)'\\':
                return 2;
            case (byte)'0':
                return n > 2 && IsDigit(e[2]) ? 0 : 2;
            case (byte)'x':
                return n < 4 ? 0 : 4;
            case 0xe2 or (byte)'\r' or (byte)'\n':
                {
                    int skip = ContinuationLength(e);
                    if (skip == 0) return 0;
                    if (skip == n) return n;
                    if (e[skip] == '\\')
                    {
                        int more = Json5EscapeLength(e[skip..]);
                        return more == 0 ? 0 : skip + more;
                    }
                    return skip + Utf8Length(e[skip..]);
                }
            default:
                return 0;
        }
    }

    // Bytes taken by one or more backslash-newline continuations at e[0]; 0 when e[0..] is not one.
    private static int ContinuationLength(ReadOnlySpan<byte> e)
    {
        int i = 0;
        while (i + 1 < e.Length && e[i] == '\\')
        {
            byte c = e[i + 1];
            if (c == '\n') i += 2;
            else if (c == '\r') i += i + 2 < e.Length && e[i + 2] == '\n' ? 3 : 2;
            else if (c == 0xe2 && i + 3 < e.Length && e[i + 2] == 0x80 && e[i + 3] is 0xa8 or 0xa9) i += 4;
            else break;
        }
        return i;
    }

    private static int Utf8Length(ReadOnlySpan<byte> e)
    {
        int i = 1;
        if (e[0] >= 0xc0) while (i < e.Length && (e[i] & 0xc0) == 0x80) i++;
        return i;
    }

    private static int HexValue4(ReadOnlySpan<byte> h)
    {
        int v = 0;
        for (int q = 0; q < 4; q++)
        {
            byte c = h[q];
            v = v * 16 + (IsDigit(c) ? c - '0' : IsHexDigit(c) ? (c | 0x20) - 'a' + 10 : 0);
        }
        return v;
    }

    private static bool ReadHeader(ReadOnlySpan<byte> s, int at, out byte type, out int hdr, out long size)
    {
        type = (byte)(s[at] & 0x0f);
        int x = s[at] >> 4;
        hdr = 1;
        size = 0;
        if (x <= 11) size = x;
        else
        {
            int nb = x switch { 12 => 1, 13 => 2, 14 => 4, _ => 8 };
            if (at + 1 + nb > s.Length) return false;
            for (int k = 0; k < nb; k++) size = (size << 8) | s[at + 1 + k];
            hdr = 1 + nb;
            if (size < 0) return false;
        }
        return true;
    }

    /// <summary>Decodes a JSONB blob; null when it is not well-formed.</summary>
    public static JsonNode? Decode(ReadOnlySpan<byte> s)
    {
        if (!LooksLikeJsonb(s)) return null;
        int pos = 0;
        JsonNode? n = Read(s, ref pos, s.Length, 0);
        return n != null && pos == s.Length ? n : null;
    }

    private static JsonNode? Read(ReadOnlySpan<byte> s, ref int pos, int end, int depth)
    {
        if (pos >= end || depth > 1000) return null;
        if (!ReadHeader(s, pos, out byte type, out int hdr, out long size)) return null;
        if (type > 12 || pos + hdr + size > end) return null;
        int start = pos + hdr;
        int stop = start + (int)size;
        pos = stop;
        switch (type)
        {
            case JsonNode.Null:
            case JsonNode.True:
            case JsonNode.False:
                return size == 0 ? new JsonNode(type) : null;
            case JsonNode.Array:
            case JsonNode.Object:
                {
                    var n = new JsonNode(type) { Items = [] };
                    int p = start;
                    while (p < stop)
                    {
                        JsonNode? c = Read(s, ref p, stop, depth + 1);
                        if (c == null) return null;
                        if (type == JsonNode.Object && n.Items.Count % 2 == 0 && !c.IsString) return null;
                        n.Items.Add(c);
                    }
                    if (type == JsonNode.Object && n.Items.Count % 2 != 0) return null;
                    return n;
                }
            default:
                if (type is JsonNode.Int or JsonNode.Int5 or JsonNode.Float or JsonNode.Float5 && size == 0) return null;
                return new JsonNode(type, s[start..stop].ToArray());
        }
    }
}

/// <summary>Rendering nodes as JSON text, and string escaping.</summary>
internal static class JsonText
{
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    /// <summary>Appends raw text JSON-escaped (without quotes); true when anything was escaped.</summary>
    public static bool AppendEscaped(ByteBuilder b, ReadOnlySpan<byte> raw)
    {
        bool any = false;
        foreach (byte c in raw)
        {
            if (c == '"' || c == '\\')
            {
                b.Append((byte)'\\');
                b.Append(c);
                any = true;
            }
            else if (c < 0x20)
            {
                AppendControl(b, c);
                any = true;
            }
            else b.Append(c);
        }
        return any;
    }

    private static void AppendControl(ByteBuilder b, byte c)
    {
        b.Append((byte)'\\');
        switch (c)
        {
            case 8: b.Append((byte)'b'); break;
            case 9: b.Append((byte)'t'); break;
            case 10: b.Append((byte)'n'); break;
            case 12: b.Append((byte)'f'); break;
            case 13: b.Append((byte)'r'); break;
            default:
                b.Append("u00");
                b.Append(Hex[c >> 4]);
                b.Append(Hex[c & 15]);
                break;
        }
    }

    /// <summary>Decodes JSON (and JSON5) escapes.</summary>
    public static void Unescape(ByteBuilder b, ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            byte c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                b.Append(c);
                continue;
            }
            byte e = s[++i];
            switch (e)
            {
                case (byte)'b': b.Append(8); break;
                case (byte)'f': b.Append(12); break;
                case (byte)'n': b.Append(10); break;
                case (byte)'r': b.Append(13); break;
                case (byte)'t': b.Append(9); break;
                case (byte)'v': b.Append(11); break;
                case (byte)'0': b.Append(0); break;
                case (byte)'\n': break;
                case (byte)'\r':
                    if (i + 1 < s.Length && s[i + 1] == '\n') i++;
                    break;
                case 0xe2:
                    i += 2;
                    break;
                case (byte)'x':
                    ArgValues.AppendUtf8(b, (uint)(HexVal(s[i + 1]) * 16 + HexVal(s[i + 2])));
                    i += 2;
                    break;
                case (byte)'u':
                    {
                        uint v = HexAt(s, i + 1);
                        i += 4;
                        if ((v & 0xfc00) == 0xd800 && i + 6 < s.Length + 0 && i + 2 < s.Length && s[i + 1] == '\\' && s[i + 2] == 'u' && i + 6 < s.Length + 1)
                        {
                            uint lo = HexAt(s, i + 3);
                            if ((lo & 0xfc00) == 0xdc00)
                            {
                                v = (((v & 0x3ff) << 10) | (lo & 0x3ff)) + 0x10000;
                                i += 6;
                            }
                        }
                        ArgValues.AppendUtf8(b, v);
                        break;
                    }
                default:
                    b.Append(e);
                    break;
            }
        }
    }

    private static uint HexAt(ReadOnlySpan<byte> s, int i)
    {
        uint v = 0;
        for (int k = 0; k < 4; k++) v = v * 16 + (uint)(i + k < s.Length ? HexVal(s[i + k]) : 0);
        return v;
    }

    private static int HexVal(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The node as minified JSON text.</summary>
    public static byte[] Render(JsonNode n)
    {
        var b = new ByteBuilder(64);
        Write(b, n, -1, null, 0);
        if (b.TooBig) ArgValues.ThrowTooBig();
        return b.ToArray();
    }

    /// <summary>The node as indented JSON text (json_pretty).</summary>
    public static byte[] RenderPretty(JsonNode n, byte[] indent)
    {
        var b = new ByteBuilder(64);
        Write(b, n, 0, indent, 0);
        if (b.TooBig) ArgValues.ThrowTooBig();
        return b.ToArray();
    }

    private static void NewLine(ByteBuilder b, byte[] indent, int level)
    {
        b.Append((byte)'\n');
        for (int k = 0; k < level; k++) b.Append(indent);
    }

    private static void Write(ByteBuilder b, JsonNode n, int level, byte[]? indent, int unused)
    {
        switch (n.Type)
        {
            case JsonNode.Null: b.Append("null"); return;
            case JsonNode.True: b.Append("true"); return;
            case JsonNode.False: b.Append("false"); return;
            case JsonNode.Int:
            case JsonNode.Float:
                b.Append(n.Payload);
                return;
            case JsonNode.Int5:
                WriteHex(b, n.Payload);
                return;
            case JsonNode.Float5:
                {
                    ReadOnlySpan<byte> s = n.Payload;
                    int k = 0;
                    if (k < s.Length && s[k] == '-')
                    {
                        b.Append((byte)'-');
                        k++;
                    }
                    if (k < s.Length && s[k] == '.') b.Append((byte)'0');
                    for (; k < s.Length; k++)
                    {
                        b.Append(s[k]);
                        if (s[k] == '.' && (k + 1 == s.Length || s[k + 1] < '0' || s[k + 1] > '9')) b.Append((byte)'0');
                    }
                    return;
                }
            case JsonNode.Text:
            case JsonNode.TextJ:
                b.Append((byte)'"');
                b.Append(n.Payload);
                b.Append((byte)'"');
                return;
            case JsonNode.TextRaw:
                b.Append((byte)'"');
                AppendEscaped(b, n.Payload);
                b.Append((byte)'"');
                return;
            case JsonNode.Text5:
                b.Append((byte)'"');
                WriteText5(b, n.Payload);
                b.Append((byte)'"');
                return;
            case JsonNode.Array:
                {
                    b.Append((byte)'[');
                    List<JsonNode> items = n.Items!;
                    for (int i = 0; i < items.Count; i++)
                    {
                        if (i > 0) b.Append((byte)',');
                        if (indent != null) NewLine(b, indent, level + 1);
                        Write(b, items[i], level + 1, indent, 0);
                    }
                    if (indent != null && items.Count > 0) NewLine(b, indent, level);
                    b.Append((byte)']');
                    return;
                }
            default:
                {
                    b.Append((byte)'{');
                    List<JsonNode> items = n.Items!;
                    for (int i = 0; i + 1 < items.Count; i += 2)
                    {
                        if (i > 0) b.Append((byte)',');
                        if (indent != null) NewLine(b, indent, level + 1);
                        Write(b, items[i], level + 1, indent, 0);
                        b.Append((byte)':');
                        if (indent != null) b.Append((byte)' ');
                        Write(b, items[i + 1], level + 1, indent, 0);
                    }
                    if (indent != null && items.Count > 0) NewLine(b, indent, level);
                    b.Append((byte)'}');
                    return;
                }
        }
    }

    private static void WriteHex(ByteBuilder b, ReadOnlySpan<byte> s)
    {
        int k = 0;
        if (k < s.Length && s[k] == '-')
        {
            b.Append((byte)'-');
            k++;
        }
        else if (k < s.Length && s[k] == '+') k++;
        ulong u = 0;
        bool overflow = false;
        for (k += 2; k < s.Length; k++)
        {
            if ((u >> 60) != 0) overflow = true;
            else u = u * 16 + (ulong)HexVal(s[k]);
        }
        b.Append(overflow ? "9.0e999" : u.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void WriteText5(ByteBuilder b, ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            byte c = s[i];
            if (c == '"')
            {
                b.Append("\\\"");
                continue;
            }
            if (c < 0x20)
            {
                AppendControl(b, c);
                continue;
            }
            if (c != '\\' || i + 1 >= s.Length)
            {
                b.Append(c);
                continue;
            }
            byte e = s[++i];
            switch (e)
            {
                case (byte)'\'': b.Append((byte)'\''); break;
                case (byte)'v': b.Append("\\u0009"); break;
                case (byte)'0': b.Append("\\u0000"); break;
                case (byte)'x':
                    b.Append("\\u00");
                    b.Append(s[i + 1]);
                    b.Append(s[i + 2]);
                    i += 2;
                    break;
                case (byte)'\n': break;
                case (byte)'\r':
                    if (i + 1 < s.Length && s[i + 1] == '\n') i++;
                    break;
                case 0xe2:
                    i += 2;
                    break;
                default:
                    b.Append((byte)'\\');
                    b.Append(e);
                    break;
            }
        }
    }
}
