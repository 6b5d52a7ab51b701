// Unit tests of the pager against SQLite's file format: the 100-byte header Tern writes
// (every field, for every page size, field by field beside what SQLite 3.50.4 writes for
// the same operations), reading files whose in-header page count is stale, rollback
// (with and without dirty pages spilled to the file, and after the database was cut
// shorter), the page cache (eviction under a tiny cache, pinned pages), the rollback
// journal's header and records as SQLite lays them out, and I/O errors injected at each
// kind of file operation during commit.
using System.Buffers.Binary;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Tests.Storage.BTree;
using Tern.Tests.Support;
using TernBTree = Tern.Storage.BTree.BTree;
using TernPager = Tern.Storage.Pager.Pager;

namespace Tern.Tests.Storage.Pager;

public class PagerTests
{
    public static TheoryData<int> PageSizes => new() { 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536 };

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32BigEndian(b.Slice(offset, 4));

    /// <summary>Checks every field of a database header Tern wrote, against the file it heads.</summary>
    internal static void AssertTernHeader(byte[] file, int pageSize, int reserved, uint changeCounter)
    {
        ReadOnlySpan<byte> h = file.AsSpan(0, 100);
        Assert.True(h[..16].SequenceEqual("SQLite format 3\0"u8), "magic");
        Assert.Equal(pageSize == 65536 ? 1 : pageSize, BinaryPrimitives.ReadUInt16BigEndian(h[16..]));
        Assert.Equal(1, h[18]);
        Assert.Equal(1, h[19]);
        Assert.Equal(reserved, h[20]);
        Assert.Equal(64, h[21]);
        Assert.Equal(32, h[22]);
        Assert.Equal(32, h[23]);
        Assert.Equal(changeCounter, U32(h, 24));
        Assert.Equal(0, file.Length % pageSize);
        Assert.Equal((uint)(file.Length / pageSize), U32(h, 28));
        uint freeTrunk = U32(h, 32), freeCount = U32(h, 36);
        Assert.Equal(freeCount == 0, freeTrunk == 0);
        Assert.True(freeTrunk <= U32(h, 28));
        Assert.Equal(4u, U32(h, 44));
        Assert.Equal(0u, U32(h, 52));
        Assert.Equal(1u, U32(h, 56));
        Assert.Equal(0u, U32(h, 64));
        Assert.True(h[72..92].IndexOfAnyExcept((byte)0) < 0, "bytes 72..91 are reserved and zero");
        Assert.Equal(changeCounter, U32(h, 92));
        Assert.Equal(3050004u, U32(h, 96));
    }

    /// <summary>The header fields (by offset) where two headers differ.</summary>
    private static List<int> DifferingFields(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int[] starts = [0, 16, 18, 19, 20, 21, 22, 23, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 92, 96, 100];
        var result = new List<int>();
        for (int i = 0; i + 1 < starts.Length; i++)
        {
            if (!a[starts[i]..starts[i + 1]].SequenceEqual(b[starts[i]..starts[i + 1]])) result.Add(starts[i]);
        }
        return result;
    }

    private static byte[] Row(long a) => RecordEncoder.Encode([Value.FromInteger(a)]);

