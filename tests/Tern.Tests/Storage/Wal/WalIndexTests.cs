// The wal-index's hash tables and header on their own: many frames across region
// boundaries checked against a model (the latest frame of each page at or before a
// snapshot's mxFrame), rollback cleanup, entries left by an interrupted writer, reuse of
// regions after the log restarts, the header's two copies and checksum, and hostile
// -shm content, which must give SQLITE_CORRUPT or an answer, never another exception or
// an endless probe.
using Tern.Storage.Wal;

namespace Tern.Tests.Storage.Wal;

public class WalIndexTests
{
    /// <summary>The latest frame in [min, max] holding the page in a model log, or 0.</summary>
    private static uint Model(List<uint> pages, uint page, uint max, uint min = 1)
    {
        for (uint f = Math.Min(max, (uint)pages.Count); f >= Math.Max(1, min); f--)
            if (pages[(int)f - 1] == page) return f;
        return 0;
    }

    private static void AssertLookups(WalIndex index, List<uint> pages, Random rnd, int lookups, uint maxPage, uint? max = null)
    {
        for (int i = 0; i < lookups; i++)
        {
            uint mx = max ?? (uint)rnd.Next(0, pages.Count + 1);
            uint min = rnd.Next(4) == 0 ? (uint)rnd.Next(1, (int)mx + 2) : 1;
            uint page = (uint)rnd.Next(1, (int)maxPage + 2);
            Assert.True(Model(pages, page, mx, min) == index.FindFrame(page, mx, min), $"page {page} in frames {min}..{mx}");
        }
    }

    [Fact]
    public void FindFrame_matches_a_model_across_region_boundaries()
    {
        var rnd = new Random(4062);
        var index = new WalIndex(new HeapWalIndexMemory());
        var pages = new List<uint>();
        int frames = 3 * WalIndex.FramesPerRegion + 500; // four regions
        for (int f = 1; f <= frames; f++)
        {
            // Hot pages repeat often, some pages once; the hash's multiples collide on purpose.
            uint page = rnd.Next(3) switch { 0 => (uint)rnd.Next(1, 40), 1 => (uint)rnd.Next(1, 5000), _ => (uint)(rnd.Next(1, 50) * WalIndex.HashSlots) + 7 };
            pages.Add(page);
            index.Append((uint)f, page);
        }
        Assert.Equal(4, index.Memory.RegionCount);
        Assert.Equal(WalIndex.FramesInFirstRegion, (int)WalIndex.FrameBase(1));
        Assert.Equal(0, WalIndex.RegionOfFrame(WalIndex.FramesInFirstRegion));
        Assert.Equal(1, WalIndex.RegionOfFrame(WalIndex.FramesInFirstRegion + 1));
        Assert.Equal(2, WalIndex.RegionOfFrame(WalIndex.FramesInFirstRegion + WalIndex.FramesPerRegion + 1));
        for (uint f = 1; f <= frames; f++) Assert.Equal(pages[(int)f - 1], index.PageOfFrame(f));
        AssertLookups(index, pages, rnd, 4000, 5000);
        // At the region edges exactly.
        foreach (uint edge in new uint[] { 4061, 4062, 4063, 8158, 8159 })
        {
            Assert.Equal(edge, index.FindFrame(pages[(int)edge - 1], edge));
            Assert.Equal(Model(pages, pages[(int)edge - 1], edge - 1), index.FindFrame(pages[(int)edge - 1], edge - 1));
        }
    }

