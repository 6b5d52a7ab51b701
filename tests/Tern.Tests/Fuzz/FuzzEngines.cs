// The two engines behind the query fuzzer, each kept open across a seed's statements, and
// the outcome of one statement: its rows (every value tagged with its storage class), or
// its error message, or - Tern only - a crash (any exception that is not a TernException).
// After a DML statement that succeeded the outcome also carries changes().
//
// Comparison: rows are compared as multisets unless the query's ORDER BY fixes the order
// of every row; a "lenient" comparison, allowed only where SQLite itself may return any
// one of several equal values (DISTINCT, GROUP BY, compounds, min/max, windows over a
// NOCASE/RTRIM column, or 1 vs 1.0), folds case, trailing spaces and integer/real.
using System.Globalization;
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Fuzz;

/// <summary>What one statement did.</summary>
internal sealed record FuzzOutcome(string? Error, string? Crash, List<string> Rows)
{
    public static FuzzOutcome Failed(string message) => new(message, null, []);

    public override string ToString() =>
        Crash != null ? "crash: " + Crash
        : Error != null ? "error: " + Error
        : Rows.Count == 0 ? "(no rows)" : string.Join("\n    ", Rows.Take(12)) + (Rows.Count > 12 ? $"\n    ... {Rows.Count} rows" : "");
}

/// <summary>An engine that runs one statement at a time.</summary>
internal interface IFuzzEngine : IDisposable
{
    FuzzOutcome Run(string sql, bool countChanges);
}

/// <summary>Tern, on a memory database or a file.</summary>
internal sealed class TernFuzzEngine : IFuzzEngine
{
    private readonly Database _db;
    private readonly Connection _c;

    /// <summary>
    /// A Tern database at <paramref name="path"/>; with <paramref name="wal"/> in WAL mode with
    /// an automatic checkpoint every few frames (so checkpoints and log restarts run between
    /// the statements).
    /// </summary>
    public TernFuzzEngine(string path = ":memory:", bool wal = false)
    {
        _db = Database.Open(path);
        _c = _db.Connect();
        if (wal) _c.Execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 7");
    }

    public FuzzOutcome Run(string sql, bool countChanges)
    {
        var rows = new List<string>();
        try
        {
            using Statement s = _c.Prepare(sql);
            while (s.Step())
            {
                var row = new string[s.ColumnCount];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = s.ColumnType(i) switch
                    {
                        ValueKind.Null => "null",
                        ValueKind.Integer => "i:" + s.GetInt64(i).ToString(CultureInfo.InvariantCulture),
                        ValueKind.Real => "r:" + s.GetDouble(i).ToString("R", CultureInfo.InvariantCulture),
                        ValueKind.Text => "t:" + s.GetString(i),
                        _ => "b:" + Convert.ToHexString(s.GetBlob(i)!),
                    };
                }
                rows.Add(string.Join("|", row));
                if (rows.Count > 100_000) return new FuzzOutcome(null, "more than 100000 rows", rows);
            }
            if (countChanges) rows.Add("changes: " + _c.Changes.ToString(CultureInfo.InvariantCulture));
            return new FuzzOutcome(null, null, rows);
        }
        catch (TernException e)
        {
            return FuzzOutcome.Failed(e.Message);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return new FuzzOutcome(null, e.GetType().Name + ": " + e.Message + " " + e.StackTrace?.Split('\n').FirstOrDefault()?.Trim(), []);
        }
    }

    public void Dispose()
    {
        _c.Dispose();
        _db.Dispose();
    }
}

/// <summary>SQLite 3.50.4 in process.</summary>
internal sealed class SqliteFuzzEngine : IFuzzEngine
{
    private readonly SqliteConnection _c;

    public SqliteFuzzEngine(string path = ":memory:") => _c = SqliteOracle.Open(path);

    public FuzzOutcome Run(string sql, bool countChanges)
    {
        var rows = new List<string>();
        try
        {
            using (SqliteCommand cmd = _c.CreateCommand())
            {
                cmd.CommandText = sql;
                using SqliteDataReader r = cmd.ExecuteReader();
                while (r.Read())
                {
                    var row = new string[r.FieldCount];
                    for (int i = 0; i < row.Length; i++)
                    {
                        row[i] = Engine.Differential.SqliteValueText(r.GetValue(i));
                    }
                    rows.Add(string.Join("|", row));
                }
            }
            if (countChanges)
            {
                using SqliteCommand ch = _c.CreateCommand();
                ch.CommandText = "SELECT changes()";
                rows.Add("changes: " + Convert.ToString(ch.ExecuteScalar(), CultureInfo.InvariantCulture));
            }
            return new FuzzOutcome(null, null, rows);
        }
        catch (SqliteException e)
        {
            string m = e.Message;
            int a = m.IndexOf('\'');
            int b = m.LastIndexOf('\'');
            return FuzzOutcome.Failed(a >= 0 && b > a ? m[(a + 1)..b] : m);
        }
    }

