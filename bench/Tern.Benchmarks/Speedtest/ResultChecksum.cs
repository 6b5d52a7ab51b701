// A checksum of everything a test's statements returned, computed the same way for both
// engines so their answers can be compared: the number of result rows, the rows changed
// by writes, and a hash over every value's text as SQLite would print it (integers as
// digits, reals in .NET's round-trip "R" form, text as is, blobs in hex, NULL as a marker),
// each tagged with its storage class so 1 and 1.0 and '1' differ. Rows are combined two
// ways: in order, and order-independently (a sum of row hashes, with the items of a
// comma-separated group_concat list sorted). The order-independent hash decides equality
// (SQL leaves the order of rows, and of an aggregate's inputs, open without ORDER BY); a
// differing order alone is reported separately.
using System.Data.Common;
using System.Globalization;

namespace Tern.Benchmarks.Speedtest;

/// <summary>Accumulates the rows and change counts of one engine's run of one test.</summary>
internal sealed class ResultChecksum
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>Result rows seen.</summary>
    public long Rows { get; private set; }

    /// <summary>Sum of the rows changed by the statements (their RecordsAffected, when non-negative).</summary>
    public long Changes { get; private set; }

    /// <summary>Order-independent hash of the rows (wrapping sum of row hashes).</summary>
    public ulong Unordered { get; private set; }

    /// <summary>Order-dependent hash of the rows.</summary>
    public ulong Ordered { get; private set; } = FnvOffset;

    /// <summary>The text of the first few rows, kept to explain a mismatch.</summary>
    public List<string> Sample { get; } = [];

    /// <summary>Adds the current row of <paramref name="reader"/>.</summary>
    public void AddRow(DbDataReader reader)
    {
        // h: the row as returned; g: the same with group_concat lists in a canonical order.
        ulong h = FnvOffset, g = FnvOffset;
        int n = reader.FieldCount;
        bool keep = Sample.Count < 8;
        System.Text.StringBuilder? text = keep ? new System.Text.StringBuilder() : null;
        Span<char> buffer = stackalloc char[40];
        for (int i = 0; i < n; i++)
        {
            if (reader.IsDBNull(i))
            {
                h = Mix(h, 'N');
                g = Mix(g, 'N');
                text?.Append("NULL|");
                continue;
            }
            Type t = reader.GetFieldType(i);
            if (t == typeof(long))
            {
                long v = reader.GetInt64(i);
                v.TryFormat(buffer, out int len, default, CultureInfo.InvariantCulture);
                h = Mix(Mix(h, 'I'), buffer[..len]);
                g = Mix(Mix(g, 'I'), buffer[..len]);
                text?.Append(buffer[..len]).Append('|');
            }
            else if (t == typeof(double))
            {
                double v = reader.GetDouble(i);
                v.TryFormat(buffer, out int len, "R", CultureInfo.InvariantCulture);
                h = Mix(Mix(h, 'R'), buffer[..len]);
                g = Mix(Mix(g, 'R'), buffer[..len]);
                text?.Append(buffer[..len]).Append('|');
            }
            else if (t == typeof(string))
            {
                string v = reader.GetString(i);
                h = Mix(Mix(h, 'T'), v.AsSpan());
                g = Mix(Mix(g, 'T'), CanonicalList(v).AsSpan());
                text?.Append(v.Length > 60 ? v[..60] + "..." : v).Append('|');
            }
            else
            {
                byte[] v = reader.GetFieldValue<byte[]>(i);
                string hex = Convert.ToHexString(v);
                h = Mix(Mix(h, 'B'), hex.AsSpan());
                g = Mix(Mix(g, 'B'), hex.AsSpan());
                text?.Append("x'").Append(hex).Append("'|");
            }
        }
        Rows++;
        Unordered = unchecked(Unordered + g * 0x9E3779B97F4A7C15UL + (g >> 29));
        Ordered = unchecked((Ordered ^ h) * FnvPrime);
        if (text != null) Sample.Add(text.ToString());
    }

    /// <summary>
    /// A comma-separated list (what group_concat returns) with its items sorted: SQL leaves the
    /// order of an aggregate's inputs open, and engines that scan in different orders (a table
    /// against an index) concatenate the same items differently. Text without commas is unchanged.
    /// </summary>
    private static string CanonicalList(string v)
    {
        if (!v.Contains(',', StringComparison.Ordinal)) return v;
        string[] items = v.Split(',');
        Array.Sort(items, StringComparer.Ordinal);
        return string.Join(',', items);
    }

    /// <summary>Adds a statement's count of changed rows.</summary>
    public void AddChanges(int recordsAffected)
    {
        if (recordsAffected > 0) Changes += recordsAffected;
    }

    /// <summary>Whether the two runs returned the same rows (in any order) and changed as many rows.</summary>
    public bool SameAs(ResultChecksum other) => Rows == other.Rows && Changes == other.Changes && Unordered == other.Unordered;

    /// <summary>Whether the rows also came in the same order.</summary>
    public bool SameOrderAs(ResultChecksum other) => Ordered == other.Ordered;

    /// <summary>A short description: rows, changes and the hash.</summary>
    public override string ToString() => $"{Rows} rows, {Changes} changes, hash {Unordered:x16}";

    private static ulong Mix(ulong h, char c) => unchecked((h ^ c) * FnvPrime);

    private static ulong Mix(ulong h, ReadOnlySpan<char> s)
    {
        foreach (char c in s) h = unchecked((h ^ c) * FnvPrime);
        // A separator, so ("ab","c") and ("a","bc") differ.
        return unchecked((h ^ 0xFFFF) * FnvPrime);
    }
}
