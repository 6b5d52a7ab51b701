// The sqltest corpus against the known-failures ratchet (KnownFailures/sqltest.txt): a
// case that fails and is not listed fails the test, so does a listed case that now
// passes (remove it from the list), and so does a listed case that fails for another
// reason than the one recorded — except cases listed as too slow ("hung",
// "interrupted"), which may pass on a faster machine. The list is grouped by the feature
// each failure points at (SqlTestFeatures); TERN_UPDATE_KNOWN_FAILURES=1 rewrites it.
using System.Text;
using Xunit.Abstractions;

namespace Tern.Compat.Tests;

public class SqlTestTests(ITestOutputHelper output)
{
    private static string ListPath => Path.Combine(SltRunner.RepositoryRoot(), "tests", "Tern.Compat.Tests", "KnownFailures", "sqltest.txt");

    [Fact]
    public void Sqltest_corpus_matches_the_known_failures()
    {
        var results = new List<SqlTestResult>();
        foreach (string f in SqlTestRunner.Files()) results.AddRange(SqlTestRunner.RunFile(f));
        int passed = results.Count(r => r.Outcome == SqlTestOutcome.Passed);
        int skipped = results.Count(r => r.Outcome == SqlTestOutcome.Skipped);
        List<SqlTestResult> failing = results.Where(r => r.Outcome == SqlTestOutcome.Failed).ToList();
        string summary = $"sqltest: {passed} passed, {failing.Count} failed ({skipped} skipped)";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var g in failing.GroupBy(r => SqlTestFeatures.Classify(r.Detail)).OrderByDescending(g => g.Count()).Take(15))
            output.WriteLine($"  {g.Count(),5}  {g.Key}");

        string[] entries = File.Exists(ListPath)
            ? File.ReadAllLines(ListPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray()
            : [];
        var known = entries.Select(Id).ToHashSet(StringComparer.Ordinal);
        var slow = entries.Where(l => l.EndsWith(" hung", StringComparison.Ordinal) || l.EndsWith(" interrupted", StringComparison.Ordinal)).Select(Id).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("TERN_UPDATE_KNOWN_FAILURES") == "1")
        {
            // Cases listed as too slow stay listed when they happened to finish this time: on a
            // loaded machine they may run into the time limit again.
            var stillSlow = entries.Where(l => slow.Contains(Id(l)) && results.Any(r => r.Id == Id(l) && r.Outcome == SqlTestOutcome.Passed))
                .Select(l => new SqlTestResult(Id(l), SqlTestOutcome.Failed, Reason(l)));
            File.WriteAllText(ListPath, Render(failing.Concat(stillSlow)));
            return;
        }
        var reasons = entries.GroupBy(Id).ToDictionary(g => g.Key, g => Reason(g.First()), StringComparer.Ordinal);
        var newFailures = failing.Where(r => !known.Contains(r.Id)).ToList();
        var fixedNow = results.Where(r => r.Outcome != SqlTestOutcome.Failed && known.Contains(r.Id) && !slow.Contains(r.Id)).Select(r => r.Id).ToList();
        var changed = failing.Where(r => known.Contains(r.Id) && !slow.Contains(r.Id) && reasons[r.Id] != Shorten(r.Detail)).ToList();
        foreach (SqlTestResult r in newFailures.Take(30)) output.WriteLine($"NEW FAILURE {r.Id}: {r.Detail}");
        foreach (string id in fixedNow.Take(30)) output.WriteLine($"NOW PASSES (remove from the list): {id}");
        foreach (SqlTestResult r in changed.Take(30)) output.WriteLine($"REASON CHANGED {r.Id}: listed '{reasons[r.Id]}', now '{Shorten(r.Detail)}'");
        Assert.True(newFailures.Count == 0 && fixedNow.Count == 0 && changed.Count == 0,
            $"{summary}; {newFailures.Count} new failures (first: {newFailures.FirstOrDefault()?.Id} {newFailures.FirstOrDefault()?.Detail}); " +
            $"{fixedNow.Count} listed cases now pass or are skipped (first: {fixedNow.FirstOrDefault()}); " +
            $"{changed.Count} listed cases fail for another reason (first: {changed.FirstOrDefault()?.Id} {Shorten(changed.FirstOrDefault()?.Detail)}); TERN_UPDATE_KNOWN_FAILURES=1 rewrites the list");
    }

    private static string Reason(string entry)
    {
        int space = entry.IndexOf(' ');
        return space < 0 ? "" : entry[(space + 1)..];
    }

    private static string Id(string entry)
    {
        int space = entry.IndexOf(' ');
        return space < 0 ? entry : entry[..space];
    }

    /// <summary>The list's text: a header, then one group per feature (largest first within the table's order).</summary>
    internal static string Render(IEnumerable<SqlTestResult> failing)
    {
        var sb = new StringBuilder();
        sb.Append("# sqltest cases that fail today (file:test, then why), grouped by the feature they need.\n");
        sb.Append("# This list may only shrink. Rewrite it with TERN_UPDATE_KNOWN_FAILURES=1 (the groups are recomputed).\n");
        foreach (var g in failing.GroupBy(r => SqlTestFeatures.Classify(r.Detail)).OrderBy(g => SqlTestFeatures.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append('\n').Append("# ").Append(g.Key).Append(" (").Append(g.Count()).Append(")\n");
            foreach (SqlTestResult r in g.OrderBy(r => r.Id, StringComparer.Ordinal)) sb.Append(r.Id).Append(' ').Append(Shorten(r.Detail)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Shorten(string? s)
    {
        // One printable line: control characters (a NUL in a failing value, say) become spaces.
        s = new string((s ?? "").Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray());
        return s.Length > 120 ? s[..120] : s;
    }
}