    [Fact]
    public void Cleanup_removes_frames_of_a_rolled_back_transaction()
    {
        var rnd = new Random(11);
        var index = new WalIndex(new HeapWalIndexMemory());
        var pages = new List<uint>();
        for (int f = 1; f <= 5000; f++) { pages.Add((uint)rnd.Next(1, 300)); index.Append((uint)f, pages[^1]); }
        // Roll back to 4500 (in the second region), then write other pages.
        index.Cleanup(4500);
        pages.RemoveRange(4500, 500);
        for (uint f = 4501; f <= 4700; f++) Assert.Equal(0u, index.PageOfFrame(f));
        for (int f = 4501; f <= 4800; f++) { pages.Add((uint)rnd.Next(300, 400)); index.Append((uint)f, pages[^1]); }
        AssertLookups(index, pages, rnd, 2000, 400);
        // Lookups with the full range see only the new frames: no stale entry survives.
        for (uint p = 1; p < 400; p++) Assert.Equal(Model(pages, p, 4800), index.FindFrame(p, 4800));
    }

    [Fact]
    public void Append_clears_entries_left_by_an_interrupted_writer()
    {
        var rnd = new Random(12);
        var index = new WalIndex(new HeapWalIndexMemory());
        var pages = new List<uint>();
        for (int f = 1; f <= 3000; f++) { pages.Add((uint)rnd.Next(1, 200)); index.Append((uint)f, pages[^1]); }
        // Frames 2901..3000 were never committed (the writer crashed): the next writer
        // appends from 2901 over them without an explicit cleanup.
        pages.RemoveRange(2900, 100);
        for (int f = 2901; f <= 2950; f++) { pages.Add((uint)rnd.Next(1, 200)); index.Append((uint)f, pages[^1]); }
        for (uint p = 1; p < 200; p++) Assert.Equal(Model(pages, p, 2950), index.FindFrame(p, 2950));
        for (uint f = 2951; f <= 3000; f++) Assert.Equal(0u, index.PageOfFrame(f));
    }

    [Fact]
    public void FindFrame_ignores_regions_of_an_older_log_after_a_restart()
    {
        var rnd = new Random(13);
        var index = new WalIndex(new HeapWalIndexMemory());
        for (int f = 1; f <= 9000; f++) index.Append((uint)f, (uint)rnd.Next(1, 100));
        // The log restarts: frame 1 again; region 0 is cleared, regions 1 and 2 hold old entries.
        var pages = new List<uint>();
        for (int f = 1; f <= 300; f++) { pages.Add((uint)rnd.Next(50, 150)); index.Append((uint)f, pages[^1]); }
        for (uint p = 1; p < 150; p++) Assert.Equal(Model(pages, p, 300), index.FindFrame(p, 300));
        // Growing back into region 1 clears it when its first frame arrives.
        for (int f = 301; f <= 4200; f++) { pages.Add((uint)rnd.Next(50, 150)); index.Append((uint)f, pages[^1]); }
        for (uint p = 1; p < 150; p++) Assert.Equal(Model(pages, p, 4200), index.FindFrame(p, 4200));
    }

    [Fact]
    public void WriteHeader_round_trips_and_TryReadHeader_refuses_damaged_copies()
    {
        var memory = new HeapWalIndexMemory();
        var index = new WalIndex(memory);
        Assert.False(index.TryReadHeader(out _)); // no region yet
        var h = new WalIndexHeader(WalIndex.IndexVersion, 9, 0, true, 65536, 1234, 77, new WalChecksum(0xdeadbeef, 42), 0x01020304, 0xa0b0c0d0, default);
        WalIndexHeader written = index.WriteHeader(h);
        Assert.Equal(1, written.IsInit);
        Assert.True(index.TryReadHeader(out WalIndexHeader back));
        Assert.Equal(written, back);
        Span<byte> r0 = memory.GetRegion(0);
        Assert.Equal(1, r0[14] | (r0[15] << 8)); // 65536 is stored as 1
        Assert.Equal(1, WalIndex.EncodePageSize(65536));
        Assert.Equal(65536, WalIndex.DecodePageSize(1));
        Assert.Equal(512, WalIndex.DecodePageSize(WalIndex.EncodePageSize(512)));
        Assert.Equal(32768, WalIndex.DecodePageSize(WalIndex.EncodePageSize(32768)));
        Assert.True(r0[..WalIndex.HeaderCopySize].SequenceEqual(r0.Slice(WalIndex.HeaderCopySize, WalIndex.HeaderCopySize)));

        byte[] saved = r0[..96].ToArray();
        // One copy changed: a torn write.
        r0[20] ^= 1;
        Assert.False(index.TryReadHeader(out _));
        // Both changed alike: the checksum fails.
        r0[48 + 20] ^= 1;
        Assert.False(index.TryReadHeader(out _));
        saved.CopyTo(r0);
        // Both copies zero (a fresh -shm): not initialised.
        r0[..96].Clear();
        Assert.False(index.TryReadHeader(out _));
        saved.CopyTo(r0);
        Assert.True(index.TryReadHeader(out _));

        var info = new WalCheckpointInfo(5, [0, 10, WalIndex.ReadMarkNotUsed, 3, 4], 9);
        r0.Slice(WalIndex.LockOffset, 8).Fill(0x5a);
        index.WriteCheckpointInfo(info);
        WalCheckpointInfo got = index.ReadCheckpointInfo();
        Assert.Equal((info.Backfill, info.BackfillAttempted), (got.Backfill, got.BackfillAttempted));
        Assert.Equal(info.ReadMarks, got.ReadMarks);
        Assert.True(r0.Slice(WalIndex.LockOffset, 8).ToArray().All(b => b == 0x5a), "lock bytes untouched");
    }

