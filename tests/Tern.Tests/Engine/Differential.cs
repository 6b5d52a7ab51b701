// The differential helper: runs the same script statement by statement on Tern and on
// SQLite 3.50.4 (both in memory) and renders each statement's outcome as text - column
// names, then every row with each value's storage class, or the error message - so the
// two transcripts can be compared line for line.
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Tests.Support;

namespace Tern.Tests.Engine;

internal static class Differential
{
    /// <summary>
    /// Runs generated queries in batches of 40 per seed (each batch one script: the seed's setup,
    /// then each query after a marker row) on both engines and asserts that every query gives
    /// the same rows as a multiset, or the same error; reports up to three differences.
    /// </summary>
    public static void AssertGeneratedQueriesSame(int count, Func<int, (string Setup, Func<string> Query)> generator)
    {
        var failures = new List<string>();
        const int perScript = 40;
        for (int seed = 0; seed * perScript < count && failures.Count < 3; seed++)
        {
            (string setup, Func<string> next) = generator(seed);
            var queries = new List<string>();
            for (int q = 0; q < perScript; q++) queries.Add(next());
            var script = new StringBuilder(setup);
            for (int q = 0; q < queries.Count; q++) script.Append($"; SELECT 'q{q}'; ").Append(queries[q]);
            List<List<string>> expected = Blocks(RunSqlite(script.ToString()));
            List<List<string>> actual = Blocks(RunTern(script.ToString()));
            for (int q = 0; q < Math.Min(expected.Count, actual.Count) && failures.Count < 3; q++)
            {
                if (!expected[q].SequenceEqual(actual[q]))
                    failures.Add($"seed {seed}:\n{setup};\n{queries[q]};\n  sqlite: {string.Join(" / ", expected[q])}\n  tern:   {string.Join(" / ", actual[q])}");
            }
            if (expected.Count != actual.Count) failures.Add($"seed {seed}: {expected.Count} blocks from sqlite, {actual.Count} from tern");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        // The transcript cut at the marker rows, each query's lines sorted (rows compare as a multiset).
        static List<List<string>> Blocks(List<string> lines)
        {
            var blocks = new List<List<string>>();
            List<string>? current = null;
            foreach (string line in lines)
            {
                if (line.StartsWith("t:q", StringComparison.Ordinal) && int.TryParse(line.AsSpan(3), out _))
                {
                    current = [];
                    blocks.Add(current);
                    continue;
                }
                if (line.StartsWith("cols: 'q", StringComparison.Ordinal)) continue;
                current?.Add(line);
            }
            foreach (List<string> b in blocks) b.Sort(StringComparer.Ordinal);
            return blocks;
        }
    }

    /// <summary>
    /// Asserts that Tern and SQLite give the same transcript for the script; with
    /// <paramref name="doubleQuotedStrings"/> false both read double-quoted names as names only.
    /// </summary>
    public static void AssertSame(string script, bool doubleQuotedStrings = true)
    {
        List<string> expected = RunSqlite(script, doubleQuotedStrings);
        List<string> actual = RunTern(script, doubleQuotedStrings);
        if (expected.SequenceEqual(actual)) return;
        int i = 0;
        while (i < expected.Count && i < actual.Count && expected[i] == actual[i]) i++;
        Assert.Fail($"first difference at line {i}:\n  sqlite: {(i < expected.Count ? expected[i] : "<end>")}\n  tern:   {(i < actual.Count ? actual[i] : "<end>")}\n--- sqlite\n{string.Join("\n", expected)}\n--- tern\n{string.Join("\n", actual)}");
    }

    /// <summary>Splits a script at semicolons outside quotes; a CREATE TRIGGER runs up to its END.</summary>
    /// <summary>The detail column of EXPLAIN QUERY PLAN for <paramref name="sql"/> on a Tern connection, row by row.</summary>
    public static List<string> Plan(Connection c, string sql)
    {
        var details = new List<string>();
        using Statement s = c.Prepare("EXPLAIN QUERY PLAN " + sql);
        while (s.Step()) details.Add(s.GetString(3)!);
        return details;
    }

    /// <summary>A Tern result row as the transcripts write it: each value with its storage class, joined by "|".</summary>
    public static string TernRow(Statement s)
    {
        var row = new List<string>();
        for (int i = 0; i < s.ColumnCount; i++)
        {
            row.Add(s.ColumnType(i) switch
            {
                ValueKind.Null => "null",
                ValueKind.Integer => "i:" + s.GetInt64(i).ToString(CultureInfo.InvariantCulture),
                ValueKind.Real => "r:" + s.GetDouble(i).ToString("R", CultureInfo.InvariantCulture),
                ValueKind.Text => "t:" + s.GetString(i),
                _ => "b:" + Convert.ToHexString(s.GetBlob(i)!),
            });
        }
        return string.Join("|", row);
    }

    /// <summary>
    /// Runs <see cref="AssertSame"/> on the scripts <paramref name="script"/> makes from seeds
    /// 0 to <paramref name="seeds"/> - 1; a difference names its seed and script.
    /// </summary>
    public static void AssertSameForSeeds(int seeds, Func<Random, string> script)
    {
        for (int seed = 0; seed < seeds; seed++)
        {
            string text = script(new Random(seed));
            try
            {
                AssertSame(text);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                Assert.Fail($"seed {seed}:\n{text}\n{e.Message}");
            }
        }
    }

    public static List<string> Statements(string script)
    {
        var list = new List<string>();
        int start = 0;
        char quote = '\0';
        for (int i = 0; i < script.Length; i++)
        {
            char ch = script[i];
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0';
            }
            else if (ch is '\'' or '"' or '`') quote = ch;
            else if (ch == '[') quote = ']';
            else if (ch == ';')
            {
                if (script[start..i].Trim().Length > 0) list.Add(script[start..i].Trim());
                start = i + 1;
            }
        }
        if (script[start..].Trim().Length > 0) list.Add(script[start..].Trim());
        var merged = new List<string>();
        for (int k = 0; k < list.Count; k++)
        {
            string stmt = list[k];
            if (stmt.StartsWith("CREATE TRIGGER", StringComparison.OrdinalIgnoreCase) || stmt.StartsWith("CREATE TEMP TRIGGER", StringComparison.OrdinalIgnoreCase)
                || stmt.StartsWith("CREATE TEMPORARY TRIGGER", StringComparison.OrdinalIgnoreCase))
            {
                while (!stmt.EndsWith("END", StringComparison.OrdinalIgnoreCase) && k + 1 < list.Count) stmt += "; " + list[++k];
            }
            merged.Add(stmt);
        }
        return merged;
    }

