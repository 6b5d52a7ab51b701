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
}
