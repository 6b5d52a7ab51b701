// The wal-index ("<db>-shm"): SQLite's shared-memory map from page numbers to the WAL
// frames that hold them, and the header that tells readers how much of the log is
// committed. It is transient (rebuilt from the log by recovery) and, unlike the database
// and the log, holds its integers in the machine's own byte order.
//
// Memory is a sequence of 32 KB regions. Region 0 starts with a 136-byte header:
//
//   offset size field                          offset size field (checkpoint info)
//   ------ ---- -----------------------------  ------ ---- ------------------------------
//      0    48  WalIndexHdr, copy 1               96    4  nBackfill: frames copied into the db
//     48    48  WalIndexHdr, copy 2              100   20  aReadMark[5] (0xffffffff: unused)
//                                                120    8  lock bytes (never read or written)
//   WalIndexHdr (copy offset +)                  128    4  nBackfillAttempted
//      0    4  iVersion 3007000                  132    4  unused
//      4    4  unused
//      8    4  iChange: counts commits
//     12    1  isInit: 1 once written
//     13    1  bigEndCksum: the log's magic bit
//     14    2  szPage: page size, 65536 stored as 1
//     16    4  mxFrame: last committed frame
//     20    4  nPage: database size in pages
//     24    8  aFrameCksum: running checksum after frame mxFrame
//     32    8  aSalt: the log header's salts, as its big-endian bytes
//     40    8  aCksum: checksum of bytes 0..39 (words in native order)
//
// Each region then holds an array of page numbers, one per frame, and a hash table:
//
//   region 0:  | header 136 | aPgno[4062] u32 | aHash[8192] u16 |   frames 1..4062
//   region k:  | aPgno[4096] u32              | aHash[8192] u16 |   frames 4062+4096(k-1)+1 ..
//              0                            16384             32768
//
// aPgno[i] is the page of the region's (i+1)-th frame. A hash slot holds a 1-based index
// into aPgno, or 0 when empty; a page is looked up from slot (pgno * 383) & 8191 onward
// (wrapping) until an empty slot. The table is never more than half full. Writers append
// frames in order; entries past a reader's mxFrame are ignored by that reader, and a
// writer finding entries left by a crashed or rolled-back writer clears them first.
//
// Writing the header writes copy 2, then copy 1; reading reads copy 1, then copy 2, and
// trusts them only when both are equal, isInit is set and the checksum matches.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tern.Storage.Wal;

/// <summary>The fields of the wal-index header (WalIndexHdr).</summary>
/// <param name="Version">iVersion, 3007000.</param>
/// <param name="Change">iChange: incremented by each commit.</param>
/// <param name="IsInit">isInit: non-zero once the header has been written.</param>
/// <param name="BigEndianChecksum">Whether the log's checksums read words big-endian.</param>
/// <param name="PageSize">The page size in bytes (decoded from its 16-bit field), or 0.</param>
/// <param name="MaxFrame">mxFrame: the last committed frame.</param>
/// <param name="DatabaseSize">nPage: the database size in pages after that commit.</param>
/// <param name="FrameChecksum">The log's running checksum after frame <paramref name="MaxFrame"/>.</param>
/// <param name="Salt1">The log header's salt-1.</param>
/// <param name="Salt2">The log header's salt-2.</param>
/// <param name="Checksum">The stored checksum of the header's first 40 bytes.</param>
public readonly record struct WalIndexHeader(
    uint Version, uint Change, byte IsInit, bool BigEndianChecksum, int PageSize, uint MaxFrame, uint DatabaseSize,
    WalChecksum FrameChecksum, uint Salt1, uint Salt2, WalChecksum Checksum);

/// <summary>The checkpoint information after the two header copies (WalCkptInfo).</summary>
/// <param name="Backfill">nBackfill: frames already copied into the database.</param>
/// <param name="ReadMarks">aReadMark[0..4].</param>
/// <param name="BackfillAttempted">nBackfillAttempted: the most frames a checkpoint set out to copy.</param>
public readonly record struct WalCheckpointInfo(uint Backfill, uint[] ReadMarks, uint BackfillAttempted);

