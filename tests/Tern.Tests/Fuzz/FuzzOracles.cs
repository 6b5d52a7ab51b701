// The fuzzer's oracles, each a function from a script (a list of statements whose last
// one is checked) to the kind of failure it shows, or null:
//   Differential - every statement on Tern and on SQLite 3.50.4, outcomes compared;
//   Tlp          - on Tern alone, ternary-logic partitioning of the last statement;
//   NoRec        - on Tern alone, a WHERE count against the predicate counted as a value.
// The same functions replay reduced candidates, so the reducer keeps only scripts that
// still fail the same way. A TLP or NoREC failure counts only when SQLite 3.50.4 keeps the
// property on the same script (SqliteFailsToo): where it breaks it alike, the query's
// meaning allows it, and the differential oracle judges Tern's rows.
//
// TLP and NoREC scripts end with a marked query, for example
//   SELECT a0.c1 FROM t0 AS a0 /*P*/ WHERE (a0.c0 > 1)      -- rows: Q == Q|p ∪ Q|NOT p ∪ Q|p IS NULL
//   /*DISTINCT*/SELECT ... /*P*/ WHERE p                    -- the same as sets, with DISTINCT
//   /*AGG*/SELECT max(x) FROM ... /*P*/ WHERE p             -- max/min/count folded over the parts
//   /*NOREC*/SELECT count(*) FROM ... /*P*/ WHERE p         -- count vs sum(CASE WHEN p THEN 1 ELSE 0 END)
//   SELECT k, agg FROM ... GROUP BY k /*P*/ HAVING p        -- groups: Q == Q HAVING p ∪ ... NOT p ∪ ... p IS NULL
// The marker splits the query from its predicate without parsing.
using System.Globalization;

namespace Tern.Tests.Fuzz;

internal static class FuzzOracles
{
    public const string PredicateMarker = " /*P*/ WHERE ";

    /// <summary>The marker of a TLP-HAVING query: the predicate partitions the groups.</summary>
    public const string HavingMarker = " /*P*/ HAVING ";

    /// <summary>The statement that checks changes() and total_changes() after a DML statement failed.</summary>
    public const string ChangesFollowUp = "SELECT changes(), total_changes()";

    /// <summary>Whether a statement changes rows (its outcome then carries changes()).</summary>
    public static bool IsDml(string sql) =>
        sql.StartsWith("INSERT", StringComparison.Ordinal) || sql.StartsWith("UPDATE", StringComparison.Ordinal)
        || sql.StartsWith("DELETE", StringComparison.Ordinal) || sql.StartsWith("REPLACE", StringComparison.Ordinal);

