// CHECK constraints against SQLite 3.50.4: the rowid under its three names (bare or
// qualified) in a CHECK, UPDATE testing only the constraints that name a column it
// changes, PRAGMA ignore_check_constraints, integrity_check / quick_check reporting rows
// that fail one, and ALTER TABLE ADD COLUMN refusing a DEFAULT that fails one.
namespace Tern.Tests.Engine;

public class CheckConstraintDifferentialTests
{
    [Theory]
    [InlineData("CREATE TABLE t(a, CHECK (rowid > 1)); INSERT INTO t VALUES (1); INSERT INTO t(rowid, a) VALUES (5, 2); SELECT rowid, * FROM t")]
    [InlineData("CREATE TABLE t(a, CHECK (_rowid_ <> 2 AND oid <> 3)); INSERT INTO t VALUES (1), (2); INSERT INTO t(rowid, a) VALUES (3, 3); SELECT rowid, * FROM t")]
    [InlineData("CREATE TABLE t(a, CHECK (t.rowid < 3 AND t._rowid_ > 0 AND t.oid <> 2)); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); INSERT INTO t(rowid, a) VALUES (-1, 3); SELECT rowid, * FROM t")]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, v, CHECK (rowid > 0 AND id = rowid)); INSERT INTO t VALUES (1, 10); INSERT INTO t VALUES (1, 20) ON CONFLICT(id) DO UPDATE SET v = excluded.v; INSERT INTO t VALUES (-2, 1); SELECT * FROM t")]
    [InlineData("CREATE TABLE t(rowid, a, CHECK (rowid <> 'x')); INSERT INTO t VALUES ('y', 1); INSERT INTO t VALUES ('x', 2); SELECT * FROM t")]
    [InlineData("CREATE TABLE t(val INTEGER, CHECK (rowid > 0)); INSERT INTO t VALUES (100); UPDATE t SET val = 999 WHERE rowid = 1; SELECT rowid, val FROM t")]
    public void Check_constraint_reads_the_rowid_by_any_of_its_names(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("CREATE TABLE t(x CHECK (x > 0), y); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (-5, 1); PRAGMA ignore_check_constraints = 0; UPDATE t SET y = 999; UPDATE t SET x = x; SELECT * FROM t")]
    [InlineData("CREATE TABLE t(a, b, c, CHECK (a + b > 0)); PRAGMA ignore_check_constraints = ON; INSERT INTO t VALUES (-10, -10, 5); PRAGMA ignore_check_constraints = OFF; UPDATE t SET c = 100; UPDATE t SET b = b + 1; SELECT * FROM t")]
    [InlineData("CREATE TABLE t(a, b, g AS (a * 2), CHECK (g < 10)); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (7, 1); PRAGMA ignore_check_constraints = 0; UPDATE t SET b = 2; UPDATE t SET a = 8; SELECT * FROM t")]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, a, CHECK (id < 5), CHECK (rowid <> 3)); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (7, 1); PRAGMA ignore_check_constraints = 0; UPDATE t SET a = 2; UPDATE t SET id = 3; UPDATE t SET id = 6; SELECT * FROM t")]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, a CHECK (a > 0), b); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (1, -1, 1); PRAGMA ignore_check_constraints = 0; INSERT INTO t VALUES (1, 5, 2) ON CONFLICT(id) DO UPDATE SET b = excluded.b; INSERT INTO t VALUES (1, 5, 3) ON CONFLICT(id) DO UPDATE SET a = -a; SELECT * FROM t")]
    public void Update_tests_only_the_check_constraints_that_name_a_changed_column(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("CREATE TABLE t(id INTEGER PRIMARY KEY, val CHECK (val > 0)); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (1, -5), (2, 3); PRAGMA integrity_check; PRAGMA quick_check; PRAGMA ignore_check_constraints = 0; PRAGMA integrity_check; PRAGMA quick_check")]
    [InlineData("CREATE TABLE t(a CHECK (a > 0), b CHECK (b < 5), c); CREATE INDEX i ON t(c); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (-1, 1, 1), (2, 9, 1), (3, 1, 1), (-3, 7, 2); PRAGMA ignore_check_constraints = 0; PRAGMA integrity_check; PRAGMA integrity_check(2)")]
    public void Integrity_check_reports_rows_that_fail_a_check_constraint(string script) => Differential.AssertSame(script);

    [Theory]
    [InlineData("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN y INTEGER DEFAULT -5 CHECK (y > 0); SELECT sql FROM sqlite_schema")]
    [InlineData("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN y TEXT DEFAULT 'z' CHECK (y IN ('a', 'b')); SELECT sql FROM sqlite_schema")]
    [InlineData("CREATE TABLE t(x INTEGER); ALTER TABLE t ADD COLUMN y INTEGER DEFAULT -5 CHECK (y > 0); INSERT INTO t VALUES (1, 10); SELECT * FROM t")]
    [InlineData("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN y INTEGER DEFAULT 10 CHECK (y > 0); ALTER TABLE t ADD COLUMN z CHECK (z > 0); SELECT * FROM t")]
    [InlineData("CREATE TABLE t(x CHECK (x > 0)); PRAGMA ignore_check_constraints = 1; INSERT INTO t VALUES (-1); PRAGMA ignore_check_constraints = 0; ALTER TABLE t ADD COLUMN y; PRAGMA ignore_check_constraints = 1; ALTER TABLE t ADD COLUMN z; SELECT * FROM t")]
    public void Add_column_fails_when_a_row_with_the_default_fails_a_check_constraint(string script) => Differential.AssertSame(script);
}
