// Unit tests of the parser, construct by construct: the tree it builds (precedence,
// the shape of each statement), positions, statement boundaries and options.
using System.Text;
using Tern.Sql.Ast;

namespace Tern.Sql.Tests;

public sealed class ParserTests
{
    private static Expr E(string sql) => SqlParser.ParseExpression(sql);

    private static SelectClause Core(string sql) => Assert.IsType<SelectClause>(Assert.IsType<SelectStatement>(SqlParser.Parse(sql)).First);

    private static Expr Col0(string sql) => Assert.IsType<ExprColumn>(Core(sql).Columns[0]).Expr;

    private static string Shape(Expr e) => e switch
    {
        Literal l => l.Value,
        ColumnRef c => (c.Table is null ? "" : c.Table + ".") + c.Column,
        UnaryExpr u => $"({u.Operator} {Shape(u.Operand)})",
        BinaryExpr b => $"({Shape(b.Left)} {b.Operator} {Shape(b.Right)})",
        LikeExpr l => $"({Shape(l.Left)} {(l.Not ? "NOT " : "")}{l.Operator} {Shape(l.Pattern)}{(l.Escape is null ? "" : " ESCAPE " + Shape(l.Escape))})",
        BetweenExpr b => $"({Shape(b.Operand)} {(b.Not ? "NOT " : "")}BETWEEN {Shape(b.Low)} AND {Shape(b.High)})",
        NullTestExpr n => $"({Shape(n.Operand)} {(n.NotNull ? "NOTNULL" : "ISNULL")})",
        CollateExpr c => $"({Shape(c.Operand)} COLLATE {c.Collation})",
        InListExpr i => $"({Shape(i.Operand)} {(i.Not ? "NOT " : "")}IN [{string.Join(", ", i.Items.Select(Shape))}])",
        _ => e.GetType().Name,
    };

    [Theory]
    [InlineData("1 + 2 * 3", "(1 Add (2 Multiply 3))")]
    [InlineData("1 * 2 + 3", "((1 Multiply 2) Add 3)")]
    [InlineData("1 - 2 - 3", "((1 Subtract 2) Subtract 3)")]
    [InlineData("a OR b AND c", "(a Or (b And c))")]
    [InlineData("NOT a = b", "(Not (a Eq b))")]
    [InlineData("NOT a AND b", "((Not a) And b)")]
    [InlineData("a = b = c", "((a Eq b) Eq c)")]
    [InlineData("a < b = c", "((a Lt b) Eq c)")]
    [InlineData("a = b < c", "(a Eq (b Lt c))")]
    [InlineData("a & b + c", "(a BitAnd (b Add c))")]
    [InlineData("a || b * c", "((a Concat b) Multiply c)")]
    [InlineData("-a COLLATE x", "((Negate a) COLLATE x)")]
    [InlineData("a + b COLLATE x", "(a Add (b COLLATE x))")]
    [InlineData("- a * b", "((Negate a) Multiply b)")]
    [InlineData("a = b NOT NULL", "((a Eq b) NOTNULL)")]
    [InlineData("NOT a NOT NULL", "(Not (a NOTNULL))")]
    [InlineData("a AND b NOT NULL", "(a And (b NOTNULL))")]
    [InlineData("a IS NULL", "(a Is NULL)")]
    [InlineData("a IS NOT DISTINCT FROM b", "(a Is b)")]
    [InlineData("a IS DISTINCT FROM b", "(a IsNot b)")]
    [InlineData("a ISNULL", "(a ISNULL)")]
    [InlineData("a BETWEEN b AND c AND d", "((a BETWEEN b AND c) And d)")]
    [InlineData("a BETWEEN b + 1 AND c = d", "((a BETWEEN (b Add 1) AND c) Eq d)")]
    [InlineData("a NOT BETWEEN b AND c", "(a NOT BETWEEN b AND c)")]
    [InlineData("a LIKE b ESCAPE c", "(a Like b ESCAPE c)")]
    [InlineData("a NOT GLOB b", "(a NOT Glob b)")]
    [InlineData("a = b LIKE c", "((a Eq b) Like c)")]
    [InlineData("a LIKE b < c", "(a Like (b Lt c))")]
    [InlineData("a IN (1, 2) = 0", "((a IN [1, 2]) Eq 0)")]
    [InlineData("((a))", "a")]
    [InlineData("((a) + (b)) * c", "((a Add b) Multiply c)")]
    [InlineData("a -> 'x' ->> 'y'", "((a JsonExtract 'x') JsonExtractText 'y')")]
    [InlineData("~a + ~b", "((BitNot a) Add (BitNot b))")]
    public void Operator_precedence_follows_SQLite(string sql, string shape)
    {
        string Normal(Expr e) => Shape(e).Replace("'x'", "x").Replace("'y'", "y");
        Assert.Equal(shape.Replace("'x'", "x").Replace("'y'", "y"), Normal(E(sql)));
    }

