// Real processes sharing one database file, in rollback-journal mode and in WAL mode: tern
// processes and a sqlite3 process commit small transactions at the same time while a tern
// process and a sqlite3 process read. Each transaction inserts two rows, so a reader that
// ever sees an odd count saw half a transaction, and one that sees the count go down saw
// commits out of order. At the end every committed row is there once and sqlite3's
// integrity check passes. TERN_CONCURRENCY_TXNS sets the transactions per writer (default 60).
namespace Tern.Cli.Tests;

public class ConcurrentProcessTests
{
    private static int Transactions =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_CONCURRENCY_TXNS"), out int n) && n > 0 ? n : 60;

    private static byte[] WriterScript(string who, int transactions, bool sqlite)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(sqlite ? ".timeout 600000\n" : "PRAGMA busy_timeout = 600000;\n");
        for (int i = 0; i < transactions; i++)
        {
            sb.Append($"BEGIN IMMEDIATE;\nINSERT INTO t VALUES ('{who}', {i});\nINSERT INTO t VALUES ('{who}', {i});\nCOMMIT;\n");
        }
        return System.Text.Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("wal")]
    public async Task Tern_and_sqlite3_processes_write_and_read_one_file_at_the_same_time_without_losing_a_row(string journalMode)
    {
        if (!Sqlite3Available()) Assert.Fail("the sqlite3 shell is not installed");
        using var dir = new ProcessRunner.TempDir();
        string db = dir.File("shared.db");
        RunResult create = ProcessRunner.Sqlite3([db, $"PRAGMA journal_mode = {journalMode}; CREATE TABLE t(who, n)"], []);
        Assert.Equal(0, create.ExitCode);
        int n = Transactions;
        var readerScript = new System.Text.StringBuilder("PRAGMA busy_timeout = 600000;\n");
        for (int i = 0; i < n; i++) readerScript.Append("SELECT count(*) FROM t;\n");
        var sqliteReaderScript = new System.Text.StringBuilder(".timeout 600000\n");
        for (int i = 0; i < n; i++) sqliteReaderScript.Append("SELECT count(*) FROM t;\n");

        Task<RunResult> tern1 = Task.Run(() => ProcessRunner.Run("dotnet", [EntryPointTests.ProgramPath(), db], WriterScript("tern1", n, sqlite: false)));
        Task<RunResult> tern2 = Task.Run(() => ProcessRunner.Run("dotnet", [EntryPointTests.ProgramPath(), db], WriterScript("tern2", n, sqlite: false)));
        Task<RunResult> sqlite = Task.Run(() => ProcessRunner.Sqlite3([db], WriterScript("sqlite", n, sqlite: true)));
        Task<RunResult> reader = Task.Run(() => ProcessRunner.Run("dotnet", [EntryPointTests.ProgramPath(), db], System.Text.Encoding.UTF8.GetBytes(readerScript.ToString())));
        Task<RunResult> sqliteReader = Task.Run(() => ProcessRunner.Sqlite3([db], System.Text.Encoding.UTF8.GetBytes(sqliteReaderScript.ToString())));
        RunResult[] runs = await Task.WhenAll(tern1, tern2, sqlite, reader, sqliteReader);

        foreach (RunResult r in runs)
        {
            Assert.Equal("", r.StderrText);
            Assert.Equal(0, r.ExitCode);
        }
        // PRAGMA busy_timeout = N answers N; then only whole transactions were ever visible,
        // in commit order.
        string[] reads = runs[3].StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("600000", reads[0]);
        AssertWholeTransactionsInOrder(reads.Skip(1).ToArray(), n);
        AssertWholeTransactionsInOrder(runs[4].StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries), n);
        RunResult check = ProcessRunner.Sqlite3([db,
            "SELECT count(*), count(DISTINCT who || n) FROM t; SELECT who, count(*) FROM t GROUP BY who ORDER BY who; PRAGMA integrity_check;"], []);
        Assert.Equal($"{6 * n}|{3 * n}\nsqlite|{2 * n}\ntern1|{2 * n}\ntern2|{2 * n}\nok\n", check.StdoutText);
        Assert.False(File.Exists(db + "-journal"));
        // The last connection to close checkpointed the log and deleted it.
        Assert.False(File.Exists(db + "-wal"));
        RunResult mode = ProcessRunner.Sqlite3([db, "PRAGMA journal_mode"], []);
        Assert.Equal(journalMode + "\n", mode.StdoutText);
    }

    private static void AssertWholeTransactionsInOrder(string[] counts, int n)
    {
        Assert.Equal(n, counts.Length);
        long previous = 0;
        foreach (string line in counts)
        {
            long count = long.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(count % 2 == 0, $"a reader saw half a transaction ({count} rows)");
            Assert.True(count >= previous, $"a reader saw {count} rows after {previous}");
            previous = count;
        }
    }

    private static bool Sqlite3Available()
    {
        try
        {
            return ProcessRunner.Sqlite3(["-version"], []).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
