// The built tern program started as a real process: the entry point wires the shell to
// the process's standard streams and exit code.
namespace Tern.Cli.Tests;

public class EntryPointTests
{
    // Tern.Cli.dll next to the tests (with its runtimeconfig), or in the shell project's own output.
    internal static string ProgramPath()
    {
        string local = Path.Combine(AppContext.BaseDirectory, "Tern.Cli.dll");
        if (File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json"))) return local;
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (string? d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Tern.slnx")))
                return Path.Combine(d, "src", "Tern.Cli", "bin", configuration, "net10.0", "Tern.Cli.dll");
        }
        throw new FileNotFoundException("Tern.Cli.dll not found");
    }

    [Fact]
    public void Tern_program_runs_a_script_from_standard_input()
    {
        using var dir = new ProcessRunner.TempDir();
        string db = dir.File("p.db");
        byte[] script = "create table t(a, b);\ninsert into t values (1, 'one'), (2, 2.5);\nselect * from t;\nselect * from nosuch;\n"u8.ToArray();
        RunResult r = ProcessRunner.Run("dotnet", [ProgramPath(), db], script);
        Assert.Equal("1|one\n2|2.5\n", r.StdoutText);
        Assert.Equal("Parse error near line 4: no such table: nosuch\n", r.StderrText);
        Assert.Equal(1, r.ExitCode);
        RunResult check = ProcessRunner.Sqlite3([db, "select count(*) from t; PRAGMA integrity_check;"], []);
        Assert.Equal("2\nok\n", check.StdoutText);
    }

    [Fact]
    public void Tern_program_runs_sql_arguments_and_returns_their_result_code()
    {
        RunResult r = ProcessRunner.Run("dotnet", [ProgramPath(), "-csv", ":memory:", "create table t(a primary key)", "insert into t values (1), (1)"], []);
        Assert.Equal("Error: stepping, UNIQUE constraint failed: t.a (19)\n", r.StderrText);
        Assert.Equal(19, r.ExitCode);
    }
}
