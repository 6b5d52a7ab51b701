// Unit tests of the dot commands and of the input scanners: command words and their
// abbreviations, argument quoting, the errors and usage messages, .tables and .schema
// layouts, and when buffered input counts as a complete statement.
using System.Text;

namespace Tern.Cli.Tests;

public class DotCommandTests
{
    private static (string Out, string Err) Shell(string script) => FormattingTests.Shell(script);

    [Fact]
    public void Arguments_split_at_spaces_with_quotes_and_escapes()
    {
        Assert.Equal(["print", "a b", "c\td", "e\\tf", "g\"h"], Tern.Cli.Shell.SplitCommand("print \"a b\" c\\td 'e\\tf' \"g\\\"h\""));
        Assert.Equal(["mode", "csv"], Tern.Cli.Shell.SplitCommand("  mode   csv  "));
        Assert.Equal("a\u0001b\n", Tern.Cli.Shell.ResolveBackslashes("a\\001b\\n"));
        Assert.Equal("x41", Tern.Cli.Shell.ResolveBackslashes("\\x41"));
    }

    [Theory]
    [InlineData("1x", 1)]
    [InlineData("-2", -2)]
    [InlineData("0x10", 16)]
    [InlineData("2KiB", 2048)]
    [InlineData("abc", 0)]
    public void Integer_arguments(string text, long value)
    {
        Assert.Equal(value, Tern.Cli.Shell.IntegerValue(text));
    }

    [Fact]
    public void Dbconfig_dqs_dml_switches_double_quoted_strings_as_sqlite3_does()
    {
        var (o, e) = Shell("select \"x\";\n.dbconfig dqs_dml off\nselect \"y\";\n.dbconfig dqs_dml on\nselect \"z\";\n");
        Assert.Equal("x\n            dqs_dml off\n            dqs_dml on\nz\n", o);
        Assert.Contains("no such column: \"y\" - should this be a string literal in single-quotes?", e);
    }

    [Fact]
    public void Unknown_command_is_an_error()
    {
        var (o, e) = Shell(".frobnicate now\nselect 1;\n");
        Assert.Equal("1\n", o);
        Assert.Equal("Error: unknown command or invalid arguments:  \"frobnicate\". Enter \".help\" for help\n", e);
    }

    [Fact]
    public void Commands_may_be_abbreviated()
    {
        var (o, _) = Shell(".h on\n.mo csv\nselect 1 as x;\n.sep ;\n.nu N\nselect 2, NULL;\n");
        Assert.Equal("x\r\n1\r\n2;NULL\r\n2;N\r\n", o);
    }

    [Fact]
    public void Usage_messages_for_missing_arguments()
    {
        var (_, e) = Shell(".headers\n.bail\n.echo\n.nullvalue\n.separator\n");
        Assert.Equal("Usage: .headers on|off\nUsage: .bail on|off\nUsage: .echo on|off\nUsage: .nullvalue STRING\nUsage: .separator COL ?ROW?\n", e);
    }

    [Fact]
    public void Timeout_sets_the_busy_timeout_as_sqlite3_does()
    {
        var (o, e) = Shell("PRAGMA busy_timeout;\n.timeout 2500\nPRAGMA busy_timeout;\n.timeo\nPRAGMA busy_timeout;\n.timeout -5\nPRAGMA busy_timeout;\n");
        Assert.Equal("", e);
        Assert.Equal("0\n2500\n0\n0\n", o);
        RunResult sqlite = ProcessRunner.Sqlite3([":memory:"], Encoding.UTF8.GetBytes("PRAGMA busy_timeout;\n.timeout 2500\nPRAGMA busy_timeout;\n.timeo\nPRAGMA busy_timeout;\n.timeout -5\nPRAGMA busy_timeout;\n"));
        Assert.Equal(sqlite.StdoutText, o);
    }

    [Fact]
    public void Boolean_arguments()
    {
        var (o, e) = Shell(".headers yes\nselect 1 as a;\n.headers 0\nselect 2 as b;\n.headers maybe\nselect 3 as c;\n");
        Assert.Equal("a\n1\n2\n3\n", o);
        Assert.Equal("ERROR: Not a boolean value: \"maybe\". Assuming \"no\".\n", e);
    }

    [Fact]
    public void Mode_without_arguments_reports_the_mode()
    {
        var (o, e) = Shell(".mode\n.mode column\n.mode\n.mode box --wrap 10 --ww\n.mode\n.mode nonsense\n");
        Assert.Equal("current output mode: list\ncurrent output mode: column --wrap 60 --wordwrap off --noquote\ncurrent output mode: box --wrap 10 --wordwrap on --noquote\n", o);
        Assert.Equal("Error: mode should be one of: ascii box column csv html insert json line list markdown qbox quote table tabs tcl\n", e);
    }