    [Fact]
    public void Literals_keep_their_text()
    {
        Assert.Equal(new Literal(LiteralKind.Integer, "1000"), E("1_000"));
        Assert.Equal(new Literal(LiteralKind.Integer, "0xFF"), E("0xF_F"));
        Assert.Equal(new Literal(LiteralKind.Float, ".5"), E(".5"));
        Assert.Equal(new Literal(LiteralKind.Float, "1e10"), E("1e10"));
        Assert.Equal(new Literal(LiteralKind.String, "it's"), E("'it''s'"));
        Assert.Equal(new Literal(LiteralKind.Blob, "0aFF"), E("x'0aFF'"));
        Assert.Equal(new Literal(LiteralKind.Null, "NULL"), E("null"));
        Assert.Equal(new Literal(LiteralKind.CurrentTimestamp, "CURRENT_TIMESTAMP"), E("current_timestamp"));
        Assert.Equal(new ColumnRef(null, null, "TRUE"), E("TRUE"));
    }

    [Fact]
    public void Names_are_dequoted_and_double_quotes_are_remembered()
    {
        Assert.Equal(new ColumnRef(null, null, "a\"b", QuoteStyle.Double), E("\"a\"\"b\""));
        var c = Assert.IsType<ColumnRef>(E("[x y]"));
        Assert.Equal("x y", c.Column);
        Assert.Equal(QuoteStyle.Bracket, c.Quote);
        Assert.Equal(new ColumnRef(null, null, "x"), E("`x`"));
        Assert.NotEqual<Expr>(new ColumnRef(null, null, "x"), E("\"x\""));
        Assert.Equal(new ColumnRef("main", "t", "c"), E("main.t.c"));
        Assert.Equal(new ColumnRef(null, "t", "c"), E("'t'.\"c\""));
    }

    [Theory]
    [InlineData("?", 1)]
    [InlineData("?12", 12)]
    [InlineData(":name", 1)]
    [InlineData("@name", 1)]
    [InlineData("$name", 1)]
    [InlineData("$a::b(c)", 1)]
    public void Parameters_keep_their_token(string text, int number) => Assert.Equal(new ParameterExpr(text, number), E(text));

    [Fact]
    public void Parameters_are_numbered_as_SQLite_numbers_them()
    {
        var s = Assert.IsType<SelectStatement>(SqlParser.Parse("SELECT ?, :a, ?5, ?, :a, @b, ?2, ?7, :c"));
        int[] numbers = [.. Assert.IsType<SelectClause>(s.First).Columns.Select(c => ((ParameterExpr)((ExprColumn)c).Expr).Number)];
        Assert.Equal([1, 2, 5, 6, 2, 7, 2, 7, 8], numbers);
    }

