// The WAL byte format in isolation: the checksum (both word orders, all lengths, chained
// and in one go), header and frame header encoding by offset, header validation in
// SQLite's order, and the writer's frames read back by recovery.
using System.Buffers.Binary;
using Tern.Storage.Wal;

namespace Tern.Tests.Storage.Wal;

public class WalFormatTests
{
    /// <summary>The checksum written out the slow way, word by word, as the format describes it.</summary>
    private static WalChecksum Reference(ReadOnlySpan<byte> data, bool bigEndian, WalChecksum seed = default)
    {
        uint s1 = seed.S1, s2 = seed.S2;
        for (int i = 0; i < data.Length; i += 8)
        {
            uint x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            s1 += x0 + s2;
            s2 += x1 + s1;
        }
        return new WalChecksum(s1, s2);
    }

    [Fact]
    public void Checksum_sums_word_pairs_in_the_order_the_magic_selects()
    {
        // Two pairs by hand: x = 1, 2 then 3, 4 (little-endian words).
        byte[] d = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0];
        // s1 = 1, s2 = 2 + 1 = 3; s1 = 1 + 3 + 3 = 7, s2 = 3 + 4 + 7 = 14
        Assert.Equal(new WalChecksum(7, 14), WalChecksum.Compute(d, bigEndian: false));
        // Big-endian words: 0x01000000, 0x02000000, ...
        Assert.Equal(new WalChecksum(7u << 24, 14u << 24), WalChecksum.Compute(d, bigEndian: true));

