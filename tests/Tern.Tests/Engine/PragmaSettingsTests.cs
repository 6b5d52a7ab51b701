// Connection pragmas compared with SQLite 3.50.4: query_only refusing every write transaction,
// case_sensitive_like changing LIKE and like() (and answering no row), secure_delete's values,
// the heap limits and threads as pragma.c sets them, the flags SQLite keeps but Tern need not
// act on (fullfsync, checkpoint_fullfsync, empty_result_callbacks), writable_schema read and
// RESET, locking_mode, encoding, mmap_size on an in-memory database; each as a table-valued
// function where SQLite offers one. What Tern does not offer fails when prepared.
namespace Tern.Tests.Engine;

public class PragmaSettingsTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); PRAGMA query_only; PRAGMA query_only = 1; SELECT * FROM pragma_query_only; "
        + "INSERT INTO t VALUES (2); CREATE TABLE u(a); CREATE TEMP TABLE v(a); PRAGMA user_version = 3; BEGIN IMMEDIATE; ANALYZE; REINDEX; "
        + "BEGIN; SELECT * FROM t; COMMIT; SELECT * FROM t; PRAGMA query_only = off; INSERT INTO t VALUES (3); "
        + "BEGIN; INSERT INTO t VALUES (4); PRAGMA query_only = yes; INSERT INTO t VALUES (5); COMMIT; PRAGMA query_only = 0; SELECT * FROM t",
        "PRAGMA case_sensitive_like; SELECT 'a' LIKE 'A', like('a', 'A'), 'aBc' LIKE 'a_c', 'a%' LIKE 'A!%' ESCAPE '!'; PRAGMA case_sensitive_like = 1; PRAGMA case_sensitive_like; "
        + "SELECT 'a' LIKE 'A', like('a', 'A'), 'a' LIKE 'a', 'aBc' LIKE 'a_c', 'aBc' LIKE 'A%', 'a%' LIKE 'a!%' ESCAPE '!', like('A%', 'ab', '!'), 'é' LIKE 'É', NULL LIKE 'a'; "
        + "CREATE TABLE t(x); INSERT INTO t VALUES ('Apple'), ('apple'), ('APPLE'); SELECT x FROM t WHERE x LIKE 'app%' ORDER BY x; "
        + "PRAGMA case_sensitive_like = off; SELECT x FROM t WHERE x LIKE 'app%' ORDER BY x; SELECT * FROM pragma_case_sensitive_like",
        "PRAGMA secure_delete; PRAGMA secure_delete = fast; PRAGMA secure_delete; PRAGMA secure_delete = 2; PRAGMA secure_delete = off; PRAGMA main.secure_delete = on; "
        + "PRAGMA secure_delete = 'FAST'; SELECT * FROM pragma_secure_delete",
        // (The heap limits are process-wide in SQLite, and a hard limit cannot be raised again: only read here; see below.)
        "PRAGMA soft_heap_limit; PRAGMA hard_heap_limit; SELECT * FROM pragma_hard_heap_limit; SELECT * FROM pragma_soft_heap_limit; "
        + "PRAGMA threads; PRAGMA threads = 4; PRAGMA threads = -1; PRAGMA threads = 100; PRAGMA threads = 0x7fffffff; PRAGMA threads = 0; SELECT * FROM pragma_threads",
        "PRAGMA cache_spill; PRAGMA cache_size = -100; PRAGMA cache_spill; PRAGMA cache_size = 100; PRAGMA cache_spill; PRAGMA cache_spill = 500; PRAGMA cache_spill; "
        + "PRAGMA cache_spill = off; PRAGMA cache_spill; PRAGMA cache_spill = on; PRAGMA cache_spill; PRAGMA cache_spill = 0; PRAGMA cache_spill; PRAGMA cache_spill = yes; "
        + "PRAGMA cache_size = -4000; SELECT * FROM pragma_cache_spill",
        "PRAGMA fullfsync; PRAGMA fullfsync = 1; PRAGMA fullfsync; PRAGMA checkpoint_fullfsync; PRAGMA checkpoint_fullfsync = yes; PRAGMA checkpoint_fullfsync; "
        + "PRAGMA empty_result_callbacks; PRAGMA empty_result_callbacks = 1; PRAGMA empty_result_callbacks; SELECT * FROM pragma_fullfsync; "
        + "SELECT * FROM pragma_checkpoint_fullfsync; SELECT * FROM pragma_empty_result_callbacks",
        "PRAGMA writable_schema; PRAGMA writable_schema = 0; PRAGMA writable_schema = RESET; PRAGMA writable_schema; SELECT * FROM pragma_writable_schema; "
        + "PRAGMA locking_mode; PRAGMA temp.locking_mode; PRAGMA main.locking_mode; PRAGMA locking_mode = foo; PRAGMA locking_mode = NORMAL; "
        + "PRAGMA encoding; PRAGMA encoding = 'UTF-8'; PRAGMA encoding = 'utf8'; PRAGMA encoding = 'latin1'; PRAGMA encoding; "
        + "PRAGMA mmap_size; PRAGMA mmap_size = 1000; PRAGMA temp.mmap_size; PRAGMA full_column_names = 0; PRAGMA short_column_names = 1; "
        + "PRAGMA full_column_names; PRAGMA short_column_names; PRAGMA temp_store_directory; PRAGMA temp_store_directory = ''; PRAGMA temp_store_directory");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_gives_the_same_transcript_as_sqlite(string script) => Differential.AssertSame(script);

    /// <summary>
    /// The heap limits set as SQLite 3.50.4 sets them (answers taken from it; they cannot run in
    /// the test process's SQLite, where the limits are process-wide): a negative or malformed
    /// soft limit is ignored, hex is read, the hard limit only ever goes down and pulls the soft
    /// limit down with it, a soft limit above the hard one (or 0) becomes the hard one.
    /// </summary>
    [Fact]
    public void Heap_limits_are_set_as_sqlite_sets_them()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        string[] steps =
        [
            "PRAGMA soft_heap_limit = -5", "0", "PRAGMA soft_heap_limit = 0x100", "256", "PRAGMA soft_heap_limit = 'x'", "256",
            "PRAGMA hard_heap_limit = 100000", "100000", "PRAGMA hard_heap_limit = 200000", "100000", "PRAGMA soft_heap_limit", "256",
            "PRAGMA soft_heap_limit = 500000", "100000", "PRAGMA soft_heap_limit = 0", "100000", "PRAGMA hard_heap_limit = 0", "100000",
            "PRAGMA hard_heap_limit = 50000", "50000", "PRAGMA soft_heap_limit", "50000", "SELECT * FROM pragma_hard_heap_limit", "50000",
        ];
        for (int i = 0; i < steps.Length; i += 2)
        {
            using Statement s = c.Prepare(steps[i]);
            Assert.True(s.Step(), steps[i]);
            Assert.Equal(steps[i + 1], s.GetString(0));
        }
    }

    /// <summary>
    /// PRAGMA data_version on one connection while another commits, on Tern and on SQLite 3.50.4:
    /// the same numbers (own commits leave it, another's commits since the last read raise it by one).
    /// </summary>
    [Fact]
    public void Data_version_counts_other_connections_commits_as_sqlite_does()
    {
        using var dir = new Support.SqliteShell.TempDir();
        string[] steps = ["A:PRAGMA data_version", "A:CREATE TABLE t(a)", "A:PRAGMA data_version", "B:INSERT INTO t VALUES (1)", "A:PRAGMA data_version",
            "A:SELECT * FROM pragma_data_version", "B:INSERT INTO t VALUES (2)", "B:INSERT INTO t VALUES (3)", "A:PRAGMA main.data_version", "A:INSERT INTO t VALUES (4)",
            "A:PRAGMA data_version", "B:PRAGMA data_version"];
        var expected = new List<string>();
        string sqlitePath = dir.File("sqlite.db");
        Support.SqliteOracle.EnsureProvider();
        using (var a = Support.SqliteOracle.Open(sqlitePath))
        using (var b = Support.SqliteOracle.Open(sqlitePath))
        {
            foreach (string step in steps)
            {
                using var cmd = (step[0] == 'A' ? a : b).CreateCommand();
                cmd.CommandText = step[2..];
                expected.Add(cmd.ExecuteScalar()?.ToString() ?? "-");
            }
        }
        var actual = new List<string>();
        string ternPath = dir.File("tern.db");
        using (Database db = Database.Open(ternPath))
        using (Connection a = db.Connect())
        using (Connection b = db.Connect())
        {
            foreach (string step in steps)
            {
                using Statement s = (step[0] == 'A' ? a : b).Prepare(step[2..]);
                actual.Add(s.Step() ? s.GetString(0) ?? "-" : "-");
            }
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("PRAGMA writable_schema = ON")]
    [InlineData("PRAGMA writable_schema = 1")]
    [InlineData("PRAGMA locking_mode = EXCLUSIVE")]
    [InlineData("PRAGMA encoding = 'UTF-16le'")]
    [InlineData("PRAGMA full_column_names = 1")]
    [InlineData("PRAGMA short_column_names = off")]
    [InlineData("PRAGMA temp_store_directory = '/tmp'")]
    [InlineData("PRAGMA compile_options")]
    [InlineData("PRAGMA function_list")]
    [InlineData("PRAGMA module_list")]
    [InlineData("PRAGMA pragma_list")]
    [InlineData("PRAGMA default_cache_size")]
    [InlineData("PRAGMA default_cache_size = 100")]
    public void Pragma_tern_does_not_offer_fails_when_prepared(string sql)
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        var e = Assert.Throws<TernException>(() => c.Prepare(sql));
        Assert.Contains("not supported yet", e.Message, StringComparison.Ordinal);
    }
}