    [Fact]
    public void Function_calls()
    {
        var f = Assert.IsType<FunctionCall>(E("count(DISTINCT a ORDER BY b DESC) FILTER (WHERE c)"));
        Assert.Equal("count", f.Name);
        Assert.True(f.Distinct);
        Assert.Single(f.Arguments);
        Assert.Equal(SortOrder.Desc, f.OrderBy[0].Order);
        Assert.NotNull(f.Filter);
        Assert.Null(f.Over);
        Assert.Equal("w", Assert.IsType<FunctionCall>(E("count(a) FILTER (WHERE c) OVER w")).Over!.WindowName);
        Assert.Equal("DISTINCT is not supported for window functions", Assert.Throws<SqlParseException>(() => E("count(DISTINCT a) OVER w")).Message);
        var star = Assert.IsType<FunctionCall>(E("count(*)"));
        Assert.True(star.Star);
        var over = Assert.IsType<FunctionCall>(E("sum(x) OVER (base PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)"));
        WindowSpec w = over.Over!.Window!;
        Assert.Equal("base", w.BaseName);
        Assert.Equal(FrameUnit.Rows, w.Frame!.Unit);
        Assert.Equal(FrameBoundKind.Preceding, w.Frame.StartBound.Kind);
        Assert.Equal(FrameBoundKind.UnboundedFollowing, w.Frame.EndBound!.Kind);
        Assert.Equal(FrameExclude.Ties, w.Frame.Exclude);
    }

    [Fact]
    public void Other_expressions()
    {
        Assert.IsType<CastExpr>(E("CAST(a AS VARCHAR(10))"));
        Assert.Equal("VARCHAR ( 10 )", Assert.IsType<CastExpr>(E("CAST(a AS VARCHAR ( 10 ))")).TypeName);
        Assert.Equal("", Assert.IsType<CastExpr>(E("CAST(a AS)")).TypeName);
        var c = Assert.IsType<CaseExpr>(E("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END"));
        Assert.Equal(2, c.Whens.Count);
        Assert.IsType<ExistsExpr>(E("EXISTS (SELECT 1)"));
        Assert.IsType<SubqueryExpr>(E("(SELECT 1)"));
        Assert.Equal(2, Assert.IsType<RowValueExpr>(E("(1, 2)")).Items.Count);
        Assert.IsType<InSelectExpr>(E("a IN (SELECT 1)"));
        var t = Assert.IsType<InTableExpr>(E("a NOT IN main.f(1, 2)"));
        Assert.True(t.Not);
        Assert.Equal(("main", "f", 2), (t.Schema, t.Table, t.Arguments.Count));
        Assert.Equal(new RaiseExpr(RaiseAction.Ignore, null), E("RAISE(IGNORE)"));
        Assert.Equal(RaiseAction.Abort, Assert.IsType<RaiseExpr>(E("RAISE(ABORT, 'm')")).Action);
    }

    [Fact]
    public void Select_clauses()
    {
        var s = Assert.IsType<SelectStatement>(SqlParser.Parse(
            "WITH RECURSIVE c(n) AS MATERIALIZED (SELECT 1) SELECT DISTINCT a AS x, t.*, * FROM t AS u INDEXED BY i "
            + "LEFT JOIN s USING (a) WHERE a > 1 GROUP BY a HAVING count(*) > 1 WINDOW w AS (ORDER BY a) "
            + "UNION ALL SELECT 1, 2, 3 ORDER BY 1 DESC NULLS LAST LIMIT 5, 10"));
        Assert.True(s.With!.Recursive);
        Assert.Equal(Materialization.Materialized, s.With.Tables[0].Materialized);
        var core = Assert.IsType<SelectClause>(s.First);
        Assert.True(core.Distinct);
        Assert.Equal("x", Assert.IsType<ExprColumn>(core.Columns[0]).Alias);
        Assert.Equal("t", Assert.IsType<TableStarColumn>(core.Columns[1]).Table);
        Assert.IsType<StarColumn>(core.Columns[2]);
        var table = Assert.IsType<NamedTable>(core.From[0].Source);
        Assert.Equal(("u", "i"), (table.Alias, table.IndexedBy));
        Assert.Equal(JoinType.Left | JoinType.Outer, core.From[1].Join);
        Assert.Equal("a", core.From[1].Using[0]);
        Assert.Single(core.GroupBy);
        Assert.NotNull(core.Having);
        Assert.Equal("w", core.Windows[0].Name);
        Assert.Equal(CompoundOperator.UnionAll, s.Compounds[0].Operator);
        Assert.Equal(NullsOrder.Last, s.OrderBy[0].Nulls);
        Assert.Equal(new Literal(LiteralKind.Integer, "10"), s.Limit!.Limit);
        Assert.Equal(new Literal(LiteralKind.Integer, "5"), s.Limit.Offset);
    }

