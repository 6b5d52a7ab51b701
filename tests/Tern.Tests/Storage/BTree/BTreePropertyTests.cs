// Property tests of the b-tree: long runs of random inserts, replacements and deletes on
// table and index trees, with payloads from empty to several pages (to force overflow
// chains), compared against an in-memory model, with the integrity check after every
// batch and on every commit. Seeds are fixed so failures reproduce.
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Xunit.Abstractions;

namespace Tern.Tests.Storage.BTree;

public class BTreePropertyTests(ITestOutputHelper output)
{
    private static byte[] RandomPayload(Random rng, int pageSize)
    {
        int kind = rng.Next(10);
        int len = kind switch
        {
            0 => 0,
            < 6 => rng.Next(1, 40),
            < 9 => rng.Next(40, pageSize),
            _ => rng.Next(pageSize, pageSize * 4),
        };
        var b = new byte[len];
        rng.NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(1, 512, 20000)]
    [InlineData(2, 1024, 20000)]
    [InlineData(3, 4096, 15000)]
    [InlineData(4, 65536, 3000)]
    [InlineData(5, 512, 15000, true)]
    [InlineData(6, 4096, 10000, true)]
    public void Table_tree_matches_model_under_random_inserts_updates_and_deletes(int seed, int pageSize, int operations, bool autoVacuum = false)
    {
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "t.db", new PagerOptions { PageSize = pageSize, CacheSize = 50 }, autoVacuum);
        var rng = new Random(seed);
        var model = new SortedDictionary<long, byte[]>();
        bt.BeginWrite();
        uint root = bt.CreateTable();
        bt.Commit();
        int batch = 500;
        for (int done = 0; done < operations; done += batch)
        {
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                for (int i = 0; i < batch; i++)
                {
                    int op = rng.Next(10);
                    if (op < 6 || model.Count == 0)
                    {
                        long key = rng.Next(4) == 0 ? (model.Count == 0 ? 1 : model.Keys.Last() + 1) : rng.Next(-1000, 100000);
                        byte[] p = RandomPayload(rng, pageSize);
                        c.Insert(key, p);
                        model[key] = p;
                    }
                    else
                    {
                        long probe = rng.Next(-1000, 100000);
                        if (c.Seek(probe, SeekOp.GE) || c.Last())
                        {
                            long key = c.RowId;
                            Assert.True(model.ContainsKey(key));
                            c.Delete();
                            model.Remove(key);
                        }
                    }
                }
            }
            if (rng.Next(8) == 0)
            {
                // Roll back a whole batch now and then: the tree must come back unchanged.
                bt.Rollback();
                model = ReadTable(bt, root);
            }
            else
            {
                bt.Commit();
            }
            AssertTableEquals(bt, root, model);
            AssertIntegrity(bt, [(root, true)]);
            if (autoVacuum)
            {
                // auto_vacuum=FULL: every commit moves pages down and cuts the file after the last one in use.
                bt.BeginRead();
                Assert.Equal(0u, bt.FreelistCount);
                Assert.Equal(bt.Pager.PageCount * (long)pageSize, fs.GetSize("t.db"));
                bt.EndRead();
            }
        }
        output.WriteLine($"{model.Count} rows, {bt.Pager.PageCount} pages, {bt.FreelistCount} free");
    }

    [Theory]
    [InlineData(11, 512, 20000)]
    [InlineData(12, 4096, 15000)]
    public void Index_tree_matches_model_under_random_inserts_and_deletes(int seed, int pageSize, int operations)
    {
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "i.db", new PagerOptions { PageSize = pageSize, CacheSize = 50 });
        var rng = new Random(seed);
        var model = new SortedSet<byte[]>(Comparer<byte[]>.Create((a, b) => RecordComparer.Compare(a, b, null)));
        bt.BeginWrite();
        uint root = bt.CreateIndex();
        bt.Commit();
        long nextRowId = 1;
        int batch = 500;
        for (int done = 0; done < operations; done += batch)
        {
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, root, table: false))
            {
                for (int i = 0; i < batch; i++)
                {
                    if (rng.Next(10) < 6 || model.Count == 0)
                    {
                        byte[] rec = RandomIndexRecord(rng, pageSize, nextRowId++);
                        c.Insert(rec);
                        model.Add(rec);
                    }
                    else
                    {
                        byte[] probe = RandomIndexRecord(rng, pageSize, rng.Next(1, (int)nextRowId));
                        if (c.Seek(probe, SeekOp.GE) || c.Last())
                        {
                            byte[] key = c.Payload.ToArray();
                            Assert.True(model.Remove(key), "cursor found a key the model lacks");
                            c.Delete();
                        }
                    }
                }
            }
            bt.Commit();
            AssertIndexEquals(bt, root, model);
            AssertIntegrity(bt, [(root, false)]);
        }
        output.WriteLine($"{model.Count} entries, {bt.Pager.PageCount} pages");
    }

    private static byte[] RandomIndexRecord(Random rng, int pageSize, long rowId)
    {
        Value first = rng.Next(5) switch
        {
            0 => Value.Null,
            1 => Value.FromInteger(rng.Next(-50, 50)),
            2 => Value.FromReal(rng.Next(-500, 500) / 7.0),
            3 => Value.FromText(new string((char)('a' + rng.Next(26)), rng.Next(0, rng.Next(8) == 0 ? pageSize * 2 : 30))),
            _ => Value.FromBlob(RandomPayload(rng, pageSize / 4)),
        };
        return RecordEncoder.Encode([first, Value.FromInteger(rowId)]);
    }

    [Fact]
    public void Cursor_walks_both_ways_and_seeks_every_operator()
    {
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "s.db", new PagerOptions { PageSize = 512 });
        bt.BeginWrite();
        uint root = bt.CreateTable();
        using var c = new BTreeCursor(bt, root, table: true);
        for (long k = 10; k <= 20000; k += 10) c.Insert(k, new byte[k % 97]);
        bt.Commit();
        bt.BeginRead();
        long expect = 10;
        for (bool ok = c.First(); ok; ok = c.Next(), expect += 10) Assert.Equal(expect, c.RowId);
        Assert.Equal(20010, expect);
        expect = 20000;
        for (bool ok = c.Last(); ok; ok = c.Prev(), expect -= 10) Assert.Equal(expect, c.RowId);
        Assert.Equal(0, expect);
        Assert.Equal(2000, c.Count());
        Assert.True(c.Seek(15, SeekOp.GE)); Assert.Equal(20, c.RowId);
        Assert.True(c.Seek(20, SeekOp.GE)); Assert.Equal(20, c.RowId);
        Assert.True(c.Seek(20, SeekOp.GT)); Assert.Equal(30, c.RowId);
        Assert.True(c.Seek(25, SeekOp.LE)); Assert.Equal(20, c.RowId);
        Assert.True(c.Seek(20, SeekOp.LE)); Assert.Equal(20, c.RowId);
        Assert.True(c.Seek(20, SeekOp.LT)); Assert.Equal(10, c.RowId);
        Assert.False(c.Seek(10, SeekOp.LT));
        Assert.False(c.Seek(20000, SeekOp.GT));
        Assert.True(c.SeekRowId(12340));
        Assert.False(c.SeekRowId(12345));
        bt.EndRead();
    }

    [Fact]
    public void Deleting_while_iterating_visits_every_row_once()
    {
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "d.db", new PagerOptions { PageSize = 512 });
        bt.BeginWrite();
        uint root = bt.CreateTable();
        using var c = new BTreeCursor(bt, root, table: true);
        for (long k = 1; k <= 5000; k++) c.Insert(k, new byte[50]);
        var seen = new List<long>();
        for (bool ok = c.First(); ok; ok = c.Next())
        {
            seen.Add(c.RowId);
            if (c.RowId % 3 != 0) c.Delete();
        }
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (long)i), seen);
        Assert.Equal(5000 / 3, c.Count());
        bt.Commit();
        AssertIntegrity(bt, [(root, true)]);
    }

    [Fact]
    public void Dropped_trees_pages_are_reused_before_the_file_grows()
    {
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "f.db", new PagerOptions { PageSize = 1024 });
        bt.BeginWrite();
        uint a = bt.CreateTable();
        using (var c = new BTreeCursor(bt, a, table: true))
        {
            for (long k = 1; k <= 3000; k++) c.Insert(k, new byte[100]);
        }
        bt.Commit();
        uint pagesBefore = bt.Pager.PageCount;
        bt.BeginWrite();
        bt.DropTree(a);
        bt.Commit();
        Assert.Equal(pagesBefore - 1, bt.FreelistCount);
        bt.BeginWrite();
        uint b = bt.CreateTable();
        using (var c = new BTreeCursor(bt, b, table: true))
        {
            for (long k = 1; k <= 3000; k++) c.Insert(k, new byte[100]);
        }
        bt.Commit();
        Assert.Equal(pagesBefore, bt.Pager.PageCount);
        AssertIntegrity(bt, [(b, true)]);
    }

    [Fact]
    public void Deleting_the_last_row_under_a_root_with_no_cells_empties_the_tree()
    {
        // A row too big for page 1 (whose header takes 100 bytes) leaves page 1 an interior
        // page with no cells over one leaf, as SQLite does too. Deleting that row leaves a
        // balance with no cells at all to lay out.
        var fs = new MemoryFileSystem();
        using var bt = Tern.Storage.BTree.BTree.Open(fs, "r.db", new PagerOptions { PageSize = 512 });
        bt.BeginWrite();
        using var c = new BTreeCursor(bt, 1, table: true);
        c.Insert(1, new byte[450]);
        bt.Commit();
        AssertIntegrity(bt, [(1, true)]);
        bt.BeginWrite();
        Assert.True(c.SeekRowId(1));
        c.Delete();
        Assert.False(c.First());
        Assert.Equal(0, c.Count());
        bt.Commit();
        AssertIntegrity(bt, [(1, true)]);
        Assert.Equal(1u, bt.FreelistCount);
    }

    internal static SortedDictionary<long, byte[]> ReadTable(Tern.Storage.BTree.BTree bt, uint root)
    {
        var result = new SortedDictionary<long, byte[]>();
        bt.BeginRead();
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (bool ok = c.First(); ok; ok = c.Next()) result[c.RowId] = c.Payload.ToArray();
        }
        bt.EndRead();
        return result;
    }

    internal static void AssertTableEquals(Tern.Storage.BTree.BTree bt, uint root, SortedDictionary<long, byte[]> model)
    {
        var actual = ReadTable(bt, root);
        Assert.Equal(model.Count, actual.Count);
        foreach ((long k, byte[] v) in model)
        {
            Assert.True(actual.TryGetValue(k, out byte[]? got), $"row {k} missing");
            Assert.True(v.AsSpan().SequenceEqual(got), $"row {k} differs");
        }
    }

    private static void AssertIndexEquals(Tern.Storage.BTree.BTree bt, uint root, SortedSet<byte[]> model)
    {
        bt.BeginRead();
        using var c = new BTreeCursor(bt, root, table: false);
        var e = model.GetEnumerator();
        int n = 0;
        for (bool ok = c.First(); ok; ok = c.Next(), n++)
        {
            Assert.True(e.MoveNext(), "tree has more entries than the model");
            Assert.True(e.Current.AsSpan().SequenceEqual(c.Payload), $"entry {n} differs");
        }
        Assert.False(e.MoveNext(), "tree has fewer entries than the model");
        Assert.Equal(model.Count, c.Count());
        bt.EndRead();
    }

    internal static void AssertIntegrity(Tern.Storage.BTree.BTree bt, (uint, bool)[] roots)
    {
        List<string> errors = new IntegrityChecker(bt).Check(roots);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
