// Table-valued functions: functions that stand in FROM like a table (SQLite's eponymous
// virtual tables). A function declares its visible columns and its parameters; each
// parameter is also a hidden column that reads back the argument the rows were made for.
// Arguments come from the call's parentheses or from WHERE equalities on the hidden
// columns; the VM's VFilter opcode hands them over and reads rows from Rows() lazily, one
// per Next, so an endless series stops where its consumer stops.
//
//   FROM json_each(doc, '$.a')          parameters: json, root
//        |          |                    columns:    key value type atom id parent fullkey path
//        +-- args --+--> Rows(args, given) --> [key, value, ..., path, json, root] per row
//
// Here: the base class, generate_series, json_each and json_tree. The pragma functions
// (pragma_table_info, ...) live with the PRAGMA compiler, which owns their row producers.
using System.Diagnostics;
using System.Globalization;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>A function usable as a FROM item (SQLite's eponymous virtual table).</summary>
internal abstract class TableValuedFunction
{
    /// <summary>The name it is called by.</summary>
    public abstract string Name { get; }

    /// <summary>The visible columns (what * lists), in order.</summary>
    public abstract string[] Columns { get; }

    /// <summary>The parameters, in call order; each is also a hidden column after the visible ones.</summary>
    public abstract string[] Parameters { get; }

    /// <summary>The error for a call with more arguments than parameters.</summary>
    public virtual string TooManyArguments => $"too many arguments on {Name}() - max {Parameters.Length}";

    /// <summary>
    /// The rows for the given arguments: <paramref name="args"/> has one value per parameter,
    /// <paramref name="given"/> says which were supplied. Each row holds the visible columns
    /// then the hidden ones. The arguments are the function's own (copied); rows are produced
    /// as they are asked for.
    /// </summary>
    public abstract IEnumerable<Mem[]> Rows(Mem[] args, bool[] given);

    /// <summary>The index number EXPLAIN QUERY PLAN shows for a call with these arguments (SQLite's idxNum).</summary>
    public virtual int PlanIndex(bool[] given) => 0;

    /// <summary>The rowid of the row produced <paramref name="index"/>-th (from 0).</summary>
    public virtual long Rowid(Mem[] row, long index) => index + 1;

    /// <summary>A row of the visible values followed by the arguments as the hidden columns.</summary>
    protected static Mem[] WithArguments(Mem[] visible, Mem[] args)
    {
        var row = new Mem[visible.Length + args.Length];
        visible.CopyTo(row, 0);
        args.CopyTo(row, visible.Length);
        return row;
    }
}

/// <summary>
/// generate_series(start [, stop [, step]]): the integers from start towards stop. stop
/// defaults to 4294967295 and step to 1 (a zero step counts as 1; a negative one lists the
/// same values in reverse); a NULL start or stop gives no rows. Arguments are cast to
/// integers; the series ends where the next value would overflow.
/// </summary>
internal sealed class GenerateSeries : TableValuedFunction
{
    public static readonly GenerateSeries Instance = new();

    public override string Name => "generate_series";

    public override string[] Columns { get; } = ["value"];

    public override string[] Parameters { get; } = ["start", "stop", "step"];

    public override int PlanIndex(bool[] given) => (given[0] ? 1 : 0) | (given[1] ? 2 : 0) | (given[2] ? 4 : 0);

    public override long Rowid(Mem[] row, long index) => row[0].I;

    public override IEnumerable<Mem[]> Rows(Mem[] args, bool[] given)
    {
        if (!given[0]) throw new TernException(ResultCode.Error, "first argument to \"generate_series()\" missing or unusable");
        if (args[0].IsNull || (given[1] && args[1].IsNull)) yield break;
        long start = NumericText.ToInt64(args[0]);
        long stop = given[1] ? NumericText.ToInt64(args[1]) : 4294967295L;
        long step = given[2] && !args[2].IsNull ? NumericText.ToInt64(args[2]) : 1;
        if (step == 0) step = 1;
        var hidden = new Mem[3];
        hidden[0].SetInt(start);
        hidden[1].SetInt(stop);
        hidden[2].SetInt(step);
        long value, limit;
        if (step > 0)
        {
            value = start;
            limit = stop;
        }
        else
        {
            // From the last value at or below stop that start + k*|step| reaches, down to start.
            if (start > stop) yield break;
            Int128 span = (Int128)stop - start;
            value = (long)(start + span / -(Int128)step * -(Int128)step);
            limit = start;
        }
        while (step > 0 ? value <= limit : value >= limit)
        {
            var row = new Mem[1];
            row[0].SetInt(value);
            yield return WithArguments(row, hidden);
            Int128 next = (Int128)value + step;
            if (next > long.MaxValue || next < long.MinValue) yield break;
            value = (long)next;
        }
    }
}

/// <summary>
/// json_each(json [, root]) and json_tree(json [, root]): the children of the element at
/// root (json_each), or that element and everything below it, depth first (json_tree). A
/// row's id is the byte offset of its element in the document's JSONB form (of its label,
/// for an object member), as SQLite reports it; parent is the id of the containing row
/// (json_tree only); fullkey is the path to the element, path the path to its container.
/// </summary>
internal sealed class JsonEach(bool tree) : TableValuedFunction
{
    public static readonly JsonEach Each = new(false);
    public static readonly JsonEach Tree = new(true);

    public override string Name => tree ? "json_tree" : "json_each";

    public override string[] Columns { get; } = ["key", "value", "type", "atom", "id", "parent", "fullkey", "path"];

    public override string[] Parameters { get; } = ["json", "root"];

    public override int PlanIndex(bool[] given) => (given[0] ? 1 : 0) | (given[1] ? 2 : 0);

    public override long Rowid(Mem[] row, long index) => index;

    public override IEnumerable<Mem[]> Rows(Mem[] args, bool[] given)
    {
        if (!given[0] || args[0].IsNull) return [];
        JsonNode? doc = JsonFunctions.Document(args[0]);
        if (doc == null) return [];
        byte[] root = "$"u8.ToArray();
        List<JsonFunctions.Step> steps = [];
        if (given[1])
        {
            if (args[1].IsNull) return [];
            root = JsonFunctions.PathText(args[1]);
            steps = JsonFunctions.ParsePath(root) ?? throw new TernException(ResultCode.Error,
                "bad JSON path: '" + System.Text.Encoding.UTF8.GetString(root).Replace("'", "''", StringComparison.Ordinal) + "'");
        }
        var layout = new Layout(doc);
        (JsonNode? target, int targetId) = layout.Find(steps);
        if (target == null) return [];
        Mem[] hidden = new Mem[2];
        hidden[0] = args[0];
        hidden[0].Obj = null; // the json column reads back as plain text, even when given JSON
        if (given[1]) hidden[1] = args[1];
        else hidden[1].SetText(root);
        var rows = new List<Mem[]>();
        if (tree)
        {
            int n = RootSplit(root, targetId, layout);
            Mem key = default;
            if (root.Length > 1 && n < root.Length) key = KeyFromPath(root.AsSpan(n));
            Walk(target, targetId, null, key, root, root.AsSpan(0, n).ToArray());
        }
        else if (!target.IsContainer)
        {
            rows.Add(Row(target, default, targetId, null, root, root, hidden));
        }
        else
        {
            EachChild(target, root, (child, id, key, fullkey) => rows.Add(Row(child, key, id, null, fullkey, root, hidden)));
        }
        return rows;

        void Walk(JsonNode node, int id, int? parent, Mem key, byte[] fullkey, byte[] path)
        {
            rows.Add(Row(node, key, id, parent, fullkey, path, hidden));
            if (node.IsContainer) EachChild(node, fullkey, (child, childId, childKey, childFull) => Walk(child, childId, id, childKey, childFull, fullkey));
        }

        void EachChild(JsonNode container, byte[] basePath, Action<JsonNode, int, Mem, byte[]> visit)
        {
            List<JsonNode> items = container.Items!;
            if (container.Type == JsonNode.Array)
            {
                for (int i = 0; i < items.Count; i++)
                {
                    Mem key = default;
                    key.SetInt(i);
                    visit(items[i], layout.Offsets[items[i]], key, Append(basePath, "[" + i.ToString(CultureInfo.InvariantCulture) + "]"));
                }
                return;
            }
            for (int i = 0; i + 1 < items.Count; i += 2)
            {
                JsonNode label = items[i];
                Mem key = default;
                key.SetText(label.StringValue());
                visit(items[i + 1], layout.Offsets[label], key, AppendLabel(basePath, label.Payload));
            }
        }
    }

    /// <summary>One result row: key, value, type, atom, id, parent, fullkey, path, then json and root.</summary>
    private static Mem[] Row(JsonNode node, Mem key, int id, int? parent, byte[] fullkey, byte[] path, Mem[] hidden)
    {
        var row = new Mem[10];
        row[0] = key;
        JsonFunctions.ToSql(node, ref row[1], false);
        row[2].SetText(TypeName(node));
        if (!node.IsContainer) row[3] = row[1];
        row[4].SetInt(id);
        if (parent is int p) row[5].SetInt(p);
        row[6].SetText(fullkey);
        row[7].SetText(path);
        row[8] = hidden[0];
        row[9] = hidden[1];
        return row;
    }

    private static byte[] TypeName(JsonNode n) => n.Type switch
    {
        JsonNode.Null => "null"u8.ToArray(),
        JsonNode.True => "true"u8.ToArray(),
        JsonNode.False => "false"u8.ToArray(),
        JsonNode.Int or JsonNode.Int5 => "integer"u8.ToArray(),
        JsonNode.Float or JsonNode.Float5 => "real"u8.ToArray(),
        JsonNode.Array => "array"u8.ToArray(),
        JsonNode.Object => "object"u8.ToArray(),
        _ => "text"u8.ToArray(),
    };

    private static byte[] Append(byte[] a, string ascii)
    {
        var b = new ByteBuilder(a.Length + ascii.Length);
        b.Append(a);
        b.Append(ascii);
        return b.ToArray();
    }

    /// <summary>".label", or ".\"label\"" when the label (as written) is not a letter followed by letters and digits.</summary>
    private static byte[] AppendLabel(byte[] a, byte[] raw)
    {
        bool quote = raw.Length == 0 || !char.IsAsciiLetter((char)raw[0]);
        for (int i = 1; i < raw.Length && !quote; i++) quote = !char.IsAsciiLetterOrDigit((char)raw[i]);
        var b = new ByteBuilder(a.Length + raw.Length + 3);
        b.Append(a);
        b.Append(quote ? ".\"" : ".");
        b.Append(raw);
        if (quote) b.Append("\"");
        return b.ToArray();
    }

    /// <summary>
    /// Where json_tree splits its root path into the root row's path and key: the last '.' or
    /// '[' whose prefix names the container of which the root element is the first entry
    /// (SQLite's test); 1 (just "$") when none does.
    /// </summary>
    private static int RootSplit(byte[] root, int targetId, Layout layout)
    {
        int n = root.Length;
        if (n < 2) return n;
        while (n > 1)
        {
            n--;
            if (root[n] is not ((byte)'[' or (byte)'.')) continue;
            List<JsonFunctions.Step>? prefix = JsonFunctions.ParsePath(root.AsSpan(0, n));
            if (prefix == null) continue;
            (JsonNode? node, _) = layout.Find(prefix);
            if (node == null) continue;
            if (layout.Offsets[node] + layout.HeaderSizes[node] == targetId) break;
        }
        return n;
    }

    /// <summary>The root row's key from the last element of the root path: "[N]" an integer, ".name" or ".\"name\"" text.</summary>
    private static Mem KeyFromPath(ReadOnlySpan<byte> element)
    {
        Mem key = default;
        if (element[0] == '[')
        {
            int i = 1;
            bool negative = false;
            if (i < element.Length && element[i] is (byte)'-' or (byte)'+') negative = element[i++] == '-';
            long v = 0;
            for (; i < element.Length && element[i] is >= (byte)'0' and <= (byte)'9'; i++) v = unchecked(v * 10 + (element[i] - '0'));
            key.SetInt(negative ? -v : v);
        }
        else if (element.Length >= 2 && element[1] == '"') key.SetText(element.Slice(2, Math.Max(element.Length - 3, 0)).ToArray());
        else key.SetText(element[1..].ToArray());
        return key;
    }

    /// <summary>Each element's offset and header size in the document's JSONB encoding.</summary>
    private sealed class Layout
    {
        public readonly Dictionary<JsonNode, int> Offsets = new(ReferenceEqualityComparer.Instance);
        public readonly Dictionary<JsonNode, int> HeaderSizes = new(ReferenceEqualityComparer.Instance);
        private readonly JsonNode _root;

        public Layout(JsonNode root)
        {
            _root = root;
            Place(root, 0);
        }

        /// <summary>Lays out a node at an offset; returns its encoded size.</summary>
        private int Place(JsonNode n, int at)
        {
            int payload;
            if (n.IsContainer)
            {
                // The children's sizes decide the header's, which decides where they start.
                int inner = 0;
                foreach (JsonNode c in n.Items!) inner += Size(c);
                int header = HeaderSize(inner);
                int pos = at + header;
                foreach (JsonNode c in n.Items!) pos += Place(c, pos);
                payload = inner;
                Offsets[n] = at;
                HeaderSizes[n] = header;
                Debug.Assert(pos == at + header + inner, "children fill the payload");
                return header + payload;
            }
            payload = n.Payload.Length;
            Offsets[n] = at;
            HeaderSizes[n] = HeaderSize(payload);
            return HeaderSizes[n] + payload;
        }

        private readonly Dictionary<JsonNode, int> _sizes = new(ReferenceEqualityComparer.Instance);

        private int Size(JsonNode n)
        {
            if (_sizes.TryGetValue(n, out int s)) return s;
            int payload = 0;
            if (n.IsContainer)
            {
                foreach (JsonNode c in n.Items!) payload += Size(c);
            }
            else payload = n.Payload.Length;
            s = HeaderSize(payload) + payload;
            _sizes[n] = s;
            return s;
        }

        private static int HeaderSize(int payload) => payload <= 11 ? 1 : payload <= 0xff ? 2 : payload <= 0xffff ? 3 : 5;

        /// <summary>The element a path names and its row id (its label's offset for an object member); null when there is none.</summary>
        public (JsonNode? Node, int Id) Find(List<JsonFunctions.Step> steps)
        {
            JsonNode cur = _root;
            int id = 0;
            foreach (JsonFunctions.Step s in steps)
            {
                if (!cur.IsContainer) return (null, 0);
                int i = JsonFunctions.ChildIndex(cur, s);
                if (i < 0) return (null, 0);
                id = cur.Type == JsonNode.Object ? Offsets[cur.Items![i - 1]] : Offsets[cur.Items![i]];
                cur = cur.Items![i];
            }
            return (cur, id);
        }
    }
}

/// <summary>A call of a table-valued function as the VFilter opcode sees it: the function and which parameters have arguments.</summary>
internal sealed record TableFunctionCall(TableValuedFunction Function, bool[] Given);
