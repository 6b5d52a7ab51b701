// The corpus tests: every SQL script of ../shared/corpus (sqllogictest records and
// sqltest test/setup bodies) is split into statements and parsed. Scripts the corpus
// expects to fail with a parser error must fail with SQLite's message; a failure on a
// script that expects some (unspecified) error is checked against SQLite itself. Then
// every parsed statement is printed and parsed again, and must come back equal.
//
// Known failures live in CorpusKnownFailures.txt, which may only shrink: the test fails
// on a failure not listed there and on a listed case that now passes.
using System.Text;
using System.Text.RegularExpressions;
using Tern.Sql.Ast;
using Tern.Sql.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Sql.Tests;

public sealed class CorpusTests(ITestOutputHelper output)
{
    private static readonly Lazy<CorpusRun> Run = new(CorpusRun.Execute);

    [Fact]
    public void Every_corpus_statement_parses_or_fails_as_SQLite_does()
    {
        CorpusRun run = Run.Value;
        output.WriteLine($"parse: {run.ParsePassed} passed, {run.ParseFailures.Count} failed ({run.Statements} statements in {run.Scripts} scripts)");
        foreach (string f in run.ParseFailures.Take(50)) output.WriteLine(f);
        CheckAgainstKnown("parse", run.ParseFailures);
    }

    [Fact]
    public void Every_corpus_statement_round_trips_through_the_printer()
    {
        CorpusRun run = Run.Value;
        output.WriteLine($"round trip: {run.RoundTripPassed} passed, {run.RoundTripFailures.Count} failed");
        foreach (string f in run.RoundTripFailures.Take(50)) output.WriteLine(f);
        CheckAgainstKnown("roundtrip", run.RoundTripFailures);
    }

    private static void CheckAgainstKnown(string kind, List<string> failures)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "CorpusKnownFailures.txt");
        HashSet<string> known = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.StartsWith(kind + "|")).Select(l => l[(kind.Length + 1)..].Trim()).ToHashSet()
            : [];
        HashSet<string> failedIds = failures.Select(f => f.Split(' ')[0]).ToHashSet();
        var unexpected = failedIds.Where(id => !known.Contains(id)).Order().ToList();
        var nowPassing = known.Where(id => !failedIds.Contains(id)).Order().ToList();
        Assert.True(unexpected.Count == 0, $"new {kind} failures:\n" + string.Join("\n", failures.Where(f => unexpected.Contains(f.Split(' ')[0])).Take(30)));
        Assert.True(nowPassing.Count == 0, $"listed {kind} failures that now pass (remove them from CorpusKnownFailures.txt):\n" + string.Join("\n", nowPassing.Take(30)));
    }

    private sealed class CorpusRun
    {
        public int Scripts;
        public int Statements;
        public int ParsePassed;
        public int RoundTripPassed;
        public readonly List<string> ParseFailures = [];
        public readonly List<string> RoundTripFailures = [];

        public static CorpusRun Execute()
        {
            var run = new CorpusRun();
            using var oracle = SqliteOracle.OpenMemory();
            var seenSql = new HashSet<string>();
            foreach (CorpusScript script in Corpus.All)
            {
                run.Scripts++;
                run.Check(script, oracle, seenSql);
            }
            return run;
        }

        private void Check(CorpusScript script, Microsoft.Data.Sqlite.SqliteConnection oracle, HashSet<string> seenSql)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(script.Sql);
            var parsed = new List<ParsedStatement>();
            SqlParseException? error = null;
            int failedAt = 0;
            int offset = 0;
            try
            {
                while (SqlParser.ParseNext(bytes, offset) is { } s)
                {
                    parsed.Add(s);
                    offset = s.End;
                }
            }
            catch (SqlParseException e)
            {
                error = e;
                failedAt = offset;
            }
            Statements += parsed.Count + (error is null ? 0 : 1);

            string? problem = null;
            if (error is null)
            {
                if (script.ExpectError && script.ErrorPattern is not null && LooksLikeParserError(script.ErrorPattern))
                {
                    problem = $"expected an error matching /{script.ErrorPattern}/ but it parsed";
                }
            }
            else if (!script.ExpectError)
            {
                problem = $"did not parse: {error.Message}";
            }
            else if (script.ErrorPattern is not null && LooksLikeParserError(script.ErrorPattern))
            {
                if (!Regex.IsMatch(error.Message, script.ErrorPattern, RegexOptions.IgnoreCase))
                {
                    problem = $"error '{error.Message}' does not match /{script.ErrorPattern}/";
                }
            }
            else
            {
                // Some error is expected; ours must be the one SQLite reports.
                string rest = Encoding.UTF8.GetString(bytes, failedAt, bytes.Length - failedAt);
                string? sqlite = SqliteOracle.PrepareError(oracle, rest);
                if (sqlite != error.Message) problem = $"our error '{error.Message}', SQLite's '{sqlite ?? "(none)"}'";
            }
            if (problem is null) ParsePassed++;
            else ParseFailures.Add($"{script.Id} {problem} :: {Abbreviate(script.Sql)}");

            foreach (ParsedStatement s in parsed)
            {
                string text = Encoding.UTF8.GetString(bytes, s.Start, s.End - s.Start);
                if (!seenSql.Add(text))
                {
                    RoundTripPassed++;
                    continue;
                }
                string printed = "";
                try
                {
                    printed = SqlPrinter.Print(s.Statement);
                    Statement again = SqlParser.Parse(printed);
                    if (again.Equals(s.Statement))
                    {
                        RoundTripPassed++;
                        continue;
                    }
                    RoundTripFailures.Add($"{script.Id} differs :: {Abbreviate(text)} => {Abbreviate(printed)}");
                }
                catch (SqlParseException e)
                {
                    RoundTripFailures.Add($"{script.Id} printed SQL does not parse ({e.Message}) :: {Abbreviate(text)} => {Abbreviate(printed)}");
                }
            }
        }

        private static bool LooksLikeParserError(string pattern) =>
            Regex.IsMatch(pattern, "syntax error|incomplete input|unrecognized token", RegexOptions.IgnoreCase);

        private static string Abbreviate(string s)
        {
            s = s.Replace('\n', ' ');
            return s.Length <= 300 ? s : s[..300] + "...";
        }
    }
}