/// <summary>A wal-index over a set of regions: header, checkpoint info and hash tables.</summary>
public sealed class WalIndex
{
    /// <summary>Size of one region in bytes.</summary>
    public const int RegionSize = 32768;
    /// <summary>Size of one header copy.</summary>
    public const int HeaderCopySize = 48;
    /// <summary>Bytes of the header area at the start of region 0 (two copies and the checkpoint info).</summary>
    public const int HeaderAreaSize = 136;
    /// <summary>Offset of the checkpoint info.</summary>
    public const int CheckpointInfoOffset = 96;
    /// <summary>Offset of the eight lock bytes (locks are taken on these bytes; their content is never used).</summary>
    public const int LockOffset = 120;
    /// <summary>Frames indexed by every region but the first.</summary>
    public const int FramesPerRegion = 4096;
    /// <summary>Frames indexed by region 0 (its page-number array shares space with the header).</summary>
    public const int FramesInFirstRegion = FramesPerRegion - HeaderAreaSize / 4;
    /// <summary>Slots in each hash table.</summary>
    public const int HashSlots = 2 * FramesPerRegion;
    /// <summary>The multiplier of the hash function.</summary>
    public const int HashMultiplier = 383;
    /// <summary>Offset of each region's hash table.</summary>
    public const int HashOffset = FramesPerRegion * 4;
    /// <summary>The number of read marks.</summary>
    public const int ReaderCount = 5;
    /// <summary>The value of an unused read mark.</summary>
    public const uint ReadMarkNotUsed = 0xFFFFFFFF;
    /// <summary>The wal-index format version (iVersion).</summary>
    public const uint IndexVersion = 3007000;

    private const int ChecksummedBytes = 40;

    private readonly IWalIndexMemory _memory;

    /// <summary>A wal-index over <paramref name="memory"/>.</summary>
    public WalIndex(IWalIndexMemory memory) => _memory = memory;

    /// <summary>The regions this index reads and writes.</summary>
    public IWalIndexMemory Memory => _memory;

    // ---- frame and region arithmetic (walFramePage) ----

    /// <summary>The region whose arrays index frame <paramref name="frame"/> (1-based).</summary>
    public static int RegionOfFrame(uint frame)
    {
        Debug.Assert(frame >= 1);
        return (int)((frame + (uint)(FramesPerRegion - FramesInFirstRegion) - 1) / FramesPerRegion);
    }

    /// <summary>One less than the first frame region <paramref name="region"/> indexes (SQLite's iZero).</summary>
    public static uint FrameBase(int region) => region == 0 ? 0u : (uint)(FramesInFirstRegion + (region - 1) * FramesPerRegion);

    /// <summary>How many frames region <paramref name="region"/> can index.</summary>
    public static int RegionCapacity(int region) => region == 0 ? FramesInFirstRegion : FramesPerRegion;

    /// <summary>The first hash slot probed for a page.</summary>
    public static int Hash(uint pageNumber)
    {
        Debug.Assert(pageNumber > 0);
        return (int)((pageNumber * HashMultiplier) & (HashSlots - 1));
    }

    private static int PageArrayOffset(int region) => region == 0 ? HeaderAreaSize : 0;

    private static uint ReadNative(ReadOnlySpan<byte> s, int offset) => MemoryMarshal.Read<uint>(s[offset..]);

    private static void WriteNative(Span<byte> s, int offset, uint value) => MemoryMarshal.Write(s[offset..], in value);

    private static ushort ReadSlot(Span<byte> region, int slot) =>
        Volatile.Read(ref Unsafe.As<byte, ushort>(ref region[HashOffset + 2 * slot]));

    private static void WriteSlot(Span<byte> region, int slot, ushort value) =>
        Volatile.Write(ref Unsafe.As<byte, ushort>(ref region[HashOffset + 2 * slot]), value);

    // ---- header ----

    /// <summary>Encodes a page size into the header's 16-bit field (65536 becomes 1).</summary>
    public static ushort EncodePageSize(int pageSize) => (ushort)((pageSize & 0xff00) | (pageSize >> 16));

    /// <summary>Decodes the header's 16-bit page size field.</summary>
    public static int DecodePageSize(ushort field) => (field & 0xfe00) + ((field & 1) << 16);

