// Random differential testing against SQLite 3.50.4 (SQLancer's ideas), with fixed seeds:
// random schemas, rows and queries run on both engines and compared; ternary-logic
// partitioning (also of HAVING) and NoREC run on Tern alone; random DML sequences run on both, then whole
// tables and integrity checks are compared, and for a sample of seeds the sqlite3 shell
// checks the file Tern wrote. A failure is reduced to a small script before it is printed.
//
// Environment: TERN_QUERYFUZZ_SCALE=N multiplies the number of seeds of every test (long
// runs; default 1), TERN_QUERYFUZZ_FIRST_SEED=S starts at seed S (to run long runs in
// chunks over fresh seeds), TERN_QUERYFUZZ_SEED=S runs that one seed alone,
// TERN_QUERYFUZZ_REPORTS=N reduces and prints up to N failures per test (default 6),
// TERN_QUERYFUZZ_ALL=1 turns on every generator switch.
using System.Diagnostics;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Fuzz;

public class QueryFuzzTests(ITestOutputHelper output)
{
    private static int MaxReduced => int.TryParse(Environment.GetEnvironmentVariable("TERN_QUERYFUZZ_REPORTS"), out int n) && n > 0 ? n : 6;

    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("TERN_QUERYFUZZ_SCALE"), out int n) && n > 0 ? n : 1;

    private static IEnumerable<int> Seeds(int count, int salt)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("TERN_QUERYFUZZ_SEED"), out int only)) return [only * 16 + salt];
        int first = int.TryParse(Environment.GetEnvironmentVariable("TERN_QUERYFUZZ_FIRST_SEED"), out int f) ? f : 0;
        return Enumerable.Range(first, count * Scale).Select(s => s * 16 + salt);
    }

    /// <summary>Collects failures of one test, reduces the first few, and fails with them.</summary>
    private sealed class Failures(Func<List<string>, string?> signature, Func<List<string>, string> detail)
    {
        private readonly List<string> _reports = [];
        private readonly HashSet<string> _seen = [];

        public int Count { get; private set; }

        public int Checks { get; set; }

        /// <summary>Partitions that SQLite 3.50.4 breaks the same way (see FuzzOracles.SqliteFailsToo).</summary>
        public int SqliteToo { get; private set; }

        /// <summary>A TLP or NoREC failure on Tern, unless SQLite breaks the same property on the same script.</summary>
        public void AddUnlessSqliteFailsToo(int seed, List<string> script)
        {
            if (FuzzOracles.SqliteFailsToo(script)) SqliteToo++;
            else Add(seed, script);
        }

        public void Add(int seed, List<string> script)
        {
            Count++;
            if (_reports.Count >= MaxReduced) return;
            var reducer = new FuzzReducer(signature);
            List<string> reduced = reducer.Reduce(script);
            string key = string.Join(";", reduced);
            if (!_seen.Add(key)) return;
            _reports.Add(FuzzOracles.Describe($"seed {seed}: {signature(reduced) ?? "(not reproducible alone)"}, reduced from {script.Count} statements in {reducer.Replays} replays", reduced, detail));
        }

        public void AssertNone(string what) =>
            Assert.True(Count == 0, $"{Count} {what} mismatches in {Checks} checks; first reduced:\n{string.Join("\n\n", _reports)}");
    }

    private static List<string> Setup(FuzzGenerator g, bool triggers)
    {
        var script = g.SchemaStatements(triggers);
        script.AddRange(g.RowStatements());
        script.AddRange(g.ViewStatements());
        return script;
    }

    [Fact]
    public void Queries_match_sqlite_for_fixed_seeds()
    {
        var sw = Stopwatch.StartNew();
        var failures = new Failures(FuzzOracles.Differential, FuzzOracles.BothOutcomes);
        foreach (int seed in Seeds(240, 1))
        {
            var g = new FuzzGenerator(seed, FuzzFeatures.Default);
            List<string> setup = Setup(g, triggers: false);
            using var sqlite = new SqliteFuzzEngine();
            using var tern = new TernFuzzEngine();
            bool lenient = FuzzOracles.LenientSchema(setup);
            bool broken = false;
            for (int i = 0; i < setup.Count && !broken; i++)
            {
                failures.Checks++;
                if (FuzzOracles.Compare(sqlite, tern, setup[i], lenient, out _, out _) != null)
                {
                    failures.Add(seed, setup.Take(i + 1).ToList());
                    broken = true;
                }
            }
            for (int q = 0; q < 100 && !broken; q++)
            {
                FuzzQuery query = g.Query();
                failures.Checks++;
                if (FuzzOracles.Compare(sqlite, tern, query.Sql, lenient, out _, out _) != null)
                    failures.Add(seed, [.. setup, query.Sql]);
            }
        }
        output.WriteLine($"differential: {failures.Checks} statements, {failures.Count} mismatches, {sw.Elapsed.TotalSeconds:F1} s");
        failures.AssertNone("differential");
    }

    [Fact]
    public void Ternary_logic_partitions_agree_for_fixed_seeds()
    {
        var sw = Stopwatch.StartNew();
        var failures = new Failures(FuzzOracles.TernOnly, FuzzOracles.TernParts);
        int judged = 0;
        foreach (int seed in Seeds(60, 2))
        {
            var g = new FuzzGenerator(seed, FuzzFeatures.Default);
            List<string> setup = Setup(g, triggers: false);
            using var tern = new TernFuzzEngine();
            foreach (string s in setup) tern.Run(s, false);
            for (int q = 0; q < 50; q++)
            {
                if (q % 5 == 4)
                {
                    // TLP-HAVING: the groups of Q are those of Q HAVING p, NOT p and p IS NULL.
                    (string grouped, string having) = g.TlpHavingParts();
                    string query = grouped + FuzzOracles.HavingMarker + having;
                    failures.Checks++;
                    if (FuzzOracles.Check(tern, query, out bool judgedHaving) != null) failures.AddUnlessSqliteFailsToo(seed, [.. setup, query]);
                    if (judgedHaving) judged++;
                    continue;
                }
                (string list, string from, string p, string? agg) = g.TlpParts();
                int variant = q % 5;
                string marked = variant switch
                {
                    0 or 1 => $"SELECT {list} FROM {from}{FuzzOracles.PredicateMarker}{p}",
                    2 => $"/*DISTINCT*/SELECT {list} FROM {from}{FuzzOracles.PredicateMarker}{p}",
                    _ => agg != null ? $"/*AGG*/SELECT {agg} FROM {from}{FuzzOracles.PredicateMarker}{p}" : $"/*NOREC*/SELECT count(*) FROM {from}{FuzzOracles.PredicateMarker}{p}",
                };
                failures.Checks++;
                if (FuzzOracles.Check(tern, marked, out bool ok) != null) failures.AddUnlessSqliteFailsToo(seed, [.. setup, marked]);
                if (ok) judged++;
            }
        }
        output.WriteLine($"tlp: {failures.Checks} checks ({judged} judged), {failures.Count} mismatches ({failures.SqliteToo} more that SQLite 3.50.4 breaks alike), {sw.Elapsed.TotalSeconds:F1} s");
        Assert.True(judged > failures.Checks / 2, $"only {judged} of {failures.Checks} checks could be judged");
        failures.AssertNone("TLP");
    }

    [Fact]
    public void NoRec_counts_agree_for_fixed_seeds()
    {
        var sw = Stopwatch.StartNew();
        var failures = new Failures(FuzzOracles.TernOnly, FuzzOracles.TernParts);
        int judged = 0;
        foreach (int seed in Seeds(60, 3))
        {
            var g = new FuzzGenerator(seed, FuzzFeatures.Default);
            List<string> setup = Setup(g, triggers: false);
            using var tern = new TernFuzzEngine();
            foreach (string s in setup) tern.Run(s, false);
            for (int q = 0; q < 50; q++)
            {
                (string from, string p) = g.NoRecParts();
                string marked = $"/*NOREC*/SELECT count(*) FROM {from}{FuzzOracles.PredicateMarker}{p}";
                failures.Checks++;
                if (FuzzOracles.Check(tern, marked, out bool ok) != null) failures.AddUnlessSqliteFailsToo(seed, [.. setup, marked]);
                if (ok) judged++;
            }
        }
        output.WriteLine($"norec: {failures.Checks} checks ({judged} judged), {failures.Count} mismatches ({failures.SqliteToo} more that SQLite 3.50.4 breaks alike), {sw.Elapsed.TotalSeconds:F1} s");
        Assert.True(judged > failures.Checks / 2, $"only {judged} of {failures.Checks} checks could be judged");
        failures.AssertNone("NoREC");
    }

    [Fact]
    public void Dml_sequences_match_sqlite_for_fixed_seeds()
    {
        var sw = Stopwatch.StartNew();
        var failures = new Failures(FuzzOracles.Differential, FuzzOracles.BothOutcomes);
        var shellFailures = new List<string>();
        int shellChecks = 0, shellVersionDifferences = 0, walFiles = 0;
        foreach (int seed in Seeds(80, 4))
        {
            var g = new FuzzGenerator(seed, FuzzFeatures.Default);
            List<string> script = Setup(g, triggers: true);
            for (int i = 0; i < 30; i++) script.Add(g.Dml());
            foreach (FuzzRelation t in g.Schema.Tables) script.Add($"SELECT rowid, * FROM {t.Name} ORDER BY rowid");
            // The log as a multiset: an UPDATE or DELETE fires its trigger in the order its plan
            // visits the rows, and those statements take no ORDER BY.
            if (script.Contains("CREATE TABLE tlog(k, v)")) script.Add("SELECT k, v FROM tlog");
            script.Add("PRAGMA integrity_check");
            bool triggers = script.Any(x => x.StartsWith("CREATE TRIGGER", StringComparison.Ordinal));
            bool onFile = seed / 16 % 10 == 0;
            // Half the file seeds run Tern in WAL mode; the shell then reads what the last
            // close checkpointed.
            bool wal = onFile && seed / 160 % 2 == 1;
            walFiles += wal ? 1 : 0;
            using var dir = onFile ? new SqliteShell.TempDir() : null;
            string path = dir?.File("fuzz.db") ?? ":memory:";
            using (var sqlite = new SqliteFuzzEngine())
            using (var tern = new TernFuzzEngine(path, wal))
            {
                var ran = new List<string>();
                bool saturated = false;
                for (int i = 0; i < script.Count; i++)
                {
                    // Once a table holds rowid 9223372036854775807, SQLite picks new rowids at
                    // random: the sequence stops there (the tables are still compared).
                    if (saturated && FuzzOracles.IsDml(script[i])) continue;
                    ran.Add(script[i]);
                    failures.Checks++;
                    string? d = FuzzOracles.Compare(sqlite, tern, script[i], false, out FuzzOutcome e, out FuzzOutcome a);
                    List<string> failing = [.. ran];
                    if (FuzzOracles.IsDml(script[i]))
                        saturated = g.Schema.Tables.Any(t => sqlite.Run($"SELECT max(rowid) FROM {t.Name}", false).Rows.FirstOrDefault() == "i:9223372036854775807");
                    if (d == null && FuzzFeatures.Default.ChangesAfterError && e.Error != null && FuzzOracles.IsDml(script[i]))
                    {
                        // The follow-up is part of the failing script, so the reducer replays it too.
                        string followUp = triggers && !FuzzFeatures.Default.TriggerChangesAfterError ? "SELECT changes()" : FuzzOracles.ChangesFollowUp;
                        d = FuzzOracles.Compare(sqlite, tern, followUp, false, out _, out _);
                        failing.Add(followUp);
                    }
                    if (d != null)
                    {
                        failures.Add(seed, failing);
                        break;
                    }
                }
            }
            if (onFile)
            {
                shellChecks++;
                string check = SqliteShell.Run(path, "PRAGMA integrity_check;");
                if (check.Trim() != "ok")
                {
                    // The shell is SQLite 3.40.1, whose text-to-real conversion can land one unit
                    // away from 3.50.4's (and Tern's): an expression index key computed from text
                    // is then "missing" to it. A file the 3.50.4 oracle also checks is such a case.
                    using var oracle = SqliteOracle.Open(path);
                    string current = SqliteOracle.Scalar(oracle, "PRAGMA integrity_check")?.ToString() ?? "";
                    if (current == "ok") shellVersionDifferences++;
                    else shellFailures.Add($"seed {seed}: sqlite3 integrity_check: {check}\n{string.Join(";\n", script)}");
                }
            }
        }
        output.WriteLine($"dml: {failures.Checks} statements, {failures.Count} mismatches, {shellChecks} files checked by sqlite3 ({walFiles} written in WAL mode; {shellVersionDifferences} refused by 3.40.1 only, ok in 3.50.4), {sw.Elapsed.TotalSeconds:F1} s");
        Assert.True(shellChecks > 0, "no file was checked by the sqlite3 shell");
        Assert.True(shellFailures.Count == 0, string.Join("\n\n", shellFailures.Take(3)));
        failures.AssertNone("DML");
    }

    [Fact]
    public void Reducer_shrinks_a_failing_script_to_the_statements_that_matter()
    {
        // A stand-in failure: the last statement mentions 'needle' and the table it reads exists.
        static string? Signature(List<string> s) =>
            s[^1].Contains("'needle'", StringComparison.Ordinal) && s.Any(x => x.StartsWith("CREATE TABLE t1", StringComparison.Ordinal)) ? "found" : null;
        List<string> script =
        [
            "CREATE TABLE t0(c0, c1)", "CREATE TABLE t1(c0)", "INSERT INTO t0(c0, c1) VALUES (1, 2)", "INSERT INTO t1(c0) VALUES (3)",
            "SELECT ((a0.c0 + 1) * (CASE WHEN (a0.c0 > 'needle') THEN 1 ELSE 2 END)), (a0.c0 || 'x') FROM t1 AS a0 WHERE ((a0.c0 = 1) AND (a0.c0 < 2))",
        ];
        List<string> reduced = new FuzzReducer(Signature).Reduce(script);
        Assert.Equal(2, reduced.Count);
        Assert.Equal("CREATE TABLE t1(c0)", reduced[0]);
        Assert.True(reduced[1].Length < 60, reduced[1]);
        Assert.Contains("'needle'", reduced[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_gives_the_same_script_for_the_same_seed()
    {
        static string Make()
        {
            var g = new FuzzGenerator(77, FuzzFeatures.Default);
            List<string> s = Setup(g, triggers: true);
            for (int i = 0; i < 20; i++) s.Add(g.Query().Sql);
            for (int i = 0; i < 10; i++) s.Add(g.Dml());
            return string.Join(";\n", s);
        }
        string a = Make();
        Assert.Equal(a, Make());
        Assert.Contains("CREATE TABLE", a, StringComparison.Ordinal);
    }
}
