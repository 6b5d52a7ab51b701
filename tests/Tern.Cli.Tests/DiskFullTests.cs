// Acceptance: the tern program as a real process on a real file system whose file-size limit
// (`ulimit -f`) stops a commit half-way. SIGXFSZ is ignored so that the write fails with EFBIG
// (which .NET reports as an ArgumentOutOfRangeException) instead of killing the process; the
// shell must print SQLite's error for it ("disk I/O error", as SQLite's unix VFS reports EFBIG),
// roll the transaction back, and leave the file intact: the row committed before is there and
// the sqlite3 shell finds the file consistent. Linux only (bash, ulimit, SIGXFSZ).
namespace Tern.Cli.Tests;

public class DiskFullTests
{
    [Fact]
    public void Commit_past_the_file_size_limit_fails_with_sqlites_error_and_keeps_the_file_intact()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // needs bash's ulimit and SIGXFSZ; covered on Linux CI
        }
        using var dir = new ProcessRunner.TempDir();
        string db = dir.File("full.db");
        RunResult setup = ProcessRunner.Sqlite3([db, "create table t(x); insert into t values('committed before');"], []);
        Assert.Equal(0, setup.ExitCode);
        long sizeBefore = new FileInfo(db).Length;

        // About 2 MB of rows: they fit the page cache, so the file is first written at COMMIT,
        // and the 64 KiB limit stops it there.
        byte[] script = System.Text.Encoding.UTF8.GetBytes(
            "begin;\n" +
            "insert into t select randomblob(1000) from generate_series(1, 2000);\n" +
            "commit;\n" +
            "select count(*) from t;\n" +
            "select x from t;\n");
        RunResult r = ProcessRunner.Run("bash",
            ["-c", "trap '' XFSZ; ulimit -f 64; export DOTNET_EnableWriteXorExecute=0; exec dotnet \"$0\" \"$1\"", EntryPointTests.ProgramPath(), db],
            script);

        Assert.Equal("Runtime error near line 3: disk I/O error (10)\n", r.StderrText);
        // The shell no longer shows the rows of the failed transaction.
        Assert.Equal("1\ncommitted before\n", r.StdoutText);
        Assert.Equal(1, r.ExitCode);
        Assert.False(File.Exists(db + "-journal"), "the rollback removed the journal");
        Assert.Equal(sizeBefore, new FileInfo(db).Length);
        RunResult check = ProcessRunner.Sqlite3([db, "PRAGMA integrity_check; select x from t;"], []);
        Assert.Equal("ok\ncommitted before\n", check.StdoutText);
    }
}
