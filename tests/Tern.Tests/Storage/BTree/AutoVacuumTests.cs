// Auto-vacuum files: dropping trees keeps the root pages together at the front of the
// file (the last root moves into a dropped root's page and sqlite_schema follows), so
// that the vacuum at each commit of an auto_vacuum=FULL file never has to move a root.
// Checked by Tern's integrity check and by the sqlite3 shell.
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Tests.Support;

namespace Tern.Tests.Storage.BTree;

public class AutoVacuumTests
{
    [Theory]
    [InlineData("t1,t3")]
    [InlineData("t4,t2")]
    [InlineData("t2,t1,t3")]
    public void Dropping_tables_moves_the_last_root_down_and_the_file_stays_valid(string dropped)
    {
        string[] drop = dropped.Split(',');
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("av.db");
        var counts = new Dictionary<string, int>();
        using (var bt = Tern.Storage.BTree.BTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = 1024 }, autoVacuum: true))
        {
            bt.BeginWrite();
            var rng = new Random(5);
            for (int t = 1; t <= 4; t++)
            {
                string name = "t" + t;
                uint root = bt.CreateTable();
                SchemaTable.Insert(bt, "table", name, name, root, $"CREATE TABLE {name}(a, b)");
                using var c = new BTreeCursor(bt, root, table: true);
                int n = 200 * t;
                for (int i = 1; i <= n; i++)
                {
                    byte[] blob = new byte[i % 50 == 0 ? 3000 : 40];
                    rng.NextBytes(blob);
                    c.Insert(i, RecordEncoder.Encode([Value.FromInteger(i), Value.FromBlob(blob)]));
                }
                counts[name] = n;
            }
            bt.Commit();

            bt.BeginWrite();
            foreach (string name in drop)
            {
                SchemaEntry e = SchemaTable.Read(bt).Single(s => s.Name == name);
                bt.DropTree(e.RootPage);
                using var schema = new BTreeCursor(bt, 1, table: true);
                Assert.True(schema.SeekRowId(e.RowId));
                schema.Delete();
                counts.Remove(name);
            }
            bt.Commit();

            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
            bt.BeginRead();
            Assert.Equal(0u, bt.FreelistCount);
            uint largest = bt.GetMeta(DatabaseHeader.LargestRootPageOffset);
            List<SchemaEntry> entries = SchemaTable.Read(bt);
            Assert.Equal(largest, entries.Max(e => e.RootPage));
            foreach (SchemaEntry e in entries)
            {
                using var c = new BTreeCursor(bt, e.RootPage, table: true);
                Assert.Equal(counts[e.Name], c.Count());
            }
            bt.EndRead();
        }
        Assert.Equal("ok\n", SqliteShell.Run(path, "PRAGMA integrity_check;"));
        Assert.Equal("0\n", SqliteShell.Run(path, "PRAGMA freelist_count;"));
        foreach ((string name, int n) in counts)
        {
            Assert.Equal($"{n}\n", SqliteShell.Run(path, $"SELECT count(*) FROM {name};"));
        }
    }
}