    [Theory]
    [InlineData("a, b", JoinType.Inner | JoinType.Comma)]
    [InlineData("a JOIN b", JoinType.Inner)]
    [InlineData("a INNER JOIN b", JoinType.Inner)]
    [InlineData("a CROSS JOIN b", JoinType.Inner | JoinType.Cross)]
    [InlineData("a NATURAL JOIN b", JoinType.Inner | JoinType.Natural)]
    [InlineData("a LEFT OUTER JOIN b", JoinType.Left | JoinType.Outer)]
    [InlineData("a RIGHT JOIN b", JoinType.Right | JoinType.Outer)]
    [InlineData("a FULL OUTER JOIN b", JoinType.Left | JoinType.Right | JoinType.Outer)]
    [InlineData("a NATURAL LEFT JOIN b", JoinType.Natural | JoinType.Left | JoinType.Outer)]
    public void Join_types(string from, JoinType expected) => Assert.Equal(expected, Core("SELECT * FROM " + from).From[1].Join);

    [Fact]
    public void From_sources()
    {
        SelectClause c = Core("SELECT * FROM (SELECT 1) AS s, json_each('[1]') j, (a JOIN b) AS n, main.t NOT INDEXED");
        Assert.Equal("s", Assert.IsType<SubquerySource>(c.From[0].Source).Alias);
        Assert.Equal("j", Assert.IsType<TableFunction>(c.From[1].Source).Alias);
        Assert.Equal(2, Assert.IsType<NestedJoin>(c.From[2].Source).Items.Count);
        var t = Assert.IsType<NamedTable>(c.From[3].Source);
        Assert.Equal(("main", "t", true), (t.Schema, t.Name, t.NotIndexed));
    }

    [Fact]
    public void Insert_with_upserts_and_returning()
    {
        var i = Assert.IsType<InsertStatement>(SqlParser.Parse(
            "INSERT OR IGNORE INTO main.t AS x (a, b) VALUES (1, 2), (3, 4) "
            + "ON CONFLICT (a) WHERE a > 0 DO UPDATE SET b = excluded.b, (a, b) = (1, 2) WHERE b < 9 "
            + "ON CONFLICT DO NOTHING RETURNING a, b AS bb"));
        Assert.Equal(ConflictResolution.Ignore, i.OrConflict);
        Assert.Equal(new QualifiedTableName("main", "t", "x"), i.Table);
        Assert.Equal(2, i.Columns.Count);
        Assert.Equal(2, Assert.IsType<ValuesClause>(i.Source!.First).Rows.Count);
        Assert.Equal(2, i.Upserts.Count);
        Assert.True(i.Upserts[1].DoNothing);
        Assert.True(i.Upserts[0].Set[1].IsRow);
        Assert.Equal(2, i.Returning.Count);
        Assert.Equal(ConflictResolution.Replace, Assert.IsType<InsertStatement>(SqlParser.Parse("REPLACE INTO t VALUES (1)")).OrConflict);
        Assert.Null(Assert.IsType<InsertStatement>(SqlParser.Parse("INSERT INTO t DEFAULT VALUES")).Source);
    }

