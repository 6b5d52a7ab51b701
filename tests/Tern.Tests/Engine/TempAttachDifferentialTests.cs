// Differential tests for a connection's other databases: the TEMP database (TEMP tables,
// indexes, views and triggers in sqlite_temp_schema; a TEMP name hiding a main one; temp
// triggers firing before main ones, and on tables of other databases) and databases added
// with ATTACH (':memory:' here, so both engines start from nothing): schema-qualified names
// in every statement, transactions and savepoints spanning several databases, DETACH and
// the errors of both, and the schema pragmas with a schema argument.
namespace Tern.Tests.Engine;

public class TempAttachDifferentialTests
{
    public static TheoryData<string> TempScripts() => new(
        // Shadowing both ways, qualified names, the two schema tables.
        "CREATE TABLE t(a); INSERT INTO t VALUES (1); CREATE TEMP TABLE t(b); INSERT INTO t VALUES (2); "
        + "SELECT * FROM t; SELECT * FROM main.t; SELECT * FROM temp.t; SELECT name, type FROM sqlite_master; "
        + "SELECT type, name, tbl_name, sql FROM sqlite_temp_master; SELECT name FROM temp.sqlite_schema; SELECT name FROM sqlite_temp_schema; "
        + "SELECT m.a, x.b FROM main.t AS m, temp.t AS x; UPDATE t SET b = 20; DELETE FROM main.t; SELECT * FROM temp.t; SELECT count(*) FROM main.t",
        // TEMP indexes, views and CREATE TEMP TABLE AS.
        "CREATE TEMP TABLE tt(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c); CREATE INDEX ti ON tt(c); INSERT INTO tt VALUES (1, 'x', 3), (2, 'y', 1); "
        + "SELECT type, name, tbl_name FROM temp.sqlite_master ORDER BY name; SELECT * FROM tt WHERE c = 1; "
        + "CREATE TEMP VIEW v AS SELECT b FROM tt; SELECT * FROM v; CREATE TEMPORARY TABLE cp AS SELECT * FROM tt; SELECT * FROM cp; "
        + "SELECT sql FROM sqlite_temp_master WHERE name = 'cp'; INSERT INTO tt VALUES (3, 'x', 0)",
        // DROP prefers temp; explicit schemas; the same index name in both.
        "CREATE TABLE t(a); CREATE INDEX i ON t(a); CREATE TEMP TABLE t(b); CREATE INDEX i2 ON t(b); CREATE INDEX temp.i ON t(b); "
        + "SELECT name, tbl_name FROM sqlite_temp_master ORDER BY name; DROP INDEX i; SELECT name FROM sqlite_temp_master ORDER BY name; "
        + "SELECT name FROM sqlite_master ORDER BY name; DROP TABLE t; SELECT name FROM sqlite_temp_master; SELECT name FROM sqlite_master; DROP TABLE t; SELECT name FROM sqlite_master",
        // Errors: qualified TEMP names, unknown databases, missing objects.
        "CREATE TEMP TABLE main.x(a); CREATE TABLE nosuch.x(a); CREATE TEMP VIEW main.v AS SELECT 1; SELECT * FROM temp.nosuchthing; SELECT * FROM nosuch.t; "
        + "DROP TABLE temp.nosuchthing; CREATE TEMP TABLE x(a); CREATE TEMP TABLE x(a); CREATE TEMP TABLE IF NOT EXISTS x(b); CREATE TABLE x(c); SELECT * FROM main.x",
        // Transactions and savepoints over main and temp together.
        "CREATE TABLE m(a); CREATE TEMP TABLE t(a); BEGIN; INSERT INTO m VALUES (1); INSERT INTO t VALUES (1); SAVEPOINT s; "
        + "INSERT INTO t VALUES (2); CREATE TEMP TABLE t2(x); INSERT INTO m VALUES (2); ROLLBACK TO s; SELECT * FROM t2; SELECT * FROM t; SELECT * FROM m; "
        + "COMMIT; SELECT * FROM t; BEGIN; DELETE FROM t; CREATE TEMP TABLE gone(z); ROLLBACK; SELECT * FROM t; SELECT * FROM gone",
        // TEMP triggers: on main tables, on temp tables, the order they fire in, WHEN, DROP.
        "CREATE TABLE t(x); CREATE TABLE log(seq INTEGER PRIMARY KEY, who TEXT); "
        + "CREATE TRIGGER main1 BEFORE INSERT ON t BEGIN INSERT INTO log(who) VALUES ('main1'); END; "
        + "CREATE TRIGGER main2 BEFORE INSERT ON t BEGIN INSERT INTO log(who) VALUES ('main2'); END; "
        + "CREATE TEMP TRIGGER temp1 BEFORE INSERT ON t BEGIN INSERT INTO log(who) VALUES ('temp1'); END; "
        + "CREATE TEMP TRIGGER temp2 BEFORE INSERT ON t WHEN new.x > 0 BEGIN INSERT INTO log(who) VALUES ('temp2'); END; "
        + "INSERT INTO t VALUES (1); INSERT INTO t VALUES (0); SELECT * FROM log; SELECT name, tbl_name FROM sqlite_temp_master; "
        + "DROP TRIGGER temp1; DROP TABLE t; SELECT name FROM sqlite_temp_master; SELECT name FROM sqlite_master",
        "CREATE TEMP TABLE tt(x); CREATE TABLE log(v); CREATE TRIGGER tr AFTER INSERT ON tt BEGIN INSERT INTO log VALUES (new.x * 10); END; "
        + "SELECT name, type FROM sqlite_temp_master ORDER BY name; INSERT INTO tt VALUES (4); SELECT * FROM log; "
        + "CREATE TRIGGER main.tr2 AFTER INSERT ON tt BEGIN SELECT 1; END; CREATE TEMP TRIGGER missing AFTER INSERT ON nosuchthing BEGIN SELECT 1; END; SELECT count(*) FROM sqlite_temp_master",
        // PRAGMAs with and without a schema.
        "CREATE TABLE t(a, b); CREATE TEMP TABLE t(c INTEGER PRIMARY KEY, d UNIQUE); CREATE TEMP TABLE only_temp(z) STRICT; "
        + "PRAGMA table_info(t); PRAGMA main.table_info(t); PRAGMA temp.index_list(t); PRAGMA main.index_list(t); PRAGMA table_list; "
        + "PRAGMA table_list(t); PRAGMA temp.table_list; PRAGMA database_list; SELECT * FROM pragma_table_info('t', 'main'); "
        + "SELECT name FROM pragma_table_list WHERE schema = 'temp' ORDER BY name; PRAGMA nosuch.table_info(t)");

