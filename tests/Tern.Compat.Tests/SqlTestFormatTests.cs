// Tests of the sqltest runner itself: the file format (blocks, escapes, decorators,
// expect modifiers and per-backend overrides), the macros, how each kind of expectation
// compares, what is skipped, and how failures are grouped by feature.
namespace Tern.Compat.Tests;

public class SqlTestFormatTests
{
    private const string Sample = """
        # a comment
        @database :memory:

        setup schema {
            CREATE TABLE t(a, b);
            INSERT INTO t VALUES (1, '{x}'), (2, NULL);
        }

        @setup schema
        @cross-check-integrity
        test braces-and-escapes {
            SELECT b FROM t WHERE a = 1 AND '\{' || '\}' = '{}';
        }
        expect {
            {x}
        }

        @skip-if mvcc "runs on SQLite"
        test inline { SELECT 1; }
        expect { 1 }

        @skip-if sqlite "other engine"
        test skipped-for-sqlite { SELECT 1; }
        expect { 2 }

        @backend rust
        test other-backend { SELECT 1; }
        expect { 1 }

        @requires materialized_views "turso only"
        test turso-capability { SELECT 1; }
        expect { 1 }

        @requires trigger "SQLite has triggers"
        test sqlite-capability { SELECT 1; }
        expect { 1 }

        test cli-override { SELECT 1.0; }
        expect { 1 }
        expect @js { 1 }
        expect @cli { 1.0 }

        @setup schema
        test raw-nulls { SELECT b FROM t WHERE a = 2; SELECT NULL; }
        expect raw {


        }

        @setup schema
        test unordered { SELECT a FROM t ORDER BY a DESC; }
        expect unordered {
            1
            2
        }

        test pattern { SELECT 'version 3.1'; }
        expect pattern {
            ^version \d+\.\d+$
        }

        test error-with-message { SELECT * FROM nosuch; }
        expect error {
            no such   table
        }

        test error-stops-the-script {
            SELECT 1;
            SELECT * FROM nosuch;
            SELECT 2;
        }
        expect error {
        }

        test unexpected-error { SELECT * FROM nosuch; }
        expect {
        }

        test wrong-rows { SELECT 1; }
        expect {
            2
        }

        test macros { SELECT {{expr_depth_limit}}{{repeat:2: + 1}}; }
        expect { 102 }

        snapshot plan { SELECT 1; }
        """;

    [Fact]
    public void Parses_blocks_decorators_and_expectations()
    {
        SqlTestFile f = SqlTestFile.Parse(Sample);
        Assert.Equal([new DatabaseSpec(":memory:", false)], f.Databases);
        Assert.Equal("    CREATE TABLE t(a, b);\n    INSERT INTO t VALUES (1, '{x}'), (2, NULL);", f.Setups["schema"]);
        SqlTestCase first = f.Cases[0];
        Assert.Equal("braces-and-escapes", first.Name);
        Assert.Equal(["schema"], first.Setups);
        Assert.True(first.CrossCheckIntegrity);
        Assert.Equal("    SELECT b FROM t WHERE a = 1 AND '{' || '}' = '{}';", first.Sql);
        Assert.Equal(ExpectKind.Exact, first.Expect!.Kind);
        Assert.Equal(" SELECT 1; ", f.Cases.Single(c => c.Name == "inline").Sql);
        SqlTestCase overridden = f.Cases.Single(c => c.Name == "cli-override");
        Assert.Equal(" 1.0 ", overridden.EffectiveExpect!.Body);
        Assert.Equal(2, overridden.BackendExpects.Count);
        Assert.Equal("\n", f.Cases.Single(c => c.Name == "raw-nulls").Expect!.Body);
        Assert.Equal("snapshot", f.Cases[^1].Kind);
    }

    [Fact]
    public void Escapes_and_nested_braces_in_blocks()
    {
        SqlTestFile f = SqlTestFile.Parse("@database :memory:\ntest t {\nSELECT '{{}}', '\\}', '\\\\';\n}\nexpect {\nx\n}\n");
        Assert.Equal("SELECT '{{}}', '}', '\\';", f.Cases[0].Sql);
    }

    [Fact]
    public void Macros_expand()
    {
        Assert.Equal("100", SqlTestRunner.Macros.Expand("{{expr_depth_limit}}"));
        Assert.Equal("ababab", SqlTestRunner.Macros.Expand("{{repeat:3:ab}}"));
        Assert.Equal(99, SqlTestRunner.Macros.Expand("{{repeat:expr_depth_limit-1:x}}").Length);
    }

