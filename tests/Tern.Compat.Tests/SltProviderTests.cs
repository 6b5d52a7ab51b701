// The sqllogictest corpus through the ADO.NET provider (Tern.Data's TernConnection, one
// ":memory:" connection per file) must pass the same records as through the engine API:
// every record except those KnownFailures/slt.txt lists (the engine path's ratchet, which
// SltTests keeps exact). The whole corpus runs (264,826 records, about 46 s on the
// two-core development machine); TERN_SLT_PROVIDER_QUICK=1 runs a deterministic part
// instead: select1..5, evidence/, index/between/, index/in/ and index/commute/ (24 files,
// 69,972 records, about 20 s). TERN_SLT_PROVIDER_ENGINE=1 also runs the same files
// through the engine API and compares record by record.
using Tern.Data;
using Xunit.Abstractions;

namespace Tern.Compat.Tests;

public class SltProviderTests(ITestOutputHelper output)
{
    private static readonly string[] DefaultPrefixes = ["select", "evidence/", "index/between/", "index/in/", "index/commute/"];

    [Fact]
    public void Corpus_through_the_provider_passes_as_through_the_engine()
    {
        string slt = Path.Combine(SltRunner.CorpusDirectory, "slt");
        bool all = Environment.GetEnvironmentVariable("TERN_SLT_PROVIDER_QUICK") != "1";
        string[] files = Directory.GetFiles(slt, "*.test", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(slt, f).Replace('\\', '/'))
            .Where(f => all || DefaultPrefixes.Any(p => f.StartsWith(p, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(files.Length >= (all ? 44 : 24), $"expected the corpus files, found {files.Length}");

        var provider = new List<SltResult>();
        var timer = System.Diagnostics.Stopwatch.StartNew();
        foreach (string f in files)
        {
            provider.AddRange(SltRunner.RunFile(Path.Combine(slt, f), f, () => new AdoTarget(
                new TernConnection("Data Source=:memory:"),
                e => e is Tern.Data.TernException { SqliteErrorCode: 9 })));
        }
        timer.Stop();
        string summary = $"slt through Tern.Data ({files.Length} files): {provider.Count(r => r.Passed)} passed, {provider.Count(r => !r.Passed)} failed in {timer.Elapsed.TotalSeconds:F1} s";
        output.WriteLine(summary);
        Console.WriteLine(summary);

        // The engine path's failures: the ratchet list (exact, kept so by SltTests), or a run of the same files.
        HashSet<string> engineFailing;
        var slow = new HashSet<string>();
        if (Environment.GetEnvironmentVariable("TERN_SLT_PROVIDER_ENGINE") == "1")
        {
            var engine = files.SelectMany(f => SltRunner.RunFile(Path.Combine(slt, f), f)).ToList();
            Assert.Equal(engine.Count, provider.Count);
            engineFailing = engine.Where(r => !r.Passed).Select(r => r.Id).ToHashSet();
            output.WriteLine($"engine API: {engine.Count - engineFailing.Count} passed, {engineFailing.Count} failed");
        }
        else
        {
            string listPath = Path.Combine(SltRunner.RepositoryRoot(), "tests", "Tern.Compat.Tests", "KnownFailures", "slt.txt");
            string[] entries = File.Exists(listPath) ? File.ReadAllLines(listPath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray() : [];
            engineFailing = entries.Select(l => l.Split(' ')[0]).ToHashSet();
            slow = entries.Where(l => l.EndsWith(" interrupted", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToHashSet();
        }
        var differ = provider.Where(r => !slow.Contains(r.Id) && r.Passed == engineFailing.Contains(r.Id)).ToList();
        foreach (SltResult r in differ.Take(20)) output.WriteLine($"DIFFERS {r.Id}: provider {(r.Passed ? "passes" : "fails: " + r.Detail)}");
        Assert.True(differ.Count == 0, $"{summary}; {differ.Count} records differ from the engine path (first: {differ.FirstOrDefault()?.Id} {differ.FirstOrDefault()?.Detail})");
    }
}
