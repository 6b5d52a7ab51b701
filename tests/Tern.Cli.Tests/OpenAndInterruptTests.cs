// The shell's .open command and Ctrl-C, each run through tern and through the sqlite3
// shell with the same input: .open switches the database the rest of a script works on
// (and falls back to an in-memory one when a file cannot be opened); Ctrl-C stops the
// running statement and, when the input is a script, the rest of it.
using System.Diagnostics;
using System.Text;

namespace Tern.Cli.Tests;

public class OpenAndInterruptTests
{
    private const string OpenScript =
        "create table a(x);\n" +
        "insert into a values (1);\n" +
        ".open DIR/second.db\n" +
        "create table b(y);\n" +
        ".tables\n" +
        ".open --bogus x\n" +
        ".open DIR/p q\n" +
        ".open\n" +
        ".tables\n" +
        "create table m(x);\n" +
        ".open DIR/second.db\n" +
        ".tables\n" +
        ".open -new DIR/second.db\n" +
        ".tables\n" +
        "create table c(z);\n" +
        ".open DIR/no/such/dir/x.db\n" +
        "select 3;\n" +
        ".open --readonly DIR/second.db\n" +
        "select count(*) from c;\n" +
        "insert into c values (1);\n" +
        ".open DIR/first.db\n" +
        "select * from a;\n";

    [Fact]
    public void Open_switches_the_database_as_sqlite3_does()
    {
        using var sqliteDir = new ProcessRunner.TempDir();
        using var ternDir = new ProcessRunner.TempDir();
        string sqliteRoot = Path.GetDirectoryName(sqliteDir.File("first.db"))!;
        string ternRoot = Path.GetDirectoryName(ternDir.File("first.db"))!;
        RunResult expected = ProcessRunner.Sqlite3([sqliteDir.File("first.db")], Encoding.UTF8.GetBytes(OpenScript.Replace("DIR", sqliteRoot, StringComparison.Ordinal)));
        RunResult actual = ProcessRunner.Tern([ternDir.File("first.db")], Encoding.UTF8.GetBytes(OpenScript.Replace("DIR", ternRoot, StringComparison.Ordinal)));
        Assert.Equal(expected.StdoutText, actual.StdoutText);
        Assert.Equal(expected.StderrText.Replace(sqliteRoot, "DIR", StringComparison.Ordinal), actual.StderrText.Replace(ternRoot, "DIR", StringComparison.Ordinal));
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        // Each file holds what was written while it was open.
        RunResult first = ProcessRunner.Sqlite3([ternDir.File("first.db"), ".tables", "select * from a", "PRAGMA integrity_check"], []);
        Assert.Equal("a\n1\nok\n", first.StdoutText);
        RunResult second = ProcessRunner.Sqlite3([ternDir.File("second.db"), ".tables", "PRAGMA integrity_check"], []);
        Assert.Equal("c\nok\n", second.StdoutText);
    }

    [Fact]
    public void Ctrl_C_interrupts_the_running_statement_and_ends_the_script()
    {
        byte[] script = Encoding.UTF8.GetBytes(
            ".print started\n" +
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\n" +
            ".print after\n" +
            "select 'not reached';\n");
        var expected = RunAndInterrupt("stdbuf", ["-oL", "sqlite3"], script);
        var actual = RunAndInterrupt("dotnet", [EntryPointTests.ProgramPath()], script);
        foreach (var run in new[] { expected, actual })
        {
            // The statement is stopped and the rest of the script is not run. (Should the
            // signal land before the statement starts, the script ends there, without an error.)
            Assert.Equal("started\n", run.Stdout);
            if (run.Stderr.Length == 0) Assert.Equal(0, run.ExitCode);
            else
            {
                Assert.Equal("Runtime error near line 2: interrupted (9)\n", run.Stderr);
                Assert.Equal(1, run.ExitCode);
            }
        }
    }

    // Starts the program on the script, waits until it printed its first line (the long
    // statement is running then), sends SIGINT, and collects what it printed and its exit code.
    private static (string Stdout, string Stderr, int ExitCode) RunAndInterrupt(string program, string[] args, byte[] script)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(script);
        p.StandardInput.Close();
        string first = p.StandardOutput.ReadLine() ?? "";
        // The first line is printed before the long statement starts; give it a moment to be
        // inside the statement (an interrupt between statements ends the script the same way).
        Thread.Sleep(200);
        // A signal that lands just before the statement starts can be lost to the statement's
        // start (sqlite3 has that window too): a second one, some seconds on, still only
        // interrupts; the third would end the program.
        for (int signal = 0; signal < 2 && !p.HasExited; signal++)
        {
            using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            p.WaitForExit(signal == 0 ? 20_000 : 180_000);
        }
        string rest = p.StandardOutput.ReadToEnd();
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " did not stop after SIGINT");
        }
        return (first + "\n" + rest, stderr.Result, p.ExitCode);
    }
}
