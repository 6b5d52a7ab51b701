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

/// <summary>Reads and writes the rows of sqlite_schema.</summary>
internal static class SchemaTable
{
    /// <summary>The text encodings a database header may name.</summary>
    public const uint Utf8 = 1;

    /// <summary>Reads every row of sqlite_schema.</summary>
    public static List<SchemaEntry> Read(BTree bt)
    {
        bool started = bt.Pager.State == PagerState.Open;
        if (started) bt.BeginRead();
        try
        {
            var list = new List<SchemaEntry>();
            if (bt.Pager.PageCount == 0) return list;
            CheckEncoding(bt);
            using var cursor = new BTreeCursor(bt, 1, table: true);
            for (bool ok = cursor.First(); ok; ok = cursor.Next())
            {
                Value[] row = RecordReader.Decode(cursor.Payload);
                if (row.Length < 5) TernException.ThrowCorrupt();
                long root = row[3].Kind == ValueKind.Integer ? row[3].AsInteger : 0;
                if (root < 0 || root > uint.MaxValue) TernException.ThrowCorrupt();
                list.Add(new SchemaEntry(cursor.RowId, Text(row[0]), Text(row[1]), Text(row[2]), (uint)root,
                    row[4].Kind == ValueKind.Null ? null : Text(row[4])));
            }
            return list;
        }
        finally
        {
            if (started) bt.EndRead();
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
