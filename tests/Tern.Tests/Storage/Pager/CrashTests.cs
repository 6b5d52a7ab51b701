// Crash safety: on the in-memory file system, power is cut at random points of random
// write transactions (optionally tearing the last unsynced write at a sector boundary,
// and sometimes cutting power again during recovery). After each cut the database is
// reopened: every committed transaction must be there, the interrupted one must not,
// and the integrity check must pass. Seeds are fixed; TERN_CRASH_SEEDS sets how many
// scenarios run (each has many crash points).
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Tests.Storage.BTree;
using Xunit.Abstractions;

namespace Tern.Tests.Storage.Pager;

public class CrashTests(ITestOutputHelper output)
{
    private static int Seeds => int.TryParse(Environment.GetEnvironmentVariable("TERN_CRASH_SEEDS"), out int n) && n > 0 ? n : 40;

    public static IEnumerable<object[]> Scenarios()
    {
        for (int seed = 1; seed <= Seeds; seed++) yield return [seed];
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Power_cut_at_any_point_keeps_exactly_the_committed_transactions(int seed)
    {
        const int cycles = 100;
        var rng = new Random(seed);
        var fs = new MemoryFileSystem { TearOnCrash = seed % 2 == 0, TearRandom = new Random(seed * 31) };
        int pageSize = seed % 3 == 0 ? 512 : 1024;
        var options = new PagerOptions { PageSize = pageSize, CacheSize = seed % 4 == 0 ? 12 : 200 };
        var model = new SortedDictionary<long, byte[]>();
        uint root;
        var bt = Tern.Storage.BTree.BTree.Open(fs, "crash.db", options);
        bt.BeginWrite();
        root = bt.CreateTable();
        bt.Commit();
        int crashes = 0, commits = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            var next = new SortedDictionary<long, byte[]>(model);
            fs.CrashAfterOperations = fs.OperationCount + rng.Next(0, 80);
            try
            {
                bt.BeginWrite();
                using (var c = new BTreeCursor(bt, root, table: true))
                {
                    int ops = rng.Next(1, 60);
                    for (int i = 0; i < ops; i++)
                    {
                        long key = rng.Next(1, 400);
                        if (rng.Next(3) == 0 && next.Count > 0)
                        {
                            if (c.Seek(key, SeekOp.GE) || c.Last())
                            {
                                next.Remove(c.RowId);
                                c.Delete();
                            }
                        }
                        else
                        {
                            var p = new byte[rng.Next(4) == 0 ? rng.Next(pageSize, pageSize * 3) : rng.Next(0, 100)];
                            rng.NextBytes(p);
                            c.Insert(key, p);
                            next[key] = p;
                        }
                    }
                }
                if (rng.Next(10) == 0)
                {
                    bt.Rollback();
                }
                else
                {
                    bt.Commit();
                    model = next;
                    commits++;
                }
                fs.CrashAfterOperations = null;
            }
            catch (SimulatedPowerCutException)
            {
                crashes++;
                bt.Dispose();
                // Sometimes the power goes again while the hot journal is being played back.
                if (rng.Next(4) == 0)
                {
                    fs.CrashAfterOperations = fs.OperationCount + rng.Next(0, 6);
                    try
                    {
                        using var again = Tern.Storage.BTree.BTree.Open(fs, "crash.db", options);
                        BTreePropertyTests.ReadTable(again, root);
                    }
                    catch (SimulatedPowerCutException)
                    {
                    }
                    fs.CrashAfterOperations = null;
                }
                bt = Tern.Storage.BTree.BTree.Open(fs, "crash.db", options);
            }
            BTreePropertyTests.AssertTableEquals(bt, root, model);
            BTreePropertyTests.AssertIntegrity(bt, [(root, true)]);
        }
        bt.Dispose();
        output.WriteLine($"seed {seed}: {crashes} power cuts, {commits} commits, {model.Count} rows");
        Assert.True(crashes > cycles / 4, $"only {crashes} crashes happened");
    }

    [Fact]
    public void Io_error_during_commit_leaves_the_last_committed_state()
    {
        var fs = new MemoryFileSystem();
        var options = new PagerOptions { PageSize = 1024 };
        uint root;
        var model = new SortedDictionary<long, byte[]>();
        using (var bt = Tern.Storage.BTree.BTree.Open(fs, "io.db", options))
        {
            bt.BeginWrite();
            root = bt.CreateTable();
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                for (long k = 1; k <= 500; k++) c.Insert(k, model[k] = new byte[100]);
            }
            bt.Commit();
            foreach (IoOperation failing in new[] { IoOperation.Write, IoOperation.Sync })
            {
                bt.BeginWrite();
                using (var c = new BTreeCursor(bt, root, table: true))
                {
                    for (long k = 1; k <= 500; k += 2) c.Insert(k, new byte[300]);
                }
                fs.FailWhen = (op, path) => op == failing && path == "io.db";
                var e = Assert.Throws<TernException>(() => bt.Commit());
                Assert.Equal(ResultCode.IoErr, e.Code);
                fs.FailWhen = null;
                BTreePropertyTests.AssertTableEquals(bt, root, model);
                BTreePropertyTests.AssertIntegrity(bt, [(root, true)]);
            }
        }
        using var reopened = Tern.Storage.BTree.BTree.Open(fs, "io.db", options);
        BTreePropertyTests.AssertTableEquals(reopened, root, model);
    }
}
