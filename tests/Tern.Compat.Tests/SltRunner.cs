// An in-process sqllogictest runner (format: ../shared/corpus/README.md), following the
// reference runner's rules. Each file runs on a fresh in-memory database; each record is a
// case named "file:line". A query must return exactly as many columns as its type string
// has letters; values are rendered by those types (I as sqlite3_column_int's 32-bit
// integer, R with three decimals, T with (empty) and '@' for unprintable characters),
// sorted as the record asks, and compared with the expected lines - or, when there are
// more values than the hash threshold (8 unless the file sets another), their MD5 is
// compared with the expected "N values hashing to H" line. Queries that share a label
// must give the same values as the first query with that label in the file. The database
// is reached through an SltTarget: the engine API (the default) or an ADO.NET connection.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tern.Compat.Tests;

/// <summary>The outcome of one record.</summary>
public sealed record SltResult(string Id, bool Passed, string? Detail)
{
    /// <summary>How long the record took.</summary>
    public TimeSpan Elapsed { get; init; }
}

public static class SltRunner
{
    /// <summary>The repository root: the nearest directory up from the test binaries that holds Tern.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (string? d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Tern.slnx"))) return d;
        }
        throw new InvalidOperationException("Tern.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string CorpusDirectory => Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "corpus"));

    /// <summary>Runs every record of one file through the engine API; <paramref name="name"/> names the cases.</summary>
    public static List<SltResult> RunFile(string path, string name) => RunFile(path, name, () => new EngineTarget());

    /// <summary>Runs every record of one file on a fresh database made by <paramref name="open"/>.</summary>
    public static List<SltResult> RunFile(string path, string name, Func<SltTarget> open)
    {
        var results = new List<SltResult>();
        string[] lines = File.ReadAllText(path).Replace("\r", "", StringComparison.Ordinal).Split('\n');
        using SltTarget conn = open();
        // The reference runner's default; files may set their own with "hash-threshold N".
        int hashThreshold = 8;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 0;
        long started = 0;
        void Add(SltResult r) => results.Add(r with { Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started) });
        while (i < lines.Length)
        {
            // Skip blank lines and comments between records.
            if (lines[i].Trim().Length == 0 || lines[i].StartsWith('#'))
            {
                i++;
                continue;
            }
            int start = i;
            var block = new List<string>();
            while (i < lines.Length && lines[i].Trim().Length > 0)
            {
                if (!lines[i].StartsWith('#')) block.Add(lines[i]);
                i++;
            }
            bool skip = false;
            while (block.Count > 0 && (block[0].StartsWith("skipif ", StringComparison.Ordinal) || block[0].StartsWith("onlyif ", StringComparison.Ordinal)))
            {
                string[] w = block[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (w[0] == "skipif" && w[1] == "sqlite") skip = true;
                if (w[0] == "onlyif" && w[1] != "sqlite") skip = true;
                block.RemoveAt(0);
            }
            if (block.Count == 0 || skip) continue;
            string head = block[0];
            string id = $"{name}:{start + 1}";
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (Environment.GetEnvironmentVariable("TERN_SLT_TRACE") is { Length: > 0 } trace) File.AppendAllText(trace, id + "\n");
            if (head == "halt") break;
            if (head.StartsWith("hash-threshold", StringComparison.Ordinal))
            {
                hashThreshold = int.Parse(head.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                continue;
            }
            if (head.StartsWith("statement", StringComparison.Ordinal))
            {
                bool expectError = head.Contains("error", StringComparison.Ordinal);
                string sql = string.Join("\n", block.Skip(1));
                string? error = null;
                try
                {
                    conn.Execute(sql);
                }
                catch (Exception e)
                {
                    error = conn.IsDatabaseError(e) ? e.Message : "crash: " + e.GetType().Name + ": " + e.Message;
                }
                bool ok = expectError ? error != null && !error.StartsWith("crash", StringComparison.Ordinal) : error == null;
                Add(new SltResult(id, ok, ok ? null : error ?? "expected an error"));
                continue;
            }
            if (head.StartsWith("query", StringComparison.Ordinal))
            {
                string[] w = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string types = w[1];
                string sort = w.Length > 2 ? w[2] : "nosort";
                string? label = w.Length > 3 ? w[3] : null;
                int sep = block.IndexOf("----");
                string sql = string.Join("\n", block.Skip(1).Take((sep < 0 ? block.Count : sep) - 1));
                List<string> expected = sep < 0 ? [] : block.Skip(sep + 1).ToList();
                try
                {
                    List<string> values = Values(conn, sql, types, sort, out int columns);
                    if (columns >= 0 && columns != types.Length)
                    {
                        Add(new SltResult(id, false, $"wrong number of columns: {columns} for types {types}"));
                        continue;
                    }
                    List<string> actual = values.Count > hashThreshold && hashThreshold > 0 ? [HashLine(values)] : values;
                    string? why = actual.SequenceEqual(expected) ? null : $"expected [{string.Join(",", expected.Take(6))}] got [{string.Join(",", actual.Take(6))}]";
                    if (why == null && label != null)
                    {
                        string hash = HashLine(values);
                        if (!labels.TryAdd(label, hash) && labels[label] != hash) why = $"{label}: {hash} differs from the earlier result {labels[label]}";
                    }
                    Add(new SltResult(id, why == null, why));
                }
                catch (Exception e)
                {
                    Add(new SltResult(id, false, (conn.IsDatabaseError(e) ? "" : "crash: " + e.GetType().Name + ": ") + e.Message));
                }
            }
        }
        return results;
    }

    // The values of a query's rows in the order the record asks for.
    private static List<string> Values(SltTarget conn, string sql, string types, string sort, out int columns)
    {
        List<string[]> rows = conn.Query(sql, types, out columns);
        if (sort == "rowsort")
        {
            rows.Sort((a, b) =>
            {
                for (int k = 0; k < a.Length; k++)
                {
                    int cmp = string.CompareOrdinal(a[k], b[k]);
                    if (cmp != 0) return cmp;
                }
                return 0;
            });
            return rows.SelectMany(r => r).ToList();
        }
        List<string> values = rows.SelectMany(r => r).ToList();
        if (sort == "valuesort") values.Sort(string.CompareOrdinal);
        return values;
    }

    /// <summary>"N values hashing to H": the MD5 of every value followed by a newline.</summary>
    internal static string HashLine(List<string> values)
    {
        var sb = new StringBuilder();
        foreach (string v in values) sb.Append(v).Append('\n');
        string md5 = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(sb.ToString()))).ToLowerInvariant();
        return $"{values.Count} values hashing to {md5}";
    }

    /// <summary>A value as the corpus prints it for a column of type I, R or T.</summary>
    internal static string Render(bool isNull, char type, Func<long> integer, Func<double> real, Func<string?> text)
    {
        if (isNull) return "NULL";
        switch (type)
        {
            case 'I':
                // sqlite3_column_int: the 64-bit integer value cut to its low 32 bits.
                return unchecked((int)integer()).ToString(CultureInfo.InvariantCulture);
            case 'R':
                return FormatReal(real());
            default:
                {
                    string t = text() ?? "";
                    if (t.Length == 0) return "(empty)";
                    var sb = new StringBuilder(t.Length);
                    foreach (char ch in t) sb.Append(ch < ' ' || ch > '~' ? '@' : ch);
                    return sb.ToString();
                }
        }
    }

    /// <summary>
    /// A REAL as the corpus prints it: three decimals; past 2^53, where a double holds only
    /// integers, sixteen significant digits padded with zeros (so -2^63 prints as
    /// -9223372036854776000.000, not with every binary digit expanded).
    /// </summary>
    internal static string FormatReal(double v)
    {
        if (!double.IsFinite(v) || Math.Abs(v) < 9007199254740992.0) return v.ToString("F3", CultureInfo.InvariantCulture);
        // Sixteen significant digits, e.g. "-9.223372036854776E+018".
        string shortest = v.ToString("E15", CultureInfo.InvariantCulture);
        bool neg = shortest[0] == '-';
        string body = neg ? shortest[1..] : shortest;
        int e = body.IndexOf('E', StringComparison.Ordinal);
        string mant = body[..e].Replace(".", "", StringComparison.Ordinal);
        int exp = int.Parse(body[(e + 1)..], CultureInfo.InvariantCulture);
        string digits = exp + 1 >= mant.Length ? mant.PadRight(exp + 1, '0') : mant[..(exp + 1)];
        return (neg ? "-" : "") + digits + ".000";
    }
}
