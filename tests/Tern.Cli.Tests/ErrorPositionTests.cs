// The caret under an error's position, against the sqlite3 shell byte for byte: reading a
// script (with and without -bail), SQL given on the command line, and an interactive-like
// session (-interactive), for syntax errors and names that do not resolve, in one-line and
// multi-line statements, long ones (the pointer moved into view), text that is not ASCII,
// and errors without a position (no caret).
namespace Tern.Cli.Tests;

public class ErrorPositionTests
{
    private const string Schema = "create table t(a, b);\ncreate table u(a, c);\n";

    public static TheoryData<string> Scripts() =>
    [
        "select nosuch from t;\n",
        "select a,\n  nosuch from t;\nselect 1;\n",
        "select * from t where   zz=1;\n",
        "select   nofunc(1);\n",
        "select a from t, u;\n",
        "select t.nosuch from t;\n",
        "select abs(1, 2);\n",
        "select count(*) from t where count(*) > 1;\n",
        "select 1 +;\n",
        "\n\n  select\n 1 +\n ;\n",
        "select 1; select 2; select nosuch from t; select 3;\n",
        "select 'ünïcödé', nosuch from t;\n",
        "select a, b, a + b, a * b, a - b, a / b, a || b, " + "b, " + "a, b, a from t where a = 1 and b = 2 and nosuch = 3;\n",
        "select * from nosuch;\n",
        "insert into t values (1, 2); select a / 0, abs(-9223372036854775808) from t;\n",
        "create table t(x);\n",
        "select x from (select 1);\n",
    ];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_errors_point_where_sqlite3_points(string script)
    {
        byte[] input = System.Text.Encoding.UTF8.GetBytes(Schema + script);
        foreach (string[] args in (string[][])[[], ["-bail"], ["-interactive"]])
        {
            RunResult expected = ProcessRunner.Sqlite3(args, input);
            RunResult actual = ProcessRunner.Tern(args, input);
            // An interactive session's banner and prompts name the program; its errors are compared.
            if (args is ["-interactive"]) Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.Stderr), System.Text.Encoding.UTF8.GetString(actual.Stderr));
            else ScriptTests.AssertSame(expected, actual);
        }
    }

    [Theory]
    [InlineData("select nosuch from t")]
    [InlineData("select a,\n  nofunc(b) from t")]
    [InlineData("select 1 from t where")]
    public void Command_line_errors_point_where_sqlite3_points(string sql)
    {
        using var dir = new ProcessRunner.TempDir();
        foreach (string f in new[] { "sqlite.db", "tern.db" }) ProcessRunner.Sqlite3([dir.File(f), Schema], []);
        RunResult expected = ProcessRunner.Sqlite3([dir.File("sqlite.db"), sql], []);
        RunResult actual = ProcessRunner.Tern([dir.File("tern.db"), sql], []);
        ScriptTests.AssertSame(expected, actual);
    }
}