    [Theory]
    [MemberData(nameof(TempScripts))]
    public void Temp_database_works_as_in_sqlite(string script) => Differential.AssertSame(script);

    public static TheoryData<string> AttachScripts() => new(
        "ATTACH ':memory:' AS aux; CREATE TABLE aux.t(a INTEGER PRIMARY KEY, b); CREATE INDEX aux.ib ON t(b); INSERT INTO aux.t VALUES (1, 'x'), (2, 'y'); "
        + "SELECT * FROM t; SELECT * FROM aux.t WHERE b = 'y'; SELECT type, name, tbl_name, sql FROM aux.sqlite_master; PRAGMA database_list; "
        + "CREATE TABLE t(c); INSERT INTO t VALUES (9); SELECT * FROM t; SELECT * FROM aux.t; UPDATE aux.t SET b = b || '!' WHERE a = 1; "
        + "DELETE FROM aux.t WHERE a = 2; SELECT * FROM aux.t; SELECT main.t.c, aux.t.b FROM main.t, aux.t; PRAGMA aux.integrity_check",
        // Errors: the same name twice, main and temp, DETACH of what is not there.
        "ATTACH ':memory:' AS aux; ATTACH ':memory:' AS aux; ATTACH ':memory:' AS main; ATTACH ':memory:' AS TEMP; DETACH nosuch; DETACH main; DETACH temp; "
        + "DETACH aux; SELECT * FROM aux.sqlite_master; DETACH aux",
        // Transactions across databases; ATTACH and DETACH inside one.
        "ATTACH ':memory:' AS a1; CREATE TABLE a1.t(x); CREATE TABLE m(y); BEGIN; INSERT INTO a1.t VALUES (1); INSERT INTO m VALUES (1); ROLLBACK; "
        + "SELECT count(*) FROM a1.t; SELECT count(*) FROM m; BEGIN; INSERT INTO a1.t VALUES (2); SAVEPOINT s; INSERT INTO m VALUES (2); "
        + "INSERT INTO a1.t VALUES (3); ROLLBACK TO s; ATTACH ':memory:' AS a2; DETACH a1; COMMIT; SELECT * FROM a1.t; SELECT * FROM m; DETACH a1",
        // Triggers, views and foreign keys live in their own database.
        "PRAGMA foreign_keys = ON; ATTACH ':memory:' AS aux; CREATE TABLE aux.p(id INTEGER PRIMARY KEY); CREATE TABLE aux.c(pid REFERENCES p(id)); "
        + "INSERT INTO aux.p VALUES (1); INSERT INTO aux.c VALUES (1); INSERT INTO aux.c VALUES (2); DELETE FROM aux.p; "
        + "CREATE TABLE aux.log(v); CREATE TRIGGER aux.tr AFTER INSERT ON p BEGIN INSERT INTO log VALUES (new.id); END; INSERT INTO aux.p VALUES (5); SELECT * FROM aux.log; "
        + "CREATE VIEW aux.v AS SELECT id FROM p; SELECT * FROM aux.v; SELECT * FROM v; CREATE TRIGGER aux.bad AFTER INSERT ON main.x BEGIN SELECT 1; END; "
        + "PRAGMA aux.foreign_key_list(c); PRAGMA aux.index_list(c); SELECT schema, name, type FROM pragma_table_list ORDER BY schema, name",
        // A TEMP trigger keeps the table it was made on.
        "ATTACH ':memory:' AS aux; CREATE TABLE aux.tg(x INTEGER); CREATE TEMP TRIGGER trg AFTER INSERT ON tg BEGIN SELECT raise(FAIL, 'wrong table'); END; "
        + "CREATE TABLE main.tg(x INTEGER); INSERT INTO main.tg VALUES (1); DROP TABLE main.tg; SELECT count(*) FROM temp.sqlite_schema WHERE name = 'trg'; "
        + "INSERT INTO aux.tg VALUES (1); DROP TABLE aux.tg; SELECT count(*) FROM temp.sqlite_schema WHERE name = 'trg'");

    [Theory]
    [MemberData(nameof(AttachScripts))]
    public void Attached_databases_work_as_in_sqlite(string script) => Differential.AssertSame(script);
}