    /// <summary>Encodes a header copy (48 bytes) as stored, its checksum field from <paramref name="header"/>.</summary>
    private static void EncodeHeader(Span<byte> d, in WalIndexHeader header)
    {
        d[..HeaderCopySize].Clear();
        WriteNative(d, 0, header.Version);
        WriteNative(d, 8, header.Change);
        d[12] = header.IsInit;
        d[13] = header.BigEndianChecksum ? (byte)1 : (byte)0;
        MemoryMarshal.Write(d[14..], EncodePageSize(header.PageSize));
        WriteNative(d, 16, header.MaxFrame);
        WriteNative(d, 20, header.DatabaseSize);
        WriteNative(d, 24, header.FrameChecksum.S1);
        WriteNative(d, 28, header.FrameChecksum.S2);
        BinaryPrimitives.WriteUInt32BigEndian(d[32..], header.Salt1);
        BinaryPrimitives.WriteUInt32BigEndian(d[36..], header.Salt2);
        WriteNative(d, 40, header.Checksum.S1);
        WriteNative(d, 44, header.Checksum.S2);
    }

    /// <summary>Decodes a header copy (48 bytes) without checking it.</summary>
    public static WalIndexHeader DecodeHeader(ReadOnlySpan<byte> s) => new(
        ReadNative(s, 0), ReadNative(s, 8), s[12], s[13] != 0, DecodePageSize(MemoryMarshal.Read<ushort>(s[14..])),
        ReadNative(s, 16), ReadNative(s, 20), new WalChecksum(ReadNative(s, 24), ReadNative(s, 28)),
        BinaryPrimitives.ReadUInt32BigEndian(s[32..]), BinaryPrimitives.ReadUInt32BigEndian(s[36..]),
        new WalChecksum(ReadNative(s, 40), ReadNative(s, 44)));

    /// <summary>The checksum a header copy's first 40 bytes should carry.</summary>
    private static WalChecksum HeaderChecksum(ReadOnlySpan<byte> copy) =>
        WalChecksum.Compute(copy[..ChecksummedBytes], bigEndian: !BitConverter.IsLittleEndian);

    /// <summary>
    /// Writes both header copies (second first) with isInit set and a fresh checksum, and
    /// returns the header as written.
    /// </summary>
    public WalIndexHeader WriteHeader(WalIndexHeader header)
    {
        Span<byte> copy = stackalloc byte[HeaderCopySize];
        header = header with { IsInit = 1, Checksum = default };
        EncodeHeader(copy, header);
        header = header with { Checksum = HeaderChecksum(copy) };
        EncodeHeader(copy, header);
        Span<byte> region0 = _memory.GetOrAddRegion(0);
        copy.CopyTo(region0[HeaderCopySize..]);
        Interlocked.MemoryBarrier();
        copy.CopyTo(region0);
        return header;
    }

    /// <summary>
    /// Reads the header (first copy, then second) and returns true when the two copies are
    /// equal, isInit is set and the checksum matches. The caller checks the version.
    /// </summary>
    public bool TryReadHeader(out WalIndexHeader header)
    {
        header = default;
        Span<byte> region0 = _memory.TryGetRegion(0);
        if (region0.IsEmpty) return false;
        Span<byte> first = stackalloc byte[HeaderCopySize];
        Span<byte> second = stackalloc byte[HeaderCopySize];
        region0[..HeaderCopySize].CopyTo(first);
        Interlocked.MemoryBarrier();
        region0.Slice(HeaderCopySize, HeaderCopySize).CopyTo(second);
        if (!first.SequenceEqual(second)) return false;
        WalIndexHeader h = DecodeHeader(first);
        if (h.IsInit == 0) return false;
        if (HeaderChecksum(first) != h.Checksum) return false;
        header = h;
        return true;
    }

    /// <summary>Reads the checkpoint info (all zero in a fresh index).</summary>
    public WalCheckpointInfo ReadCheckpointInfo()
    {
        Span<byte> r = _memory.GetOrAddRegion(0);
        uint[] marks = new uint[ReaderCount];
        for (int i = 0; i < ReaderCount; i++) marks[i] = ReadNative(r, CheckpointInfoOffset + 4 + 4 * i);
        return new WalCheckpointInfo(ReadNative(r, CheckpointInfoOffset), marks, ReadNative(r, 128));
    }

    /// <summary>Writes the checkpoint info (leaving the lock bytes alone).</summary>
    public void WriteCheckpointInfo(WalCheckpointInfo info)
    {
        Debug.Assert(info.ReadMarks.Length == ReaderCount);
        Span<byte> r = _memory.GetOrAddRegion(0);
        WriteNative(r, CheckpointInfoOffset, info.Backfill);
        for (int i = 0; i < ReaderCount; i++) WriteNative(r, CheckpointInfoOffset + 4 + 4 * i, info.ReadMarks[i]);
        WriteNative(r, 128, info.BackfillAttempted);
    }

