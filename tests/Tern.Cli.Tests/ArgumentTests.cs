// The command line, side by side with the sqlite3 shell: options, SQL arguments (which
// stop at the first error with its result code), -cmd, and options combined with
// standard input. "{db}" stands for each shell's own database file.
namespace Tern.Cli.Tests;

public class ArgumentTests
{
    public static TheoryData<string[], string> Cases() => new()
    {
        { ["{db}", "select 1, 'a'"], "" },
        { ["-csv", "{db}", "select 1, 'a b', NULL"], "" },
        { ["-header", "-column", "{db}", "select 1 as x, 'y' as z"], "" },
        { ["-column", "{db}", "select 1 as abcdef, 2"], "" },
        { ["-box", "{db}", "select 1 as x, 'long value' as y"], "" },
        { ["-table", "{db}", "select 1 as x"], "" },
        { ["-markdown", "{db}", "select 1 as x"], "" },
        { ["-json", "{db}", "select 1 as x, null as y, 'q\"' as z"], "" },
        { ["-line", "{db}", "select 1 as x, 2 as yy"], "" },
        { ["-html", "{db}", "select '<a>' as x"], "" },
        { ["-quote", "{db}", "select 1, 'it''s', x'00'"], "" },
        { ["-tabs", "{db}", "select 1, 2"], "" },
        { ["{db}", "select * from nosuch", "select 2"], "" },
        { ["{db}", "create table t(a unique)", "insert into t values(1)", "insert into t values(1)", "select 3"], "" },
        { ["{db}", "select 1 +; select 2"], "" },
        { ["{db}", "select 1; select 2"], "" },
        { ["{db}", ".bogus", "select 1"], "" },
        { ["{db}", ".headers", "select 1"], "" },
        { ["{db}", ".exit 4", "select 1"], "" },
        { ["{db}", ".quit", "select 1"], "" },
        { ["{db}", ".mode csv", "select 1, 2"], "" },
        { ["-cmd", ".mode csv", "-cmd", "select 9, 9", "{db}", "select 1, 2"], "" },
        { ["-cmd", "select * from nosuch", "{db}"], "select 1;\n" },
        { ["-bail", "-cmd", "select * from nosuch", "{db}"], "select 1;\n" },
        { ["-bail", "{db}"], "select * from nosuch;\nselect 1;\n" },
        { ["{db}"], "select * from nosuch;\nselect 1;\n" },
        { ["-separator", ";", "-nullvalue", "N", "{db}", "select 1, null"], "" },
        { ["-newline", "X", "{db}", "select 1", "select 2"], "" },
        { ["-separator", "\\t", "-nullvalue", "\\n", "{db}", "select 1, null"], "" },
        { ["-csv", "-noheader", "{db}", ".mode column", "select 1 as a"], "" },
        { ["-header", "-csv", "{db}"], "select 1 as a, 2 as b;\n" },
        { ["-echo", "{db}"], "select 1;\n.mode csv\n  select 2, 3;\n" },
        { ["-csv"], "select 1, 2;\n" },
        { [], "select 'memory';\n" },
        { ["--csv", "--header", "{db}", "select 1 as one"], "" },
        { ["{db}", "select 1", "-csv"], "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_line_matches_sqlite3(string[] args, string stdin)
    {
        using var dir = new ProcessRunner.TempDir();
        byte[] input = System.Text.Encoding.UTF8.GetBytes(stdin);
        RunResult expected = ProcessRunner.Sqlite3(args.Select(a => a.Replace("{db}", dir.File("sqlite.db"))), input);
        RunResult actual = ProcessRunner.Tern(args.Select(a => a.Replace("{db}", dir.File("tern.db"))).ToArray(), input);
        ScriptTests.AssertSame(expected, actual);
    }

    [Fact]
    public void Read_only_database_refuses_writes_as_sqlite3_does()
    {
        using var dir = new ProcessRunner.TempDir();
        foreach (string f in new[] { "sqlite.db", "tern.db" }) ProcessRunner.Sqlite3([dir.File(f), "create table t(a)"], []);
        RunResult expected = ProcessRunner.Sqlite3(["-readonly", dir.File("sqlite.db"), "select count(*) from t", "insert into t values(1)"], []);
        RunResult actual = ProcessRunner.Tern(["-readonly", dir.File("tern.db"), "select count(*) from t", "insert into t values(1)"], []);
        ScriptTests.AssertSame(expected, actual);
        byte[] script = "insert into t values(1);\nselect count(*) from t;\n"u8.ToArray();
        expected = ProcessRunner.Sqlite3(["-readonly", dir.File("sqlite.db")], script);
        actual = ProcessRunner.Tern(["-readonly", dir.File("tern.db")], script);
        ScriptTests.AssertSame(expected, actual);
    }

    [Fact]
    public void Init_file_runs_before_the_rest()
    {
        using var dir = new ProcessRunner.TempDir();
        string init = dir.File("init.sql");
        File.WriteAllText(init, ".mode csv\nselect 7, 8;\nselect * from nosuch;\n");
        string[][] cases =
        [
            ["-init", init, "{db}", "select 1, 2"],
            ["-init", init, "-list", "{db}", "select 1, 2"],
            ["-bail", "-init", init, "{db}"],
            ["-init", init, "{db}"],
            ["-init", dir.File("missing.sql"), "{db}", "select 1"],
        ];
        foreach (string[] args in cases)
        {
            byte[] input = "select 5;\n"u8.ToArray();
            RunResult expected = ProcessRunner.Sqlite3(args.Select(a => a.Replace("{db}", dir.File("sqlite.db"))), input);
            RunResult actual = ProcessRunner.Tern(args.Select(a => a.Replace("{db}", dir.File("tern.db"))).ToArray(), input);
            ScriptTests.AssertSame(expected, actual);
        }
    }

    [Fact]
    public void Unknown_option_is_refused()
    {
        RunResult r = ProcessRunner.Tern(["-bogus"], []);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("tern: Error: unknown option: -bogus\nUse -help for a list of options.\n", r.StderrText);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Database_that_cannot_be_opened_is_reported()
    {
        string path = Path.Combine(Path.GetTempPath(), "tern-no-such-dir-" + Guid.NewGuid().ToString("N"), "x.db");
        RunResult expected = ProcessRunner.Sqlite3([path, "select 1"], []);
        RunResult actual = ProcessRunner.Tern([path, "select 1"], []);
        ScriptTests.AssertSame(expected, actual);
    }
}
