// Parser benchmark: every SQL script of the shared corpus (sqllogictest records and
// sqltest test/setup bodies) is parsed with Tern.Sql, several rounds after a warm-up.
// Prints throughput (MB of SQL per second, statements per second) and bytes allocated
// per statement on this thread. For scale, the same statements are also handed to
// SQLite's sqlite3_prepare_v2 on an empty database in the same process: SQLite's time
// includes code generation for the statements whose names resolve and stops early at
// "no such table" for the others, so the ratio is only indicative.
//
//   dotnet run -c Release --project bench/Tern.Sql.Benchmarks -- [--rounds N]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Tern.Sql;

int rounds = 5;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
}

string corpus = FindCorpus();
var scripts = new List<byte[]>();
foreach (string file in Directory.EnumerateFiles(Path.Combine(corpus, "slt"), "*.test", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    foreach (string sql in SltRecords(File.ReadAllText(file))) scripts.Add(Encoding.UTF8.GetBytes(sql));
}
foreach (string file in Directory.EnumerateFiles(Path.Combine(corpus, "sqltest"), "*.sqltest", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    foreach (Match m in Regex.Matches(File.ReadAllText(file), @"^(?:test|setup)\s+\S+\s*\{\n(.*?)\n\}", RegexOptions.Singleline | RegexOptions.Multiline))
    {
        scripts.Add(Encoding.UTF8.GetBytes(m.Groups[1].Value));
    }
}

// Keep the scripts that parse (a few corpus scripts are meant to fail).
var statementsText = new List<string>();
scripts = scripts.Where(s =>
{
    try
    {
        foreach (ParsedStatement p in SqlParser.ParseAll(s)) statementsText.Add(Encoding.UTF8.GetString(s, p.Start, p.End - p.Start));
        return true;
    }
    catch (SqlParseException)
    {
        return false;
    }
}).ToList();
long bytes = scripts.Sum(s => (long)s.Length);
int statements = statementsText.Count;

double bestMs = double.MaxValue;
long allocated = 0;
for (int r = 0; r < rounds; r++)
{
    GC.Collect();
    long before = GC.GetAllocatedBytesForCurrentThread();
    var sw = Stopwatch.StartNew();
    int count = 0;
    foreach (byte[] s in scripts)
    {
        int offset = 0;
        while (SqlParser.ParseNext(s, offset) is { } p)
        {
            count++;
            offset = p.End;
        }
    }
    sw.Stop();
    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    bestMs = Math.Min(bestMs, sw.Elapsed.TotalMilliseconds);
    if (count != statements) throw new InvalidOperationException("statement count changed");
}

SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
using var db = new SqliteConnection("Data Source=:memory:");
db.Open();
double sqliteMs = double.MaxValue;
for (int r = 0; r < Math.Max(1, rounds / 2); r++)
{
    var sw = Stopwatch.StartNew();
    foreach (string sql in statementsText)
    {
        SQLitePCL.raw.sqlite3_prepare_v2(db.Handle!, sql, out SQLitePCL.sqlite3_stmt stmt, out _);
        stmt.Dispose();
    }
    sw.Stop();
    sqliteMs = Math.Min(sqliteMs, sw.Elapsed.TotalMilliseconds);
}

double mb = bytes / 1e6;
Console.WriteLine($"corpus: {scripts.Count:N0} scripts, {statements:N0} statements, {mb:F1} MB of SQL");
Console.WriteLine($"Tern.Sql parse: {bestMs:F0} ms (best of {rounds}), {mb / (bestMs / 1000):F1} MB/s, {statements / (bestMs / 1000):N0} statements/s, {(double)allocated / statements:F0} bytes allocated per statement");
Console.WriteLine($"SQLite prepare (empty database, indicative): {sqliteMs:F0} ms, ratio Tern/SQLite {bestMs / sqliteMs:F2}");

static string FindCorpus()
{
    string? dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Tern.slnx"))) dir = Path.GetDirectoryName(dir);
    if (dir is null) throw new InvalidOperationException("repository root not found");
    return Path.GetFullPath(Path.Combine(dir, "..", "shared", "corpus"));
}

static IEnumerable<string> SltRecords(string text)
{
    string[] lines = text.Replace("\r", "").Split('\n');
    for (int i = 0; i < lines.Length; i++)
    {
        if (!lines[i].StartsWith("statement ") && !lines[i].StartsWith("query ")) continue;
        var sb = new StringBuilder();
        for (i++; i < lines.Length && lines[i].Length > 0 && lines[i] != "----"; i++) sb.Append(lines[i]).Append('\n');
        yield return sb.ToString();
    }
}