    [Fact]
    public void Update_and_delete()
    {
        var u = Assert.IsType<UpdateStatement>(SqlParser.Parse("UPDATE OR FAIL t SET a = 1 FROM s WHERE t.b = s.b RETURNING *"));
        Assert.Equal(ConflictResolution.Fail, u.OrConflict);
        Assert.Single(u.From);
        var d = Assert.IsType<DeleteStatement>(SqlParser.Parse("DELETE FROM t INDEXED BY i WHERE a = 1"));
        Assert.Equal("i", d.Table.IndexedBy);
        Assert.Throws<SqlParseException>(() => SqlParser.Parse("DELETE FROM t ORDER BY a LIMIT 1"));
        var options = new SqlParserOptions { AllowUpdateDeleteLimit = true };
        var limited = Assert.IsType<DeleteStatement>(SqlParser.Parse("DELETE FROM t ORDER BY a LIMIT 1", options));
        Assert.NotNull(limited.Limit);
        Assert.Single(Assert.IsType<UpdateStatement>(SqlParser.Parse("UPDATE t SET a = 1 ORDER BY a LIMIT 2", options)).OrderBy);
    }

    [Fact]
    public void Create_table()
    {
        var t = Assert.IsType<CreateTableStatement>(SqlParser.Parse(
            "CREATE TEMP TABLE IF NOT EXISTS x (id INTEGER PRIMARY KEY DESC AUTOINCREMENT, "
            + "name VARCHAR(10) NOT NULL DEFAULT 'n' COLLATE nocase, amount DECIMAL(10, 2) DEFAULT -1.5, "
            + "ref REFERENCES p(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
            + "g INT GENERATED ALWAYS AS (id * 2) STORED, flag DEFAULT true, "
            + "CONSTRAINT u UNIQUE (name, amount) ON CONFLICT REPLACE, CHECK (id > 0), "
            + "FOREIGN KEY (ref) REFERENCES p(id)) WITHOUT ROWID, STRICT"));
        Assert.True(t.Temp && t.IfNotExists && t.WithoutRowid && t.Strict);
        Assert.Equal(6, t.Columns.Count);
        Assert.Equal("VARCHAR(10)", t.Columns[1].Type);
        Assert.Equal("DECIMAL(10, 2)", t.Columns[2].Type);
        Assert.Equal("INT", t.Columns[4].Type);
        var pk = Assert.IsType<PrimaryKeyConstraint>(t.Columns[0].Constraints[0]);
        Assert.True(pk.Autoincrement);
        Assert.Equal(SortOrder.Desc, pk.Order);
        Assert.Equal(DefaultForm.Literal, Assert.IsType<DefaultConstraint>(t.Columns[2].Constraints[0]).Form);
        Assert.Equal(DefaultForm.Identifier, Assert.IsType<DefaultConstraint>(t.Columns[5].Constraints[0]).Form);
        Assert.Equal("STORED", Assert.IsType<GeneratedConstraint>(t.Columns[4].Constraints[0]).Storage);
        Assert.IsType<DeferrableConstraint>(t.Columns[3].Constraints[1]);
        Assert.Equal(4, t.Constraints.Count);
        Assert.Equal("u", Assert.IsType<TableConstraintName>(t.Constraints[0]).Name);
        var asSelect = Assert.IsType<CreateTableStatement>(SqlParser.Parse("CREATE TABLE y AS SELECT 1"));
        Assert.NotNull(asSelect.AsSelect);
    }

