// Interop with real SQLite through the sqlite3 shell, both ways:
//   - files Tern writes (trees plus the sqlite_schema rows Tern writes itself) pass
//     sqlite3's PRAGMA integrity_check and give back exactly the rows Tern wrote;
//   - files sqlite3 writes (page sizes 512 to 65536, 100k+ rows, 1 MB rows, indexes,
//     freelists, auto-vacuum pointer maps) read back in Tern row for row, pass Tern's
//     integrity check, and still pass sqlite3's after Tern has changed them.
using System.Text;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Storage.BTree;

public class InteropTests(ITestOutputHelper output)
{
    private static Value RandomValue(Random rng, int pageSize)
    {
        return rng.Next(6) switch
        {
            0 => Value.Null,
            1 => Value.FromInteger(rng.NextInt64(long.MinValue, long.MaxValue) >> rng.Next(64)),
            2 => Value.FromReal(rng.Next(-100000, 100000) + 0.25),
            3 => Value.FromText(RandomText(rng, rng.Next(8) == 0 ? rng.Next(pageSize, pageSize * 3) : rng.Next(0, 50))),
            4 => Value.FromBlob(RandomBytes(rng, rng.Next(8) == 0 ? rng.Next(pageSize, pageSize * 3) : rng.Next(0, 50))),
            _ => Value.FromInteger(rng.Next(-5, 5)),
        };
    }

    private static string RandomText(Random rng, int len)
    {
        var sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.Append((char)rng.Next('a', 'z' + 1));
        return sb.ToString();
    }

