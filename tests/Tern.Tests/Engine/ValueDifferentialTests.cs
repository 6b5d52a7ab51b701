// Differential tests of values computed exactly as SQLite computes them: text read as a
// number when it has a sign and no digits ('-Inf' is -0.0 as a real), string functions on
// text and blobs holding NUL bytes, compensated sums, integers that REAL affinity only
// marks as real (SQLite's MEM_IntReal), and which of several equal values DISTINCT keeps.
// Generated cases use fixed seeds; TERN_VALUE_ROUNDS sets how many.
using System.Text;

namespace Tern.Tests.Engine;

public class ValueDifferentialTests
{
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("TERN_VALUE_ROUNDS"), out int n) && n > 0 ? n : 200;

    /// <summary>Texts at the edge of the numeric-prefix rules: signs without digits, words, spaces, NULs.</summary>
    private static readonly string[] SignTexts =
    [
        "'-'", "'-x'", "'+'", "'-.'", "'-e5'", "' -'", "'-Inf'", "'Inf'", "'+Inf'", "'-inf'", "'- 1'", "'-.e'", "'-0'",
        "'+.'", "'.'", "'e'", "''", "' '", "'-' || x'00'", "x'2d'", "'-.5'", "'-5x'", "'-0.0'", "'--1'", "'+-1'", "'-\t'",
        "'-1e'", "'-1e+'", "'-0x1'", "'\t-'",
    ];

    /// <summary>Expressions over a value v, covering every path that reads text as a number.</summary>
    private static readonly string[] SignForms =
    [
        "{0} * 0.0", "0.0 * {0}", "{0} * 1", "{0} + 0", "{0} + 0.0", "{0} - 0.0", "-0.0 - {0}", "{0} / 1.0", "{0} / 1", "{0} % 2.0",
        "CAST({0} AS REAL)", "CAST({0} AS NUMERIC)", "CAST({0} AS INTEGER)", "-{0}", "+{0}", "abs({0})", "round({0})", "round({0}, 1)",
        "{0} = 0", "{0} = -0.0", "{0} < 0", "{0} IS TRUE", "NOT {0}", "printf('%f', {0})", "printf('%g', {0})", "sign({0})", "ceil({0})",
        "log10(1) * {0}", "{0} * log10(1)", "trunc({0})", "sqrt({0})", "{0} BETWEEN -1 AND 1",
    ];

    [Fact]
    public void Text_with_a_sign_and_no_digits_matches_sqlite_when_read_as_a_number()
    {
        var sb = new StringBuilder("CREATE TABLE t(v VARCHAR(10), r REAL, n NUMERIC, i INTEGER, b BLOB); ");
        foreach (string s in SignTexts) sb.Append($"INSERT INTO t VALUES ({s}, {s}, {s}, {s}, {s}); ");
        sb.Append("INSERT INTO t(v) VALUES (-1e308*10); ");
        foreach (string form in SignForms)
        {
            foreach (string s in SignTexts) sb.Append("SELECT ").Append(string.Format(form, s)).Append("; ");
        }
        sb.Append("SELECT rowid, v * 0.0, r * 0.0, n * 0.0, i * 0.0, b * 0.0, typeof(r), typeof(n), typeof(i) FROM t ORDER BY rowid; ");
        sb.Append("SELECT sum(v), total(v), avg(v), sum(v * 1.0), total(-v) FROM t; ");
        Differential.AssertSame(sb.ToString());
    }

    [Fact]
    public void Minus_infinity_text_times_zero_is_negative_zero_when_read_from_a_text_column()
    {
        Differential.AssertSame("CREATE TABLE t2(c1 VARCHAR(10)); INSERT INTO t2 VALUES(-1e308*10); SELECT log10(1) * c1, c1 * 0.0, typeof(c1) FROM t2");
    }

    [Fact]
    public void Sign_only_texts_match_sqlite_when_combined_at_random()
    {
        var random = new Random(20261207);
        var sb = new StringBuilder();
        for (int round = 0; round < Rounds; round++)
        {
            string a = SignTexts[random.Next(SignTexts.Length)], b = SignTexts[random.Next(SignTexts.Length)];
            string op = random.Next(6) switch { 0 => "+", 1 => "-", 2 => "*", 3 => "/", 4 => "%", _ => "<" };
            string form = SignForms[random.Next(SignForms.Length)];
            sb.Append($"SELECT {a} {op} {b}, {string.Format(form, $"({a} || {b})")}; ");
        }
        Differential.AssertSame(sb.ToString());
    }
    [Fact]
    public void Replace_returns_the_text_when_the_pattern_starts_with_a_nul()
    {
        Differential.AssertSame("SELECT replace('[1,2]', x'00', NULL), replace(abs(x'00'), x'00', NULL), typeof(replace(abs(x'00'), x'00', NULL)), replace(1.5, '', NULL), "
            + "replace(x'00', x'00', 'Z'), hex(replace('a' || x'00' || 'b', x'00', 'Z')), hex(replace('ab' || x'00' || 'b', 'b', 'Z')), hex(replace('ab', 'b' || x'00', 'Z')), "
            + "replace(NULL, x'00', 'a'), replace('a', NULL, 'b'), replace('a', 'a', NULL), typeof(replace(x'6162', 'b', 'c')), hex(replace(x'61ff62', x'ff', 'c')), hex(replace('a' || x'ff' || 'b', 'b', x'ff'))");
        Differential.AssertSame("CREATE TABLE t1(c0 INTEGER PRIMARY KEY, c1 DOUBLE, c2 VARCHAR(10) AS (json_object('k', iif(NULL, c0))) STORED); INSERT OR IGNORE INTO t1(c0) VALUES (NULL); "
            + "SELECT a0.c2 FROM t1 AS a0 WHERE (replace('[1,2]', x'00', a0.c1) != a0.c0)");
    }

    /// <summary>Values holding NUL bytes and bytes that are not UTF-8, as text and as blobs.</summary>
    private static readonly string[] NulValues =
    [
        "'ab' || x'00' || 'cd'", "x'00'", "x'0061'", "'a' || x'00'", "x'610062'", "'10' || x'00'", "'[1]' || x'00' || 'zz'", "''", "x''", "'b'",
        "'a' || x'80' || 'b'", "x'c3a9' || 'b'", "x'80'", "'é' || x'00' || 'é'", "' a' || x'00' || ' '", "1.5", "10", "NULL", "'%'", "'_' || x'00'",
    ];

    private static readonly string[] NulForms =
    [
        "hex(replace({0}, {1}, 'Z'))", "instr({0}, {1})", "hex(substr({0}, 2))", "hex(substr({0}, -2))", "hex(substr({0}, 1, 2))", "hex(substr({0}, -1, 5))",
        "length({0})", "octet_length({0})", "like({1}, {0})", "glob({1}, {0})", "{0} LIKE {1}", "hex(trim({0}, {1}))", "hex(ltrim({0}, {1}))", "hex(rtrim({0}))",
        "hex(upper({0}))", "json_valid({0})", "json_valid(upper({0}))", "unicode({0})", "hex(quote({0}))", "{0} = {1}", "hex({0} || {1})", "typeof(trim({0}))",
    ];

    [Fact]
    public void String_functions_match_sqlite_when_values_hold_nul_bytes()
    {
        var random = new Random(41);
        var sb = new StringBuilder("CREATE TABLE t(x FLOATING POINT, t TEXT, b BLOB); ");
        foreach (string v in NulValues) sb.Append($"INSERT INTO t VALUES ({v}, {v}, {v}); ");
        sb.Append("SELECT typeof(x), json_valid(upper(x)), json_valid(x), hex(x), length(x), instr(x, t), hex(substr(b, 2)), length(b) FROM t ORDER BY rowid; ");
        foreach (string form in NulForms)
        {
            foreach (string v in NulValues) sb.Append("SELECT ").Append(string.Format(form, v, NulValues[random.Next(NulValues.Length)])).Append("; ");
        }
        for (int round = 0; round < Rounds; round++)
        {
            string form = NulForms[random.Next(NulForms.Length)];
            sb.Append("SELECT ").Append(string.Format(form, NulValues[random.Next(NulValues.Length)], NulValues[random.Next(NulValues.Length)])).Append("; ");
        }
        Differential.AssertSame(sb.ToString());
    }
}