        var rnd = new Random(1);
        foreach (int length in new[] { 8, 16, 56, 64, 72, 512, 4096 + 8, 65536 })
        {
            byte[] data = new byte[length];
            rnd.NextBytes(data);
            var seed = new WalChecksum((uint)rnd.Next(), (uint)rnd.Next());
            foreach (bool big in new[] { false, true })
            {
                Assert.Equal(Reference(data, big, seed), seed.Add(data, big));
                // Chaining in two pieces gives the same as one call.
                int cut = length / 16 * 8;
                Assert.Equal(seed.Add(data, big), seed.Add(data.AsSpan(0, cut), big).Add(data.AsSpan(cut), big));
            }
        }
    }

    [Fact]
    public void WriteHeader_puts_every_field_big_endian_at_its_offset()
    {
        byte[] h = new byte[WalFormat.HeaderSize];
        WalHeader header = WalFormat.WriteHeader(h, bigEndianChecksum: false, 65536, 7, 0x11223344, 0x55667788);
        Assert.Equal(new byte[] { 0x37, 0x7f, 0x06, 0x82, 0x00, 0x2d, 0xe2, 0x18, 0x00, 0x01, 0x00, 0x00, 0, 0, 0, 7, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, h[..24]);
        Assert.Equal(Reference(h.AsSpan(0, 24), false), WalChecksum.ReadBigEndian(h.AsSpan(24)));
        Assert.Equal(header, WalFormat.ReadHeader(h));
        Assert.Equal(WalHeaderStatus.Valid, WalFormat.ValidateHeader(h));
        Assert.False(header.BigEndianChecksum);

        WalHeader big = WalFormat.WriteHeader(h, bigEndianChecksum: true, 512, 0, 1, 2);
        Assert.Equal(WalFormat.MagicBigEndian, BinaryPrimitives.ReadUInt32BigEndian(h));
        Assert.True(big.BigEndianChecksum);
        Assert.Equal(Reference(h.AsSpan(0, 24), true), big.Checksum);
        Assert.Equal(WalHeaderStatus.Valid, WalFormat.ValidateHeader(h));
        Assert.Equal(WalHeaderStatus.TooShort, WalFormat.ValidateHeader(h.AsSpan(0, 31)));
    }

    [Fact]
    public void WriteFrameHeader_chains_the_checksum_over_the_first_eight_bytes_and_the_page()
    {
        byte[] page = new byte[512];
        new Random(2).NextBytes(page);
        byte[] frame = new byte[WalFormat.FrameHeaderSize];
        var running = new WalChecksum(10, 20);
        WalChecksum after = WalFormat.WriteFrameHeader(frame, 5, 9, 0xaaaaaaaa, 0xbbbbbbbb, false, page, running);
        Assert.Equal(new byte[] { 0, 0, 0, 5, 0, 0, 0, 9, 0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xbb, 0xbb }, frame[..16]);
        Assert.Equal(Reference(page, false, Reference(frame.AsSpan(0, 8), false, running)), after);
        WalFrameHeader fh = WalFormat.ReadFrameHeader(frame);
        Assert.Equal(new WalFrameHeader(5, 9, 0xaaaaaaaa, 0xbbbbbbbb, after), fh);
        Assert.True(fh.IsCommit);

        // Decoding needs the right salts, a page number and the running checksum.
        var header = new WalHeader(WalFormat.MagicLittleEndian, WalFormat.FormatVersion, 512, 0, 0xaaaaaaaa, 0xbbbbbbbb, default);
        byte[] whole = [.. frame, .. page];
        WalChecksum r = running;
        Assert.True(WalFormat.TryDecodeFrame(whole, header, ref r, out _));
        Assert.Equal(after, r);
        r = new WalChecksum(10, 21);
        Assert.False(WalFormat.TryDecodeFrame(whole, header, ref r, out _));
        Assert.Equal(new WalChecksum(10, 21), r);
        r = running;
        Assert.False(WalFormat.TryDecodeFrame(whole, header with { Salt2 = 1 }, ref r, out _));
        whole[3] = 0; // page 0 is never valid
        Assert.False(WalFormat.TryDecodeFrame(whole, header, ref r, out _));
    }

    [Fact]
    public void FrameOffset_places_frames_after_the_header()
    {
        Assert.Equal(32, WalFormat.FrameOffset(1, 4096));
        Assert.Equal(32 + 2 * (65536 + 24), WalFormat.FrameOffset(3, 65536));
        Assert.Equal(32L + 99_999L * (65536 + 24), WalFormat.FrameOffset(100_000, 65536));
        Assert.Equal(0, WalFormat.WholeFrames(32, 512));
        Assert.Equal(1, WalFormat.WholeFrames(32 + 536, 512));
        Assert.Equal(1, WalFormat.WholeFrames(32 + 2 * 536 - 1, 512));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WalWriter_frames_are_recovered_with_their_pages_and_commits(bool bigEndian)
    {
        var rnd = new Random(3);
        byte[] header = new byte[WalFormat.HeaderSize];
        WalWriter w = WalWriter.CreateLog(header, 1024, 3, 100, 200, bigEndian);
        var pages = new Dictionary<uint, byte[]>();
        var log = new List<byte>(header);
        for (int t = 0; t < 5; t++)
        {
            var tx = new List<(uint, ReadOnlyMemory<byte>)>();
            for (int i = 0; i < 1 + t; i++)
            {
                uint p = (uint)rnd.Next(1, 10);
                byte[] data = new byte[1024];
                rnd.NextBytes(data);
                pages[p] = data;
                tx.Add((p, data));
            }
            log.AddRange(w.AppendTransaction(tx, 10 + (uint)t));
        }
        Assert.Equal(15u, w.LastFrame);
        WalRecoveryResult r = WalSqlite.Scan([.. log]);
        Assert.Equal(new uint[] { 1, 3, 6, 10, 15 }, r.CommitFrames);
        Assert.Equal(14u, r.DatabaseSize);
        Assert.Equal(w.Running, r.FrameChecksum);
        Assert.Equal(3u, r.Header!.Value.CheckpointSequence);
        byte[] bytes = [.. log];
        foreach ((uint p, byte[] data) in pages) Assert.Equal(data, WalSqlite.FramePage(bytes, r.FindFrame(p), 1024).ToArray());

        // A restart: sequence and salt-1 move on, the checksum order stays.
        WalWriter restarted = WalWriter.RestartLog(header, r.Header!.Value, 999);
        Assert.Equal((4u, 101u, 999u, bigEndian), (restarted.Header.CheckpointSequence, restarted.Header.Salt1, restarted.Header.Salt2, restarted.Header.BigEndianChecksum));
        Assert.Equal(0u, restarted.LastFrame);
        Assert.Equal(restarted.Header.Checksum, restarted.Running);

        // Misuse is an error, not a malformed log.
        Assert.Throws<TernException>(() => w.AppendTransaction([(0u, new byte[1024])], 1));
        Assert.Throws<TernException>(() => w.AppendTransaction([(1u, new byte[512])], 1));
    }
}