    private static byte[] RandomBytes(Random rng, int len)
    {
        var b = new byte[len];
        rng.NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(512, false)]
    [InlineData(4096, false)]
    [InlineData(65536, false)]
    [InlineData(1024, true)]
    public void Tern_written_file_passes_sqlite_integrity_check_and_returns_the_same_rows(int pageSize, bool autoVacuum)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("tern.db");
        var rng = new Random(pageSize + (autoVacuum ? 1 : 0));
        var rows = new SortedDictionary<long, Value[]>();
        using (var bt = Tern.Storage.BTree.BTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = pageSize }, autoVacuum))
        {
            bt.BeginWrite();
            uint tRoot = bt.CreateTable();
            uint iRoot = bt.CreateIndex();
            SchemaTable.Insert(bt, "table", "t", "t", tRoot, "CREATE TABLE t(a, b)");
            SchemaTable.Insert(bt, "index", "i", "t", iRoot, "CREATE INDEX i ON t(a)");
            bt.Commit();
            for (int round = 0; round < 4; round++)
            {
                bt.BeginWrite();
                using var table = new BTreeCursor(bt, tRoot, table: true);
                using var index = new BTreeCursor(bt, iRoot, table: false);
                for (int i = 0; i < 1500; i++)
                {
                    long rowId = rng.Next(1, 20000);
                    if (rows.TryGetValue(rowId, out Value[]? old))
                    {
                        Assert.True(index.Seek(RecordEncoder.Encode([old[0], Value.FromInteger(rowId)]), SeekOp.GE));
                        index.Delete();
                    }
                    Value[] row = [RandomValue(rng, pageSize), RandomValue(rng, pageSize)];
                    table.Insert(rowId, RecordEncoder.Encode(row));
                    index.Insert(RecordEncoder.Encode([row[0], Value.FromInteger(rowId)]));
                    rows[rowId] = row;
                }
                // Delete about a third, so pages go to the freelist.
                foreach (long rowId in rows.Keys.Where(_ => rng.Next(3) == 0).ToList())
                {
                    Assert.True(table.SeekRowId(rowId));
                    table.Delete();
                    Assert.True(index.Seek(RecordEncoder.Encode([rows[rowId][0], Value.FromInteger(rowId)]), SeekOp.GE));
                    index.Delete();
                    rows.Remove(rowId);
                }
                bt.Commit();
            }
            output.WriteLine($"{rows.Count} rows, {bt.Pager.PageCount} pages, {bt.FreelistCount} free");
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        string expected = string.Concat(rows.Select(r => ValueText.Row(r.Key, r.Value) + "\n"));
        string actual = SqliteShell.Run(path, "SELECT rowid, quote(a), quote(b) FROM t ORDER BY rowid;");
        Assert.Equal(expected, actual);
        string count = SqliteShell.Run(path, "SELECT count(*) FROM t INDEXED BY i WHERE a IS NULL OR a IS NOT NULL;");
        Assert.Equal($"{rows.Count}\n", count);
    }

    public static TheoryData<string, string> SqliteDatabases => new()
    {
        { "p512-100k", "PRAGMA page_size=512; CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d REAL); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<100000) " +
            "INSERT INTO t SELECT x, 'row-' || x, CASE WHEN x % 5000 = 0 THEN randomblob(3000) END, x * 0.5 FROM s; " +
            "CREATE INDEX tb ON t(b); DELETE FROM t WHERE a % 2 = 0;" },
        { "p4096-120k-1MB", "PRAGMA page_size=4096; CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d REAL); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<120000) " +
            "INSERT INTO t SELECT x, hex(randomblob(x % 40)), NULL, x * 0.25 FROM s; " +
            "INSERT INTO t VALUES (-1, 'big1', randomblob(1048576), 1.5), (-2, 'big2', randomblob(1048576), 2.5); " +
            "CREATE INDEX tb ON t(b); DELETE FROM t WHERE a % 2 = 1 AND a > 0;" },
        { "p65536-1MB", "PRAGMA page_size=65536; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB, d REAL); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<100000) " +
            "INSERT INTO t SELECT x, 'v' || (x * 7 % 1000), NULL, NULL FROM s; " +
            "INSERT INTO t VALUES (200001, 'huge', randomblob(1048576), 0.5), (200002, 'huge2', zeroblob(1048576), NULL); " +
            "CREATE INDEX tb ON t(b); DELETE FROM t WHERE a % 3 = 0;" },
        { "autovacuum-full", "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d REAL); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<30000) " +
            "INSERT INTO t SELECT x, printf('%08d', x * 7919 % 30011), CASE WHEN x % 300 = 0 THEN randomblob(4000) END, NULL FROM s; " +
            "CREATE INDEX tb ON t(b); CREATE TABLE u(x); INSERT INTO u VALUES (1), (2); DELETE FROM t WHERE a % 4 = 0;" },
        { "autovacuum-incremental", "PRAGMA page_size=2048; PRAGMA auto_vacuum=INCREMENTAL; CREATE TABLE t(a INTEGER, b TEXT, c BLOB, d REAL); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<30000) " +
            "INSERT INTO t SELECT x, 'k' || x, CASE WHEN x % 200 = 0 THEN randomblob(9000) END, x + 0.5 FROM s; " +
            "CREATE INDEX tb ON t(b); DELETE FROM t WHERE a % 2 = 0;" },
    };

    [Theory]
    [MemberData(nameof(SqliteDatabases))]
    public void Sqlite_written_file_reads_row_for_row_and_stays_valid_after_Tern_writes(string name, string script)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File(name + ".db");
        SqliteShell.Run(path, script);
        string expected = SqliteShell.Run(path, "SELECT rowid, quote(a), quote(b), quote(c), quote(d) FROM t ORDER BY rowid;");
        using (var bt = Tern.Storage.BTree.BTree.Open(OsFileSystem.Instance, path))
        {
            List<SchemaEntry> schema = SchemaTable.Read(bt);
            SchemaEntry t = schema.Single(e => e.Name == "t");
            SchemaEntry tb = schema.Single(e => e.Name == "tb");
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));

            var sb = new StringBuilder();
            int rows = 0;
            bt.BeginRead();
            using (var c = new BTreeCursor(bt, t.RootPage, table: true))
            {
                for (bool ok = c.First(); ok; ok = c.Next(), rows++)
                {
                    Value[] v = RecordReader.Decode(c.Payload);
                    // An INTEGER PRIMARY KEY column is stored as NULL: its value is the rowid.
                    if (v[0].Kind == ValueKind.Null) v[0] = Value.FromInteger(c.RowId);
                    // A REAL column stores integral values as integers; reading applies the affinity back.
                    if (v[3].Kind == ValueKind.Integer) v[3] = Value.FromReal(v[3].AsInteger);
                    sb.Append(ValueText.Row(c.RowId, v)).Append('\n');
                }
            }
            using (var ix = new BTreeCursor(bt, tb.RootPage, table: false))
            {
                Assert.Equal(rows, ix.Count());
            }
            bt.EndRead();
            Assert.Equal(expected, sb.ToString());
            output.WriteLine($"{name}: {rows} rows, {bt.Pager.PageCount} pages, free {bt.FreelistCount}, autovacuum {bt.AutoVacuum}");

            // Now change the file: new rows (with their index entries), and deletes.
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, t.RootPage, table: true))
            using (var ix = new BTreeCursor(bt, tb.RootPage, table: false))
            {
                var rng = new Random(7);
                for (int i = 0; i < 3000; i++)
                {
                    long rowId = 1_000_000 + i;
                    Value b = Value.FromText("tern-" + RandomText(rng, rng.Next(1, 60)));
                    Value blob = rng.Next(50) == 0 ? Value.FromBlob(RandomBytes(rng, 20000)) : Value.Null;
                    c.Insert(rowId, RecordEncoder.Encode([Value.FromInteger(rowId), b, blob, Value.Null]));
                    ix.Insert(RecordEncoder.Encode([b, Value.FromInteger(rowId)]));
                }
                int deleted = 0;
                for (bool ok = c.First(); ok && deleted < 2000; deleted++)
                {
                    Value[] v = RecordReader.Decode(c.Payload);
                    long rowId = c.RowId;
                    Assert.True(ix.Seek(RecordEncoder.Encode([v[1], Value.FromInteger(rowId)]), SeekOp.GE));
                    ix.Delete();
                    c.Delete();
                    ok = c.Next() && c.Next();
                }
            }
            bt.Commit();
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
            if (bt.AutoVacuum && !bt.IncrementalVacuum)
            {
                // auto_vacuum=FULL: the commit gave every free page back to the file system.
                Assert.Equal(0u, bt.FreelistCount);
                Assert.Equal(bt.Pager.PageCount * (long)bt.Pager.PageSize, new FileInfo(path).Length);
            }
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        if (name == "autovacuum-full") Assert.Equal("0\n", SqliteShell.Run(path, "PRAGMA freelist_count;"));
        Assert.Equal("3000\n", SqliteShell.Run(path, "SELECT count(*) FROM t WHERE rowid >= 1000000;"));
        Assert.Equal("3000\n", SqliteShell.Run(path, "SELECT count(*) FROM t INDEXED BY tb WHERE b LIKE 'tern-%';"));
    }

    [Fact]
    public void Utf16_database_is_reported_clearly()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("utf16.db");
        SqliteShell.Run(path, "PRAGMA encoding='UTF-16le'; CREATE TABLE t(a); INSERT INTO t VALUES ('x');");
        using var bt = Tern.Storage.BTree.BTree.Open(OsFileSystem.Instance, path);
        var e = Assert.Throws<TernException>(() => SchemaTable.Read(bt));
        Assert.Contains("UTF-16le", e.Message);
    }
}