    [Fact]
    public void Other_schema_statements()
    {
        var i = Assert.IsType<CreateIndexStatement>(SqlParser.Parse("CREATE UNIQUE INDEX IF NOT EXISTS s.i ON t (a COLLATE nocase DESC, b + 1) WHERE a > 0"));
        Assert.True(i.Unique);
        Assert.Equal(("s", "i", "t"), (i.Schema, i.Name, i.Table));
        Assert.IsType<CollateExpr>(i.Columns[0].Expr);
        var v = Assert.IsType<CreateViewStatement>(SqlParser.Parse("CREATE TEMP VIEW v (a, b) AS SELECT 1, 2"));
        Assert.Equal(2, v.Columns.Count);
        var tr = Assert.IsType<CreateTriggerStatement>(SqlParser.Parse(
            "CREATE TRIGGER tr INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN new.a > 0 BEGIN "
            + "INSERT INTO t VALUES (new.a); UPDATE t SET a = 1; DELETE FROM t; SELECT RAISE(IGNORE); END"));
        Assert.Equal((TriggerTime.InsteadOf, TriggerEvent.Update, 2, 4), (tr.Time, tr.Event, tr.UpdateColumns.Count, tr.Body.Count));
        var vt = Assert.IsType<CreateVirtualTableStatement>(SqlParser.Parse("CREATE VIRTUAL TABLE f USING fts5(a, b, tokenize = 'porter ascii', x(1, 2))"));
        Assert.Equal(["a", "b", "tokenize = 'porter ascii'", "x(1, 2)"], vt.Arguments.ToArray());
        Assert.Equal(new DropStatement(DropKind.Trigger, true, "main", "tr"), SqlParser.Parse("DROP TRIGGER IF EXISTS main.tr"));
        Assert.Equal(new RenameTableStatement(null, "t", "u"), SqlParser.Parse("ALTER TABLE t RENAME TO u"));
        Assert.Equal(new RenameColumnStatement(null, "t", "a", "b"), SqlParser.Parse("ALTER TABLE t RENAME a TO b"));
        Assert.Equal(new DropColumnStatement("m", "t", "a"), SqlParser.Parse("ALTER TABLE m.t DROP COLUMN a"));
        Assert.Equal("d", Assert.IsType<AddColumnStatement>(SqlParser.Parse("ALTER TABLE t ADD d INT")).Column.Name);
    }

    [Fact]
    public void Transaction_and_utility_statements()
    {
        Assert.Equal(new BeginStatement(TransactionKind.Immediate), SqlParser.Parse("BEGIN IMMEDIATE TRANSACTION"));
        Assert.Equal(new BeginStatement(TransactionKind.Concurrent), SqlParser.Parse("BEGIN CONCURRENT", new SqlParserOptions { AllowBeginConcurrent = true }));
        Assert.Throws<SqlParseException>(() => SqlParser.Parse("BEGIN CONCURRENT"));
        Assert.IsType<CommitStatement>(SqlParser.Parse("END TRANSACTION"));
        Assert.Equal(new RollbackStatement("sp"), SqlParser.Parse("ROLLBACK TRANSACTION TO SAVEPOINT sp"));
        Assert.Equal(new SavepointStatement("sp"), SqlParser.Parse("SAVEPOINT sp"));
        Assert.Equal(new ReleaseStatement("sp"), SqlParser.Parse("RELEASE sp"));
        Assert.Equal(new PragmaStatement("main", "cache_size", new PragmaValue(PragmaValueKind.Number, "-2000")), SqlParser.Parse("PRAGMA main.cache_size = -2000"));
        Assert.Equal(new PragmaStatement(null, "journal_mode", new PragmaValue(PragmaValueKind.Name, "wal")), SqlParser.Parse("PRAGMA journal_mode(wal)"));
        Assert.Equal(new PragmaStatement(null, "x", new PragmaValue(PragmaValueKind.String, "v")), SqlParser.Parse("PRAGMA x = 'v'"));
        Assert.IsType<AttachStatement>(SqlParser.Parse("ATTACH DATABASE 'f.db' AS aux"));
        Assert.IsType<DetachStatement>(SqlParser.Parse("DETACH aux"));
        Assert.Equal("main", Assert.IsType<VacuumStatement>(SqlParser.Parse("VACUUM main INTO 'x.db'")).Schema);
        Assert.Equal(new AnalyzeStatement("main", "t"), SqlParser.Parse("ANALYZE main.t"));
        Assert.Equal(new ReindexStatement(null, null), SqlParser.Parse("REINDEX"));
        var ex = Assert.IsType<ExplainStatement>(SqlParser.Parse("EXPLAIN QUERY PLAN SELECT 1"));
        Assert.True(ex.QueryPlan);
    }

