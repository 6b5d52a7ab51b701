// The public engine API: binding, column metadata and accessors, change counters,
// transactions, errors with SQLite's codes, re-preparing after a schema change, EXPLAIN.
namespace Tern.Tests.Engine;

public class ApiTests
{
    private static Connection Memory(out Database db)
    {
        db = Database.Open(":memory:");
        return db.Connect();
    }

    [Fact]
    public void Bind_by_index_and_name_reaches_the_statement()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a, b, c, d, e)");
            using (Statement ins = c.Prepare("INSERT INTO t VALUES (?, :x, @y, $z, ?5)"))
            {
                Assert.Equal(5, ins.ParameterCount);
                Assert.Equal(":x", ins.ParameterName(2));
                Assert.Null(ins.ParameterName(1));
                Assert.Equal(3, ins.ParameterIndex("@y"));
                ins.Bind(1, 42L);
                ins.Bind(":x", 2.5);
                ins.Bind("@y", "héllo");
                ins.Bind("$z", new byte[] { 1, 2, 3 });
                ins.BindNull(5);
                Assert.False(ins.Step());
                Assert.Equal(1, c.Changes);
                Assert.Equal(1, c.LastInsertRowId);
                ins.Reset();
                ins.Bind(1, 7L);
                Assert.False(ins.Step());
                Assert.Equal(2, c.LastInsertRowId);
                Assert.Equal(2, c.TotalChanges);
            }
            using Statement s = c.Prepare("SELECT a, b, c, d, e, a * 2 AS twice FROM t WHERE rowid = 1");
            Assert.True(s.Step());
            Assert.Equal(6, s.ColumnCount);
            Assert.Equal("twice", s.ColumnName(5));
            Assert.Equal(ValueKind.Integer, s.ColumnType(0));
            Assert.Equal(42, s.GetInt64(0));
            Assert.Equal(ValueKind.Real, s.ColumnType(1));
            Assert.Equal(2.5, s.GetDouble(1));
            Assert.Equal("héllo", s.GetString(2));
            Assert.Equal("héllo"u8.ToArray(), s.GetUtf8(2).ToArray());
            Assert.Equal(new byte[] { 1, 2, 3 }, s.GetBlob(3));
            Assert.Equal(ValueKind.Null, s.ColumnType(4));
            Assert.Null(s.GetString(4));
            Assert.Equal(84, s.GetInt64(5));
            Assert.False(s.Step());
        }
    }

    [Fact]
    public void Declared_types_come_from_the_table()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b VARCHAR(5), c)");
            using Statement s = c.Prepare("SELECT a, b, c, b || c FROM t");
            Assert.Equal("INTEGER", s.ColumnDeclaredType(0));
            Assert.Equal("VARCHAR(5)", s.ColumnDeclaredType(1));
            Assert.Null(s.ColumnDeclaredType(2));
            Assert.Null(s.ColumnDeclaredType(3));
        }
    }

    [Fact]
    public void Errors_carry_sqlite_codes_and_messages()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            var e = Assert.Throws<TernException>(() => c.Prepare("SELECT * FROM nope"));
            Assert.Equal(ResultCode.Error, e.Code);
            Assert.Equal("no such table: nope", e.Message);
            e = Assert.Throws<TernException>(() => c.Prepare("SELECT 1 FROM"));
            Assert.Equal("incomplete input", e.Message);
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b NOT NULL, c UNIQUE)");
            e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, NULL, 1)"));
            Assert.Equal(ResultCode.Constraint, e.Code);
            Assert.Equal(ResultCode.ConstraintNotNull, e.ExtendedCode);
            Assert.Equal("NOT NULL constraint failed: t.b", e.Message);
            c.Execute("INSERT INTO t VALUES (1, 1, 1)");
            e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (1, 1, 2)"));
            Assert.Equal(ResultCode.ConstraintPrimaryKey, e.ExtendedCode);
            e = Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (2, 1, 1)"));
            Assert.Equal(ResultCode.ConstraintUnique, e.ExtendedCode);
            Assert.Equal("UNIQUE constraint failed: t.c", e.Message);
        }
    }

    [Fact]
    public void A_failed_statement_in_autocommit_leaves_no_trace()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a UNIQUE)");
            c.Execute("INSERT INTO t VALUES (1)");
            Assert.Throws<TernException>(() => c.Execute("INSERT INTO t VALUES (2), (3), (1)"));
            using Statement s = c.Prepare("SELECT count(*) FROM t");
            Assert.True(s.Step());
            Assert.Equal(1, s.GetInt64(0));
        }
    }

    [Fact]
    public void Statement_prepared_before_a_schema_change_reprepares()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a); INSERT INTO t VALUES (1)");
            using Statement s = c.Prepare("SELECT * FROM t");
            c.Execute("CREATE TABLE u(b); CREATE INDEX ta ON t(a)");
            Assert.True(s.Step());
            Assert.Equal(1, s.GetInt64(0));
            Assert.False(s.Step());
        }
    }

    [Fact]
    public void Transactions_commit_and_roll_back()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a)");
            Assert.True(c.AutoCommit);
            c.Execute("BEGIN; INSERT INTO t VALUES (1);");
            Assert.False(c.AutoCommit);
            c.Execute("ROLLBACK");
            Assert.True(c.AutoCommit);
            c.Execute("BEGIN; INSERT INTO t VALUES (2); COMMIT");
            using Statement s = c.Prepare("SELECT group_concat(a) FROM t");
            Assert.True(s.Step());
            Assert.Equal("2", s.GetString(0));
            var e = Assert.Throws<TernException>(() => c.Execute("COMMIT"));
            Assert.Equal("cannot commit - no transaction is active", e.Message);
        }
    }

    [Fact]
    public void Prepare_returns_the_tail_of_a_script()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            const string sql = "SELECT 1; SELECT 'é';  ";
            using Statement? s = c.Prepare(sql, out int tail);
            Assert.NotNull(s);
            Assert.Equal(" SELECT 'é';  ", sql[tail..]);
            using Statement? s2 = c.Prepare(sql[tail..], out int tail2);
            Assert.NotNull(s2);
            Assert.Null(c.Prepare(sql[tail..][tail2..], out _));
        }
    }

    [Fact]
    public void Explain_lists_the_program_with_sqlite_columns()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)");
            using Statement s = c.Prepare("EXPLAIN SELECT b FROM t WHERE a = 5");
            Assert.Equal(["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"], Enumerable.Range(0, 8).Select(s.ColumnName));
            var ops = new List<string>();
            while (s.Step()) ops.Add(s.GetString(1)!);
            Assert.Equal("Init", ops[0]);
            Assert.Contains("SeekRowid", ops);
            Assert.DoesNotContain("Rewind", ops);
            Assert.Contains("Halt", ops);
        }
    }

    [Fact]
    public void Point_lookup_on_an_indexed_column_seeks_the_index()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)");
            using Statement s = c.Prepare("EXPLAIN SELECT a FROM t WHERE b = 'x'");
            var ops = new List<string>();
            while (s.Step()) ops.Add(s.GetString(1)!);
            Assert.Contains("SeekGE", ops);
            Assert.Contains("IdxGT", ops);
            Assert.DoesNotContain("Rewind", ops);
        }
    }

    [Fact]
    public void Explain_query_plan_shows_seeks_for_point_lookups_and_scans_otherwise()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b, c); CREATE INDEX tb ON t(b); CREATE TABLE u(x, y)");
            List<(long Id, long Parent, string Detail)> Plan(string sql)
            {
                using Statement s = c.Prepare("EXPLAIN QUERY PLAN " + sql);
                Assert.Equal(2, s.ExplainMode);
                Assert.Equal(["id", "parent", "notused", "detail"], Enumerable.Range(0, 4).Select(s.ColumnName));
                var rows = new List<(long, long, string)>();
                while (s.Step()) rows.Add((s.GetInt64(0), s.GetInt64(1), s.GetString(3)!));
                return rows;
            }
            Assert.Equal([(1L, 0L, "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)")], Plan("SELECT b FROM t WHERE a = 5"));
            Assert.Equal([(1L, 0L, "SEARCH t USING INDEX tb (b=?)")], Plan("SELECT a FROM t WHERE b = 'x'"));
            Assert.Equal([(1L, 0L, "SCAN t")], Plan("SELECT a FROM t WHERE c = 'x'"));
            Assert.Equal(["SCAN u", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"], Plan("SELECT * FROM t, u WHERE t.a = u.x").Select(r => r.Detail));
            var nested = Plan("SELECT * FROM t WHERE c IN (SELECT x FROM u) ORDER BY b");
            Assert.Equal(["SCAN t", "LIST SUBQUERY 1", "SCAN u", "USE TEMP B-TREE FOR ORDER BY"], nested.Select(r => r.Detail));
            Assert.Equal(nested[1].Id, nested[2].Parent);
            using Statement plain = c.Prepare("SELECT 1");
            Assert.Equal(0, plain.ExplainMode);
        }
    }

    [Fact]
    public void Prepare_keeps_bytes_of_string_literals_that_are_not_utf8()
    {
        using Database db = Database.Open(":memory:");
        using Connection c = db.Connect();
        c.Execute("CREATE TABLE t(x, d DEFAULT 'z')");
        byte[] insert = [.. "INSERT INTO t(x) VALUES ('a"u8, 0xFF, 0xFE, .. "b')"u8];
        using (Statement s = c.Prepare(insert, 0, out _)!) s.Step();
        byte[] query = [.. "SELECT hex(x), length(x), x = 'a"u8, 0xFF, 0xFE, .. "b', hex('"u8, 0xC3, .. "') FROM t"u8];
        using Statement q = c.Prepare(query, 0, out _)!;
        Assert.True(q.Step());
        Assert.Equal("61FFFE62", q.GetString(0));
        Assert.Equal(4, q.GetInt64(1));
        Assert.Equal(1, q.GetInt64(2));
        Assert.Equal("C3", q.GetString(3));
    }

    [Fact]
    public void Scanning_integers_does_not_allocate_per_row()
    {
        using Connection c = Memory(out Database db);
        using (db)
        {
            c.Execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c INTEGER)");
            c.Execute("BEGIN");
            using (Statement ins = c.Prepare("INSERT INTO t(b, c) VALUES (?, ?)"))
            {
                for (int i = 0; i < 5000; i++)
                {
                    ins.Bind(1, i);
                    ins.Bind(2, i * 2L);
                    ins.Step();
                    ins.Reset();
                }
            }
            c.Execute("COMMIT");
            using Statement s = c.Prepare("SELECT a, b, c FROM t");
            long sum = 0;
            Assert.True(s.Step());
            long before = GC.GetAllocatedBytesForCurrentThread();
            int rows = 1;
            while (s.Step())
            {
                sum += s.GetInt64(1) + s.GetInt64(2);
                rows++;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(5000, rows);
            Assert.True(allocated < 5000, $"allocated {allocated} bytes over {rows} rows");
        }
    }
}
