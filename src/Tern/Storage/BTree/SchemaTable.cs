// sqlite_schema as the storage layer sees it: the table b-tree rooted at page 1 whose
// rows are (type, name, tbl_name, rootpage, sql). Reading it gives the root page of
// every table and index, which is all the storage layer needs (for the integrity check
// and for tests); the SQL compiler builds its schema from the same rows.
using System.Text.RegularExpressions;
using Tern.Storage.Pager;
using Tern.Storage.Record;

namespace Tern.Storage.BTree;

/// <summary>One row of sqlite_schema.</summary>
internal sealed record SchemaEntry(long RowId, string Type, string Name, string TableName, uint RootPage, string? Sql)
{
    /// <summary>Whether the object's b-tree is a table (rowid) tree: tables other than WITHOUT ROWID ones.</summary>
    public bool IsRowidTable => Type == "table" && (Sql == null || !WithoutRowid().IsMatch(Sql));

    private static Regex WithoutRowid() => new(@"\bWITHOUT\s+ROWID\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}

/// <summary>
/// One row of sqlite_schema with every column as SQLite's schema loader sees it: the text of
/// the value (integers and reals as their decimal text, a blob's bytes up to the first NUL),
/// or null for NULL.
/// </summary>
internal sealed record SchemaRow(long RowId, string? Type, string? Name, string? TableName, string? RootPage, string? Sql);

/// <summary>Reads and writes the rows of sqlite_schema.</summary>
internal static class SchemaTable
{
    /// <summary>The text encodings a database header may name.</summary>
    public const uint Utf8 = 1;

    /// <summary>Reads every row of sqlite_schema.</summary>
    public static List<SchemaEntry> Read(BTree bt) => Walk(bt, static (rowId, row) =>
    {
        if (row.Length < 5) TernException.ThrowCorrupt();
        long root = row[3].Kind == ValueKind.Integer ? row[3].AsInteger : 0;
        if (root < 0 || root > uint.MaxValue) TernException.ThrowCorrupt();
        return new SchemaEntry(rowId, Text(row[0]), Text(row[1]), Text(row[2]), (uint)root,
            row[4].Kind == ValueKind.Null ? null : Text(row[4]));
    });

    /// <summary>Reads every row of sqlite_schema in rowid order, columns as text (see <see cref="SchemaRow"/>).</summary>
    public static List<SchemaRow> ReadRows(BTree bt) => Walk(bt, static (rowId, row) =>
    {
        string? Column(int i) => i < row.Length ? TextOf(row[i]) : null;
        return new SchemaRow(rowId, Column(0), Column(1), Column(2), Column(3), Column(4));
    });

    // Visits sqlite_schema's rows in rowid order inside a read transaction (one is begun when
    // none is open); an empty file has none.
    private static List<T> Walk<T>(BTree bt, Func<long, Value[], T> row)
    {
        bool started = bt.Pager.State == PagerState.Open;
        if (started) bt.BeginRead();
        try
        {
            var list = new List<T>();
            if (bt.Pager.PageCount == 0) return list;
            CheckEncoding(bt);
            using var cursor = new BTreeCursor(bt, 1, table: true);
            for (bool ok = cursor.First(); ok; ok = cursor.Next()) list.Add(row(cursor.RowId, RecordReader.Decode(cursor.Payload)));
            return list;
        }
        finally
        {
            if (started) bt.EndRead();
        }
    }

    private static string? TextOf(in Value v)
    {
        switch (v.Kind)
        {
            case ValueKind.Null: return null;
            case ValueKind.Integer: return v.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case ValueKind.Real: return Vdbe.NumericText.FormatReal(v.AsReal);
            case ValueKind.Text: return v.AsString();
            default:
                {
                    ReadOnlySpan<byte> bytes = v.AsBytes;
                    int nul = bytes.IndexOf((byte)0);
                    return System.Text.Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
                }
        }
    }

    /// <summary>Tern reads UTF-8 databases; a UTF-16 one is reported clearly rather than misread.</summary>
    public static void CheckEncoding(BTree bt)
    {
        uint enc = bt.GetMeta(DatabaseHeader.TextEncodingOffset);
        if (enc == Utf8 || enc == 0) return;
        string name = enc switch { 2 => "UTF-16le", 3 => "UTF-16be", _ => $"unknown ({enc})" };
        if (enc is 2 or 3)
            TernException.Throw(ResultCode.Error, $"unsupported database text encoding: {name} (Tern reads UTF-8 databases only)");
        TernException.ThrowCorrupt();
    }

    /// <summary>The roots of every b-tree named in sqlite_schema, with their kind, for the integrity check.</summary>
    public static List<(uint Root, bool IsTable)> Roots(BTree bt)
    {
        var roots = new List<(uint, bool)> { (1, true) };
        foreach (SchemaEntry e in Read(bt))
        {
            if (e.RootPage != 0 && (e.Type == "table" || e.Type == "index")) roots.Add((e.RootPage, e.IsRowidTable));
        }
        return roots;
    }

    /// <summary>Adds a row to sqlite_schema and bumps the schema cookie (inside a write transaction).</summary>
    public static void Insert(BTree bt, string type, string name, string tableName, uint rootPage, string? sql)
    {
        using var cursor = new BTreeCursor(bt, 1, table: true);
        long rowId = cursor.Last() ? cursor.RowId + 1 : 1;
        Value[] row =
        [
            Value.FromText(type), Value.FromText(name), Value.FromText(tableName),
            Value.FromInteger(rootPage), sql == null ? Value.Null : Value.FromText(sql),
        ];
        cursor.Insert(rowId, RecordEncoder.Encode(row));
        bt.SetMeta(DatabaseHeader.SchemaCookieOffset, bt.GetMeta(DatabaseHeader.SchemaCookieOffset) + 1);
    }

    /// <summary>Points every sqlite_schema row whose root page is <paramref name="from"/> at <paramref name="to"/> (a root page moved).</summary>
    public static void ReplaceRootPage(BTree bt, uint from, uint to)
    {
        using var cursor = new BTreeCursor(bt, 1, table: true);
        var changed = new List<(long RowId, byte[] Record)>();
        for (bool ok = cursor.First(); ok; ok = cursor.Next())
        {
            Value[] row = RecordReader.Decode(cursor.Payload);
            if (row.Length >= 4 && row[3].Kind == ValueKind.Integer && row[3].AsInteger == from)
            {
                row[3] = Value.FromInteger(to);
                changed.Add((cursor.RowId, RecordEncoder.Encode(row)));
            }
        }
        foreach ((long rowId, byte[] record) in changed) cursor.Insert(rowId, record);
    }

    private static string Text(in Value v) => v.Kind switch
    {
        ValueKind.Text => v.AsString(),
        ValueKind.Null => "",
        _ => v.ToString() ?? "",
    };
}