    public void Dispose() => _c.Dispose();
}

/// <summary>Compares outcomes.</summary>
internal static class FuzzCompare
{
    /// <summary>The kind of difference between SQLite's outcome and Tern's, or null when they agree.</summary>
    public static string? Difference(FuzzOutcome sqlite, FuzzOutcome tern, bool ordered, bool lenient, bool compareMessages = true)
    {
        if (tern.Crash != null) return "crash";
        // Kinds name the message too, so that a reduction keeps the failure it started from
        // instead of drifting to another one of the same kind.
        if (sqlite.Error != null && tern.Error == null) return "rows where sqlite errs: " + MessageKind(sqlite.Error);
        if (sqlite.Error == null && tern.Error != null) return "error where sqlite has rows: " + MessageKind(tern.Error);
        if (sqlite.Error != null)
        {
            if (!compareMessages || sqlite.Error == tern.Error) return null;
            const string unique = "UNIQUE constraint failed: ";
            if (!FuzzFeatures.Default.UniqueConstraintNames && sqlite.Error.StartsWith(unique, StringComparison.Ordinal)
                && tern.Error!.StartsWith(unique, StringComparison.Ordinal)) return null;
            return $"error message: {MessageKind(sqlite.Error)} / {MessageKind(tern.Error!)}";
        }
        if (sqlite.Rows.Count != tern.Rows.Count) return "row count";
        if (SameRows(sqlite.Rows, tern.Rows, ordered, x => x)) return null;
        if (lenient && SameRows(sqlite.Rows, tern.Rows, ordered, Fold)) return null;
        return "rows";
    }

    /// <summary>An error message without the names it carries ("no such column: c1" is "no such column").</summary>
    private static string MessageKind(string message) => message.Split(':')[0];

    /// <summary>Whether two row lists hold the same rows (in order, or as multisets).</summary>
    public static bool SameRows(List<string> a, List<string> b, bool ordered, Func<string, string> map)
    {
        if (a.Count != b.Count) return false;
        IEnumerable<string> x = a.Select(map), y = b.Select(map);
        if (!ordered)
        {
            x = x.Order(StringComparer.Ordinal);
            y = y.Order(StringComparer.Ordinal);
        }
        return x.SequenceEqual(y, StringComparer.Ordinal);
    }

    /// <summary>A row with the differences that equal values may show folded away.</summary>
    public static string Fold(string row) => string.Join("|", row.Split('|').Select(FoldValue));

    private static string FoldValue(string v)
    {
        if (v.StartsWith("i:", StringComparison.Ordinal) || v.StartsWith("r:", StringComparison.Ordinal))
        {
            double d = double.Parse(v.AsSpan(2), CultureInfo.InvariantCulture);
            return "n:" + (d == 0 ? "0" : d.ToString("R", CultureInfo.InvariantCulture));
        }
        if (v.StartsWith("t:", StringComparison.Ordinal)) return "t:" + v[2..].TrimEnd(' ').ToUpperInvariant();
        return v;
    }

    /// <summary>Whether SQLite may legitimately return any one of several equal values for this SQL.</summary>
    public static bool MayPickAmongEquals(string sql)
    {
        string u = sql.ToUpperInvariant();
        return u.Contains("DISTINCT", StringComparison.Ordinal) || u.Contains("GROUP BY", StringComparison.Ordinal)
            || u.Contains("UNION", StringComparison.Ordinal) || u.Contains("INTERSECT", StringComparison.Ordinal)
            || u.Contains("EXCEPT", StringComparison.Ordinal) || u.Contains("MIN(", StringComparison.Ordinal)
            || u.Contains("MAX(", StringComparison.Ordinal) || u.Contains(" OVER ", StringComparison.Ordinal)
            || u.Contains("LIMIT", StringComparison.Ordinal) || u.Contains(" USING ", StringComparison.Ordinal)
            || u.Contains("NATURAL", StringComparison.Ordinal);
    }
}