    [Fact]
    public void FindFrame_on_hostile_index_content_is_corrupt_or_an_answer()
    {
        var rnd = new Random(14);
        // Every hash slot full: a probe never meets an empty slot.
        var full = new HeapWalIndexMemory();
        Span<byte> slots = full.GetOrAddRegion(0)[WalIndex.HashOffset..];
        for (int i = 0; i < WalIndex.HashSlots; i++) slots[2 * i] = 1;
        var e = Assert.Throws<TernException>(() => new WalIndex(full).FindFrame(5, 100));
        Assert.Equal(ResultCode.Corrupt, e.ExtendedCode);
        // A slot pointing past the region's page array, within mxFrame.
        var far = new HeapWalIndexMemory();
        Span<byte> r = far.GetOrAddRegion(0);
        BitConverter.TryWriteBytes(r.Slice(WalIndex.HashOffset + 2 * WalIndex.Hash(5)), (ushort)5000);
        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => new WalIndex(far).FindFrame(5, 6000)).ExtendedCode);
        // mxFrame in a region that does not exist.
        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => new WalIndex(far).FindFrame(5, 9000)).ExtendedCode);
        // Appending into a hash table with more entries than frames.
        Assert.Equal(ResultCode.Corrupt, Assert.Throws<TernException>(() => new WalIndex(full).Append(2, 7)).ExtendedCode);

        // Random damage over a real index.
        var index = new WalIndex(new HeapWalIndexMemory());
        for (int f = 1; f <= 6000; f++) index.Append((uint)f, (uint)rnd.Next(1, 500));
        byte[] good = ((HeapWalIndexMemory)index.Memory).ToArray();
        int cases = int.TryParse(Environment.GetEnvironmentVariable("TERN_WAL_FLIPS"), out int n) ? n : 300;
        int corrupt = 0;
        for (int i = 0; i < cases; i++)
        {
            byte[] bad = (byte[])good.Clone();
            int flips = rnd.Next(1, 2000);
            for (int k = 0; k < flips; k++) bad[rnd.Next(bad.Length)] = (byte)rnd.Next(256);
            var hostile = new WalIndex(HeapWalIndexMemory.FromBytes(bad));
            _ = hostile.TryReadHeader(out _);
            for (int k = 0; k < 50; k++)
            {
                try
                {
                    uint found = hostile.FindFrame((uint)rnd.Next(1, 600), (uint)rnd.Next(0, 6001));
                    Assert.True(found <= 6000);
                }
                catch (TernException ex)
                {
                    Assert.Equal(ResultCode.Corrupt, ex.ExtendedCode);
                    corrupt++;
                }
            }
        }
        Assert.True(corrupt > 0, "damage was detected at least once");
    }
}
