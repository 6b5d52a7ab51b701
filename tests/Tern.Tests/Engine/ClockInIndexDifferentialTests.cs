// Date and time functions that would read the clock ('now', or no time value) inside an
// index expression, a partial index's WHERE or a generated column: SQLite refuses them when
// the row is written ("non-deterministic use of strftime() in an index"), while the same
// functions on fixed time values are allowed. Differential against SQLite 3.50.4.
namespace Tern.Tests.Engine;

public class ClockInIndexDifferentialTests
{
    [Theory]
    [InlineData("CREATE TABLE logs(created TEXT NOT NULL); CREATE INDEX i ON logs(strftime('%Y-%m-%d %H:00:00', 'now')); INSERT INTO logs VALUES ('2024-01-01 12:34:56'); SELECT count(*) FROM logs")]
    [InlineData("CREATE TABLE logs(created TEXT); INSERT INTO logs VALUES ('2024-01-01'); CREATE INDEX i ON logs(date('now')); SELECT count(*) FROM logs")]
    [InlineData("CREATE TABLE logs(created TEXT); CREATE INDEX i ON logs(created) WHERE created < date('now'); INSERT INTO logs VALUES ('2024-01-01')")]
    [InlineData("CREATE TABLE logs(created TEXT); INSERT INTO logs VALUES ('2024-01-01'); CREATE INDEX i ON logs(created) WHERE created < julianday(); SELECT 1")]
    [InlineData("CREATE TABLE logs(created TEXT); CREATE INDEX i ON logs(datetime(created, '+1 day'), date('2020-01-02')); INSERT INTO logs VALUES ('2024-01-01'); SELECT created FROM logs INDEXED BY i")]
    [InlineData("CREATE TABLE logs(created TEXT); CREATE INDEX i ON logs(strftime('%s', created)); INSERT INTO logs VALUES ('now'); SELECT count(*) FROM logs")]
    [InlineData("CREATE TABLE logs(created TEXT); CREATE UNIQUE INDEX i ON logs(unixepoch(created)); INSERT INTO logs VALUES ('2024-01-01'), ('2024-01-02'); UPDATE logs SET created = 'now'; SELECT count(*) FROM logs")]
    [InlineData("CREATE TABLE g(a TEXT, b AS (date(a))); INSERT INTO g(a) VALUES ('now'); SELECT * FROM g")]
    [InlineData("CREATE TABLE logs(created TEXT); INSERT INTO logs VALUES ('2024-01-01'); SELECT date('now') IS NOT NULL FROM logs")]
    public void Clock_reads_in_index_definitions_fail_as_in_sqlite(string script) => Differential.AssertSame(script);
}
