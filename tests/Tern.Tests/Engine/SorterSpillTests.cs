// Sorts past the memory limit: with a tiny SortMemoryLimit, ORDER BY, GROUP BY and
// INSERT ... SELECT write sorted runs to a temporary file and merge them; the results must
// be exactly those of the in-memory sort (same rows, same order, ties in insertion order),
// the temporary file must exist while such a sort is read and be gone afterwards. Large
// ephemeral indexes (DISTINCT, compounds, IN lists, DISTINCT aggregates) move into a
// b-tree in a temporary file; their results are compared with SQLite's.
using Tern.Storage.Io;

namespace Tern.Tests.Engine;

public class SorterSpillTests
{
    private const string Setup =
        "CREATE TABLE t(id INTEGER PRIMARY KEY, k, v TEXT);" +
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) " +
        "INSERT INTO t(k, v) SELECT (i * 7919) % 1000, printf('%05d-%x', i, i * 2654435761 % 65536) FROM n;";

    private static List<string> Rows(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        var rows = new List<string>();
        while (s.Step())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, s.ColumnCount).Select(i => s.GetValue(i).ToString())));
        }
        return rows;
    }

    public static TheoryData<string> Queries() => new(
        "SELECT k, v FROM t ORDER BY k",
        "SELECT k, v FROM t ORDER BY k DESC, v",
        "SELECT v FROM t ORDER BY substr(v, 4) COLLATE NOCASE LIMIT 500 OFFSET 7000",
        "SELECT k, count(*), min(v), max(id) FROM t GROUP BY k",
        "SELECT k % 10, group_concat(id) FROM t GROUP BY k % 10 ORDER BY 1 DESC",
        "SELECT DISTINCT k FROM t ORDER BY k");

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_spilled_sort_gives_the_in_memory_sorts_rows_in_order(string query)
    {
        using Database small = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 8 * 1024 });
        using Database big = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 0 });
        using Connection cs = small.Connect();
        using Connection cb = big.Connect();
        cs.Execute(Setup);
        cb.Execute(Setup);
        List<string> expected = Rows(cb, query);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Rows(cs, query));
    }

    public static TheoryData<string> LargeSetScripts() => new(
        "CREATE TABLE t(a, b); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO t SELECT i % 4999, printf('x%d', i % 3001) FROM n; "
        + "SELECT count(*), sum(a) FROM (SELECT DISTINCT a FROM t); SELECT count(*) FROM (SELECT DISTINCT a, b FROM t); SELECT count(DISTINCT b), count(DISTINCT a) FROM t; "
        + "SELECT count(*), min(x), max(x) FROM (SELECT a AS x FROM t UNION SELECT length(b) * 1000 FROM t); "
        + "SELECT count(*) FROM (SELECT a FROM t INTERSECT SELECT a + 1 FROM t); SELECT count(*), max(a) FROM (SELECT a FROM t EXCEPT SELECT a * 2 FROM t); "
        + "SELECT count(*) FROM t WHERE a IN (SELECT a * 3 FROM t); SELECT a FROM t UNION SELECT a FROM t ORDER BY 1 DESC LIMIT 5; "
        + "SELECT DISTINCT b FROM t ORDER BY b LIMIT 3 OFFSET 2990",
        "CREATE TABLE t(a COLLATE NOCASE); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT CASE i % 2 WHEN 0 THEN printf('k%d', i / 2) ELSE printf('K%d', i / 2) END FROM n; "
        + "SELECT count(*) FROM (SELECT DISTINCT a FROM t); SELECT count(*) FROM (SELECT a FROM t UNION SELECT upper(a) FROM t); SELECT a FROM (SELECT a FROM t UNION SELECT a FROM t) LIMIT 4");

    [Theory]
    [MemberData(nameof(LargeSetScripts))]
    public void Large_ephemeral_sets_give_sqlites_results(string script) => Differential.AssertSame(script);

    [Fact]
    public void Insert_select_through_a_spilled_sorter_writes_every_row_in_order()
    {
        using Database db = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 4 * 1024 });
        using Connection c = db.Connect();
        c.Execute(Setup + "CREATE TABLE copy(id INTEGER PRIMARY KEY, k, v); INSERT INTO copy(k, v) SELECT k, v FROM t ORDER BY id;");
        Assert.Equal(Rows(c, "SELECT id, k, v FROM t"), Rows(c, "SELECT id, k, v FROM copy"));
    }

    [Fact]
    public void The_temporary_file_exists_while_a_spilled_sort_is_read_and_goes_with_the_statement()
    {
        var fs = new MemoryFileSystem();
        using Database db = Database.Open("spill.db", new DatabaseOptions { FileSystem = fs, SortMemoryLimit = 8 * 1024 });
        using Connection c = db.Connect();
        c.Execute(Setup);
        Assert.Empty(SortFiles());
        using (Statement s = c.Prepare("SELECT v FROM t ORDER BY v DESC"))
        {
            Assert.True(s.Step());
            Assert.NotEmpty(SortFiles());
            int n = 1;
            while (s.Step()) n++;
            Assert.Equal(20000, n);
        }
        Assert.Empty(SortFiles());

        string[] SortFiles() => fs.Files.Where(f => f.StartsWith("tern-sort-", StringComparison.Ordinal)).ToArray();
    }

    [Fact]
    public void Temporary_files_of_a_memory_database_stay_in_its_own_file_system()
    {
        using Database db = Database.Open(":memory:", new DatabaseOptions { SortMemoryLimit = 4 * 1024 });
        using Connection c = db.Connect();
        c.Execute(Setup);
        var fs = Assert.IsType<MemoryFileSystem>(db.TempFiles.FileSystem);
        using (Statement s = c.Prepare("SELECT DISTINCT v FROM t ORDER BY k, v"))
        {
            Assert.True(s.Step());
            Assert.Contains(fs.Files, f => f.StartsWith("tern-", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(fs.Files, f => f.StartsWith("tern-", StringComparison.Ordinal));
    }
}
