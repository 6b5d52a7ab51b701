// The sqltest corpus against the known-failures ratchet (KnownFailures/sqltest.txt): a
// case that fails and is not listed fails the test, so does a listed case that now
// passes (remove it from the list), and so does a listed case that fails for another
// reason than the one recorded — except cases listed as too slow ("hung",
// "interrupted"), which may pass on a faster machine. The list is grouped by the feature
// each failure points at (SqlTestFeatures); TERN_UPDATE_KNOWN_FAILURES=1 rewrites it.
//
// The list may only hold what SQLite 3.50.4 fails as well: behaviour of the other engine
// the corpus comes from (Turso), each such entry marked so in the list:
//
//   file.sqltest:case [turso-only: why SQLite fails it too] the reason Tern fails it
//
// The rewrite keeps the marks. Known_failures_are_only_cases_sqlite_fails_too runs every
// listed case on SQLite 3.50.4 (SqliteShellTarget): an unmarked case SQLite passes is work
// left for Tern (their number is a ratchet, ListedCasesSqlitePasses, down to 0), and a marked
// one SQLite passes is a wrong mark.
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

        string[] entries = Entries();
        var marks = entries.Where(l => Mark(l) != null).ToDictionary(Id, l => Mark(l)!, StringComparer.Ordinal);
        var known = entries.Select(Id).ToHashSet(StringComparer.Ordinal);
        var slow = entries.Where(l => l.EndsWith(" hung", StringComparison.Ordinal) || l.EndsWith(" interrupted", StringComparison.Ordinal)).Select(Id).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("TERN_UPDATE_KNOWN_FAILURES") == "1")
        {
            // Cases listed as too slow stay listed when they happened to finish this time: on a
            // loaded machine they may run into the time limit again.
            var stillSlow = entries.Where(l => slow.Contains(Id(l)) && results.Any(r => r.Id == Id(l) && r.Outcome == SqlTestOutcome.Passed))
                .Select(l => new SqlTestResult(Id(l), SqlTestOutcome.Failed, Reason(l)));
            File.WriteAllText(ListPath, Render(failing.Concat(stillSlow), marks));
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

    /// <summary>
    /// Every listed case on SQLite 3.50.4, by the same rules: the list may hold no case SQLite
    /// passes. An unmarked case SQLite passes is a Tern bug still to fix; a case marked
    /// turso-only that SQLite passes is marked wrongly.
    /// </summary>
    [Fact]
    public void Known_failures_are_only_cases_sqlite_fails_too()
    {
        string[] entries = Entries();
        var listed = entries.Select(Id).ToHashSet(StringComparer.Ordinal);
        var results = new Dictionary<string, SqlTestResult>(StringComparer.Ordinal);
        foreach (string file in listed.Select(FileOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            foreach (SqlTestResult r in SqlTestRunner.RunFile(file, engine: SqlTestEngine.Sqlite, only: listed.Contains)) results[r.Id] = r;
        }
        var problems = new List<string>();
        var work = new List<string>();
        int turso = 0;
        foreach (string entry in entries)
        {
            string id = Id(entry);
            bool marked = Mark(entry) != null;
            if (marked) turso++;
            if (!results.TryGetValue(id, out SqlTestResult? r))
            {
                problems.Add($"{id}: no such case in the corpus");
                continue;
            }
            // The sqlite3 shell has generate_series built in; the e_sqlite3 build does not, so
            // such a case cannot be judged here, and SQLite passes every case of the corpus.
            if (r.Outcome == SqlTestOutcome.Skipped)
                (marked ? problems : work).Add($"{id}: skipped on SQLite ({r.Detail}), which the sqlite3 shell passes: taken as passing (Tern: {Reason(entry)})");
            else if (r.Outcome == SqlTestOutcome.Passed) (marked ? problems : work).Add(marked ? $"{id}: marked turso-only, but SQLite 3.50.4 passes it" : $"{id}: SQLite 3.50.4 passes it (Tern: {Reason(entry)})");
            else if (!marked) output.WriteLine($"unmarked, SQLite fails it too: {id}: {r.Outcome} {r.Detail}");
            else output.WriteLine($"turso-only {id}: SQLite {r.Outcome} {r.Detail}");
        }
        foreach (string p in problems.Concat(work)) output.WriteLine(p);
        string summary = $"{entries.Length} listed cases ({turso} marked turso-only): {work.Count} that SQLite 3.50.4 passes, {problems.Count} marked wrongly";
        output.WriteLine(summary);
        Assert.True(problems.Count == 0, $"{summary} (first: {problems.FirstOrDefault()})");
        // The cases SQLite passes are the work left; their count may only go down, and when it
        // does the bound must follow (it reaches 0 when the list holds only Turso's behaviour).
        Assert.True(work.Count <= ListedCasesSqlitePasses, $"{summary}: more than the {ListedCasesSqlitePasses} allowed (first: {work.FirstOrDefault()})");
        Assert.True(work.Count == ListedCasesSqlitePasses, $"{summary}: lower {nameof(ListedCasesSqlitePasses)} to {work.Count}");
    }

    /// <summary>How many listed cases SQLite 3.50.4 passes today: Tern bugs still to fix (a ratchet that reaches 0).</summary>
    private const int ListedCasesSqlitePasses = 22;

    /// <summary>
    /// The SQLite target is faithful: SQLite 3.50.4 passes every case of the corpus through it,
    /// but those that need the sqlite3 shell's built-in generate_series (and the two that
    /// expect Turso's dot-command output), as the corpus README says it does.
    /// </summary>
    [Fact]
    public void Sqlite_target_passes_the_corpus()
    {
        var results = new List<SqlTestResult>();
        foreach (string f in SqlTestRunner.Files()) results.AddRange(SqlTestRunner.RunFile(f, engine: SqlTestEngine.Sqlite));
        var failing = results.Where(r => r.Outcome == SqlTestOutcome.Failed).ToList();
        int series = results.Count(r => r.Outcome == SqlTestOutcome.Skipped && r.Detail == SqlTestRunner.SqliteLacksGenerateSeries);
        output.WriteLine($"SQLite 3.50.4: {results.Count(r => r.Outcome == SqlTestOutcome.Passed)} passed, {failing.Count} failed, {series} need generate_series");
        foreach (SqlTestResult r in failing) output.WriteLine($"FAILS ON SQLITE {r.Id}: {r.Detail}");
        Assert.Equal(["cmdlineshell_schema.sqltest:schema-includes-trigger", "cmdlineshell_tables.sqltest:tables-includes-views"], failing.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    private static string FileOf(string id) => id[..id.IndexOf(':')];

    private static string[] Entries() => File.Exists(ListPath)
        ? File.ReadAllLines(ListPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray()
        : [];

    private const string MarkStart = "[turso-only";

    /// <summary>An entry's turso-only mark ("[turso-only: why]"), or null.</summary>
    internal static string? Mark(string entry)
    {
        string rest = AfterId(entry);
        if (!rest.StartsWith(MarkStart, StringComparison.Ordinal)) return null;
        int end = rest.IndexOf(']');
        return end < 0 ? null : rest[..(end + 1)];
    }

    /// <summary>Why Tern fails an entry's case (after the mark, if any).</summary>
    internal static string Reason(string entry)
    {
        string rest = AfterId(entry);
        string? mark = Mark(entry);
        return mark == null ? rest : rest[mark.Length..].TrimStart(' ');
    }

    private static string AfterId(string entry)
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
    internal static string Render(IEnumerable<SqlTestResult> failing, IReadOnlyDictionary<string, string>? marks = null)
    {
        var sb = new StringBuilder();
        sb.Append("# sqltest cases that fail today (file:test, then why), grouped by the feature they need.\n");
        sb.Append("# This list may only shrink. Rewrite it with TERN_UPDATE_KNOWN_FAILURES=1 (the groups are recomputed).\n");
        sb.Append("# \"[turso-only: why]\" marks a case SQLite 3.50.4 fails too (the rewrite keeps marks); every other case is a Tern bug.\n");
        foreach (var g in failing.GroupBy(r => SqlTestFeatures.Classify(r.Detail)).OrderBy(g => SqlTestFeatures.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append('\n').Append("# ").Append(g.Key).Append(" (").Append(g.Count()).Append(")\n");
            foreach (SqlTestResult r in g.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                sb.Append(r.Id).Append(' ');
                if (marks != null && marks.TryGetValue(r.Id, out string? mark)) sb.Append(mark).Append(' ');
                sb.Append(Shorten(r.Detail)).Append('\n');
            }
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
