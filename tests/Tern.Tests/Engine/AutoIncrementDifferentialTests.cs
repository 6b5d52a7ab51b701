// Differential tests for AUTOINCREMENT's bookkeeping in sqlite_sequence: a new rowid moves the
// sequence on as soon as it is chosen (so a row then ignored by OR IGNORE or DO NOTHING still
// uses up its number), the stored value is read as an integer (text prefixes, NULL, the
// largest integer giving SQLITE_FULL), and it is written back only when it grew (an explicit
// smaller rowid leaves even a text value as it was).
namespace Tern.Tests.Engine;

public class AutoIncrementDifferentialTests
{
    public static TheoryData<string> Scripts() => new(
        "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT); CREATE UNIQUE INDEX idx ON t(k) WHERE id > 1; "
        + "INSERT INTO t(k) VALUES ('a'); INSERT INTO t(k) VALUES ('a'); INSERT INTO t(k) VALUES ('a') ON CONFLICT DO NOTHING; "
        + "INSERT INTO t(k) VALUES ('b'); SELECT * FROM t ORDER BY id; SELECT * FROM sqlite_sequence",
        "CREATE TABLE t1(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE); INSERT INTO t1(b) VALUES ('one'); INSERT OR IGNORE INTO t1(b) VALUES ('one'); "
        + "INSERT OR IGNORE INTO t1(a, b) VALUES (50, 'one'); INSERT INTO t1(b) VALUES ('three'); SELECT * FROM t1 ORDER BY a; SELECT * FROM sqlite_sequence; "
        + "INSERT INTO t1(a, b) VALUES (100, 'one'); SELECT * FROM sqlite_sequence; INSERT OR REPLACE INTO t1(b) VALUES ('three'); SELECT * FROM t1 ORDER BY a",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t DEFAULT VALUES; UPDATE sqlite_sequence SET seq = '5abc' WHERE name = 't'; "
        + "INSERT INTO t DEFAULT VALUES; SELECT a FROM t ORDER BY a; SELECT typeof(seq), seq FROM sqlite_sequence WHERE name = 't'",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO t VALUES (1, 'first'); UPDATE sqlite_sequence SET seq = '5abc' WHERE name = 't'; "
        + "INSERT INTO t VALUES (3, 'explicit'); SELECT a FROM t ORDER BY a; SELECT typeof(seq), seq FROM sqlite_sequence WHERE name = 't'; "
        + "INSERT INTO t VALUES (9, 'x'); SELECT typeof(seq), seq FROM sqlite_sequence",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t DEFAULT VALUES; UPDATE sqlite_sequence SET seq = '9223372036854775807' WHERE name = 't'; "
        + "INSERT INTO t DEFAULT VALUES; SELECT * FROM t",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO t DEFAULT VALUES; UPDATE sqlite_sequence SET seq = NULL; INSERT INTO t DEFAULT VALUES; "
        + "SELECT * FROM t; SELECT typeof(seq), seq FROM sqlite_sequence; UPDATE sqlite_sequence SET seq = ' 2.9e1'; INSERT INTO t DEFAULT VALUES; "
        + "SELECT * FROM t; SELECT typeof(seq), seq FROM sqlite_sequence; UPDATE sqlite_sequence SET seq = x'3132'; INSERT INTO t DEFAULT VALUES; SELECT max(a) FROM t",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b); INSERT INTO t(b) SELECT 1 WHERE 0; SELECT * FROM sqlite_sequence; "
        + "INSERT INTO t(a, b) VALUES (-5, 1); SELECT * FROM sqlite_sequence; INSERT INTO t(b) VALUES (2); SELECT * FROM t ORDER BY a; "
        + "CREATE INDEX seqidx ON sqlite_sequence(name); CREATE INDEX mi ON sqlite_master(name); CREATE INDEX IF NOT EXISTS seqidx ON sqlite_sequence(seq)");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Sqlite_sequence_moves_as_sqlite_moves_it(string script) => Differential.AssertSame(script);
}