    // ---- hash tables ----

    /// <summary>The page number the index records for frame <paramref name="frame"/> (0 when none).</summary>
    public uint PageOfFrame(uint frame)
    {
        if (frame == 0) return 0;
        int region = RegionOfFrame(frame);
        Span<byte> r = _memory.TryGetRegion(region);
        if (r.IsEmpty) return 0;
        int i = (int)(frame - FrameBase(region)) - 1;
        return ReadNative(r, PageArrayOffset(region) + 4 * i);
    }

    /// <summary>
    /// Records that frame <paramref name="frame"/> holds page <paramref name="pageNumber"/>.
    /// Frames are appended in order. The first frame of a region clears the region's arrays;
    /// entries left at or after <paramref name="frame"/> by an earlier writer are cleared
    /// first. A hash table with more entries than frames is SQLITE_CORRUPT.
    /// </summary>
    public void Append(uint frame, uint pageNumber)
    {
        Debug.Assert(frame >= 1 && pageNumber >= 1);
        int region = RegionOfFrame(frame);
        Span<byte> r = _memory.GetOrAddRegion(region);
        int pgnoOffset = PageArrayOffset(region);
        int idx = (int)(frame - FrameBase(region));
        Debug.Assert(idx >= 1 && idx <= RegionCapacity(region));
        if (idx == 1) r[pgnoOffset..].Clear();
        if (ReadNative(r, pgnoOffset + 4 * (idx - 1)) != 0) Cleanup(frame - 1);

        int collisions = idx;
        int key = Hash(pageNumber);
        while (ReadSlot(r, key) != 0)
        {
            if (collisions-- == 0) TernException.ThrowCorrupt();
            key = (key + 1) & (HashSlots - 1);
        }
        WriteNative(r, pgnoOffset + 4 * (idx - 1), pageNumber);
        WriteSlot(r, key, (ushort)idx);
    }

    /// <summary>
    /// Removes the entries of frames after <paramref name="maxFrame"/> from the region that
    /// holds frame <paramref name="maxFrame"/> (after a rollback, or before reusing slots an
    /// interrupted writer left). Later regions are cleared when their first frame is appended.
    /// </summary>
    public void Cleanup(uint maxFrame)
    {
        if (maxFrame == 0) return;
        int region = RegionOfFrame(maxFrame);
        Span<byte> r = _memory.TryGetRegion(region);
        if (r.IsEmpty) return;
        int limit = (int)(maxFrame - FrameBase(region));
        Debug.Assert(limit >= 1 && limit <= RegionCapacity(region));
        for (int slot = 0; slot < HashSlots; slot++)
        {
            if (ReadSlot(r, slot) > limit) WriteSlot(r, slot, 0);
        }
        r[(PageArrayOffset(region) + 4 * limit)..HashOffset].Clear();
    }

    /// <summary>
    /// The latest frame from <paramref name="minFrame"/> to <paramref name="maxFrame"/> that
    /// holds page <paramref name="pageNumber"/>, or 0 when the log has none (read the page from
    /// the database). Entries past <paramref name="maxFrame"/> (appended after the reader's
    /// snapshot, or left by an interrupted writer) are ignored. A region missing below
    /// <paramref name="maxFrame"/>, an entry pointing outside its region, or a hash table
    /// without an empty slot is SQLITE_CORRUPT.
    /// </summary>
    public uint FindFrame(uint pageNumber, uint maxFrame, uint minFrame = 1)
    {
        if (maxFrame == 0 || pageNumber == 0) return 0;
        if (minFrame == 0) minFrame = 1;
        int lowest = RegionOfFrame(minFrame);
        for (int region = RegionOfFrame(maxFrame); region >= lowest; region--)
        {
            Span<byte> r = _memory.TryGetRegion(region);
            if (r.IsEmpty) TernException.ThrowCorrupt();
            uint zero = FrameBase(region);
            int capacity = RegionCapacity(region);
            int pgnoOffset = PageArrayOffset(region);
            uint found = 0;
            int collisions = HashSlots;
            int key = Hash(pageNumber);
            ushort h;
            while ((h = ReadSlot(r, key)) != 0)
            {
                uint frame = zero + h;
                if (frame <= maxFrame && frame >= minFrame)
                {
                    if (h > capacity) TernException.ThrowCorrupt();
                    if (ReadNative(r, pgnoOffset + 4 * (h - 1)) == pageNumber) found = Math.Max(found, frame);
                }
                if (collisions-- == 0) TernException.ThrowCorrupt();
                key = (key + 1) & (HashSlots - 1);
            }
            if (found != 0) return found;
        }
        return 0;
    }

