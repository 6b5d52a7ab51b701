// PRAGMA journal_mode for the rollback-journal modes (DELETE, TRUNCATE, PERSIST, MEMORY,
// OFF): the answers SQLite 3.50.4 gives for the same sequence of switches, what each mode
// leaves beside the database after a commit, and that a zeroed or empty journal left by
// SQLite (or Tern) is never taken for a hot one.
using Tern.Tests.Support;

namespace Tern.Tests.Storage.Pager;

public sealed class JournalModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tern-jmode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<string> Answers(Connection c, IEnumerable<string> statements)
    {
        var answers = new List<string>();
        foreach (string sql in statements)
        {
            using Statement s = c.Prepare(sql);
            while (s.Step()) answers.Add(s.IsNull(0) ? "NULL" : s.GetString(0) ?? "NULL");
        }
        return answers;
    }

    private static readonly string[] Switches =
    [
        "PRAGMA journal_mode", "PRAGMA journal_mode = TRUNCATE", "PRAGMA journal_mode = 'persist'", "PRAGMA journal_mode = off",
        "PRAGMA journal_mode = memory", "PRAGMA journal_mode = bogus", "PRAGMA journal_mode = delete", "CREATE TABLE t(x)", "BEGIN",
        "INSERT INTO t VALUES (1)", "PRAGMA journal_mode = truncate", "COMMIT", "PRAGMA journal_mode = persist",
        "INSERT INTO t VALUES (2)", "PRAGMA main.journal_mode", "SELECT count(*) FROM t",
    ];

    [Fact]
    public void Switching_modes_answers_as_sqlite_does_on_a_file_and_in_memory()
    {
        string path = Path.Combine(_dir, "s.db");
        var expected = new List<string>();
        using (var oracle = SqliteOracle.Open(path))
        {
            foreach (string sql in Switches)
            {
                using var cmd = oracle.CreateCommand();
                cmd.CommandText = sql;
                using var r = cmd.ExecuteReader();
                while (r.Read()) expected.Add(r.IsDBNull(0) ? "NULL" : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }
        using (Database db = Database.Open(Path.Combine(_dir, "t.db")))
        using (Connection c = db.Connect())
        {
            Assert.Equal(expected, Answers(c, Switches));
        }
        using (Database mem = Database.Open(":memory:"))
        using (Connection c = mem.Connect())
        {
            Assert.Equal(["memory", "memory", "off", "memory", "off"],
                Answers(c, ["PRAGMA journal_mode", "PRAGMA journal_mode = delete", "PRAGMA journal_mode = off", "PRAGMA journal_mode = memory", "PRAGMA journal_mode = off"]));
        }
    }

    [Theory]
    [InlineData("delete", false, -1)]
    [InlineData("truncate", true, 0)]
    [InlineData("persist", true, -2)]
    [InlineData("memory", false, -1)]
    [InlineData("off", false, -1)]
    public void Each_mode_leaves_its_journal_as_sqlite_does_and_sqlite_reads_the_file(string mode, bool journalStays, long journalSize)
    {
        string path = Path.Combine(_dir, mode + ".db");
        using (Database db = Database.Open(path))
        using (Connection c = db.Connect())
        {
            Assert.Equal([mode], Answers(c, [$"PRAGMA journal_mode = {mode}"]));
            c.Execute("CREATE TABLE t(x); INSERT INTO t VALUES (1); BEGIN; INSERT INTO t VALUES (2); UPDATE t SET x = x * 10; COMMIT");
            c.Execute("BEGIN; DELETE FROM t; ROLLBACK");
            Assert.Equal(["10", "20"], Answers(c, ["SELECT x FROM t ORDER BY x"]));
        }
        string journal = path + "-journal";
        Assert.Equal(journalStays, File.Exists(journal));
        if (journalSize == 0) Assert.Equal(0, new FileInfo(journal).Length);
        if (journalSize == -2)
        {
            byte[] bytes = File.ReadAllBytes(journal);
            Assert.True(bytes.Length >= 28 && bytes.AsSpan(0, 28).IndexOfAnyExcept((byte)0) < 0, "PERSIST zeroes the journal header");
        }
        using var oracle = SqliteOracle.Open(path);
        Assert.Equal("ok", SqliteOracle.Scalar(oracle, "PRAGMA integrity_check"));
        Assert.Equal(30L, SqliteOracle.Scalar(oracle, "SELECT sum(x) FROM t"));
    }

    [Theory]
    [InlineData("persist")]
    [InlineData("truncate")]
    public void A_journal_sqlite_left_in_persist_or_truncate_mode_is_not_played_back(string mode)
    {
        string path = Path.Combine(_dir, "left-" + mode + ".db");
        using (var oracle = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(oracle, $"PRAGMA journal_mode = {mode}; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2); UPDATE t SET x = x + 1");
        }
        Assert.True(File.Exists(path + "-journal"));
        using Database db = Database.Open(path);
        using Connection c = db.Connect();
        Assert.Equal(["2", "3"], Answers(c, ["SELECT x FROM t ORDER BY x"]));
        Assert.True(File.Exists(path + "-journal"), "a resting journal is left where it is");
        // Leaving the mode for DELETE removes the file, as SQLite does.
        Assert.Equal(["delete"], Answers(c, ["PRAGMA journal_mode = delete"]));
        c.Execute("UPDATE t SET x = x * 2");
        Assert.False(File.Exists(path + "-journal"));
    }
}
