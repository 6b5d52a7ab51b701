// An in-process runner for the sqltest corpus (../shared/corpus/sqltest, format in its
// README). Tern is judged as the sqlite3 shell: each test's setups and SQL run as one
// script through the tern shell (Tern.Cli.Shell) in list mode with bail on, so the output
// is every row of every statement, printed as the shell prints it, and the first error
// ends the script. Cases skipped for SQLite (@skip, @skip-if sqlite, @skip-file-if sqlite,
// other backends, Turso-only capabilities) and EXPLAIN snapshots (snapshot, snapshot-eqp,
// matrix) are counted as skipped.
//
// The same cases can run on SQLite 3.50.4 instead (SqlTestEngine.Sqlite, SqliteShellTarget):
// same setups, same @cli overrides, same comparison; only the engine under the script
// changes. That is how the known-failures list is checked to hold only cases SQLite fails too.
//
// Every case runs on its own thread with a large stack, under a time limit: after 10
// seconds the shell is interrupted (Connection.Interrupt), and a case still running after
// 30 seconds is abandoned and fails as "hung" (and the run stops if the heap then passes
// 4 GB). Any exception fails only its case. (Cases
// that take well under a second alone need the margin when CI runs the other test
// assemblies beside this one on two cores.)
using System.Text;
using System.Text.RegularExpressions;
using Tern.Cli;
using Tern.Storage.BTree;
using Tern.Storage.Pager;

namespace Tern.Compat.Tests;

/// <summary>The outcome of one sqltest case.</summary>
public sealed record SqlTestResult(string Id, SqlTestOutcome Outcome, string? Detail);

public enum SqlTestOutcome { Passed, Failed, Skipped }

/// <summary>What runs a case's script: Tern's shell, or SQLite 3.50.4 driven as the sqlite3 shell.</summary>
public enum SqlTestEngine { Tern, Sqlite }

public static class SqlTestRunner
{
    /// <summary>Capabilities SQLite has; a case requiring anything else is skipped.</summary>
    private static readonly HashSet<string> SqliteCapabilities = new(StringComparer.Ordinal) { "trigger", "strict" };

    /// <summary>The corpus folder.</summary>
    public static string Directory => Path.Combine(SltRunner.CorpusDirectory, "sqltest");