    /// <summary>
    /// Rebuilds the whole index from a recovery scan, as SQLite's recovery leaves it: every
    /// valid frame (also those after the last commit) in the hash tables; the header with
    /// mxFrame, the database size, the running checksum and salts; nBackfill 0,
    /// nBackfillAttempted and read mark 1 at mxFrame (read mark 1 unused when the log is
    /// empty), read mark 0 zero and the others unused. Returns the header written.
    /// </summary>
    public WalIndexHeader Rebuild(WalRecoveryResult log)
    {
        ReadOnlySpan<uint> pages = log.PageNumbers;
        _memory.GetOrAddRegion(0);
        for (int i = 0; i < pages.Length; i++) Append((uint)i + 1, pages[i]);

        // SQLite keeps the salts and checksum order of a header whose magic and page size
        // passed even when its checksum failed; the page size is recorded only with a commit.
        bool keepsSalts = log.Header is { } h && (h.Magic & 0xFFFFFFFE) == WalFormat.MagicLittleEndian
            && WalFormat.IsValidPageSize(h.PageSize) && log.Status != WalHeaderStatus.TooShort;
        WalHeader wh = log.Header.GetValueOrDefault();
        var header = new WalIndexHeader(
            Version: IndexVersion, Change: 0, IsInit: 1,
            BigEndianChecksum: keepsSalts && wh.BigEndianChecksum,
            PageSize: log.MaxFrame != 0 ? log.PageSize : 0,
            MaxFrame: log.MaxFrame, DatabaseSize: log.DatabaseSize, FrameChecksum: log.FrameChecksum,
            Salt1: keepsSalts ? wh.Salt1 : 0, Salt2: keepsSalts ? wh.Salt2 : 0, Checksum: default);
        header = WriteHeader(header);

        uint[] marks = new uint[ReaderCount];
        marks[0] = 0;
        marks[1] = log.MaxFrame != 0 ? log.MaxFrame : ReadMarkNotUsed;
        for (int i = 2; i < ReaderCount; i++) marks[i] = ReadMarkNotUsed;
        WriteCheckpointInfo(new WalCheckpointInfo(0, marks, log.MaxFrame));
        return header;
    }
}

/// <summary>
/// Single fields of region 0 read and written in place, each as one aligned 32-bit access
/// (other connections change them concurrently): nBackfill, the read marks,
/// nBackfillAttempted, and the first header copy's mxFrame.
/// </summary>
internal static class WalIndexFields
{
    private static ref uint At(Span<byte> region0, int offset) => ref Unsafe.As<byte, uint>(ref region0[offset]);

    /// <summary>nBackfill: frames already copied into the database.</summary>
    public static uint Backfill(Span<byte> region0) => Volatile.Read(ref At(region0, WalIndex.CheckpointInfoOffset));

    /// <summary>Sets nBackfill.</summary>
    public static void SetBackfill(Span<byte> region0, uint value) => Volatile.Write(ref At(region0, WalIndex.CheckpointInfoOffset), value);

    /// <summary>aReadMark[<paramref name="i"/>].</summary>
    public static uint ReadMark(Span<byte> region0, int i) => Volatile.Read(ref At(region0, WalIndex.CheckpointInfoOffset + 4 + 4 * i));

    /// <summary>Sets aReadMark[<paramref name="i"/>].</summary>
    public static void SetReadMark(Span<byte> region0, int i, uint value) =>
        Volatile.Write(ref At(region0, WalIndex.CheckpointInfoOffset + 4 + 4 * i), value);

    /// <summary>Sets nBackfillAttempted.</summary>
    public static void SetBackfillAttempted(Span<byte> region0, uint value) => Volatile.Write(ref At(region0, 128), value);

    /// <summary>mxFrame as the first header copy holds it now.</summary>
    public static uint SharedMaxFrame(Span<byte> region0) => Volatile.Read(ref At(region0, 16));
}
