// A C# port of the "main" test set of SQLite's speedtest1 (test/speedtest1.c), with its
// defaults: plain (not TEMP) tables, UNIQUE rather than PRIMARY KEY on the indexed
// column, no NOT NULL, one run per SELECT, and tests 410/510 outside an explicit
// transaction. --size N gives N*500 rows to the first tables (100 gives 50,000) and
// N*700 to the REPLACE tests. Each test is written once against SpeedtestSession (an
// ADO.NET connection), so both engines run the same statements with the same values in
// the same order.
using System.Data.Common;
using static Tern.Benchmarks.Speedtest.SpeedtestData;

namespace Tern.Benchmarks.Speedtest;

/// <summary>One speedtest1 test: its number, its title and its body.</summary>
internal sealed record SpeedtestCase(int Number, string Name, Action<SpeedtestSession> Body);

/// <summary>The tests of speedtest1's main set at a given size.</summary>
internal static class Speedtest1
{
    /// <summary>The tables the main set leaves behind, compared between the engines at the end.</summary>
    public static readonly string[] Tables = ["z1", "z2", "t3", "t4", "t5", "t6"];

    /// <summary>The tests, in order, for speedtest1's <c>--size</c> <paramref name="size"/>.</summary>
    public static List<SpeedtestCase> MainSet(int size)
    {
        var tests = new List<SpeedtestCase>();
        int sz = size * 500;
        uint maxb = RoundUpAllOnes((uint)sz);

        tests.Add(new(100, $"{sz} INSERTs into table with no index", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE z1(a INTEGER, b INTEGER, c TEXT);");
            DbCommand ins = s.Prepare($"INSERT INTO z1 VALUES(?1,?2,?3); --  {sz} times", 3);
            for (int i = 1; i <= sz; i++)
            {
                uint x1 = Swizzle((uint)i, maxb);
                SpeedtestSession.Bind(ins, 1, x1);
                SpeedtestSession.Bind(ins, 2, i);
                SpeedtestSession.Bind(ins, 3, NumberName(x1));
                s.Run(ins);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(110, $"{sz} ordered INSERTS with one index/PK", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE z2(a INTEGER UNIQUE, b INTEGER, c TEXT)");
            DbCommand ins = s.Prepare($"INSERT INTO z2 VALUES(?1,?2,?3); -- {sz} times", 3);
            for (int i = 1; i <= sz; i++)
            {
                uint x1 = Swizzle((uint)i, maxb);
                SpeedtestSession.Bind(ins, 1, i);
                SpeedtestSession.Bind(ins, 2, x1);
                SpeedtestSession.Bind(ins, 3, NumberName(x1));
                s.Run(ins);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(120, $"{sz} unordered INSERTS with one index/PK", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE t3(a INTEGER UNIQUE, b INTEGER, c TEXT)");
            DbCommand ins = s.Prepare($"INSERT INTO t3 VALUES(?1,?2,?3); -- {sz} times", 3);
            for (int i = 1; i <= sz; i++)
            {
                uint x1 = Swizzle((uint)i, maxb);
                SpeedtestSession.Bind(ins, 2, i);
                SpeedtestSession.Bind(ins, 1, x1);
                SpeedtestSession.Bind(ins, 3, NumberName(x1));
                s.Run(ins);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(130, "25 SELECTS, numeric BETWEEN, unindexed", s =>
            NumericRange(s, 25, sz, maxb, 0,
                "SELECT count(*), avg(b), sum(length(c)), group_concat(c) FROM z1\n WHERE b BETWEEN ?1 AND ?2; -- 25 times")));

        tests.Add(new(140, "10 SELECTS, LIKE, unindexed", s =>
            LikeScan(s, maxb, "SELECT count(*), avg(b), sum(length(c)), group_concat(c) FROM z1\n WHERE c LIKE ?1; -- 10 times")));

        tests.Add(new(142, "10 SELECTS w/ORDER BY, unindexed", s =>
            LikeScan(s, maxb, "SELECT a, b, c FROM z1 WHERE c LIKE ?1\n ORDER BY a; -- 10 times")));

        tests.Add(new(145, "10 SELECTS w/ORDER BY and LIMIT, unindexed", s =>
            LikeScan(s, maxb, "SELECT a, b, c FROM z1 WHERE c LIKE ?1\n ORDER BY a LIMIT 10; -- 10 times")));

        tests.Add(new(150, "CREATE INDEX five times", s =>
        {
            s.Exec("BEGIN;");
            s.Exec("CREATE UNIQUE INDEX t1b ON z1(b);");
            s.Exec("CREATE INDEX t1c ON z1(c);");
            s.Exec("CREATE UNIQUE INDEX t2b ON z2(b);");
            s.Exec("CREATE INDEX t2c ON z2(c DESC);");
            s.Exec("CREATE INDEX t3bc ON t3(b,c);");
            s.Exec("COMMIT;");
        }));

        tests.Add(new(160, $"{sz / 5} SELECTS, numeric BETWEEN, indexed", s =>
            NumericRange(s, sz / 5, sz, maxb, 0,
                $"SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z1\n WHERE b BETWEEN ?1 AND ?2; -- {sz / 5} times")));

        tests.Add(new(161, $"{sz / 5} SELECTS, numeric BETWEEN, PK", s =>
            NumericRange(s, sz / 5, sz, maxb, 0,
                $"SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z2\n WHERE a BETWEEN ?1 AND ?2; -- {sz / 5} times")));

        tests.Add(new(170, $"{sz / 5} SELECTS, text BETWEEN, indexed", s =>
        {
            int n = sz / 5;
            s.Exec("BEGIN");
            DbCommand q = s.Prepare($"SELECT count(*), avg(b), sum(length(c)), group_concat(a) FROM z1\n WHERE c BETWEEN ?1 AND (?1||'~'); -- {n} times", 1);
            for (int i = 1; i <= n; i++)
            {
                SpeedtestSession.Bind(q, 1, NumberName(Swizzle((uint)i, maxb)));
                s.Run(q);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(180, $"{sz} INSERTS with three indexes", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE t4(\n  a INTEGER UNIQUE,\n  b INTEGER,\n  c TEXT\n)");
            s.Exec("CREATE INDEX t4b ON t4(b)");
            s.Exec("CREATE INDEX t4c ON t4(c)");
            s.Exec("INSERT INTO t4 SELECT * FROM z1");
            s.Exec("COMMIT");
        }));

        tests.Add(new(190, "DELETE and REFILL one table", s =>
        {
            s.Exec("DELETE FROM z2;");
            s.Exec("INSERT INTO z2 SELECT * FROM z1;");
        }));

        tests.Add(new(200, "VACUUM", s => s.Exec("VACUUM")));

        tests.Add(new(210, "ALTER TABLE ADD COLUMN, and query", s =>
        {
            s.Exec("ALTER TABLE z2 ADD COLUMN d INT DEFAULT 123");
            s.Exec("SELECT sum(d) FROM z2");
        }));

        tests.Add(new(230, $"{sz / 5} UPDATES, numeric BETWEEN, indexed", s =>
            NumericRange(s, sz / 5, sz, maxb, 0, $"UPDATE z2 SET d=b*2 WHERE b BETWEEN ?1 AND ?2; -- {sz / 5} times")));

        tests.Add(new(240, $"{sz} UPDATES of individual rows", s =>
            ByKey(s, sz, sz, $"UPDATE z2 SET d=b*3 WHERE a=?1; -- {sz} times")));

        tests.Add(new(250, $"One big UPDATE of the whole {sz}-row table", s => s.Exec("UPDATE z2 SET d=b*4")));

        tests.Add(new(260, "Query added column after filling", s => s.Exec("SELECT sum(d) FROM z2")));

        tests.Add(new(270, $"{sz / 5} DELETEs, numeric BETWEEN, indexed", s =>
            NumericRange(s, sz / 5, sz, maxb, 1, $"DELETE FROM z2 WHERE b BETWEEN ?1 AND ?2; -- {sz / 5} times")));

        tests.Add(new(280, $"{sz} DELETEs of individual rows", s =>
            ByKey(s, sz, sz, $"DELETE FROM t3 WHERE a=?1; -- {sz} times")));

        tests.Add(new(290, $"Refill two {sz}-row tables using REPLACE", s =>
        {
            s.Exec("REPLACE INTO z2(a,b,c) SELECT a,b,c FROM z1");
            s.Exec("REPLACE INTO t3(a,b,c) SELECT a,b,c FROM z1");
        }));

        tests.Add(new(300, $"Refill a {sz}-row table using (b&1)==(a&1)", s =>
        {
            s.Exec("DELETE FROM z2;");
            s.Exec("INSERT INTO z2(a,b,c)\n SELECT a,b,c FROM z1  WHERE (b&1)==(a&1);");
            s.Exec("INSERT INTO z2(a,b,c)\n SELECT a,b,c FROM z1  WHERE (b&1)<>(a&1);");
        }));

        tests.Add(new(310, $"{sz / 5} four-ways joins", s =>
        {
            int n = sz / 5;
            s.Exec("BEGIN");
            DbCommand q = s.Prepare(
                "SELECT z1.c FROM z1, z2, t3, t4\n WHERE t4.a BETWEEN ?1 AND ?2\n   AND t3.a=t4.b\n   AND z2.a=t3.b\n   AND z1.c=z2.c;", 2);
            for (int i = 1; i <= n; i++)
            {
                uint x1 = s.Random.Next() % (uint)sz + 1;
                uint x2 = s.Random.Next() % 10 + x1 + 4;
                SpeedtestSession.Bind(q, 1, x1);
                SpeedtestSession.Bind(q, 2, x2);
                s.Run(q);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(320, "subquery in result set", s =>
        {
            DbCommand q = s.Prepare(
                "SELECT sum(a), max(c),\n       avg((SELECT a FROM z2 WHERE 5+z2.b=z1.b) AND rowid<?1), max(c)\n FROM z1 WHERE rowid<?1;", 1);
            SpeedtestSession.Bind(q, 1, EstimateSquareRoot(size) * 50);
            s.Run(q);
        }));

        int sz2 = size * 700;
        uint maxb2 = RoundUpAllOnes((uint)(sz2 / 3));

        tests.Add(new(400, $"{sz2} REPLACE ops on an IPK", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE t5(a INTEGER PRIMARY KEY, b);");
            DbCommand ins = s.Prepare($"REPLACE INTO t5 VALUES(?1,?2); --  {sz2} times", 2);
            for (int i = 1; i <= sz2; i++)
            {
                SpeedtestSession.Bind(ins, 1, Swizzle((uint)i, maxb2));
                SpeedtestSession.Bind(ins, 2, NumberName((uint)i));
                s.Run(ins);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(410, $"{sz2} SELECTS on an IPK", s =>
        {
            DbCommand q = s.Prepare($"SELECT b FROM t5 WHERE a=?1; --  {sz2} times", 1);
            for (int i = 1; i <= sz2; i++)
            {
                SpeedtestSession.Bind(q, 1, Swizzle((uint)i, maxb2));
                s.Run(q);
            }
        }));

        tests.Add(new(500, $"{sz2} REPLACE on TEXT PK", s =>
        {
            s.Exec("BEGIN");
            s.Exec("CREATE TABLE t6(a TEXT PRIMARY KEY, b)WITHOUT ROWID;");
            DbCommand ins = s.Prepare($"REPLACE INTO t6 VALUES(?1,?2); --  {sz2} times", 2);
            for (int i = 1; i <= sz2; i++)
            {
                SpeedtestSession.Bind(ins, 2, i);
                SpeedtestSession.Bind(ins, 1, NumberName(Swizzle((uint)i, maxb2)));
                s.Run(ins);
            }
            s.Exec("COMMIT");
        }));

        tests.Add(new(510, $"{sz2} SELECTS on a TEXT PK", s =>
        {
            DbCommand q = s.Prepare($"SELECT b FROM t6 WHERE a=?1; --  {sz2} times", 1);
            for (int i = 1; i <= sz2; i++)
            {
                SpeedtestSession.Bind(q, 1, NumberName(Swizzle((uint)i, maxb2)));
                s.Run(q);
            }
        }));

        tests.Add(new(520, $"{sz2} SELECT DISTINCT", s =>
        {
            s.Exec("SELECT DISTINCT b FROM t5;");
            s.Exec("SELECT DISTINCT b FROM t6;");
        }));

        tests.Add(new(980, "PRAGMA integrity_check", s => s.Exec("PRAGMA integrity_check")));

        tests.Add(new(990, "ANALYZE", s => s.Exec("ANALYZE")));

        return tests;
    }

    /// <summary>
    /// <paramref name="n"/> runs of a statement over a narrow numeric range: ?1 random below maxb
    /// (plus <paramref name="lowBias"/>), ?2 up to 9 + sz/5000 above it; inside one transaction.
    /// </summary>
    private static void NumericRange(SpeedtestSession s, int n, int sz, uint maxb, uint lowBias, string sql)
    {
        s.Exec("BEGIN");
        DbCommand q = s.Prepare(sql, 2);
        for (int i = 1; i <= n; i++)
        {
            uint x1 = s.Random.Next() % maxb + lowBias;
            uint x2 = s.Random.Next() % 10 + (uint)(sz / 5000) + x1;
            SpeedtestSession.Bind(q, 1, x1);
            SpeedtestSession.Bind(q, 2, x2);
            s.Run(q);
        }
        s.Exec("COMMIT");
    }

    /// <summary><paramref name="n"/> runs of a statement keyed by a random 1..sz; inside one transaction.</summary>
    private static void ByKey(SpeedtestSession s, int n, int sz, string sql)
    {
        s.Exec("BEGIN");
        DbCommand q = s.Prepare(sql, 1);
        for (int i = 1; i <= n; i++)
        {
            SpeedtestSession.Bind(q, 1, s.Random.Next() % (uint)sz + 1);
            s.Run(q);
        }
        s.Exec("COMMIT");
    }

    /// <summary>
    /// Ten runs of a LIKE scan. The pattern is '%', the name of the run number, '%' - where, as in
    /// speedtest1, the closing '%' takes the place of the name's last letter ("%on%" for one).
    /// speedtest1 also draws (and ignores) a random number per run; so does this.
    /// </summary>
    private static void LikeScan(SpeedtestSession s, uint maxb, string sql)
    {
        s.Exec("BEGIN");
        DbCommand q = s.Prepare(sql, 1);
        for (int i = 1; i <= 10; i++)
        {
            _ = s.Random.Next() % maxb;
            string name = NumberName((uint)i);
            SpeedtestSession.Bind(q, 1, "%" + name[..^1] + "%");
            s.Run(q);
        }
        s.Exec("COMMIT");
    }
}