    /// <summary>Whether the query's ORDER BY fixes the order of every row it returns.</summary>
    public static bool IsOrdered(string sql) =>
        sql.Contains("COLLATE BINARY LIMIT", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(sql, "ORDER BY [0-9, ]+ LIMIT [0-9]+$");

    /// <summary>Runs a statement on both engines and compares; null when they agree.</summary>
    public static string? Compare(IFuzzEngine sqlite, IFuzzEngine tern, string sql, bool lenient, out FuzzOutcome expected, out FuzzOutcome actual)
    {
        bool dml = IsDml(sql);
        expected = sqlite.Run(sql, dml);
        actual = tern.Run(sql, dml);
        return FuzzCompare.Difference(expected, actual, IsOrdered(sql), lenient || FuzzCompare.MayPickAmongEquals(sql));
    }

    /// <summary>The differential signature: the kind of difference at the last statement, null if none or if an earlier statement differs.</summary>
    public static string? Differential(List<string> script)
    {
        using var sqlite = new SqliteFuzzEngine();
        using var tern = new TernFuzzEngine();
        bool lenient = LenientSchema(script);
        for (int i = 0; i < script.Count; i++)
        {
            string? d = Compare(sqlite, tern, script[i], lenient, out _, out _);
            if (i < script.Count - 1 && d != null) return null;
            if (i == script.Count - 1) return d;
        }
        return null;
    }

    /// <summary>Whether views in the script may pick among equal values (then every query on them compares leniently).</summary>
    public static bool LenientSchema(IEnumerable<string> script) =>
        script.Any(s => s.StartsWith("CREATE VIEW", StringComparison.Ordinal) && FuzzCompare.MayPickAmongEquals(s));

    /// <summary>Runs the setup on Tern, then the TLP or NoREC check on the last statement.</summary>
    public static string? TernOnly(List<string> script)
    {
        using var tern = new TernFuzzEngine();
        for (int i = 0; i < script.Count - 1; i++) tern.Run(script[i], false);
        return Check(tern, script[^1], out _);
    }

    /// <summary>
    /// Whether SQLite 3.50.4 breaks the same partition property on the same script: then the
    /// query's meaning allows it (for example a WHERE term pushed down into a DISTINCT view,
    /// which then keeps another of two equal values, 0 or 0.0), not a Tern bug; the
    /// differential test compares Tern's rows with SQLite's for such queries.
    /// </summary>
    public static bool SqliteFailsToo(List<string> script)
    {
        using var sqlite = new SqliteFuzzEngine();
        for (int i = 0; i < script.Count - 1; i++) sqlite.Run(script[i], false);
        return Check(sqlite, script[^1], out _) is "tlp" or "norec";
    }

    /// <summary>Checks one marked query on Tern: "tlp", "norec" or "crash" when the parts disagree, null when they agree or cannot be judged (an error).</summary>
    public static string? Check(IFuzzEngine tern, string marked, out bool judged)
    {
        judged = false;
        bool having = marked.Contains(HavingMarker, StringComparison.Ordinal);
        string marker = having ? HavingMarker : PredicateMarker;
        string clause = having ? " HAVING " : " WHERE ";
        int at = marked.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        string head = marked[..at];
        string p = marked[(at + marker.Length)..];
        if (head.StartsWith("/*NOREC*/", StringComparison.Ordinal))
        {
            string from = head[(head.IndexOf(" FROM ", StringComparison.Ordinal) + 6)..];
            FuzzOutcome counted = tern.Run($"SELECT count(*) FROM {from} WHERE {p}", false);
            FuzzOutcome summed = tern.Run($"SELECT sum(CASE WHEN {p} THEN 1 ELSE 0 END) FROM {from}", false);
            if (counted.Crash != null || summed.Crash != null) return "crash";
            if (counted.Error != null || summed.Error != null) return null;
            judged = true;
            string a = counted.Rows[0], b = summed.Rows[0] == "null" ? "i:0" : summed.Rows[0];
            return a == b ? null : "norec";
        }
        bool distinct = head.StartsWith("/*DISTINCT*/", StringComparison.Ordinal);
        bool agg = head.StartsWith("/*AGG*/", StringComparison.Ordinal);
        string q = head[(head.IndexOf("SELECT", StringComparison.Ordinal))..];
        string[] parts = [$"{q}{clause}{p}", $"{q}{clause}NOT {p}", $"{q}{clause}({p}) IS NULL"];
        FuzzOutcome whole;
        List<FuzzOutcome> outs = [];
        if (agg)
        {
            // SELECT fn(x) FROM ...: fold the three partial answers with the same function.
            int f = q.IndexOf(" FROM ", StringComparison.Ordinal);
            string fn = q[7..q.IndexOf('(', StringComparison.Ordinal)];
            string fold = fn == "count" ? "sum" : fn;
            whole = tern.Run(q, false);
            string Named(string part) => part[..f] + " AS m" + part[f..];
            FuzzOutcome folded = tern.Run($"SELECT {fold}(m) FROM ({string.Join(" UNION ALL ", parts.Select(Named))})", false);
            outs.Add(folded);
        }
        else
        {
            whole = tern.Run(distinct ? q.Replace("SELECT ", "SELECT DISTINCT ", StringComparison.Ordinal) : q, false);
            foreach (string part in parts) outs.Add(tern.Run(distinct ? part.Replace("SELECT ", "SELECT DISTINCT ", StringComparison.Ordinal) : part, false));
        }
        if (whole.Crash != null || outs.Any(o => o.Crash != null)) return "crash";
        if (whole.Error != null || outs.Any(o => o.Error != null)) return null;
        judged = true;
        List<string> union = outs.SelectMany(o => o.Rows).ToList();
        if (distinct) union = union.Distinct(StringComparer.Ordinal).ToList();
        if (agg)
        {
            if (whole.Rows.Count != 1 || union.Count != 1) return "tlp";
            string x = whole.Rows[0], y = union[0];
            return x == y || FuzzCompare.Fold(x) == FuzzCompare.Fold(y) ? null : "tlp";
        }
        if (FuzzCompare.SameRows(whole.Rows, union, false, r => r)) return null;
        // DISTINCT and GROUP BY keep one of several equal values (1 and 1.0, NOCASE): compare the folded sets.
        if (distinct || having)
        {
            var a = whole.Rows.Select(FuzzCompare.Fold).ToHashSet(StringComparer.Ordinal);
            var b = union.Select(FuzzCompare.Fold).ToHashSet(StringComparer.Ordinal);
            if (a.SetEquals(b)) return null;
        }
        return "tlp";
    }

    /// <summary>Formats a reduced failure as a script to paste into a regression test.</summary>
    public static string Describe(string title, List<string> script, Func<List<string>, string> detail) =>
        $"--- {title}\n{string.Join(";\n", script)};\n{detail(script)}";

    /// <summary>The last statement's outcome on both engines (for the failure message).</summary>
    public static string BothOutcomes(List<string> script)
    {
        using var sqlite = new SqliteFuzzEngine();
        using var tern = new TernFuzzEngine();
        FuzzOutcome e = FuzzOutcome.Failed("?"), a = FuzzOutcome.Failed("?");
        foreach (string s in script) Compare(sqlite, tern, s, false, out e, out a);
        return $"  sqlite: {e}\n  tern:   {a}";
    }

    /// <summary>The parts of the last (marked) statement as Tern answers them (for the failure message).</summary>
    public static string TernParts(List<string> script)
    {
        using var tern = new TernFuzzEngine();
        for (int i = 0; i < script.Count - 1; i++) tern.Run(script[i], false);
        string marked = script[^1];
        bool having = marked.Contains(HavingMarker, StringComparison.Ordinal);
        string marker = having ? HavingMarker : PredicateMarker;
        string clause = having ? " HAVING " : " WHERE ";
        int at = marked.IndexOf(marker, StringComparison.Ordinal);
        string head = marked[..at];
        string q = head[head.IndexOf("SELECT", StringComparison.Ordinal)..];
        string p = marked[(at + marker.Length)..];
        string value = having ? $"{q[..q.IndexOf(" FROM ", StringComparison.Ordinal)]}, {p}{q[q.IndexOf(" FROM ", StringComparison.Ordinal)..]}" : $"SELECT {p} FROM {q[(q.IndexOf(" FROM ", StringComparison.Ordinal) + 6)..]}";
        return string.Join("\n", new[] { q, $"{q}{clause}{p}", $"{q}{clause}NOT {p}", $"{q}{clause}({p}) IS NULL", value }
            .Select(s => $"  {s}\n    -> {tern.Run(s, false)}"));
    }

    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);
}