    public static List<string> RunTern(string script, bool doubleQuotedStrings = true)
    {
        var lines = new List<string>();
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.DoubleQuotedStringsInDml = c.DoubleQuotedStringsInDdl = doubleQuotedStrings;
        foreach (string sql in Statements(script))
        {
            try
            {
                using Statement s = c.Prepare(sql);
                bool header = false;
                while (s.Step())
                {
                    if (!header)
                    {
                        lines.Add("cols: " + string.Join(",", Enumerable.Range(0, s.ColumnCount).Select(s.ColumnName)));
                        header = true;
                    }
                    lines.Add(TernRow(s));
                }
                if (IsDml(sql)) lines.Add("changes: " + c.Changes.ToString(CultureInfo.InvariantCulture));
            }
            catch (TernException e)
            {
                lines.Add("error: " + e.Message);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                lines.Add("crash: " + e.GetType().Name + ": " + e.Message + " " + e.StackTrace?.Split('\n').FirstOrDefault()?.Trim());
            }
        }
        return lines;
    }

    /// <summary>A value SQLite returned, written as the transcripts write values (storage class, then value).</summary>
    public static string SqliteValueText(object v) => v switch
    {
        DBNull => "null",
        long l => "i:" + l.ToString(CultureInfo.InvariantCulture),
        double d => "r:" + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "t:" + s,
        byte[] b => "b:" + Convert.ToHexString(b),
        _ => "?" + v,
    };

    private static bool IsDml(string sql)
    {
        string t = sql.TrimStart().ToUpperInvariant();
        return t.StartsWith("INSERT", StringComparison.Ordinal) || t.StartsWith("UPDATE", StringComparison.Ordinal)
            || t.StartsWith("DELETE", StringComparison.Ordinal) || t.StartsWith("REPLACE", StringComparison.Ordinal);
    }

    public static List<string> RunSqlite(string script, bool doubleQuotedStrings = true)
    {
        var lines = new List<string>();
        using SqliteConnection c = SqliteOracle.Open(":memory:", doubleQuotedStrings);
        foreach (string sql in Statements(script))
        {
            try
            {
                using SqliteCommand cmd = c.CreateCommand();
                cmd.CommandText = sql;
                using SqliteDataReader r = cmd.ExecuteReader();
                bool header = false;
                while (r.Read())
                {
                    if (!header)
                    {
                        lines.Add("cols: " + string.Join(",", Enumerable.Range(0, r.FieldCount).Select(r.GetName)));
                        header = true;
                    }
                    var row = new List<string>();
                    for (int i = 0; i < r.FieldCount; i++)
                    {
                        row.Add(SqliteValueText(r.GetValue(i)));
                    }
                    lines.Add(string.Join("|", row));
                }
                r.Close();
                if (IsDml(sql))
                {
                    using SqliteCommand ch = c.CreateCommand();
                    ch.CommandText = "SELECT changes()";
                    lines.Add("changes: " + Convert.ToString(ch.ExecuteScalar(), CultureInfo.InvariantCulture));
                }
            }
            catch (SqliteException e)
            {
                lines.Add("error: " + Message(e));
            }
        }
        return lines;
    }

    /// <summary>SQLite's own message inside Microsoft.Data.Sqlite's "SQLite Error N: 'message'.".</summary>
    private static string Message(SqliteException e)
    {
        string m = e.Message;
        int a = m.IndexOf('\'');
        int b = m.LastIndexOf('\'');
        return a >= 0 && b > a ? m[(a + 1)..b] : m;
    }
}
