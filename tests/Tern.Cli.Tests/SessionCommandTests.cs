// The dot commands around the SQL, each run as a script through tern and through the
// sqlite3 shell (3.40) on files in a directory of their own: standard output, standard
// error, the exit code and the files the script wrote must be the same, with the
// directory's name written as DIR. Covers .read, .output/.once, .databases, .indexes,
// .changes, .nullvalue, .separator, .width, .show, .bail, .print, .eqp, .parameter,
// .timer (its line matched by pattern), .import, .backup/.save, the prompt, and -version.
using System.Text;
using System.Text.RegularExpressions;

namespace Tern.Cli.Tests;

public class SessionCommandTests
{
    /// <summary>What a script did in one shell: its output with the directory's name as DIR, and the files left.</summary>
    internal sealed record Outcome(string Stdout, string Stderr, int ExitCode, SortedDictionary<string, string> Files);

    /// <summary>
    /// Runs <paramref name="script"/> (DIR standing for a fresh directory holding
    /// <paramref name="files"/>) through sqlite3 and through tern, on DIR/test.db, and
    /// asserts the two did the same.
    /// </summary>
    internal static Outcome AssertSameAsSqlite3(string script, Dictionary<string, byte[]>? files = null, string[]? args = null)
    {
        Outcome expected = RunIn(script, files, args, (a, input) => ProcessRunner.Sqlite3(a, input));
        Outcome actual = RunIn(script, files, args, (a, input) => ProcessRunner.Tern(a, input));
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.Stderr, actual.Stderr);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.Files.Keys, actual.Files.Keys);
        foreach (string name in expected.Files.Keys) Assert.Equal(expected.Files[name], actual.Files[name]);
        return actual;
    }

    private static Outcome RunIn(string script, Dictionary<string, byte[]>? files, string[]? args, Func<string[], byte[], RunResult> run)
    {
        using var dir = new ProcessRunner.TempDir();
        string root = dir.Path;
        foreach ((string name, byte[] content) in files ?? []) File.WriteAllBytes(dir.File(name), content);
        string[] allArgs = [.. (args ?? []), dir.File("test.db")];
        RunResult r = run(allArgs, Encoding.UTF8.GetBytes(script.Replace("DIR", root, StringComparison.Ordinal)));
        var left = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string f in Directory.GetFiles(root))
        {
            string name = Path.GetFileName(f);
            if (name.EndsWith(".db", StringComparison.Ordinal) || name.EndsWith("-journal", StringComparison.Ordinal)) continue;
            if (files != null && files.ContainsKey(name)) continue;
            left[name] = File.ReadAllText(f).Replace(root, "DIR", StringComparison.Ordinal);
        }
        return new Outcome(r.StdoutText.Replace(root, "DIR", StringComparison.Ordinal), r.StderrText.Replace(root, "DIR", StringComparison.Ordinal), r.ExitCode, left);
    }

    private static Dictionary<string, byte[]> Files(params (string Name, string Text)[] files) =>
        files.ToDictionary(f => f.Name, f => Encoding.UTF8.GetBytes(f.Text));

    [Fact]
    public void Read_runs_a_script_file_and_counts_its_errors()
    {
        AssertSameAsSqlite3(
            "create table t(x);\n.read DIR/a.sql\nselect count(*) from t;\n.read DIR/missing.sql\n.read\n.read DIR/b.sql\nselect 'after';\n",
            Files(("a.sql", "insert into t values(1);\nselec 2;\ninsert into t values(3);\n.print in a\n"),
                  ("b.sql", "select 'b';\n.quit\nselect 'not reached';\n")));
    }

    [Fact]
    public void Read_stops_at_the_first_error_with_bail_on()
    {
        AssertSameAsSqlite3(".bail on\n.read DIR/a.sql\nselect 'not reached';\n", Files(("a.sql", "select 1;\nselect 1 +;\nselect 2;\n")));
    }

    [Fact]
    public void Output_and_once_send_results_to_files()
    {
        AssertSameAsSqlite3(
            ".output DIR/o1.txt\nselect 1;\n.print hi\n.output\nselect 2;\n.once DIR/o2.txt\nselect 3;\nselect 4;\n" +
            ".once DIR/o3.txt\n.print a\n.print b\n.once DIR/o4.txt\n.mode csv\nselect 5;\n.output DIR/o5.txt\n.mode list\nselect 6;\n.output stdout\nselect 7;\n" +
            ".output DIR/no/such/x\nselect 8;\n.output a b\n.once --bogus\n.once --bom DIR/o6.txt\nselect 9;\n");
    }

    [Fact]
    public void Databases_indexes_and_tables()
    {
        AssertSameAsSqlite3(
            ".databases\ncreate table t1(a primary key, b unique);\ncreate table t2(c);\ncreate index i1 on t1(b);\ncreate index \"odd name\" on t2(c);\n" +
            ".indexes\n.indexes t1\n.indexes t%\n.indexes nosuch\n.indices t2\n.indexes a b\n.tables\n.tables t_\n");
    }

    [Fact]
    public void Changes_nullvalue_separator_width_and_print()
    {
        AssertSameAsSqlite3(
            "create table t(x);\n.changes on\ninsert into t values(1),(2);\nselect 1;\nupdate t set x = 3;\nselect abs(-9223372036854775808);\n.changes off\ndelete from t;\n.changes\n" +
            ".nullvalue NIL\nselect null, 1;\n.separator ; \" END\\n\"\nselect null, 2;\n.separator , \nselect 3, 4;\n.separator\n" +
            ".mode column\n.width 5 -6\nselect 'a' as x, 'b' as y;\n.width\nselect 'a' as x, 'b' as y;\n" +
            ".print one \"two three\" 'four\\n' five\\tsix\n.print\n");
    }

    [Fact]
    public void Show_lists_the_settings()
    {
        AssertSameAsSqlite3(
            ".show\n.headers on\n.echo on\n.nullvalue \"a\\\"b\"\n.separator \"\\t\" \"\\r\\n\"\n.width 5 -3\n.mode box\n.show\n.echo off\n.mode tabs\n.eqp on\n.once DIR/s.txt\n.show\n.show x\n");
    }

    [Fact]
    public void Bail_stops_a_script_at_its_first_error()
    {
        AssertSameAsSqlite3("select 1;\nselect 1 +;\n.bail on\nselect 2;\nselect abs(-9223372036854775808);\nselect 3;\n");
        AssertSameAsSqlite3(".bail\n.bail maybe\nselec 3;\nselect 4;\n");
    }

    [Fact]
    public void Eqp_prints_each_query_plan_before_the_rows()
    {
        AssertSameAsSqlite3(
            "create table t(a integer primary key, b, c);\ncreate index tb on t(b);\ninsert into t values(1, 2, 3);\n.eqp on\n" +
            "select * from t where a = 1;\nselect * from t where b = 2;\nselect count(*) from t;\nselect 1;\n.eqp off\nselect 2;\n.eqp\n");
    }

    [Fact]
    public void Eqp_full_adds_the_bytecode_listing()
    {
        var (o, e) = FormattingTests.Shell("create table t(a);\n.eqp full\nselect a from t;\n");
        Assert.Equal("", e);
        Assert.StartsWith("QUERY PLAN\n`--SCAN t\naddr  opcode         p1    p2    p3    p4             p5  comment      \n----  -------------  ----  ----  ----  -------------  --  -------------\n0     Init ", o);
        // The loop's body is indented under its Rewind/Next.
        Assert.Matches(new Regex(@"\n\d+\s{7}Column\s"), o);
    }

    [Fact]
    public void Parameters_bind_by_name_as_sqlite3_binds_them()
    {
        AssertSameAsSqlite3(
            ".parameter init\n.parameter set $x 5\n.parameter set :y hello\n.parameter set @z 2.5\n.parameter set ?3 abc\n.parameter set $w x'01'\n" +
            ".parameter list\nselect $x, :y, @z, typeof($w), $nope;\nselect ?, ?, ?3;\n.parameter unset :y\n.parameter list\n" +
            ".parameter set $q 'it s'\n.parameter set $r \"1+1\"\n.parameter set $s \"1,2\"\n.parameter list\nselect $q, $r, $s;\n" +
            ".parameter clear\n.parameter list\nselect $x;\n.parameter\n.param set\n.parameter foo\n");
    }

    [Fact]
    public void Timer_prints_a_run_time_line_after_each_sql_input()
    {
        var (o, e) = FormattingTests.Shell(".timer on\nselect 1;\nselect nosuch;\n.timer off\nselect 2;\n.timer\n");
        Assert.Matches(new Regex(@"^1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n2\n$"), o);
        Assert.Equal("Parse error near line 3: no such column: nosuch\n  select nosuch;\n         ^--- error here\nUsage: .timer on|off\n", e);
        // sqlite3 prints the same lines (its times differ).
        RunResult sqlite = ProcessRunner.Sqlite3([":memory:"], Encoding.UTF8.GetBytes(".timer on\nselect 1;\nselect nosuch;\n.timer off\nselect 2;\n.timer\n"));
        Assert.Matches(new Regex(@"^1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n2\n$"), sqlite.StdoutText);
        Assert.Equal(sqlite.StderrText, e);
    }

    [Fact]
    public void Backup_and_save_write_a_copy_sqlite3_reads()
    {
        AssertSameAsSqlite3(
            "create table t(a integer primary key, b text, c blob);\ninsert into t values(1, 'one', x'00ff'), (2, 'two', null);\ncreate index tb on t(b);\n" +
            ".backup DIR/copy1.db\n.save DIR/copy2.db\n.backup main DIR/copy3.db\n.backup\n.backup nosuch DIR/copy4.db\n.backup a b c\n.backup --bogus DIR/x.db\n" +
            ".open DIR/copy1.db\nselect * from t;\n.open DIR/copy3.db\nselect b from t where b > 'o';\n");
        // A copy made inside a transaction holds what the transaction sees; one of an in-memory database holds its pages.
        using var dir = new ProcessRunner.TempDir();
        RunResult r = ProcessRunner.Tern([], Encoding.UTF8.GetBytes(
            $"create table m(x);\ninsert into m values(1);\nbegin;\ninsert into m values(2);\n.backup {dir.File("mem.db")}\nrollback;\n"));
        Assert.Equal("", r.StderrText);
        RunResult check = ProcessRunner.Sqlite3([dir.File("mem.db"), "select group_concat(x) from m", "PRAGMA integrity_check"], []);
        Assert.Equal("1,2\nok\n", check.StdoutText);
    }

    [Fact]
    public void Prompts_show_at_a_terminal()
    {
        // -interactive: the banner (which names the program), then "sqlite> " and "   ...> ".
        // sqlite3's line reader echoes what it reads from a pipe; without that echo the
        // output is the same.
        string[] lines = ["select 1;", "select", "2;", ".print x"];
        byte[] script = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        RunResult sqlite = ProcessRunner.Sqlite3(["-interactive", ":memory:"], script);
        RunResult tern = ProcessRunner.Tern(["-interactive", ":memory:"], script);
        static string AfterBanner(string s) => s[(s.IndexOf("usage hints.\n", StringComparison.Ordinal) + "usage hints.\n".Length)..];
        string expected = AfterBanner(sqlite.StdoutText);
        foreach (string line in lines)
        {
            int at = expected.IndexOf("> " + line + "\n", StringComparison.Ordinal);
            Assert.True(at >= 0, line);
            expected = expected.Remove(at + 2, line.Length + 1);
        }
        Assert.Equal(expected, AfterBanner(tern.StdoutText));
        Assert.Equal("sqlite> 1\nsqlite>    ...> 2\nsqlite> x\nsqlite> \n", AfterBanner(tern.StdoutText));
        Assert.StartsWith("tern version ", tern.StdoutText);
    }

    [Fact]
    public void Version_is_printed_in_sqlite3s_layout()
    {
        RunResult r = ProcessRunner.Tern(["-version"], []);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [0-9a-f]{64}\n$"), r.StdoutText);
        RunResult sqlite = ProcessRunner.Sqlite3(["-version"], []);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [0-9a-z]{64}\n$"), sqlite.StdoutText);
    }
}