    [Fact]
    public void Runs_cases_with_each_kind_of_expectation()
    {
        var results = SqlTestRunner.RunText(Sample, "sample.sqltest").ToDictionary(r => r.Id[(r.Id.IndexOf(':') + 1)..]);
        Assert.Equal(SqlTestOutcome.Passed, results["braces-and-escapes"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["inline"].Outcome);
        Assert.Equal(SqlTestOutcome.Skipped, results["skipped-for-sqlite"].Outcome);
        Assert.Equal(SqlTestOutcome.Skipped, results["other-backend"].Outcome);
        Assert.Equal(SqlTestOutcome.Skipped, results["turso-capability"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["sqlite-capability"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["cli-override"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["raw-nulls"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["unordered"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["pattern"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["error-with-message"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["error-stops-the-script"].Outcome);
        Assert.Equal(SqlTestOutcome.Failed, results["unexpected-error"].Outcome);
        Assert.Equal("no such table: nosuch", results["unexpected-error"].Detail);
        Assert.Equal(SqlTestOutcome.Failed, results["wrong-rows"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, results["macros"].Outcome);
        Assert.Equal(SqlTestOutcome.Skipped, results["plan"].Outcome);
    }

    [Fact]
    public void Dot_commands_in_indented_blocks_reach_the_shell()
    {
        const string file = "@database :memory:\n\ntest headers {\n    .headers on\n    SELECT 1 AS x;\n    .mode csv\n    SELECT 2 AS y;\n}\nexpect {\n    x\n    1\n    y\n    2\n}\n";
        SqlTestResult r = Assert.Single(SqlTestRunner.RunText(file, "f.sqltest"));
        Assert.Equal(SqlTestOutcome.Passed, r.Outcome);
    }

    [Fact]
    public void Slow_cases_are_interrupted()
    {
        const string file = "@database :memory:\n\ntest slow {\n    CREATE TABLE t(x);\n    INSERT INTO t VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10);\n" +
            "    SELECT count(*) FROM t a, t b, t c, t d, t e, t f, t g, t h, t i, t j;\n}\nexpect {\n    10000000000\n}\n";
        SqlTestResult r = Assert.Single(SqlTestRunner.RunText(file, "f.sqltest", timeLimitMs: 300));
        Assert.Equal(SqlTestOutcome.Failed, r.Outcome);
        Assert.Equal("interrupted", r.Detail);
    }

    [Theory]
    [InlineData("WITH is not supported yet", "common table expressions (WITH)")]
    [InlineData("no such function: json_extract", "JSON functions")]
    [InlineData("no such function: row_number", "window functions")]
    [InlineData("no such function: printf", "printf/format")]
    [InlineData("error 'CreateView is not supported yet' does not match /view v/", "views")]
    [InlineData("expected [1] got [2]", "wrong results or error messages")]
    [InlineData("expected an error, got: 1", "errors not raised (CHECK constraints, type checks, limits)")]
    [InlineData("interrupted", "too slow (time limit)")]
    public void Failures_are_grouped_by_feature(string detail, string feature)
    {
        Assert.Equal(feature, SqlTestFeatures.Classify(detail));
    }

    [Fact]
    public void Known_failures_list_is_grouped_under_feature_headers()
    {
        string text = SqlTestTests.Render(
        [
            new SqlTestResult("b.sqltest:x", SqlTestOutcome.Failed, "WITH is not supported yet"),
            new SqlTestResult("a.sqltest:y", SqlTestOutcome.Failed, "WITH is not supported yet"),
            new SqlTestResult("a.sqltest:z", SqlTestOutcome.Failed, "expected [1] got [2]"),
        ]);
        Assert.Contains("\n# common table expressions (WITH) (2)\na.sqltest:y WITH is not supported yet\nb.sqltest:x WITH is not supported yet\n", text);
        Assert.Contains("\n# wrong results or error messages (1)\na.sqltest:z expected [1] got [2]\n", text);
        Assert.True(text.IndexOf("# common table", StringComparison.Ordinal) < text.IndexOf("# wrong results", StringComparison.Ordinal));
    }

    [Fact]
    public void Known_failures_list_keeps_turso_only_marks()
    {
        const string entry = "a.sqltest:y [turso-only: Turso's shell output] expected [t1 v1] got [t1  v1]";
        Assert.Equal("[turso-only: Turso's shell output]", SqlTestTests.Mark(entry));
        Assert.Equal("expected [t1 v1] got [t1  v1]", SqlTestTests.Reason(entry));
        Assert.Null(SqlTestTests.Mark("a.sqltest:z expected [1] got [2]"));
        Assert.Equal("expected [1] got [2]", SqlTestTests.Reason("a.sqltest:z expected [1] got [2]"));
        string text = SqlTestTests.Render(
            [new SqlTestResult("a.sqltest:y", SqlTestOutcome.Failed, "expected [t1 v1] got [t1  v1]"), new SqlTestResult("a.sqltest:z", SqlTestOutcome.Failed, "expected [1] got [2]")],
            new Dictionary<string, string> { ["a.sqltest:y"] = "[turso-only: Turso's shell output]" });
        Assert.Contains("\n" + entry + "\n", text);
        Assert.Contains("\na.sqltest:z expected [1] got [2]\n", text);
    }

    /// <summary>The SQLite target judges a case by the runner's rules: rows, errors and a wrong expectation.</summary>
    [Fact]
    public void Sqlite_target_runs_cases_by_the_same_rules()
    {
        const string file = """
            @database :memory:
            setup s {
                CREATE TABLE t(a, b);
                INSERT INTO t VALUES (1, 2.0), (NULL, 'x');
            }
            @setup s
            test rows {
                SELECT a, b FROM t ORDER BY rowid;
                SELECT 1e20, x'41';
            }
            expect {
                1|2.0
                |x
                1.0e+20|A
            }
            @setup s
            test err {
                SELECT nosuch FROM t;
            }
            expect error {
                no such column: nosuch
            }
            test wrong {
                SELECT 1;
            }
            expect {
                2
            }
            test headers {
                .headers on
                SELECT 1 AS one;
            }
            expect {
                one
                1
            }
            """;
        var r = SqlTestRunner.RunText(file, "f.sqltest", engine: SqlTestEngine.Sqlite).ToDictionary(r => r.Id[(r.Id.IndexOf(':') + 1)..]);
        Assert.Equal(SqlTestOutcome.Passed, r["rows"].Outcome);
        Assert.Equal(SqlTestOutcome.Passed, r["err"].Outcome);
        Assert.Equal(SqlTestOutcome.Failed, r["wrong"].Outcome);
        Assert.Equal("expected [2] got [1]", r["wrong"].Detail);
        Assert.Equal(SqlTestOutcome.Passed, r["headers"].Outcome);
    }
}
