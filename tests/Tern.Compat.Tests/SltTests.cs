// The sqllogictest corpus against the known-failures ratchet: a record that fails and is
// not listed fails the test, and so does a listed record that now passes (remove it from
// the list) or fails for another reason than the one recorded — except records listed as "interrupted" (too slow for the runner's guard),
// which may pass on a faster machine. Set TERN_UPDATE_KNOWN_FAILURES=1 to rewrite the list.
using Xunit.Abstractions;

namespace Tern.Compat.Tests;

public class SltTests(ITestOutputHelper output)
{
    [Fact]
    public void Corpus_matches_the_known_failures()
    {
        string slt = Path.Combine(SltRunner.CorpusDirectory, "slt");
        string[] files = Directory.GetFiles(slt, "*.test", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(slt, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(files.Length >= 44, $"expected the 44 files of ../shared/corpus/slt, found {files.Length}");
        var results = new List<SltResult>();
        foreach (string f in files)
        {
            List<SltResult> r = SltRunner.RunFile(Path.Combine(slt, f), f);
            results.AddRange(r);
            SltResult? slowest = r.MaxBy(x => x.Elapsed);
            output.WriteLine($"{f}: {r.Count(x => x.Passed)} passed, {r.Count(x => !x.Passed)} failed (slowest {slowest?.Id} {slowest?.Elapsed.TotalMilliseconds:F0} ms)");
        }
        int passed = results.Count(r => r.Passed);
        int failed = results.Count - passed;
        string summary = $"slt: {passed} passed, {failed} failed";
        var core = results.Where(r => r.Id.StartsWith("select", StringComparison.Ordinal) || r.Id.StartsWith("evidence/", StringComparison.Ordinal)).ToList();
        string coreSummary = $"slt select1..5 + evidence: {core.Count(r => r.Passed)} passed, {core.Count(r => !r.Passed)} failed";
        output.WriteLine(coreSummary);
        output.WriteLine(summary);
        Console.WriteLine(coreSummary);
        Console.WriteLine(summary);

        string listPath = Path.Combine(SltRunner.RepositoryRoot(), "tests", "Tern.Compat.Tests", "KnownFailures", "slt.txt");
        string[] entries = File.Exists(listPath)
            ? File.ReadAllLines(listPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray()
            : [];
        var known = entries.Select(l => l.Split(' ')[0]).ToHashSet();
        // Records listed as "interrupted" failed only by running into the runner's time guard:
        // on a faster machine they may finish, which must not fail the run (they stay listed
        // until the join planner makes them fast everywhere). A new failure of any kind still fails.
        var slow = entries.Where(l => l.EndsWith(" interrupted", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToHashSet();
        var failing = results.Where(r => !r.Passed).ToList();
        if (Environment.GetEnvironmentVariable("TERN_UPDATE_KNOWN_FAILURES") == "1")
        {
            File.WriteAllLines(listPath, new[] { "# sqllogictest records that fail today (file:line, then why). This list may only shrink." }
                .Concat(failing.Select(r => r.Id + " " + Shorten(r.Detail))));
            return;
        }
        var reasons = entries.GroupBy(l => l.Split(' ')[0]).ToDictionary(g => g.Key, g => g.First().Contains(' ') ? g.First()[(g.First().IndexOf(' ') + 1)..] : "");
        var newFailures = failing.Where(r => !known.Contains(r.Id)).ToList();
        var fixedNow = results.Where(r => r.Passed && known.Contains(r.Id) && !slow.Contains(r.Id)).Select(r => r.Id).ToList();
        // A listed record must fail for the reason recorded: a different failure is a new one.
        var changed = failing.Where(r => known.Contains(r.Id) && !slow.Contains(r.Id) && reasons[r.Id] != Shorten(r.Detail)).ToList();
        foreach (SltResult r in newFailures.Take(30)) output.WriteLine($"NEW FAILURE {r.Id}: {r.Detail}");
        foreach (string id in fixedNow.Take(30)) output.WriteLine($"NOW PASSES (remove from the list): {id}");
        foreach (SltResult r in changed.Take(30)) output.WriteLine($"REASON CHANGED {r.Id}: listed '{reasons[r.Id]}', now '{Shorten(r.Detail)}'");
        Assert.True(newFailures.Count == 0 && fixedNow.Count == 0 && changed.Count == 0,
            $"{summary}; {newFailures.Count} new failures (first: {newFailures.FirstOrDefault()?.Id} {newFailures.FirstOrDefault()?.Detail}); {fixedNow.Count} listed cases now pass (first: {fixedNow.FirstOrDefault()}); {changed.Count} fail for another reason (first: {changed.FirstOrDefault()?.Id})");
    }

    private static string Shorten(string? s)
    {
        s = (s ?? "").Replace('\n', ' ');
        return s.Length > 120 ? s[..120] : s;
    }
}
