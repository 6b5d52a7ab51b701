// Hand-picked corner cases of SQLite's grammar and tokenizer, each checked against
// SQLite itself (sqlite3_prepare_v2 on a small schema): Tern must accept what SQLite
// accepts and reject what it rejects with the same message. Semantic errors from SQLite
// (no such table ...) count as "parsed".
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Sql.Tests.Support;

namespace Tern.Sql.Tests;

public sealed class OracleEdgeCaseTests
{
    private static readonly Lazy<SqliteConnection> Db = new(() =>
    {
        SqliteConnection c = SqliteOracle.OpenMemory();
        SqliteOracle.Execute(c, "CREATE TABLE t(a, b, c); CREATE TABLE t2(a, b, c); CREATE TABLE s(x, y); CREATE INDEX i ON t(a);");
        return c;
    });

    /// <summary>The statements of the edge-case list (also seeds of the differential test).</summary>
    public static IEnumerable<string> Statements()
    {
        foreach (string line in EdgeCases.Split('\n'))
        {
            string sql = line.Trim().TrimEnd('\r');
            if (sql.Length == 0 || sql.StartsWith("##")) continue;
            yield return sql.Replace("\\n", "\n");
        }
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string sql in Statements()) data.Add(sql);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Same_verdict_as_SQLite(string sql)
    {
        string? ours = null;
        try
        {
            SqlParser.ParseNext(Encoding.UTF8.GetBytes(sql));
        }
        catch (SqlParseException e)
        {
            ours = e.Message;
        }
        string? theirs = SqliteOracle.PrepareError(Db.Value, sql);
        if (theirs is not null && !SqliteOracle.IsParserMessage(theirs)) theirs = null;
        if (Environment.GetEnvironmentVariable("TERN_EDGE_DUMP") is { } f) File.AppendAllText(f, $"{sql.Replace("\n", " ")}  =>  {ours ?? "ok"}\n");
        Assert.Equal(theirs ?? "ok", ours ?? "ok");
    }