    [Fact]
    public void Mode_column_turns_headers_on_unless_they_were_set()
    {
        var (o, _) = Shell(".mode column\nselect 1 as x;\n.headers off\n.mode column\nselect 2 as y;\n");
        Assert.Equal("x\n-\n1\n2\n", o);
    }

    [Fact]
    public void Print_writes_its_arguments()
    {
        var (o, _) = Shell(".print one \"two three\" 'four\\n'\n.print\n");
        Assert.Equal("one two three four\\n\n\n", o);
    }

    [Fact]
    public void Tables_lists_names_in_columns()
    {
        var (o, _) = Shell("create table b(x);\ncreate table a(x);\ncreate table \"long name\"(x);\ncreate index i on a(x);\n.tables\n.tables b%\n");
        Assert.Equal("a          b          long name\nb\n", o);
    }

    [Fact]
    public void Schema_prints_create_statements()
    {
        var (o, _) = Shell("create table t(a primary key, b);\ncreate index t_b on t(b);\ncreate table \"q\"(x);\n.schema\n.schema t\n");
        Assert.Equal(
            "CREATE TABLE t(a primary key, b);\nCREATE INDEX t_b on t(b);\nCREATE TABLE IF NOT EXISTS \"q\"(x);\n" +
            "CREATE TABLE t(a primary key, b);\nCREATE INDEX t_b on t(b);\n", o);
    }

    [Fact]
    public void Quit_and_exit_stop_the_input()
    {
        var (o, _) = Shell("select 1;\n.quit\nselect 2;\n");
        Assert.Equal("1\n", o);
        var stdout = new MemoryStream();
        int rc = Tern.Cli.Shell.Run([], new MemoryStream("select 1;\n.exit 3\nselect 2;\n"u8.ToArray()), stdout, new MemoryStream());
        Assert.Equal(3, rc);
        Assert.Equal("1\n"u8.ToArray(), stdout.ToArray());
    }

    [Fact]
    public void Like_and_glob_patterns()
    {
        Assert.True(Tern.Cli.Shell.Like("Apple", "a%", null));
        Assert.True(Tern.Cli.Shell.Like("sqlite_sequence", "sqlite_%", null));
        Assert.False(Tern.Cli.Shell.Like("a_b", "a\\_c", '\\'));
        Assert.True(Tern.Cli.Shell.Like("a_b", "a\\_b", '\\'));
        Assert.True(Tern.Cli.Shell.Glob("t1", "t[0-9]"));
        Assert.False(Tern.Cli.Shell.Glob("T1", "t*"));
    }

    [Theory]
    [InlineData("select 1;", true)]
    [InlineData("select 1", false)]
    [InlineData("select ';'", false)]
    [InlineData("select ';';", true)]
    [InlineData("select 1; -- done", true)]
    [InlineData("select 1 /* ; */", false)]
    [InlineData("select 1; /* open", false)]
    [InlineData("create trigger t after insert on x begin select 1;", false)]
    [InlineData("create trigger t after insert on x begin select 1; end;", true)]
    [InlineData("create temp trigger t after insert on x begin select 1; end ;", true)]
    [InlineData("explain create trigger t after insert on x begin select 1;", false)]
    [InlineData("create table trigger(a);", true)]
    [InlineData("select [a;b];", true)]
    [InlineData("select [a;b;", false)]
    public void Complete_statements(string sql, bool complete)
    {
        Assert.Equal(complete, InputScanner.IsComplete(sql));
    }

    [Fact]
    public void Line_scan_follows_strings_and_comments_across_lines()
    {
        var scan = new InputScanner.LineScan();
        scan.Scan("   -- only a comment");
        Assert.True(scan.IsBlank);
        scan.Scan("select 'a;");
        Assert.False(scan.IsPlain);
        scan.Scan("b';");
        Assert.True(scan.IsPlain);
        Assert.True(scan.EndsWithSemicolon);
        scan.Scan("/* x");
        Assert.False(scan.IsPlain);
        scan.Scan("*/ select");
        Assert.False(scan.EndsWithSemicolon);
    }

    [Fact]
    public void Statement_spanning_lines_reports_the_line_it_started_on()
    {
        var (_, e) = Shell("\n\n  select\n 1 +\n ;\n");
        Assert.Equal("Parse error near line 3: near \";\": syntax error\n  select  1 +  ;\n               ^--- error here\n", e);
    }

    [Fact]
    public void Go_and_slash_lines_end_a_statement()
    {
        var (o, _) = Shell("select 1\ngo\nselect 2\n/\n");
        Assert.Equal("1\n2\n", o);
    }

    [Fact]
    public void Long_statements_move_the_error_pointer_into_view()
    {
        string sql = "select " + string.Join(", ", Enumerable.Range(1, 30)) + " from from t;\n";
        var (_, e) = Shell(sql);
        Assert.Equal("Parse error near line 1: near \"from\": syntax error\n  , 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 from from t;\n                                      error here ---^\n", e);
    }
}
