// The acceptance test of the tern shell: every script in Scripts/ is run through tern (in
// this process, on a new database file) and through the sqlite3 shell (as a process, on
// another new file), with the script on standard input. Standard output and standard
// error must be the same bytes and the exit codes equal; then sqlite3 must find the file
// tern wrote sound (PRAGMA integrity_check prints "ok").
using System.Text;
using Xunit.Abstractions;

namespace Tern.Cli.Tests;

public class ScriptTests(ITestOutputHelper output)
{
    private static string ScriptDirectory => Path.Combine(AppContext.BaseDirectory, "Scripts");

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(ScriptDirectory, "*.sql").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void There_are_at_least_fifty_scripts()
    {
        int n = Directory.GetFiles(ScriptDirectory, "*.sql").Length;
        output.WriteLine($"{n} scripts");
        Assert.True(n >= 50, $"only {n} scripts");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_matches_sqlite3(string name)
    {
        byte[] script = File.ReadAllBytes(Path.Combine(ScriptDirectory, name));
        using var dir = new ProcessRunner.TempDir();
        string ternDb = dir.File("tern.db");
        string sqliteDb = dir.File("sqlite.db");
        RunResult expected = ProcessRunner.Sqlite3([sqliteDb], script);
        RunResult actual = ProcessRunner.Tern([ternDb], script);
        AssertSame(expected, actual);
        if (File.Exists(ternDb))
        {
            RunResult check = ProcessRunner.Sqlite3([ternDb, "PRAGMA integrity_check"], []);
            Assert.Equal("ok\n", check.StdoutText + check.StderrText);
        }
    }

    internal static void AssertSame(RunResult expected, RunResult actual)
    {
        Assert.Equal(Show(expected.Stdout), Show(actual.Stdout));
        Assert.Equal(Show(expected.Stderr), Show(actual.Stderr));
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    // Bytes as text for a readable failure message; invalid UTF-8 shows as \xNN.
    private static string Show(byte[] bytes)
    {
        var sb = new StringBuilder();
        string s = Encoding.UTF8.GetString(bytes);
        if (Encoding.UTF8.GetByteCount(s) == bytes.Length && !s.Contains('\uFFFD')) return s;
        foreach (byte b in bytes) sb.Append(b < 0x80 ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }
}