    private const string EdgeCases = """
        ## tokens
        SELECT 1 /*
        SELECT 1 /* unterminated
        SELECT 1 -- comment
        SELECT 1__2
        SELECT 1_2__3
        SELECT 1_000_000, 0x_1, 0x1_F, 1.5_5, 1e1_0, .5_5
        SELECT 1_
        SELECT 0x1_
        SELECT 1e_5
        SELECT 123abc
        SELECT 1.2.3
        SELECT .5, 5., 1e10, 1E-5, 1e+5, 0x7fffffffffffffff, 0XABC
        SELECT 0x
        SELECT x'abc'
        SELECT x'ab', X'', x'zz'
        SELECT 'abc
        SELECT "abc
        SELECT `abc
        SELECT [abc
        SELECT 'it''s', "a""b", `a``b`, [a]]
        SELECT 1 ! 2
        SELECT 1 != 2, 1 <> 2, 1 == 2, 1 <= 2, 1 >= 2, 1 << 2, 1 >> 2
        SELECT @, ?, ?1, ?99, :a, @a, $a, $a::b, $a::b(c), $a(, #a, #1
        SELECT $a(b c)
        SELECT $
        SELECT :
        SELECT 1 -> 2, 1 ->> 2, 1 - > 2
        SELECT ~1, - - 1, + + 1, NOT NOT 1
        SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM b AND a IS DISTINCT FROM b
        SELECT 1 IS DISTINCT 2
        ## keywords as names
        SELECT cast FROM t
        SELECT raise FROM t
        SELECT current_time FROM t
        SELECT current_time.x FROM t
        SELECT replace, abort, key, if, glob FROM t
        SELECT replace(a, b, c), like(a, b), glob(a, b), if(1, 2, 3), left(a), right(a) FROM t
        SELECT left FROM t
        SELECT t.left, t.indexed, t.cast, t.current_time FROM t
        SELECT a AS left FROM t
        SELECT a left FROM t
        SELECT a asc FROM t
        SELECT a desc, a first, a key FROM t
        SELECT a like FROM t
        SELECT a window FROM t
        SELECT a over FROM t
        SELECT a filter FROM t
        SELECT count(*) over FROM t
        SELECT count(*) filter FROM t
        SELECT (1) over w FROM t
        SELECT (1) filter (where 1) FROM t
        SELECT 1 FROM t window
        SELECT 1 FROM t window w
        SELECT 1 FROM t AS window
        CREATE TABLE if(x)
        CREATE TABLE replace(key, abort, glob)
        CREATE TABLE x(a generated)
        CREATE TABLE x(a always)
        CREATE TABLE x(a INT generated)
        CREATE TABLE x(a INT GENERATED ALWAYS AS (1))
        CREATE TABLE x(a GENERATED ALWAYS AS (1) STORED)
        CREATE TABLE x(a INT AS (1) virtual, b AS (2) stored, c AS (3) whatever)
        CREATE TABLE x(a VARCHAR(10), b DECIMAL(10,2), c DOUBLE PRECISION, d 'quoted type', e UNSIGNED BIG INT, f VARCHAR(+5), g NUMERIC(-1, 2))
        CREATE TABLE x(a VARCHAR(1_0))
        CREATE TABLE x(a VARCHAR(a))
        ROLLBACK TO savepoint
        ROLLBACK TO SAVEPOINT savepoint
        RELEASE savepoint
        RELEASE SAVEPOINT x
        ATTACH database AS x
        ATTACH DATABASE 'f' AS x
        ATTACH 'f' AS x KEY 'k'
        DETACH database
        DETACH DATABASE x
        BEGIN CONCURRENT
        BEGIN DEFERRED TRANSACTION name
        BEGIN TRANSACTION
        BEGIN name
        END TRANSACTION
        COMMIT TRANSACTION x
        WITH recursive AS (SELECT 1) SELECT * FROM recursive
        WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 5) SELECT * FROM c
        WITH c AS MATERIALIZED (SELECT 1), d AS NOT MATERIALIZED (SELECT 2) SELECT * FROM c, d
        WITH c AS NOT (SELECT 1) SELECT 1
        WITH c(x COLLATE nocase) AS (SELECT 1) SELECT 1
        WITH c(x DESC) AS (SELECT 1) SELECT 1
        ## compounds
        SELECT 1 UNION SELECT 2 ORDER BY 1 UNION SELECT 3
        SELECT 1 LIMIT 1 UNION SELECT 2
        SELECT 1 ORDER BY 1 LIMIT 1 EXCEPT SELECT 2
        SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4 ORDER BY 1 LIMIT 2 OFFSET 1
        VALUES (1) ORDER BY 1
        SELECT 1 UNION VALUES (2) ORDER BY 1
        VALUES (1), (2) UNION SELECT 3
        VALUES (1), (2, 3)
        VALUES ()
        SELECT 1 LIMIT 1, 2
        SELECT 1 LIMIT 1 OFFSET 2
        SELECT DISTINCT ALL 1
        SELECT ALL 1
        SELECT
        SELECT 1,
        SELECT *, t.*, 'x'.* FROM t
        SELECT cast.* FROM t
        ## joins
        SELECT 1 FROM t ON 1
        SELECT 1 FROM t USING (a)
        SELECT 1 FROM t a NATURAL JOIN t b
        SELECT 1 FROM t a LEFT FOO JOIN t b
        SELECT 1 FROM t a OUTER JOIN t b
        SELECT 1 FROM t a INNER OUTER JOIN t b
        SELECT 1 FROM t a CROSS LEFT JOIN t b
        SELECT 1 FROM t a NATURAL LEFT OUTER JOIN t b
        SELECT 1 FROM t a LEFT "OUTER" JOIN t b
        SELECT 1 FROM t a FULL JOIN t b ON 1 RIGHT JOIN t c USING (a)
        SELECT 1 FROM t a LEFT x y z JOIN t b
        SELECT 1 FROM (t), (t AS u), ((t)), (t JOIN t2) AS j, (SELECT 1) AS s2
        SELECT 1 FROM (t JOIN t2 ON 1) JOIN s ON 1
        SELECT 1 FROM t INDEXED BY i, t2 NOT INDEXED
        SELECT 1 FROM t AS x INDEXED BY i
        SELECT 1 FROM json_each('[1]') AS j, main.t, generate_series(1, 3)
        SELECT 1 FROM json_each('[1]') INDEXED BY x
        SELECT 1 FROM t JOIN
        SELECT 1 FROM t LEFT
        ## expressions
        SELECT 1 IN (), 1 NOT IN (), 1 IN (1), 1 IN (1, 2), 1 IN (SELECT 1), 1 IN t, 1 IN main.t, 1 IN json_each('[1]'), 1 IN t()
        SELECT 1 IN 'abc'
        SELECT (1, 2) IN ((1, 2)), (1, 2) = (3, 4)
        SELECT ((1)), (((1) + 2) * 3)
        SELECT (1, 2)
        SELECT ()
        SELECT (SELECT 1), EXISTS (SELECT 1), NOT EXISTS (SELECT 1)
        SELECT ((SELECT 1))
        SELECT ((SELECT 1) UNION SELECT 2)
        SELECT (WITH x AS (SELECT 1) SELECT * FROM x)
        SELECT CASE WHEN 1 THEN 2 END, CASE 1 WHEN 1 THEN 2 ELSE 3 END
        SELECT CASE END
        SELECT CASE 1 END
        SELECT CAST(1 AS), CAST(1 AS INT), CAST(1 AS VARCHAR(10)), CAST(1 AS big int), CAST(1 AS "x")
        SELECT CAST(1)
        SELECT a COLLATE nocase, a COLLATE "x", a COLLATE 'y' FROM t
        SELECT a COLLATE FROM t
        SELECT 1 BETWEEN 0 AND 2, 1 NOT BETWEEN 0 AND 2 AND 1
        SELECT 1 BETWEEN 0 OR 1 AND 2
        SELECT 1 BETWEEN 0
        SELECT 'a' LIKE 'b' ESCAPE 'c', 'a' NOT GLOB 'b', 'a' REGEXP 'b', 'a' NOT MATCH 'b'
        SELECT 'a' LIKE 'b' ESCAPE 'c' ESCAPE 'd'
        SELECT 1 ESCAPE 2
        SELECT a ISNULL, a NOTNULL, a NOT NULL, a IS NULL, a IS NOT NULL FROM t
        SELECT a NOT FROM t
        SELECT a NOT b FROM t
        SELECT 1 = 2 NOT NULL
        SELECT NOT 1 = 2
        SELECT - 1 COLLATE x
        SELECT RAISE(IGNORE)
        SELECT RAISE(ABORT, 'x' || 'y')
        SELECT RAISE(ROLLBACK)
        SELECT RAISE(FAIL, 'x', 'y')
        SELECT RAISE(x, 'y')
        SELECT count(*), count(DISTINCT a), count(ALL a), count(), count(DISTINCT), group_concat(a ORDER BY b DESC), f(ORDER BY a) FROM t
        SELECT count(DISTINCT *) FROM t
        SELECT count(*) FILTER (WHERE a > 1) OVER (PARTITION BY b) FROM t
        SELECT count(DISTINCT a) OVER () FROM t
        SELECT count(DISTINCT a) FILTER (WHERE 1) FROM t
        SELECT count(*) OVER w FROM t WINDOW w AS (ORDER BY a)
        SELECT count(*) OVER (w ROWS 1 PRECEDING) FROM t WINDOW w AS (PARTITION BY a)
        SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE NO OTHERS) FROM t
        SELECT sum(a) OVER (ORDER BY a RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM t
        SELECT sum(a) OVER (GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP) FROM t
        SELECT sum(a) OVER (ROWS UNBOUNDED FOLLOWING) FROM t
        SELECT sum(a) OVER (ROWS 1 FOLLOWING) FROM t
        SELECT sum(a) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t
        SELECT sum(a) OVER (ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM t
        SELECT sum(a) OVER (ROWS BETWEEN 1 AND 2 PRECEDING AND CURRENT ROW) FROM t
        SELECT sum(a) OVER (current) FROM t
        SELECT sum(a) OVER (range) FROM t
        SELECT sum(a) OVER (PARTITION BY a, b ORDER BY c NULLS LAST) FROM t
        SELECT a FROM t ORDER BY a COLLATE nocase DESC NULLS FIRST, b ASC NULLS LAST
        SELECT a FROM t ORDER BY a NULLS
        SELECT a FROM t GROUP BY a HAVING count(*) > 1
        SELECT a FROM t HAVING 1
        SELECT 1 WINDOW w AS ()
        SELECT current_date, current_timestamp, CURRENT_TIME
        SELECT 1 + 
        SELECT #1
        SELECT 1 FROM t WHERE
        SELECT f(1,
        SELECT a.b.c.d FROM t
        SELECT a.b(1) FROM t
        SELECT "a"."b", 'a'.'b', [a].[b], `a`.`b` FROM t
        SELECT 'a'(1)
        ## DML
        INSERT INTO t VALUES (1, 2, 3)
        INSERT INTO t DEFAULT VALUES
        INSERT INTO t (a) DEFAULT VALUES RETURNING *
        INSERT INTO t AS x (a, b) SELECT 1, 2 ON CONFLICT DO NOTHING
        INSERT INTO t SELECT * FROM s ON CONFLICT DO NOTHING
        INSERT INTO t SELECT * FROM s WHERE true ON CONFLICT DO NOTHING
        INSERT INTO t VALUES (1, 2, 3) ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE b > 0 ON CONFLICT DO NOTHING RETURNING a, b AS bb
        INSERT INTO t VALUES (1, 2, 3) ON CONFLICT DO NOTHING ON CONFLICT (a) DO NOTHING
        INSERT INTO t VALUES (1, 2, 3) ON CONFLICT (a) WHERE a > 0 DO UPDATE SET (a, b) = (1, 2)
        INSERT INTO t VALUES (1, 2, 3) ON CONFLICT (a COLLATE nocase DESC) DO NOTHING
        INSERT INTO t VALUES (1, 2, 3) RETURNING
        INSERT OR REPLACE INTO t VALUES (1, 2, 3)
        INSERT OR FOO INTO t VALUES (1, 2, 3)
        REPLACE INTO t VALUES (1, 2, 3)
        REPLACE OR IGNORE INTO t VALUES (1)
        INSERT INTO main.t VALUES (1, 2, 3)
        INSERT INTO t (SELECT 1)
        INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x
        WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x
        WITH x AS (SELECT 1) DELETE FROM t
        WITH x AS (SELECT 1) PRAGMA foo
        UPDATE t SET a = 1, (b, c) = (2, 3) FROM s WHERE a = s.x RETURNING *
        UPDATE OR IGNORE t AS x INDEXED BY i SET a = 1
        UPDATE t NOT INDEXED SET a = 1
        UPDATE t SET a = 1 LIMIT 1
        UPDATE t SET a = 1 ORDER BY a
        UPDATE t SET
        UPDATE t SET a.b = 1
        DELETE FROM t WHERE a = 1 RETURNING a
        DELETE FROM t LIMIT 1
        DELETE FROM t ORDER BY a LIMIT 1
        DELETE FROM t AS x INDEXED BY i WHERE 1
        DELETE t
        ## DDL
        CREATE TABLE x(a INTEGER PRIMARY KEY ASC ON CONFLICT REPLACE AUTOINCREMENT, b NOT NULL ON CONFLICT IGNORE, c NULL, d UNIQUE, e CHECK (e > 0), f DEFAULT 1, g DEFAULT -1, h DEFAULT +1, i DEFAULT 'x', j DEFAULT (1 + 1), k DEFAULT true, l DEFAULT CURRENT_TIMESTAMP, m COLLATE nocase, n REFERENCES t(a) ON DELETE CASCADE ON UPDATE SET NULL MATCH full DEFERRABLE INITIALLY DEFERRED)
        CREATE TABLE x(a DEFAULT - 1)
        CREATE TABLE x(a DEFAULT --1\n)
        CREATE TABLE x(a DEFAULT x'00', b DEFAULT NULL, c DEFAULT "dq", d DEFAULT [br], e DEFAULT 1_0)
        CREATE TABLE x(a DEFAULT f(1))
        CREATE TABLE x(a DEFAULT -x)
        CREATE TABLE x(a CONSTRAINT c1 NOT NULL CONSTRAINT c2 CONSTRAINT c3 UNIQUE CONSTRAINT c4)
        CREATE TABLE x(a, b, PRIMARY KEY (a, b), UNIQUE (a) ON CONFLICT FAIL, CHECK (a > b) ON CONFLICT ABORT, FOREIGN KEY (a) REFERENCES t(b) NOT DEFERRABLE INITIALLY IMMEDIATE, CONSTRAINT pk2 UNIQUE (b))
        CREATE TABLE x(a, b, PRIMARY KEY (a AUTOINCREMENT))
        CREATE TABLE x(a, b, PRIMARY KEY (a DESC, b COLLATE nocase))
        CREATE TABLE x(a, b, UNIQUE (a) CHECK (b))
        CREATE TABLE x(a, PRIMARY KEY (a),)
        CREATE TABLE x(a, b REFERENCES t ON INSERT CASCADE, c REFERENCES t(a, b) ON DELETE NO ACTION ON UPDATE RESTRICT ON DELETE SET DEFAULT)
        CREATE TABLE x(a REFERENCES t(a COLLATE x))
        CREATE TABLE x(a, FOREIGN KEY (a DESC) REFERENCES t)
        CREATE TABLE x(a) WITHOUT ROWID, STRICT
        CREATE TABLE x(a) STRICT, WITHOUT ROWID
        CREATE TABLE x(a) WITHOUT FOO
        CREATE TABLE x(a) FOO
        CREATE TABLE x(a) , strict
        CREATE TABLE x(a) ,
        CREATE TABLE x(a) WITHOUT
        CREATE TEMP TABLE IF NOT EXISTS main.x AS SELECT 1
        CREATE TEMPORARY TABLE x(a)
        CREATE TABLE x()
        CREATE TABLE x
        CREATE TABLE x(a PRIMARY KEY DESC, b AS)
        CREATE UNIQUE INDEX IF NOT EXISTS main.ix ON t(a COLLATE nocase DESC, b + 1, c NULLS FIRST) WHERE a > 0
        CREATE INDEX ix ON main.t(a)
        CREATE TEMP INDEX ix ON t(a)
        CREATE UNIQUE TABLE x(a)
        CREATE VIEW v AS SELECT 1
        CREATE TEMP VIEW IF NOT EXISTS v(a, b) AS SELECT 1, 2
        CREATE VIEW v(a DESC) AS SELECT 1
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr BEFORE UPDATE OF a, b ON t FOR EACH ROW WHEN new.a > 0 BEGIN UPDATE t2 SET a = new.a WHERE b = old.b; INSERT INTO s VALUES (1, 2); DELETE FROM t2 WHERE a = 1; SELECT RAISE(ABORT, 'no'); END
        CREATE TRIGGER tr INSTEAD OF DELETE ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr DELETE ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1 END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE main.t2 SET a = 1; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t2 INDEXED BY i SET a = 1; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t2 NOT INDEXED; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t2 SET a = 1 RETURNING *; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t2 VALUES (1, 2, 3) RETURNING *; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t2 DEFAULT VALUES; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN WITH x AS (SELECT 1) SELECT * FROM x; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN WITH x AS (SELECT 1) DELETE FROM t2; END
        CREATE TRIGGER tr AFTER INSERT ON t BEGIN REPLACE INTO t2 VALUES (1, 2, 3); END
        CREATE TRIGGER main.tr AFTER INSERT ON main.t BEGIN SELECT 1; END
        CREATE TEMP TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END
        CREATE VIRTUAL TABLE v USING fts5(a, b, tokenize = 'porter unicode61', prefix='2 3')
        CREATE VIRTUAL TABLE v USING m(a (b, c), d)
        CREATE VIRTUAL TABLE v USING m()
        CREATE VIRTUAL TABLE v USING m
        CREATE VIRTUAL TABLE v USING m(a;b)
        CREATE VIRTUAL TABLE v USING m(a
        CREATE VIRTUAL TABLE IF NOT EXISTS main.v USING m(,)
        DROP TABLE IF EXISTS main.t
        DROP INDEX i
        DROP VIEW IF EXISTS v
        DROP TRIGGER tr
        DROP TABLE
        DROP COLUMN x
        ALTER TABLE t RENAME TO u
        ALTER TABLE t RENAME COLUMN a TO z
        ALTER TABLE t RENAME a TO z
        ALTER TABLE t RENAME column TO x
        ALTER TABLE t ADD COLUMN d INTEGER DEFAULT 0 NOT NULL
        ALTER TABLE t ADD d
        ALTER TABLE t DROP COLUMN a
        ALTER TABLE t DROP a
        ALTER TABLE main.t RENAME TO u
        ## other statements
        PRAGMA foo
        PRAGMA main.foo = 1
        PRAGMA foo = -1
        PRAGMA foo = +1
        PRAGMA foo(1)
        PRAGMA foo = ON
        PRAGMA foo = 'x'
        PRAGMA foo = "x"
        PRAGMA foo = DELETE
        PRAGMA foo = DEFAULT
        PRAGMA foo = yes
        PRAGMA foo = 1_000
        PRAGMA foo = -x
        PRAGMA foo = NULL
        PRAGMA foo = 1.5
        VACUUM
        VACUUM main
        VACUUM INTO 'file.db'
        VACUUM main INTO 'file.db'
        ANALYZE
        ANALYZE t
        ANALYZE main.t
        REINDEX
        REINDEX nocase
        REINDEX main.i
        EXPLAIN SELECT 1
        EXPLAIN QUERY PLAN SELECT 1
        EXPLAIN EXPLAIN SELECT 1
        EXPLAIN
        EXPLAIN QUERY SELECT 1
        SAVEPOINT x
        SAVEPOINT
        ;;; SELECT 1
        
        -- just a comment
        /* block */ SELECT 1 /* trailing */
        SELECT 1; garbage
        SELECT 1 garbage
        SELECT 1 garbage garbage
        garbage
        SELECT 1 FROM t WHERE a IN (SELECT 1 FROM s ON CONFLICT)
        ## window keywords in odd places
        SELECT count(*) over/*c*/(ORDER BY a) FROM t
        SELECT count(*) over(ORDER BY a) FROM t
        SELECT count(*) filter/*c*/(WHERE 1) FROM t
        SELECT count(*) over -- c\n(ORDER BY a) FROM t
        SELECT count(*) over w2 FROM t WINDOW w2 AS ()
        SELECT count(*) over left FROM t
        SELECT count(*) over 'w' FROM t
        SELECT count(*) filter (where 1) over (partition by a) FROM t
        SELECT count(*) over (partition by a) filter (where 1) FROM t
        WITH window AS (SELECT 1) SELECT * FROM window
        CREATE TABLE window(over, filter)
        SELECT over, filter, window FROM t
        SELECT a FROM t window w as (), w2 as (w)
        SELECT a FROM t window w as (order by a), window as ()
        SELECT 1 window
        SELECT 1 FROM t GROUP BY a WINDOW w AS (ORDER BY a) ORDER BY 1
        SELECT 1 FROM t WINDOW w AS (ORDER BY a) GROUP BY a
        ## misc
        SELECT 1 AS
        SELECT 1 AS 'x', 2 'y', 3 "z", 4 [w]
        SELECT 1 AS left, 2 AS indexed
        SELECT 1 indexed
        SELECT * FROM t indexed
        SELECT * FROM t AS indexed
        SELECT * FROM t "alias" INDEXED BY i
        SELECT * FROM t 'alias'
        SELECT * FROM t AS 'alias'
        SELECT * FROM main.t()
        SELECT * FROM t(1) AS x ON 1
        SELECT * FROM t, (SELECT 1) USING (a)
        SELECT * FROM (SELECT 1) JOIN (VALUES (1)) ON 1
        SELECT * FROM (VALUES (1), (2)) AS v
        SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x)
        SELECT x.* FROM (SELECT 1) AS x
        SELECT main.t.* FROM t
        SELECT * FROM t WHERE a = ANY (SELECT 1)
        SELECT a, FROM t
        SELECT DISTINCT FROM t
        SELECT ALL * FROM t
        SELECT 1 FROM t ORDER BY 1 COLLATE nocase
        SELECT 1 FROM t GROUP BY 1 COLLATE nocase DESC
        SELECT 1 FROM t GROUP BY
        SELECT 1 FROM t LIMIT
        SELECT 1 FROM t LIMIT 1 OFFSET
        SELECT 1 FROM t LIMIT 1,
        SELECT a FROM t WHERE a IN (1,)
        SELECT a FROM t WHERE a IN (,)
        SELECT (1,)
        SELECT f(,)
        SELECT f(1,)
        SELECT f(DISTINCT 1, 2)
        SELECT f(ALL)
        SELECT f(ORDER BY 1)
        SELECT f(1 ORDER BY 1, 2 DESC)
        SELECT f(*) FILTER (WHERE 1)
        SELECT f(*) OVER ()
        SELECT f() OVER ()
        SELECT CAST(1 AS int(5))
        SELECT CAST(1 AS int(5, 6))
        SELECT CAST(1 AS int(5, 6, 7))
        SELECT CAST(1 AS int() )
        SELECT CAST(1 AS "a" 'b' c)
        SELECT CAST(1 AS REPLACE KEY)
        SELECT CAST(1 AS GENERATED ALWAYS)
        SELECT CASE WHEN 1 THEN 2 ELSE 3 ELSE 4 END
        SELECT CASE WHEN 1 THEN 2 WHEN END
        SELECT EXISTS SELECT 1
        SELECT EXISTS (VALUES (1))
        SELECT NOT EXISTS (SELECT 1) AND EXISTS (SELECT 2)
        SELECT 1 IS NOT NULL IS NULL
        SELECT 1 NOT NULL NOT NULL
        SELECT 1 ISNULL ISNULL
        SELECT 1 IS NOT
        SELECT 1 IS DISTINCT
        SELECT 1 NOT IN
        SELECT 1 NOT
        SELECT 1 IN ((1), (2))
        SELECT 1 IN (SELECT 1 UNION SELECT 2)
        SELECT 1 IN (SELECT 1) IN (SELECT 1)
        SELECT 1 BETWEEN 1 BETWEEN 2 AND 3 AND 4
        SELECT 1 LIKE 2 LIKE 3
        SELECT 1 LIKE 2 ESCAPE 3 LIKE 4
        SELECT 1 MATCH 2 ESCAPE 3
        SELECT 1 REGEXP
        SELECT 1 || 2 -> 3 ->> 4 COLLATE x
        SELECT 1 = = 2
        SELECT 1 * * 2
        SELECT * 2
        SELECT (*)
        SELECT t.* * 2 FROM t
        SELECT +
        SELECT ~ ~
        SELECT 1 -- 2
        SELECT 1 - - 2
        SELECT 0xfffffffffffffffffff, 99999999999999999999, 1e999, -9223372036854775808
        SELECT ?0, ?1000000
        SELECT ?32766, ?32767
        SELECT ?0
        SELECT ?32766, ?
        SELECT ?00001, ?99999999999999999999
        SELECT ?32765, :a, :b
        SELECT :a:b, :a::b, @a$b, $a$
        SELECT $a(, 1)
        SELECT $a(b)c
        SELECT #
        SELECT #12a, #a1
        SELECT x'', X'0G'
        SELECT xyz'', x 'ab'
        SELECT 'a' 'b'
        SELECT "a" "b"
        SELECT N'abc'
        SELECT b'01'
        SELECT 1e, 1e+, 1.e5, 1..2
        SELECT 1. e5
        SELECT .e5
        SELECT 1_e5
        SELECT 0x1e5, 0x1.5
        SELECT _a, a_, _1, $a
        SELECT a$b, a$ FROM t
        SELECT ä, 表 FROM t
        SELECT "" FROM t
        SELECT [] FROM t
        SELECT `` FROM t
        ## DML odd cases
        INSERT INTO t
        INSERT INTO t VALUES
        INSERT INTO t VALUES (1) ON
        INSERT INTO t VALUES (1) ON CONFLICT
        INSERT INTO t VALUES (1) ON CONFLICT (a) DO
        INSERT INTO t VALUES (1) ON CONFLICT () DO NOTHING
        INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 1 ON CONFLICT DO UPDATE SET b = 2 RETURNING a
        INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = 1 WHERE 1 RETURNING *
        INSERT INTO t VALUES (1) RETURNING * ON CONFLICT DO NOTHING
        INSERT INTO t DEFAULT VALUES ON CONFLICT DO NOTHING
        INSERT INTO t () VALUES (1)
        INSERT INTO t (a,) VALUES (1)
        INSERT INTO t AS VALUES (1)
        INSERT INTO t AS left VALUES (1)
        INSERT INTO t.x VALUES (1)
        INSERT INTO t.x.y VALUES (1)
        INSERT OR ROLLBACK INTO t VALUES (1)
        INSERT OR ABORT INTO t VALUES (1)
        INSERT OR FAIL INTO t VALUES (1)
        INSERT OR IGNORE INTO t VALUES (1)
        INSERT OR REPLACE INTO t VALUES (1)
        UPDATE t SET a = 1, b = 2 WHERE 1 RETURNING a AS x, *
        UPDATE t SET (a) = (1)
        UPDATE t SET () = (1)
        UPDATE t SET a = 1 FROM
        UPDATE t SET a = 1 FROM s, (SELECT 1) AS q JOIN s ON 1
        UPDATE t AS x SET x.a = 1
        UPDATE t INDEXED SET a = 1
        UPDATE OR t SET a = 1
        DELETE FROM
        DELETE FROM t WHERE
        DELETE FROM t RETURNING
        DELETE FROM t AS x WHERE x.a = 1
        DELETE FROM main.t AS x INDEXED BY i WHERE 1 RETURNING x.a
        WITH x AS (SELECT 1) UPDATE t SET a = (SELECT * FROM x)
        WITH x AS (SELECT 1) REPLACE INTO t SELECT * FROM x
        WITH x AS (SELECT 1), y AS (SELECT 2) VALUES (1)
        WITH x AS (SELECT 1),
        WITH x AS (SELECT 1) x
        WITH x(a, b) AS (VALUES (1, 2)) SELECT a FROM x
        WITH x() AS (SELECT 1) SELECT 1
        WITH "x" AS (SELECT 1), 'y' AS (SELECT 2), [z] AS (SELECT 3) SELECT 1
        ## DDL odd cases
        CREATE TABLE t3(a INTEGER PRIMARY KEY AUTOINCREMENT ON CONFLICT IGNORE)
        CREATE TABLE t3(a UNIQUE ON CONFLICT)
        CREATE TABLE t3(a CHECK)
        CREATE TABLE t3(a CHECK ())
        CREATE TABLE t3(a DEFAULT)
        CREATE TABLE t3(a DEFAULT (SELECT 1))
        CREATE TABLE t3(a DEFAULT ((1)))
        CREATE TABLE t3(a DEFAULT NULL NOT NULL)
        CREATE TABLE t3(a DEFAULT 1 DEFAULT 2)
        CREATE TABLE t3(a DEFAULT indexed)
        CREATE TABLE t3(a DEFAULT left)
        CREATE TABLE t3(a DEFAULT 'a'.b)
        CREATE TABLE t3(a DEFAULT ?)
        CREATE TABLE t3(a REFERENCES)
        CREATE TABLE t3(a REFERENCES t ON)
        CREATE TABLE t3(a REFERENCES t MATCH)
        CREATE TABLE t3(a REFERENCES t ON DELETE SET)
        CREATE TABLE t3(a REFERENCES t ON DELETE NO)
        CREATE TABLE t3(a REFERENCES t DEFERRABLE INITIALLY)
        CREATE TABLE t3(a NOT DEFERRABLE)
        CREATE TABLE t3(a DEFERRABLE)
        CREATE TABLE t3(a COLLATE)
        CREATE TABLE t3(a COLLATE 'x' COLLATE "y")
        CREATE TABLE t3(a AS)
        CREATE TABLE t3(a AS ())
        CREATE TABLE t3(a GENERATED ALWAYS (1))
        CREATE TABLE t3(a GENERATED AS (1))
        CREATE TABLE t3(a INT GENERATED ALWAYS AS (1) STORED NOT NULL)
        CREATE TABLE t3(a AS (1) STORED VIRTUAL)
        CREATE TABLE t3(a AS (1) 'stored')
        CREATE TABLE t3(a AS (1) left)
        CREATE TABLE t3(a CONSTRAINT)
        CREATE TABLE t3(a, CONSTRAINT)
        CREATE TABLE t3(a, CONSTRAINT c)
        CREATE TABLE t3(a, CONSTRAINT c PRIMARY KEY (a) CONSTRAINT d)
        CREATE TABLE t3(a, PRIMARY KEY)
        CREATE TABLE t3(a, PRIMARY KEY ())
        CREATE TABLE t3(a, UNIQUE)
        CREATE TABLE t3(a, CHECK (a) ON CONFLICT)
        CREATE TABLE t3(a, FOREIGN KEY a REFERENCES t)
        CREATE TABLE t3(a, FOREIGN KEY (a))
        CREATE TABLE t3(a, FOREIGN KEY (a) REFERENCES t(a) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, b)
        CREATE TABLE t3(a, PRIMARY KEY (a) b INT)
        CREATE TABLE t3(PRIMARY KEY (a))
        CREATE TABLE t3(a) AS SELECT 1
        CREATE TABLE t3 AS
        CREATE TABLE t3 AS VALUES (1)
        CREATE TABLE t3 AS WITH x AS (SELECT 1) SELECT * FROM x
        CREATE TABLE IF NOT t3(a)
        CREATE TABLE IF EXISTS t3(a)
        CREATE TABLE temp.t3(a)
        CREATE TEMP TABLE temp.t3(a)
        CREATE TABLE "t 3"(a)
        CREATE TABLE 't3'('a' 'text type')
        CREATE TABLE [t3]([a] [int])
        CREATE TABLE t3(a INT, a TEXT)
        CREATE TABLE t3(a INT PRIMARY KEY, b PRIMARY KEY)
        CREATE INDEX i3 ON t
        CREATE INDEX i3 ON t()
        CREATE INDEX i3 ON t(a) WHERE
        CREATE INDEX i3 ON t(a ASC NULLS LAST)
        CREATE INDEX ON t(a)
        CREATE INDEX IF NOT EXISTS i3 ON t(a, b COLLATE x, (a + b), f(a))
        CREATE VIEW v3
        CREATE VIEW v3 AS
        CREATE VIEW v3() AS SELECT 1
        CREATE VIEW v3 AS VALUES (1)
        CREATE VIEW v3 AS WITH x AS (SELECT 1) SELECT * FROM x
        CREATE VIEW v3 AS SELECT 1 ORDER BY 1 LIMIT 1
        CREATE TRIGGER
        CREATE TRIGGER tr3
        CREATE TRIGGER tr3 ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr3 INSTEAD INSERT ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr3 AFTER UPDATE OF ON t BEGIN SELECT 1; END
        CREATE TRIGGER tr3 AFTER INSERT ON t FOR EACH BEGIN SELECT 1; END
        CREATE TRIGGER tr3 AFTER INSERT ON t FOR EACH STATEMENT BEGIN SELECT 1; END
        CREATE TRIGGER tr3 AFTER INSERT ON t WHEN BEGIN SELECT 1; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN SELECT 1;; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN VALUES (1); END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN PRAGMA foo; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN INSERT INTO t2 AS x VALUES (1); END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN INSERT INTO t2 VALUES (1) ON CONFLICT DO NOTHING; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN UPDATE t2 SET a = 1 FROM s; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN DELETE FROM t2 WHERE a = new.a; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN DELETE FROM t2 RETURNING *; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN INSERT INTO main.t2 VALUES (1); END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN UPDATE main.t2 INDEXED BY i SET a = 1; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN UPDATE main.t2 SET a = 1 garbage; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN INSERT INTO main.t2 VALUES (1) garbage; END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN SELECT 1; SELECT 2 END
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN SELECT 1; END garbage
        CREATE TRIGGER tr3 AFTER INSERT ON t BEGIN SELECT 1; END; garbage
        CREATE VIRTUAL TABLE
        CREATE VIRTUAL TABLE v3
        CREATE VIRTUAL TABLE v3 USING
        CREATE VIRTUAL TABLE v3 USING fts5(
        CREATE VIRTUAL TABLE v3 USING fts5(a))
        CREATE VIRTUAL TABLE v3 USING fts5((a)
        CREATE VIRTUAL TABLE v3 USING fts5(a b c, 'x y' = 1, -1, (,), [x])
        CREATE VIRTUAL TABLE v3 USING fts5() garbage
        CREATE VIRTUAL TABLE v3 USING 'fts5'(a)
        CREATE VIRTUAL TABLE temp.v3 USING fts5(a)
        ALTER TABLE t
        ALTER TABLE t RENAME
        ALTER TABLE t RENAME TO
        ALTER TABLE t RENAME COLUMN a
        ALTER TABLE t RENAME COLUMN a TO
        ALTER TABLE t ADD
        ALTER TABLE t ADD COLUMN
        ALTER TABLE t ADD COLUMN e INT REFERENCES s(x) DEFAULT NULL
        ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)
        ALTER TABLE t ADD PRIMARY KEY (a)
        ALTER TABLE t DROP
        ALTER TABLE t DROP COLUMN
        ALTER TABLE t ALTER COLUMN a
        ALTER INDEX i RENAME TO j
        DROP TABLE IF t
        DROP TABLE IF EXISTS
        DROP TABLE t.u.v
        DROP SCHEMA x
        ## transactions and misc
        BEGIN EXCLUSIVE
        BEGIN IMMEDIATE TRANSACTION t1
        BEGIN TRANSACTION "x"
        BEGIN TRANSACTION x y
        BEGIN DEFERRED IMMEDIATE
        COMMIT TRANSACTION
        COMMIT WORK
        END
        END x
        ROLLBACK
        ROLLBACK TRANSACTION
        ROLLBACK TO
        ROLLBACK TRANSACTION sp
        ROLLBACK TRANSACTION TO sp
        RELEASE
        SAVEPOINT "x y"
        SAVEPOINT 'x'
        SAVEPOINT x y
        PRAGMA
        PRAGMA foo.bar.baz
        PRAGMA foo =
        PRAGMA foo = (1)
        PRAGMA foo(
        PRAGMA foo()
        PRAGMA foo('x')
        PRAGMA foo(-1)
        PRAGMA foo(+1)
        PRAGMA foo(ON)
        PRAGMA foo = OFF
        PRAGMA foo = FULL
        PRAGMA foo = left
        PRAGMA foo = indexed
        PRAGMA foo = 0x10
        PRAGMA foo = - 5
        PRAGMA foo = + + 5
        PRAGMA 'foo'
        PRAGMA foo.'bar' = 1
        VACUUM INTO
        VACUUM main main
        VACUUM 'main'
        VACUUM INTO ?
        ANALYZE main.
        ANALYZE 'x'
        REINDEX t.i.j
        ATTACH
        ATTACH 'x'
        ATTACH 'x' AS
        ATTACH 'x' AS y KEY
        ATTACH x || 'y' AS z
        ATTACH DATABASE
        DETACH
        DETACH 'x'
        DETACH database x
        EXPLAIN QUERY PLAN
        EXPLAIN QUERY PLAN EXPLAIN SELECT 1
        EXPLAIN BEGIN
        EXPLAIN CREATE TABLE q(a)
        EXPLAIN PRAGMA foo
        """;
}
