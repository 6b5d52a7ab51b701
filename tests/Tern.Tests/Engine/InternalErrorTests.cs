// Inputs that once escaped as .NET exceptions or refused what SQLite accepts, pinned
// against SQLite 3.50.4: GLOB with ESCAPE, substr() with extreme positions, partial
// indexes that name the rowid, and inserts at the largest rowid.
namespace Tern.Tests.Engine;

public class InternalErrorTests
{
    [Fact]
    public void Glob_with_escape_is_refused_by_argument_count_everywhere() =>
        Differential.AssertSame("""
            SELECT 'xa' GLOB 'x*' ESCAPE 'y';
            SELECT 'xa' glob 'x*' ESCAPE 'y';
            CREATE TABLE t(a);
            CREATE INDEX i ON t(a) WHERE a GLOB 'a*' ESCAPE 'b';
            CREATE INDEX j ON t(a) WHERE nosuch(a);
            CREATE INDEX k ON t(a) WHERE abs(a, 1);
            SELECT name FROM sqlite_schema;
            SELECT a FROM t WHERE a NOT GLOB 'x' ESCAPE 'y';
            """);

    [Fact]
    public void Substr_handles_extreme_positions_and_lengths() =>
        Differential.AssertSame("""
            SELECT substr('abc', 9223372036854775807, 2), substr('abc', -9223372036854775808, 2), substr('abc', 2, 9223372036854775807);
            SELECT substr('abc', 2147483648, 1e308), substr('abc', -2147483649), substr('abc', -9223372036854775808, -9223372036854775808);
            SELECT substr(x'0102', 9223372036854775807, 9223372036854775807), substr(x'', 1), substr('', 1), substr('ab' || char(0) || 'cd', 2);
            SELECT substring('héllo', -3, -9223372036854775807), substr('héllo', 0, 2), substr('héllo', -1, 5);
            """);

    [Fact]
    public void Partial_index_may_name_the_rowid() =>
        Differential.AssertSame("""
            CREATE TABLE t(a);
            CREATE INDEX i ON t(a) WHERE rowid > 5;
            INSERT INTO t VALUES (1);
            INSERT INTO t(rowid, a) VALUES (9, 2);
            UPDATE t SET a = a + 10;
            SELECT rowid, a FROM t WHERE rowid > 5 AND a = 12;
            PRAGMA integrity_check;
            """);

    [Fact]
    public void Insert_after_the_largest_rowid_picks_a_free_one_or_is_full_with_autoincrement() =>
        Differential.AssertSame("""
            CREATE TABLE t(a INTEGER PRIMARY KEY, b);
            INSERT INTO t VALUES (9223372036854775807, 1);
            INSERT INTO t(b) VALUES (2);
            INSERT INTO t(b) VALUES (3);
            SELECT count(*), count(DISTINCT a), max(a) FROM t;
            CREATE TABLE u(a INTEGER PRIMARY KEY AUTOINCREMENT, b);
            INSERT INTO u VALUES (9223372036854775807, 1);
            INSERT INTO u(b) VALUES (2);
            SELECT count(*) FROM u;
            """);
}