    /// <summary>Every .sqltest file, as paths relative to the corpus folder with '/' separators, in order.</summary>
    public static List<string> Files() => System.IO.Directory
        .GetFiles(Directory, "*.sqltest", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Runs every case of one file.</summary>
    public static List<SqlTestResult> RunFile(string relativePath, int timeLimitMs = 10000, SqlTestEngine engine = SqlTestEngine.Tern, Func<string, bool>? only = null) =>
        RunText(File.ReadAllText(Path.Combine(Directory, relativePath)), relativePath, timeLimitMs, engine, only);

    /// <summary>
    /// Runs every case of a file's text (or those whose id <paramref name="only"/> accepts);
    /// <paramref name="name"/> prefixes the case ids.
    /// </summary>
    public static List<SqlTestResult> RunText(string text, string name, int timeLimitMs = 10000, SqlTestEngine engine = SqlTestEngine.Tern, Func<string, bool>? only = null)
    {
        string relativePath = name;
        var results = new List<SqlTestResult>();
        SqlTestFile file;
        try
        {
            file = SqlTestFile.Parse(text);
        }
        catch (FormatException e)
        {
            results.Add(new SqlTestResult(relativePath, SqlTestOutcome.Failed, "unreadable: " + e.Message));
            return results;
        }
        List<DatabaseSpec> databases = file.Databases.Count > 0 ? file.Databases : [new DatabaseSpec(":memory:", false)];
        foreach (DatabaseSpec db in databases)
        {
            foreach (SqlTestCase c in file.Cases)
            {
                string id = relativePath + ":" + c.Name + (databases.Count > 1 ? "[" + db.Location + "]" : "");
                if (only != null && !only(id)) continue;
                string? skip = SkipReason(file, c);
                if (skip != null)
                {
                    results.Add(new SqlTestResult(id, SqlTestOutcome.Skipped, skip));
                    continue;
                }
                results.Add(engine == SqlTestEngine.Sqlite ? RunCaseOnSqlite(id, file, c, db, timeLimitMs) : RunCase(id, file, c, db, timeLimitMs));
                CheckMemory(id, results[^1]);
            }
        }
        return results;
    }

    /// <summary>
    /// A case abandoned as hung keeps running on its thread; if it (or any case) makes the heap
    /// grow without bound the run stops here, naming the case, instead of the test host being
    /// killed for want of memory with nothing said.
    /// </summary>
    private static void CheckMemory(string id, SqlTestResult result)
    {
        const long Ceiling = 4L << 30;
        if (GC.GetTotalMemory(false) < Ceiling || GC.GetTotalMemory(true) < Ceiling) return;
        throw new InvalidOperationException($"the heap holds {GC.GetTotalMemory(false) >> 20} MB after case {id} ({result.Outcome} {result.Detail}): a case keeps allocating");
    }

    private static string? SkipReason(SqlTestFile file, SqlTestCase c)
    {
        if (file.SkipReasons.Count > 0) return file.SkipReasons[0];
        if (c.Kind != "test") return c.Kind + " (EXPLAIN snapshot of another engine)";
        if (c.SkipReasons.Count > 0) return c.SkipReasons[0];
        if (c.Backend != null && c.Backend != "cli") return "backend " + c.Backend;
        foreach (string cap in file.Requires.Concat(c.Requires))
        {
            if (!SqliteCapabilities.Contains(cap)) return "requires " + cap;
        }
        return null;
    }

    // ------------------------------------------------------------ running one case

    private sealed class Outcome
    {
        public string Output = "";
        public string? Error;
        public string ErrorText = "";
        public string? Integrity;
        public string? SetupError;
        public Exception? Crash;
    }

    /// <summary>The case's setups as one shell script; null when it names a setup the file lacks.</summary>
    private static StringBuilder? SetupScript(SqlTestFile file, SqlTestCase c)
    {
        var setupScript = new StringBuilder();
        foreach (string setup in c.Setups)
        {
            if (!file.Setups.TryGetValue(setup, out string? sql)) return null;
            setupScript.Append(ShellScript(sql));
        }
        return setupScript;
    }

    private static SqlTestResult RunCase(string id, SqlTestFile file, SqlTestCase c, DatabaseSpec spec, int timeLimitMs)
    {
        if (SetupScript(file, c) is not { } setupScript) return new SqlTestResult(id, SqlTestOutcome.Failed, "unknown setup " + c.Setups.First(x => !file.Setups.ContainsKey(x)));
        string script = ShellScript(c.Sql);
        Expectation expect = c.EffectiveExpect!;

        var outcome = new Outcome();
        Shell? shell = null;
        var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            string? tempPath = null;
            Database? db = null;
            Connection? conn = null;
            try
            {
                try
                {
                    (db, tempPath) = OpenDatabase(spec);
                }
                catch (TernException e)
                {
                    outcome.Error = "cannot open the database: " + e.Message;
                    return;
                }
                conn = db.Connect();
                var stdout = new MemoryStream();
                var stderr = new MemoryStream();
                // The setups run first, their output set aside; then the test's own SQL.
                var setupOutput = new MemoryStream();
                shell = new Shell(setupOutput, stderr);
                shell.UseConnection(conn);
                shell.Settings.Bail = true;
                started.Set();
                if (setupScript.Length > 0) shell.ProcessInput(setupScript.ToString());
                if (shell.ErrorCount > 0)
                {
                    outcome.SetupError = shell.FirstErrorMessage ?? Encoding.UTF8.GetString(stderr.ToArray()).Trim();
                    return;
                }
                if (!shell.Interrupted)
                {
                    shell.SetOutput(stdout);
                    shell.ProcessInput(script);
                }
                shell.Flush();
                outcome.Output = Encoding.UTF8.GetString(stdout.ToArray());
                outcome.ErrorText = Encoding.UTF8.GetString(stderr.ToArray());
                outcome.Error = shell.FirstErrorMessage ?? (shell.ErrorCount > 0 ? outcome.ErrorText.Trim() : null);
                if (shell.FirstException is { } ex and not TernException) outcome.Crash = ex;
                if (c.CrossCheckIntegrity && !shell.Interrupted) outcome.Integrity = IntegrityCheck(db, conn);
            }
            catch (Exception e)
            {
                outcome.Crash = e;
            }
            finally
            {
                started.Set();
                try
                {
                    conn?.Dispose();
                    db?.Dispose();
                }
                catch (Exception)
                {
                    // Closing after a failure is best effort.
                }
                if (tempPath != null) TryDelete(tempPath);
            }
        }, 256 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "sqltest " + id,
        };
        thread.Start();
        started.Wait();
        if (!thread.Join(timeLimitMs))
        {
            shell?.Interrupt();
            using var repeat = new Timer(_ => shell?.Interrupt(), null, 100, 100);
            if (!thread.Join(timeLimitMs * 2)) return new SqlTestResult(id, SqlTestOutcome.Failed, "hung");
        }
        if (outcome.Crash != null)
            return new SqlTestResult(id, SqlTestOutcome.Failed, "crash: " + outcome.Crash.GetType().Name + ": " + FirstLine(outcome.Crash.Message));
        if (outcome.SetupError != null) return new SqlTestResult(id, SqlTestOutcome.Failed, "setup: " + FirstLine(outcome.SetupError));
        if (shell?.Interrupted == true) return new SqlTestResult(id, SqlTestOutcome.Failed, "interrupted");
        string? why = Compare(expect, outcome);
        if (why == null && c.CrossCheckIntegrity && outcome.Integrity != "ok") why = "integrity check: " + outcome.Integrity;
        return new SqlTestResult(id, why == null ? SqlTestOutcome.Passed : SqlTestOutcome.Failed, why);
    }

    /// <summary>Why a case is skipped on SQLite: it uses generate_series, which the e_sqlite3 build lacks.</summary>
    public const string SqliteLacksGenerateSeries = "generate_series (built into the sqlite3 shell, not into e_sqlite3)";

    // The same case on SQLite 3.50.4: the same scripts, time limit and comparison as RunCase.
    private static SqlTestResult RunCaseOnSqlite(string id, SqlTestFile file, SqlTestCase c, DatabaseSpec spec, int timeLimitMs)
    {
        if (SetupScript(file, c) is not { } setupScript) return new SqlTestResult(id, SqlTestOutcome.Failed, "unknown setup " + c.Setups.First(x => !file.Setups.ContainsKey(x)));
        string script = ShellScript(c.Sql);
        Expectation expect = c.EffectiveExpect!;
        // generate_series is compiled into the sqlite3 shell, not into the e_sqlite3 library.
        if ((setupScript + script).Contains("generate_series", StringComparison.OrdinalIgnoreCase))
            return new SqlTestResult(id, SqlTestOutcome.Skipped, SqliteLacksGenerateSeries);

        var outcome = new Outcome();
        SqliteShellTarget? target = null;
        bool interrupted = false;
        var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            string path = spec.Location == ":memory:" ? ":memory:" : Path.Combine(Path.GetTempPath(), "tern-sqltest-sqlite-" + Guid.NewGuid().ToString("N") + ".db");
            try
            {
                if (spec.Location is not (":memory:" or ":temp:"))
                {
                    File.Copy(Path.Combine(Directory, spec.Location), path);
                    File.SetAttributes(path, FileAttributes.Normal);
                }
                var stdout = new MemoryStream();
                target = new SqliteShellTarget(path, spec.ReadOnly, new MemoryStream());
                started.Set();
                if (setupScript.Length > 0 && !target.ProcessInput(setupScript.ToString()))
                {
                    outcome.SetupError = target.FirstError ?? target.ErrorText.Trim();
                    return;
                }
                target.SetOutput(stdout);
                target.ProcessInput(script);
                outcome.Output = Encoding.UTF8.GetString(stdout.ToArray());
                outcome.ErrorText = target.ErrorText;
                outcome.Error = target.FirstError;
                if (c.CrossCheckIntegrity && !interrupted)
                {
                    var problems = target.IntegrityCheck().Select(l => l.Trim()).Where(l => !l.StartsWith("CHECK constraint failed in ", StringComparison.Ordinal)).ToList();
                    outcome.Integrity = problems.Count == 0 ? "ok" : string.Join("\n", problems);
                }
            }
            catch (Exception e)
            {
                outcome.Crash = e;
            }
            finally
            {
                started.Set();
                target?.Dispose();
                if (path != ":memory:") TryDelete(path);
            }
        }, 256 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "sqltest (SQLite) " + id,
        };
        thread.Start();
        started.Wait();
        if (!thread.Join(timeLimitMs))
        {
            interrupted = true;
            using var repeat = new Timer(_ => target?.Interrupt(), null, 0, 100);
            if (!thread.Join(timeLimitMs * 2)) return new SqlTestResult(id, SqlTestOutcome.Failed, "hung");
        }
        if (outcome.Crash != null)
            return new SqlTestResult(id, SqlTestOutcome.Failed, "crash: " + outcome.Crash.GetType().Name + ": " + FirstLine(outcome.Crash.Message));
        if (outcome.SetupError != null) return new SqlTestResult(id, SqlTestOutcome.Failed, "setup: " + FirstLine(outcome.SetupError));
        if (interrupted) return new SqlTestResult(id, SqlTestOutcome.Failed, "interrupted");
        string? why = Compare(expect, outcome);
        if (why == null && c.CrossCheckIntegrity && outcome.Integrity != "ok") why = "integrity check: " + outcome.Integrity;
        return new SqlTestResult(id, why == null ? SqlTestOutcome.Passed : SqlTestOutcome.Failed, why);
    }

    private static (Database Db, string? TempPath) OpenDatabase(DatabaseSpec spec)
    {
        switch (spec.Location)
        {
            case ":memory:":
                return (Database.Open(":memory:"), null);
            case ":temp:":
                {
                    string path = Path.Combine(Path.GetTempPath(), "tern-sqltest-" + Guid.NewGuid().ToString("N") + ".db");
                    return (Database.Open(path), path);
                }
            default:
                {
                    // Fixtures are copied, so nothing can change the corpus.
                    string path = Path.Combine(Path.GetTempPath(), "tern-sqltest-" + Guid.NewGuid().ToString("N") + ".db");
                    File.Copy(Path.Combine(Directory, spec.Location), path);
                    File.SetAttributes(path, FileAttributes.Normal);
                    return (Database.Open(path, new DatabaseOptions { ReadOnly = spec.ReadOnly }), path);
                }
        }
    }

    private static void TryDelete(string path)
    {
        foreach (string p in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(p);
            }
            catch (IOException)
            {
            }
        }
    }

    // @cross-check-integrity: PRAGMA integrity_check through Tern, and again through the
    // sqlite3 shell on a copy of the database's pages; "ok" only when both say so. The check
    // is for a sound file: a row a test stored past its CHECK constraints on purpose (PRAGMA
    // ignore_check_constraints), which SQLite's integrity_check reports too, does not count.
    private static string IntegrityCheck(Database db, Connection conn)
    {
        string tern;
        try
        {
            using Statement st = conn.Prepare("PRAGMA integrity_check");
            var lines = new List<string>();
            while (st.Step()) lines.Add(st.GetString(0) ?? "");
            tern = WithoutCheckFailures(lines);
        }
        catch (TernException e)
        {
            tern = e.Message;
        }
        if (tern != "ok") return tern;
        string sqlite = WithoutCheckFailures(Sqlite3IntegrityCheck(conn).Split('\n'));
        return sqlite == "ok" ? "ok" : "sqlite3: " + sqlite;

        static string WithoutCheckFailures(IEnumerable<string> lines)
        {
            var problems = lines.Select(l => l.Trim()).Where(l => !l.StartsWith("CHECK constraint failed in ", StringComparison.Ordinal)).ToList();
            return problems.Count == 0 ? "ok" : string.Join("\n", problems);
        }
    }

    private static string Sqlite3IntegrityCheck(Connection conn)
    {
        string path = Path.Combine(Path.GetTempPath(), "tern-sqltest-check-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            File.WriteAllBytes(path, Image(conn));
            var psi = new System.Diagnostics.ProcessStartInfo("sqlite3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(path);
            psi.ArgumentList.Add("PRAGMA integrity_check");
            using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("cannot start sqlite3");
            p.StandardInput.Close();
            Task<string> err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (output + err.Result).Trim();
        }
        finally
        {
            TryDelete(path);
        }
    }

    // The database's pages as the current transaction sees them, as one file image.
    private static byte[] Image(Connection conn)
    {
        BTree bt = conn.Tree;
        Pager pager = bt.Pager;
        bool began = pager.State == PagerState.Open;
        if (began) bt.BeginRead();
        try
        {
            var image = new MemoryStream();
            for (uint n = 1; n <= pager.PageCount; n++)
            {
                if (n == pager.PendingBytePage)
                {
                    image.Write(new byte[pager.PageSize]);
                    continue;
                }
                Page page = pager.Get(n);
                try
                {
                    image.Write(page.Data, 0, pager.PageSize);
                }
                finally
                {
                    pager.Release(page);
                }
            }
            return image.ToArray();
        }
        finally
        {
            if (began) bt.EndRead();
        }
    }

    // The SQL of a block as shell input: blocks are indented in the file, so a dot command
    // is moved to the start of its line, where the shell looks for it.
    private static string ShellScript(string block)
    {
        var sb = new StringBuilder();
        foreach (string line in Macros.Expand(block).Split('\n'))
        {
            string t = line.TrimStart(' ', '\t');
            sb.Append(t.StartsWith('.') ? t : line).Append('\n');
        }
        return sb.ToString();
    }

    // ------------------------------------------------------------ comparing

    private static string? Compare(Expectation expect, Outcome o)
    {
        if (expect.Kind == ExpectKind.Error)
        {
            if (o.Error == null) return "expected an error, got: " + Shorten(o.Output);
            string pattern = Normalize(expect.Body);
            if (pattern.Length == 0) return null;
            var options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
            if (Regex.IsMatch(Normalize(o.Error), pattern, options) || Regex.IsMatch(Normalize(o.ErrorText), pattern, options)) return null;
            return $"error '{FirstLine(o.Error)}' does not match /{pattern}/";
        }
        if (o.Error != null) return FirstLine(o.Error);
        // As the reference runner reads the shell's output: one row per line, lines taken as
        // they are (an empty line is a row holding one NULL); the expected rows are the
        // block's lines, each trimmed (raw blocks compare the output untouched). Rows are
        // compared as the reference compares them, joined by newlines - so one row holding
        // a single NULL prints as an empty expectation, as sqlite3's own output is judged.
        List<string> actual = Lines(o.Output);
        switch (expect.Kind)
        {
            case ExpectKind.Raw:
                {
                    string output = o.Output.EndsWith('\n') ? o.Output[..^1] : o.Output;
                    return output == expect.Body ? null : $"expected [{Shorten(expect.Body)}] got [{Shorten(output)}]";
                }
            case ExpectKind.Pattern:
                {
                    string rows = string.Join("\n", actual);
                    return Regex.IsMatch(rows, expect.Body.Trim()) ? null : $"output [{Shorten(rows)}] does not match /{expect.Body.Trim()}/";
                }
            case ExpectKind.Unordered:
                {
                    string e = string.Join("\n", ExpectedLines(expect.Body).Order(StringComparer.Ordinal));
                    string a = string.Join("\n", actual.Order(StringComparer.Ordinal));
                    return e == a ? null : $"expected (any order) [{Shorten(e)}] got [{Shorten(a)}]";
                }
            default:
                {
                    string e = string.Join("\n", ExpectedLines(expect.Body));
                    string a = string.Join("\n", actual);
                    return e == a ? null : $"expected [{Shorten(e)}] got [{Shorten(a)}]";
                }
        }
    }

    /// <summary>
    /// The rows a block expects: its lines, each trimmed. The block's text stops short of the
    /// newline before its closing brace; that newline still ends the last line, so a block
    /// whose last line is empty expects a last row holding one NULL.
    /// </summary>
    private static IEnumerable<string> ExpectedLines(string body) => Lines(body + "\n").Select(l => l.Trim());

    /// <summary>
    /// Text cut into lines at '\n' (a '\r' before it dropped); a final '\n' ends the last line
    /// rather than starting an empty one, and empty text has no lines.
    /// </summary>
    internal static List<string> Lines(string s)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < s.Length)
        {
            int nl = s.IndexOf('\n', start);
            int end = nl < 0 ? s.Length : nl;
            int cut = end > start && s[end - 1] == '\r' ? end - 1 : end;
            lines.Add(s[start..cut]);
            if (nl < 0) break;
            start = nl + 1;
        }
        return lines;
    }

    // Runs of white space become one space, as the corpus's runner compares error text.
    private static string Normalize(string s) => Regex.Replace(s.Trim(), @"\s+", " ");

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }

    private static string Shorten(string s)
    {
        s = s.Replace("\n", "\\n", StringComparison.Ordinal);
        return s.Length > 100 ? s[..100] + "..." : s;
    }

    /// <summary>The corpus's macros: {{expr_depth_limit}} and {{repeat:N:text}} (N a number or expr_depth_limit±k).</summary>
    public static class Macros
    {
        public const int ExprDepthLimit = 100;

        public static string Expand(string s)
        {
            if (!s.Contains("{{", StringComparison.Ordinal)) return s;
            return Regex.Replace(s, @"\{\{(.*?)\}\}", m =>
            {
                string body = m.Groups[1].Value;
                if (body == "expr_depth_limit") return ExprDepthLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (body.StartsWith("repeat:", StringComparison.Ordinal))
                {
                    int colon = body.IndexOf(':', 7);
                    if (colon > 0)
                    {
                        int n = Count(body[7..colon]);
                        return string.Concat(Enumerable.Repeat(body[(colon + 1)..], n));
                    }
                }
                return m.Value;
            });
        }

        private static int Count(string expr)
        {
            expr = expr.Replace(" ", "", StringComparison.Ordinal).Replace("expr_depth_limit", ExprDepthLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Match m = Regex.Match(expr, @"^(\d+)([+-]\d+)?$");
            if (!m.Success) throw new FormatException("bad repeat count " + expr);
            int n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (m.Groups[2].Success) n += int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            return n;
        }
    }
}
