// Broad differential tests over a table whose rows hold awkward values (NULL, integers at
// the 64-bit edges, reals, numeric-looking text, text with case differences, blobs) in
// columns of every affinity and a NOCASE column. Every pair of columns is compared through
// IN lists, IN subqueries and IN tables; every column is tested with IS TRUE/FALSE, the %
// operator and sum(); and ORDER BY with NULLS FIRST/LAST is tried on generated term lists
// (a fixed seed; TERN_TYPED_ROUNDS sets how many).
using System.Text;

namespace Tern.Tests.Engine;

public class TypedValueDifferentialTests
{
    private static readonly string[] Values =
    [
        "NULL", "0", "1", "-1", "2", "1.0", "1.5", "'1'", "'1.0'", "' 1'", "'abc'", "'ABC'", "'1abc'", "x'31'", "''",
        "1e100", "'1e+100'", "9223372036854775807", "'9223372036854775807'", "-9223372036854775808", "'0'", "0.0", "'a'", "'A'",
    ];

    private static readonly string[] Columns = ["i", "r", "n", "x", "b", "c", "u"];

    private static string Setup()
    {
        var sb = new StringBuilder("CREATE TABLE t(i INTEGER, r REAL, n NUMERIC, x TEXT, b BLOB, c TEXT COLLATE NOCASE, u); ");
        sb.Append("CREATE TABLE k(v TEXT COLLATE NOCASE); INSERT INTO k VALUES ('a'), ('1'), (1), (NULL); ");
        foreach (string v in Values) sb.Append($"INSERT INTO t VALUES ({v}, {v}, {v}, {v}, {v}, {v}, {v}); ");
        return sb.ToString();
    }

    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("TERN_TYPED_ROUNDS"), out int n) && n > 0 ? n : 40;

    public static TheoryData<string> ColumnPairs()
    {
        var data = new TheoryData<string>();
        foreach (string a in Columns)
        {
            foreach (string b in Columns) data.Add(a + "," + b);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ColumnPairs))]
    public void In_matches_sqlite_when_comparing_columns_of_any_affinity(string pair)
    {
        string[] p = pair.Split(',');
        string a = p[0], b = p[1];
        Differential.AssertSame(Setup()
            + $"SELECT s.rowid, s.{a} IN (SELECT {b} FROM t), s.{a} NOT IN (SELECT {b} FROM t WHERE rowid < 8), s.{a} IN (SELECT {b} COLLATE nocase FROM t WHERE rowid > 10) FROM t AS s ORDER BY 1; "
            + $"SELECT s.rowid, o.rowid, s.{a} IN (o.{b}, 'zz'), s.{a} IN (o.{b}), s.{a} NOT IN (o.{b}, 5) FROM t AS s, t AS o WHERE o.rowid % 3 = 0 ORDER BY 1, 2; "
            + $"SELECT rowid FROM t WHERE {a} IN k ORDER BY 1; UPDATE t SET u = u WHERE {a} IN (SELECT {b} FROM t WHERE rowid % 2 = 0); DELETE FROM k WHERE v IN (SELECT {a} FROM t WHERE rowid < 5)");
    }

    [Theory]
    [MemberData(nameof(ColumnPairs))]
    public void Remainder_matches_sqlite_when_operands_have_any_type(string pair)
    {
        string[] p = pair.Split(',');
        Differential.AssertSame(Setup() + $"SELECT s.rowid, o.rowid, s.{p[0]} % o.{p[1]} FROM t AS s, t AS o ORDER BY 1, 2");
    }

    [Fact]
    public void Truth_tests_match_sqlite_when_values_have_any_type()
    {
        var sb = new StringBuilder(Setup());
        foreach (string c in Columns) sb.Append($"SELECT rowid, {c} IS TRUE, {c} IS NOT TRUE, {c} IS FALSE, {c} IS NOT FALSE, NOT {c}, {c} AND 1 FROM t ORDER BY 1; ");
        Differential.AssertSame(sb.ToString());
    }

    [Fact]
    public void Sum_matches_sqlite_when_subsets_of_values_are_added()
    {
        var random = new Random(20261207);
        var sb = new StringBuilder(Setup());
        for (int round = 0; round < Rounds; round++)
        {
            string c = Columns[random.Next(Columns.Length)];
            var ids = Enumerable.Range(1, Values.Length).Where(_ => random.Next(3) == 0).ToList();
            sb.Append($"SELECT sum({c}), total({c}), avg({c}), typeof(sum({c})) FROM t WHERE rowid IN ({string.Join(", ", ids.DefaultIfEmpty(0))}); ");
        }
        Differential.AssertSame(sb.ToString());
    }

    [Fact]
    public void Order_by_with_nulls_placement_matches_sqlite_when_terms_are_generated()
    {
        var random = new Random(7);
        var sb = new StringBuilder(Setup());
        for (int round = 0; round < Rounds; round++)
        {
            int terms = random.Next(1, 4);
            var list = new List<string>();
            for (int i = 0; i < terms; i++)
            {
                string c = Columns[random.Next(Columns.Length)];
                string dir = random.Next(3) switch { 0 => "", 1 => " ASC", _ => " DESC" };
                string nulls = random.Next(3) switch { 0 => "", 1 => " NULLS FIRST", _ => " NULLS LAST" };
                list.Add((random.Next(4) == 0 ? $"nullif({c}, 1)" : c) + dir + nulls);
            }
            string order = string.Join(", ", list) + ", rowid";
            switch (random.Next(4))
            {
                case 0:
                    sb.Append($"SELECT rowid FROM t ORDER BY {order}; ");
                    break;
                case 1:
                    sb.Append($"SELECT group_concat(rowid, ' ' ORDER BY {order}) FROM t; ");
                    break;
                case 2:
                    sb.Append($"SELECT rowid, row_number() OVER (ORDER BY {order}) FROM t ORDER BY 1; ");
                    break;
                default:
                    sb.Append($"SELECT rowid FROM t WHERE rowid % 2 = 0 UNION ALL SELECT rowid FROM t WHERE rowid % 2 = 1 ORDER BY 1 {(random.Next(2) == 0 ? "DESC " : "")}NULLS {(random.Next(2) == 0 ? "FIRST" : "LAST")} LIMIT 5; ");
                    break;
            }
        }
        Differential.AssertSame(sb.ToString());
    }
}