    [Theory]
    [MemberData(nameof(PageSizes))]
    public void Header_is_sqlite_s_header_field_for_field_for_a_table_and_two_commits(int pageSize)
    {
        using var dir = new SqliteShell.TempDir();
        string tern = dir.File("tern.db"), sqlite = dir.File("sqlite.db");
        using (var bt = TernBTree.Open(OsFileSystem.Instance, tern, new PagerOptions { PageSize = pageSize }))
        {
            bt.BeginWrite();
            uint root = bt.CreateTable();
            SchemaTable.Insert(bt, "table", "t", "t", root, "CREATE TABLE t(x)");
            bt.Commit();
            AssertTernHeader(File.ReadAllBytes(tern), pageSize, 0, 1);
            Assert.False(File.Exists(tern + "-journal"));
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, root, table: true)) c.Insert(1, Row(1));
            bt.Commit();
            AssertTernHeader(File.ReadAllBytes(tern), pageSize, 0, 2);
            // A write transaction that changes nothing leaves the file alone, as in SQLite.
            bt.BeginWrite();
            bt.Commit();
            AssertTernHeader(File.ReadAllBytes(tern), pageSize, 0, 2);
        }
        using (var c = SqliteOracle.Open(sqlite))
        {
            SqliteOracle.Execute(c, $"PRAGMA page_size={pageSize}; CREATE TABLE t(x);");
            SqliteOracle.Execute(c, "INSERT INTO t VALUES (1);");
        }
        byte[] ours = File.ReadAllBytes(tern), theirs = File.ReadAllBytes(sqlite);
        Assert.Empty(DifferingFields(ours.AsSpan(0, 100), theirs.AsSpan(0, 100)));
        Assert.Equal(theirs.Length, ours.Length);
        using (var c = SqliteOracle.Open(tern))
        {
            Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
            Assert.Equal((long)pageSize, SqliteOracle.Scalar(c, "PRAGMA page_size"));
            Assert.Equal(1L, SqliteOracle.Scalar(c, "SELECT x FROM t"));
        }
    }

    [Fact]
    public void Header_of_an_empty_database_differs_from_sqlite_s_only_in_schema_format_and_text_encoding()
    {
        // SQLite's first page of a database with no schema has 0 for the schema format and
        // the text encoding (they are written by the first CREATE); Tern writes 4 and 1 at once.
        using var dir = new SqliteShell.TempDir();
        string tern = dir.File("tern.db"), sqlite = dir.File("sqlite.db");
        using (var bt = TernBTree.Open(OsFileSystem.Instance, tern, new PagerOptions { PageSize = 4096 }))
        {
            bt.BeginWrite();
            bt.Commit();
        }
        using (var c = SqliteOracle.Open(sqlite)) SqliteOracle.Execute(c, "PRAGMA page_size=4096; PRAGMA user_version=0;");
        byte[] ours = File.ReadAllBytes(tern), theirs = File.ReadAllBytes(sqlite);
        AssertTernHeader(ours, 4096, 0, 1);
        Assert.Equal([44, 56], DifferingFields(ours.AsSpan(0, 100), theirs.AsSpan(0, 100)));
        Assert.Equal(0u, U32(theirs, 44));
        Assert.Equal(0u, U32(theirs, 56));
        Assert.True(ours.AsSpan(100).SequenceEqual(theirs.AsSpan(100)), "page 1 after the header");
        using var o = SqliteOracle.Open(tern);
        Assert.Equal("ok", SqliteOracle.Scalar(o, "PRAGMA integrity_check"));
        SqliteOracle.Execute(o, "CREATE TABLE t(x); INSERT INTO t VALUES ('after');");
        Assert.Equal("after", SqliteOracle.Scalar(o, "SELECT x FROM t"));
    }

    [Theory]
    [InlineData(1024, 8)]
    [InlineData(4096, 32)]
    [InlineData(65536, 255)]
    public void Header_records_reserved_bytes_and_sqlite_keeps_them(int pageSize, int reserved)
    {
        using var dir = new SqliteShell.TempDir();
        string tern = dir.File("tern.db"), sqlite = dir.File("sqlite.db");
        using (var bt = TernBTree.Open(OsFileSystem.Instance, tern, new PagerOptions { PageSize = pageSize, ReservedBytes = reserved }))
        {
            Assert.Equal(pageSize - reserved, bt.Pager.UsableSize);
            bt.BeginWrite();
            uint root = bt.CreateTable();
            SchemaTable.Insert(bt, "table", "t", "t", root, "CREATE TABLE t(x)");
            bt.Commit();
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                for (long k = 1; k <= 300; k++) c.Insert(k, RecordEncoder.Encode([Value.FromText(new string('r', 200))]));
            }
            bt.Commit();
            AssertTernHeader(File.ReadAllBytes(tern), pageSize, reserved, 2);
        }
        // The sqlite3 shell (whichever version is installed) sets reserved bytes with .filectrl.
        SqliteShell.Run(sqlite, $"PRAGMA page_size={pageSize};\n.filectrl reserve_bytes {reserved}\nCREATE TABLE t(x);\n" +
            "WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k+1 FROM s WHERE k<300) INSERT INTO t SELECT replace(hex(zeroblob(100)), '0', 'r') FROM s;\n");
        byte[] ours = File.ReadAllBytes(tern), theirs = File.ReadAllBytes(sqlite);
        Assert.Equal(reserved, theirs[20]);
        // Only the writer's version number may differ (the shell need not be 3.50.4).
        List<int> differing = DifferingFields(ours.AsSpan(0, 100), theirs.AsSpan(0, 100));
        differing.Remove(96);
        differing.Remove(28); // the two b-trees need not split the rows into the same number of pages
        Assert.Empty(differing);
        using (var c = SqliteOracle.Open(tern))
        {
            Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
            Assert.Equal((long)pageSize, SqliteOracle.Scalar(c, "PRAGMA page_size"));
            Assert.Equal(300L, SqliteOracle.Scalar(c, "SELECT count(*) FROM t"));
            SqliteOracle.Execute(c, "INSERT INTO t VALUES ('sqlite');");
        }
        Assert.Equal(reserved, File.ReadAllBytes(tern)[20]);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Header_freelist_fields_and_page_count_stay_right_as_the_database_grows_and_frees_pages(int pageSize)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("free.db");
        using (var bt = TernBTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = pageSize, CacheSize = 20 }))
        {
            bt.BeginWrite();
            uint keep = bt.CreateTable(), drop = bt.CreateTable();
            SchemaTable.Insert(bt, "table", "keep", "keep", keep, "CREATE TABLE keep(x)");
            bt.Commit();
            uint counter = 1;
            for (int round = 0; round < 3; round++)
            {
                bt.BeginWrite();
                using (var c = new BTreeCursor(bt, keep, table: true))
                {
                    for (int i = 0; i < 50; i++) c.Insert(round * 1000 + i, RecordEncoder.Encode([Value.FromBlob(new byte[pageSize / 3])]));
                }
                using (var c = new BTreeCursor(bt, drop, table: true))
                {
                    for (int i = 0; i < 200; i++) c.Insert(round * 1000 + i, RecordEncoder.Encode([Value.FromBlob(new byte[pageSize / 2])]));
                }
                bt.Commit();
                AssertTernHeader(File.ReadAllBytes(path), pageSize, 0, ++counter);
                bt.BeginWrite();
                bt.ClearTree(drop);
                bt.Commit();
                byte[] file = File.ReadAllBytes(path);
                AssertTernHeader(file, pageSize, 0, ++counter);
                Assert.True(U32(file, 36) > 100, "pages went to the freelist");
                Assert.Equal(bt.FreelistCount, U32(file, 36));
            }
            bt.BeginWrite();
            bt.DropTree(drop);
            bt.Commit();
        }
        using var o = SqliteOracle.Open(path);
        Assert.Equal("ok", SqliteOracle.Scalar(o, "PRAGMA integrity_check"));
        byte[] final = File.ReadAllBytes(path);
        Assert.Equal((long)U32(final, 36), SqliteOracle.Scalar(o, "PRAGMA freelist_count"));
        Assert.Equal((long)U32(final, 28), SqliteOracle.Scalar(o, "PRAGMA page_count"));
    }

    // ------------------------------------------------------------ stale in-header page count

    internal static string WriteSqliteDatabase(SqliteShell.TempDir dir, int pageSize, int rows)
    {
        string path = dir.File("s.db");
        using var c = SqliteOracle.Open(path);
        SqliteOracle.Execute(c, $"PRAGMA page_size={pageSize}; CREATE TABLE t(a, b); " +
            $"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<{rows}) INSERT INTO t SELECT x, printf('%050d', x) FROM s;");
        return path;
    }

    private static long CountRows(TernBTree bt)
    {
        SchemaEntry t = SchemaTable.Read(bt).Single(e => e.Name == "t");
        bt.BeginRead();
        try
        {
            using var c = new BTreeCursor(bt, t.RootPage, table: true);
            return c.Count();
        }
        finally
        {
            bt.EndRead();
        }
    }

    [Theory]
    [InlineData(1024, 0xDEADu, true)]   // version-valid-for no longer matches: the count is ignored
    [InlineData(4096, 1u, true)]        // ... even when it is smaller than the file
    [InlineData(4096, 0u, false)]       // a zero count is never trusted
    public void Stale_in_header_page_count_is_ignored_and_the_size_comes_from_the_file(int pageSize, uint bogusCount, bool breakVersionValidFor)
    {
        using var dir = new SqliteShell.TempDir();
        string path = WriteSqliteDatabase(dir, pageSize, 5000);
        byte[] file = File.ReadAllBytes(path);
        uint realPages = (uint)(file.Length / pageSize);
        Assert.Equal(realPages, U32(file, 28));
        // What a pre-3.7.0 SQLite leaves behind: a page count it did not keep up to date.
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(28), bogusCount);
        if (breakVersionValidFor) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(92), U32(file, 24) - 1);
        File.WriteAllBytes(path, file);

        using (var bt = TernBTree.Open(OsFileSystem.Instance, path))
        {
            bt.BeginRead();
            Assert.Equal(realPages, bt.Pager.PageCount);
            bt.EndRead();
            Assert.Equal(5000, CountRows(bt));
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
            // Tern's next commit writes a count that is valid again.
            bt.BeginWrite();
            SchemaTable.Insert(bt, "table", "u", "u", bt.CreateTable(), "CREATE TABLE u(x)");
            bt.Commit();
        }
        byte[] after = File.ReadAllBytes(path);
        Assert.Equal((uint)(after.Length / pageSize), U32(after, 28));
        Assert.Equal(U32(after, 24), U32(after, 92));
        using var o = SqliteOracle.Open(path);
        Assert.Equal("ok", SqliteOracle.Scalar(o, "PRAGMA integrity_check"));
    }

    [Fact]
    public void Valid_in_header_page_count_larger_than_the_file_is_corruption()
    {
        using var dir = new SqliteShell.TempDir();
        string path = WriteSqliteDatabase(dir, 1024, 2000);
        byte[] file = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(28), U32(file, 28) + 5);
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<TernException>(() => TernBTree.Open(OsFileSystem.Instance, path).Dispose());
        Assert.Equal(ResultCode.Corrupt, e.Code);
    }

    // ------------------------------------------------------------ rollback

    /// <summary>A database with one table of <paramref name="rows"/> rows of about 100 bytes, committed.</summary>
    private static (MemoryFileSystem Fs, uint Root, SortedDictionary<long, byte[]> Model) NewDatabase(int pageSize, int rows)
    {
        var fs = new MemoryFileSystem();
        var model = new SortedDictionary<long, byte[]>();
        using var bt = TernBTree.Open(fs, "db", new PagerOptions { PageSize = pageSize });
        bt.BeginWrite();
        uint root = bt.CreateTable();
        SchemaTable.Insert(bt, "table", "t", "t", root, "CREATE TABLE t(a, b)");
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (long k = 1; k <= rows; k++) c.Insert(k, model[k] = RecordEncoder.Encode([Value.FromInteger(k), Value.FromText(new string((char)('a' + k % 26), 90))]));
        }
        bt.Commit();
        return (fs, root, model);
    }

    private static void ChangeManyRows(TernBTree bt, uint root, int seed)
    {
        var rng = new Random(seed);
        using var c = new BTreeCursor(bt, root, table: true);
        for (int i = 0; i < 1500; i++)
        {
            long key = rng.Next(1, 4000);
            if (rng.Next(3) == 0)
            {
                if (c.SeekRowId(key)) c.Delete();
            }
            else
            {
                c.Insert(key, RecordEncoder.Encode([Value.FromInteger(-key), Value.FromBlob(new byte[rng.Next(0, 600)])]));
            }
        }
    }

    [Theory]
    [InlineData(512, 10)]
    [InlineData(1024, 10)]
    [InlineData(4096, 10)]
    [InlineData(1024, 2000)]
    public void Rollback_restores_every_byte_of_the_file_even_after_dirty_pages_were_spilled(int pageSize, int cacheSize)
    {
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(pageSize, 2000);
        byte[] before = fs.GetContent("db");
        using var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = cacheSize });
        for (int round = 0; round < 3; round++)
        {
            bt.BeginWrite();
            ChangeManyRows(bt, root, round);
            bool spilled = !fs.GetContent("db").AsSpan().SequenceEqual(before);
            Assert.Equal(cacheSize < 100, spilled);
            Assert.True(fs.Exists("db-journal"));
            bt.Rollback();
            Assert.False(fs.Exists("db-journal"));
            Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before), "the file is byte for byte what it was");
            BTreePropertyTests.AssertTableEquals(bt, root, model);
        }
        BTreePropertyTests.AssertIntegrity(bt, [(1, true), (root, true)]);
    }

    [Fact]
    public void Rollback_after_the_transaction_grew_the_file_cuts_it_back()
    {
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(1024, 500);
        byte[] before = fs.GetContent("db");
        using var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        bt.BeginWrite();
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (long k = 10000; k < 12000; k++) c.Insert(k, new byte[300]);
        }
        Assert.True(fs.GetContent("db").Length > before.Length, "new pages were spilled past the old end");
        bt.Rollback();
        Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before));
        BTreePropertyTests.AssertTableEquals(bt, root, model);
    }

    [Fact]
    public void Rollback_of_a_transaction_that_cut_the_database_and_grew_it_again_restores_the_original_pages()
    {
        (MemoryFileSystem fs, _, _) = NewDatabase(1024, 2000);
        byte[] before = fs.GetContent("db");
        using var pager = TernPager.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        pager.BeginWrite();
        uint pages = pager.PageCount;
        Assert.True(pages > 100);
        pager.Truncate(20);
        // The freed page numbers come back as new pages with new content, and get spilled.
        for (uint n = 21; n <= pages + 10; n++)
        {
            Page p = pager.Append();
            Array.Fill(p.Data, (byte)0xAB);
            pager.Release(p);
        }
        Assert.False(fs.GetContent("db").AsSpan().SequenceEqual(before), "pages were spilled");
        pager.Rollback();
        Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before));
    }

    [Fact]
    public void Commit_that_cut_the_database_then_crashed_before_the_journal_was_deleted_is_rolled_back()
    {
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(1024, 2000);
        byte[] before = fs.GetContent("db");
        using (var pager = TernPager.Open(fs, "db"))
        {
            pager.BeginWrite();
            pager.Truncate(pager.PageCount / 4);
            fs.FailWhen = (op, path) => op == IoOperation.Delete && path == "db-journal";
            var e = Assert.Throws<TernException>(() => pager.Commit());
            Assert.Equal(ResultCode.IoErrDelete, e.ExtendedCode);
            fs.FailWhen = null;
            // The failed commit rolled back at once: the journal put the cut pages back.
            Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before), "the failed commit was rolled back");
            Assert.Equal(PagerState.Open, pager.State);
        }
        using var bt = TernBTree.Open(fs, "db");
        Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before));
        BTreePropertyTests.AssertTableEquals(bt, root, model);
    }

    // ------------------------------------------------------------ page cache

    [Fact]
    public void Page_cache_stays_within_its_bound_during_scans_far_bigger_than_itself()
    {
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(512, 20000);
        using var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        Assert.Equal(10, bt.Pager.CacheSize);
        for (int scan = 0; scan < 3; scan++)
        {
            bt.BeginRead();
            int rows = 0, maxCached = 0;
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                for (bool ok = scan == 1 ? c.Last() : c.First(); ok; ok = scan == 1 ? c.Prev() : c.Next())
                {
                    Assert.True(c.Payload.SequenceEqual(model[c.RowId]));
                    rows++;
                    maxCached = Math.Max(maxCached, bt.Pager.CachedPageCount);
                }
            }
            bt.EndRead();
            Assert.Equal(model.Count, rows);
            Assert.True(bt.Pager.PageCount > 4000);
            Assert.True(maxCached <= 10, $"cache grew to {maxCached} pages");
        }
    }

    [Fact]
    public void Pinned_pages_survive_any_amount_of_eviction_and_the_cache_shrinks_back_once_they_are_released()
    {
        (MemoryFileSystem fs, _, _) = NewDatabase(512, 5000);
        using var pager = TernPager.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        pager.BeginRead();
        var pinned = new List<(Page Page, byte[] Copy)>();
        for (uint n = 1; n <= 25; n++)
        {
            Page p = pager.Get(n);
            pinned.Add((p, p.Data.ToArray()));
        }
        Assert.Equal(25, pager.CachedPageCount); // more pinned pages than the bound: the cache grows
        for (uint n = 26; n <= pager.PageCount; n++) pager.Release(pager.Get(n));
        foreach ((Page p, byte[] copy) in pinned)
        {
            Assert.Same(p, pager.Get(p.Number)); // never evicted, so never reloaded
            Assert.True(p.Data.AsSpan().SequenceEqual(copy));
            pager.Release(p);
            pager.Release(p);
        }
        for (uint n = 26; n <= 200; n++) pager.Release(pager.Get(n));
        Assert.True(pager.CachedPageCount <= 10, $"{pager.CachedPageCount} pages cached after the pins were released");
        pager.EndRead();
    }

    [Fact]
    public void Page_cache_keeps_a_page_that_is_used_again_and_again_during_a_scan()
    {
        (MemoryFileSystem fs, _, _) = NewDatabase(512, 5000);
        using var pager = TernPager.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        pager.BeginRead();
        Page hot = pager.Get(2);
        pager.Release(hot);
        for (uint n = 3; n <= pager.PageCount; n++)
        {
            Page again = pager.Get(2);
            Assert.Same(hot, again);
            pager.Release(again);
            pager.Release(pager.Get(n));
        }
        pager.EndRead();
    }

    [Fact]
    public void Page_cache_evicts_neither_pinned_nor_dirty_pages()
    {
        var cache = new PageCache(512, 10);
        for (uint n = 1; n <= 10; n++) cache.Add(new Page(n, new byte[512]));
        for (uint n = 1; n <= 10; n++)
        {
            Page p = cache.Get(n)!;
            if (n % 2 == 0) p.PinCount = 1; else p.IsDirty = true;
        }
        Assert.False(cache.TryEvictOne());
        Assert.Equal(10, cache.Count);
        Page four = cache.Get(4)!;
        four.PinCount = 0;
        Assert.True(cache.TryEvictOne());
        Assert.Null(cache.Get(4));
        Assert.Equal(9, cache.Count);
        // The evicted page object (and its buffer) is reused for the next page loaded.
        Page reused = cache.RentPage(11);
        Assert.Same(four, reused);
        Assert.Equal(11u, reused.Number);
        Assert.Equal(512, reused.Data.Length);
    }

    // ------------------------------------------------------------ the journal

    [Theory]
    [InlineData(SynchronousMode.Full, 1024)]
    [InlineData(SynchronousMode.Normal, 4096)]
    [InlineData(SynchronousMode.Off, 512)]
    public void Journal_holds_sqlite_s_header_and_the_original_pages_while_a_transaction_is_open(SynchronousMode sync, int pageSize)
    {
        (MemoryFileSystem fs, _, _) = NewDatabase(pageSize, 1000);
        byte[] before = fs.GetContent("db");
        using var pager = TernPager.Open(fs, "db", new PagerOptions { Synchronous = sync });
        pager.BeginWrite();
        uint orig = pager.PageCount;
        Assert.False(fs.Exists("db-journal"));
        foreach (uint n in new uint[] { 5, 2, 9 })
        {
            Page p = pager.Get(n);
            pager.MakeWritable(p);
            p.Data[200] ^= 0xFF;
            pager.MakeWritable(p); // a second call journals nothing more
            pager.Release(p);
        }
        Page added = pager.Append(); // pages past the original end are not journaled
        pager.Release(added);
        byte[] j = fs.GetContent("db-journal");
        Assert.True(j.AsSpan(0, 8).SequenceEqual(new byte[] { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 }));
        Assert.Equal(sync == SynchronousMode.Off ? 0xFFFFFFFFu : 0u, U32(j, 8)); // nRec: not yet synced
        uint nonce = U32(j, 12);
        Assert.Equal(orig, U32(j, 16));
        Assert.Equal(512u, U32(j, 20));
        Assert.Equal((uint)pageSize, U32(j, 24));
        Assert.True(j.AsSpan(28, 512 - 28).IndexOfAnyExcept((byte)0) < 0);
        int rec = pageSize + 8;
        Assert.Equal(512 + 3 * rec, j.Length);
        uint[] order = [5, 2, 9];
        for (int i = 0; i < 3; i++)
        {
            ReadOnlySpan<byte> r = j.AsSpan(512 + i * rec, rec);
            Assert.Equal(order[i], U32(r, 0));
            ReadOnlySpan<byte> data = r.Slice(4, pageSize);
            Assert.True(data.SequenceEqual(before.AsSpan((int)(order[i] - 1) * pageSize, pageSize)), "the record holds the original page");
            uint sum = nonce;
            for (int k = pageSize - 200; k > 0; k -= 200) sum += data[k];
            Assert.Equal(sum, U32(r, 4 + pageSize));
        }
        pager.Commit();
        Assert.False(fs.Exists("db-journal"));
        Assert.Equal(orig + 1, pager.PageCount);
    }

    [Fact]
    public void Journal_record_count_is_synced_before_any_page_is_spilled_into_the_database()
    {
        (MemoryFileSystem fs, uint root, _) = NewDatabase(1024, 3000);
        byte[] before = fs.GetContent("db");
        using var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        bt.BeginWrite();
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (long k = 1; k <= 3000 && fs.GetContent("db").AsSpan().SequenceEqual(before); k += 7) c.Insert(k, new byte[50]);
        }
        byte[] durable = fs.GetDurableContent("db-journal");
        uint nRec = U32(durable, 8);
        Assert.True(nRec > 0, "the record count was written");
        Assert.True(durable.Length >= 512 + nRec * (1024 + 8), "and the records it counts are durable");
        bt.Rollback();
    }

    [Fact]
    public void Journal_is_gone_after_commit_on_real_files()
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("j.db");
        using var bt = TernBTree.Open(OsFileSystem.Instance, path, new PagerOptions { PageSize = 1024, CacheSize = 10 });
        bt.BeginWrite();
        uint root = bt.CreateTable();
        bt.Commit();
        Assert.False(File.Exists(path + "-journal"));
        bt.BeginWrite();
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (long k = 1; k <= 2000; k++) c.Insert(k, new byte[100]);
        }
        Assert.True(File.Exists(path + "-journal"));
        bt.Commit();
        Assert.False(File.Exists(path + "-journal"));
    }

    [Theory]
    [InlineData(SynchronousMode.Full, "Sync db-journal,Write db-journal,Sync db-journal,Write db,Write db,Sync db,Delete db-journal")]
    [InlineData(SynchronousMode.Normal, "Write db-journal,Sync db-journal,Write db,Write db,Sync db,Delete db-journal")]
    [InlineData(SynchronousMode.Off, "Write db,Write db,Delete db-journal")]
    public void Commit_writes_and_syncs_in_sqlite_s_order(SynchronousMode sync, string expected)
    {
        // Per synchronous level: sync the records, write the record count, sync it; write
        // the pages; sync the database; delete the journal, the commit point.
        (MemoryFileSystem fs, _, _) = NewDatabase(1024, 500);
        using var pager = TernPager.Open(fs, "db", new PagerOptions { Synchronous = sync });
        pager.BeginWrite();
        foreach (uint n in new uint[] { 3, 1 })
        {
            Page p = pager.Get(n);
            pager.MakeWritable(p);
            p.Data[500]++;
            pager.Release(p);
        }
        var ops = new List<string>();
        fs.FailWhen = (op, path) =>
        {
            if (op is not (IoOperation.Read or IoOperation.Open or IoOperation.Access or IoOperation.Size or IoOperation.DirectorySync or IoOperation.Lock or IoOperation.Unlock or IoOperation.CheckReservedLock)) ops.Add($"{op} {path}");
            return false;
        };
        pager.Commit();
        fs.FailWhen = null;
        Assert.Equal(expected.Split(','), ops.ToArray());
    }

    [Fact]
    public void Read_only_open_of_a_database_with_a_hot_journal_fails_with_readonly_rollback()
    {
        (MemoryFileSystem fs, uint root, _) = NewDatabase(1024, 2000);
        var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = 10 });
        bt.BeginWrite();
        ChangeManyRows(bt, root, 3);
        fs.PowerCut();
        bt.Dispose();
        Assert.True(fs.GetContent("db-journal").Length > 512);
        byte[] db = fs.GetContent("db");
        var e = Assert.Throws<TernException>(() => TernPager.Open(fs, "db", new PagerOptions { ReadOnly = true }).Dispose());
        Assert.Equal((ResultCode)((int)ResultCode.ReadOnly | (3 << 8)), e.ExtendedCode); // SQLITE_READONLY_ROLLBACK
        Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(db));
        Assert.True(fs.Exists("db-journal"));
    }

    [Fact]
    public void Cached_pages_are_dropped_when_another_connection_changed_the_file_between_transactions()
    {
        using var dir = new SqliteShell.TempDir();
        string path = WriteSqliteDatabase(dir, 1024, 3000);
        using var bt = TernBTree.Open(OsFileSystem.Instance, path);
        Assert.Equal(3000, CountRows(bt));
        Assert.True(bt.Pager.CachedPageCount > 10);
        using (var c = SqliteOracle.Open(path)) SqliteOracle.Execute(c, "DELETE FROM t WHERE a % 3 = 0; INSERT INTO t VALUES (-1, 'new');");
        Assert.Equal(2001, CountRows(bt));
        Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
    }

    [Fact]
    public void Sector_size_outside_what_sqlite_reads_is_refused()
    {
        var fs = new MemoryFileSystem();
        foreach (int bad in new[] { 0, 16, 100, 131072 })
        {
            var e = Assert.Throws<TernException>(() => TernPager.Open(fs, "db", new PagerOptions { SectorSize = bad }).Dispose());
            Assert.Equal(ResultCode.Misuse, e.Code);
        }
    }

    // ------------------------------------------------------------ I/O errors during commit

    /// <summary>Reads every page once, so that a tiny cache spills and evicts page 1 (commit must read it again).</summary>
    private static void CycleThroughEveryPage(TernPager pager)
    {
        for (uint n = 2; n <= pager.PageCount; n++) pager.Release(pager.Get(n));
    }

    public static TheoryData<string, IoOperation, string, ResultCode> CommitFaults => new()
    {
        { "update", IoOperation.Write, "db", ResultCode.IoErrWrite },
        { "update", IoOperation.Sync, "db", ResultCode.IoErrFsync },
        { "update", IoOperation.Write, "db-journal", ResultCode.IoErrWrite },
        { "update", IoOperation.Sync, "db-journal", ResultCode.IoErrFsync },
        { "update", IoOperation.Delete, "db-journal", ResultCode.IoErrDelete },
        { "spilled", IoOperation.Read, "db", ResultCode.IoErrRead },
        { "spilled", IoOperation.Write, "db", ResultCode.IoErrWrite },
        { "spilled", IoOperation.Delete, "db-journal", ResultCode.IoErrDelete },
        { "shrink", IoOperation.Truncate, "db", ResultCode.IoErrTruncate },
        { "append", IoOperation.Open, "db-journal", ResultCode.CantOpen },
        { "append", IoOperation.Write, "db-journal", ResultCode.IoErrWrite },
    };

    [Theory]
    [MemberData(nameof(CommitFaults))]
    public void Io_error_during_commit_raises_its_extended_code_and_the_last_committed_state_remains(string scenario, IoOperation op, string path, ResultCode expected)
    {
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(1024, 2000);
        byte[] before = fs.GetContent("db");
        using (var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = scenario == "spilled" ? 10 : 2000 }))
        {
            bt.BeginWrite();
            switch (scenario)
            {
                case "update":
                case "spilled":
                    ChangeManyRows(bt, root, 7);
                    if (scenario == "spilled")
                    {
                        Assert.False(fs.GetContent("db").AsSpan().SequenceEqual(before));
                        CycleThroughEveryPage(bt.Pager);
                    }
                    break;
                case "shrink":
                    bt.Pager.Truncate(bt.Pager.PageCount - 10);
                    break;
                case "append":
                    bt.Pager.Release(bt.Pager.Append());
                    Assert.False(fs.Exists("db-journal"));
                    break;
            }
            bool failed = false;
            fs.FailWhen = (o, p) => o == op && p == path && (failed = true);
            var e = Assert.Throws<TernException>(() => bt.Commit());
            fs.FailWhen = null;
            Assert.True(failed);
            Assert.Equal(expected, e.ExtendedCode);
            // The same connection recovers at its next read transaction.
            BTreePropertyTests.AssertTableEquals(bt, root, model);
            Assert.False(fs.Exists("db-journal"));
            Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before));
            // And it can write again.
            bt.BeginWrite();
            using (var c = new BTreeCursor(bt, root, table: true)) c.Insert(1, model[1] = [1, 2, 3]);
            bt.Commit();
        }
        using var reopened = TernBTree.Open(fs, "db");
        BTreePropertyTests.AssertTableEquals(reopened, root, model);
        BTreePropertyTests.AssertIntegrity(reopened, [(1, true), (root, true)]);
    }

    [Theory]
    [MemberData(nameof(CommitFaults))]
    public void Io_error_during_commit_leaves_a_file_that_reopens_at_the_last_committed_state(string scenario, IoOperation op, string path, ResultCode expected)
    {
        // As above, but the process goes away after the error and a new one opens the files.
        (MemoryFileSystem fs, uint root, SortedDictionary<long, byte[]> model) = NewDatabase(1024, 2000);
        byte[] before = fs.GetContent("db");
        var bt = TernBTree.Open(fs, "db", new PagerOptions { CacheSize = scenario == "spilled" ? 10 : 2000 });
        bt.BeginWrite();
        if (scenario == "shrink") bt.Pager.Truncate(bt.Pager.PageCount - 10);
        else if (scenario == "append") bt.Pager.Release(bt.Pager.Append());
        else ChangeManyRows(bt, root, 8);
        if (scenario == "spilled") CycleThroughEveryPage(bt.Pager);
        fs.FailWhen = (o, p) => o == op && p == path;
        Assert.Equal(expected, Assert.Throws<TernException>(() => bt.Commit()).ExtendedCode);
        bt.Dispose();
        fs.FailWhen = null;
        using var reopened = TernBTree.Open(fs, "db");
        Assert.True(fs.GetContent("db").AsSpan().SequenceEqual(before));
        BTreePropertyTests.AssertTableEquals(reopened, root, model);
    }
}