    [Fact]
    public void Statements_are_split_with_their_byte_offsets()
    {
        string sql = ";; SELECT 'é'; -- c\n INSERT INTO t VALUES (1) ;  /* end */ ";
        IReadOnlyList<ParsedStatement> all = SqlParser.ParseAll(sql);
        Assert.Equal(2, all.Count);
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        Assert.Equal("SELECT 'é';", Encoding.UTF8.GetString(bytes, all[0].Start, all[0].End - all[0].Start));
        Assert.Equal("INSERT INTO t VALUES (1) ;", Encoding.UTF8.GetString(bytes, all[1].Start, all[1].End - all[1].Start));
        Assert.Null(SqlParser.ParseNext(bytes, all[1].End));
        Assert.Empty(SqlParser.ParseAll(" ;; -- nothing\n /* unterminated"));
    }

    [Fact]
    public void Parsing_one_statement_does_not_look_past_it()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("SELECT 1; SELECT 'unterminated");
        ParsedStatement first = SqlParser.ParseNext(bytes)!;
        Assert.Equal(9, first.End);
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseNext(bytes, first.End));
        Assert.Equal("unrecognized token: \"'unterminated\"", e.Message);
        Assert.Equal(17, e.Offset);
    }

    [Fact]
    public void A_NUL_byte_ends_the_input()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("SELECT 1"), 0, .. Encoding.UTF8.GetBytes(" garbage")];
        Assert.Single(SqlParser.ParseAll(bytes));
    }

    [Fact]
    public void Nodes_know_their_source_span()
    {
        const string sql = "SELECT a + (b * 2) AS x FROM t";
        SelectClause c = Core(sql);
        var col = Assert.IsType<ExprColumn>(c.Columns[0]);
        Assert.Equal("a + (b * 2)", sql[col.Start..col.End]);
        var add = Assert.IsType<BinaryExpr>(col.Expr);
        Assert.Equal("(b * 2)", sql[add.Right.Start..add.Right.End]); // the span takes in the parentheses, as SQLite's does
        Assert.Equal("t", sql[c.From[0].Start..c.From[0].End]);
    }

    [Fact]
    public void Equality_ignores_positions()
    {
        Assert.Equal(SqlParser.Parse("SELECT a+1 FROM t"), SqlParser.Parse("  SELECT   a + 1   FROM   t  "));
        Assert.NotEqual(SqlParser.Parse("SELECT a+1 FROM t"), SqlParser.Parse("SELECT a+2 FROM t"));
        Assert.Equal(SqlParser.Parse("SELECT a+1 FROM t").GetHashCode(), SqlParser.Parse("SELECT a + 1 FROM t").GetHashCode());
    }

    [Fact]
    public void Tern_Sql_depends_on_nothing_but_the_framework()
    {
        foreach (System.Reflection.AssemblyName reference in typeof(SqlParser).Assembly.GetReferencedAssemblies())
        {
            Assert.True(reference.Name!.StartsWith("System", StringComparison.Ordinal) || reference.Name == "netstandard", reference.Name);
        }
    }

    [Theory]
    [InlineData("SELECT", "incomplete input")]
    [InlineData("SELECT 1 +", "incomplete input")]
    [InlineData("SELECT 1 + ;", "near \";\": syntax error")]
    [InlineData("SELECT * FROM t WHERE", "incomplete input")]
    [InlineData("SELECT 'x", "unrecognized token: \"'x\"")]
    [InlineData("SELECT 1 FROM t ON 1", "a JOIN clause is required before ON")]
    [InlineData("SELECT 1 FROM a LEFT INNER JOIN b", "unknown join type: LEFT INNER")]
    [InlineData("SELECT 1 ORDER BY 1 UNION SELECT 2", "ORDER BY clause should come after UNION not before")]
    [InlineData("SELECT 1 LIMIT 1 INTERSECT SELECT 2", "LIMIT clause should come after INTERSECT not before")]
    [InlineData("CREATE TABLE t(a) WITHOUT x", "unknown table option: x")]
    public void Errors_use_SQLites_words(string sql, string message) =>
        Assert.Equal(message, Assert.Throws<SqlParseException>(() => SqlParser.Parse(sql)).Message);
}
