// The byte format of SQLite's write-ahead log ("<db>-wal"): a 32-byte header, then
// frames, each a 24-byte frame header followed by one page image. Every field is a
// big-endian 32-bit unsigned integer.
//
//   WAL header                          frame header
//   offset  field                       offset  field
//   ------  ------------------------    ------  ------------------------------------
//      0    magic 0x377f0682/0x377f0683    0    page number (never 0)
//      4    format version 3007000         4    commit frame: database size in pages
//      8    page size (65536 as is)                after the commit; otherwise 0
//     12    checkpoint sequence            8    salt-1 (copied from the WAL header)
//     16    salt-1                        12    salt-2 (copied from the WAL header)
//     20    salt-2                        16    checksum-1 \ running checksum over the header's
//     24    checksum-1 \ over bytes 0..23  20    checksum-2 / checksum, every earlier frame's
//     28    checksum-2 /                                   first 8 bytes and page, and then
//                                                          this frame's first 8 bytes and page
//
//   file:  | header 32 | frame 1: 24 + page | frame 2: 24 + page | ...
//   frame N starts at 32 + (N-1) * (24 + page size)
//
// The low bit of the magic selects the byte order in which the checksums read the data's
// words (1: big-endian, 0: little-endian; SQLite writes its machine's order). The stored
// checksum values are big-endian either way. A frame is valid when its salts equal the
// header's, its page number is not 0 and its checksum equals the running checksum; a
// frame whose commit field is not 0 ends a transaction.
using System.Buffers.Binary;
using System.Diagnostics;

namespace Tern.Storage.Wal;

/// <summary>How a WAL header reads, in the order SQLite's recovery checks it.</summary>
public enum WalHeaderStatus
{
    /// <summary>The header is valid: its frames may be read.</summary>
    Valid,
    /// <summary>The file holds no more than a header (no frame could follow): the log is empty.</summary>
    TooShort,
    /// <summary>The magic number is neither 0x377f0682 nor 0x377f0683: the log is empty.</summary>
    BadMagic,
    /// <summary>The page size is not a power of two from 512 to 65536: the log is empty.</summary>
    BadPageSize,
    /// <summary>The header's checksum does not match its first 24 bytes: the log is empty.</summary>
    BadChecksum,
    /// <summary>The format version is not 3007000 (SQLite cannot open the database: SQLITE_CANTOPEN).</summary>
    UnsupportedVersion,
}

/// <summary>The fields of the 32-byte WAL header.</summary>
/// <param name="Magic">0x377f0682 or 0x377f0683 in a valid header.</param>
/// <param name="FormatVersion">3007000 in a valid header.</param>
/// <param name="PageSize">The page size of every frame, in bytes.</param>
/// <param name="CheckpointSequence">Incremented each time the log restarts.</param>
/// <param name="Salt1">Incremented each time the log restarts.</param>
/// <param name="Salt2">A new random value each time the log restarts.</param>
/// <param name="Checksum">The stored checksum of the first 24 bytes.</param>
public readonly record struct WalHeader(uint Magic, uint FormatVersion, uint PageSize, uint CheckpointSequence, uint Salt1, uint Salt2, WalChecksum Checksum)
{
    /// <summary>Whether checksums read the data's words big-endian (the magic's low bit).</summary>
    public bool BigEndianChecksum => (Magic & 1) != 0;
}

/// <summary>The fields of a 24-byte frame header.</summary>
/// <param name="PageNumber">The database page the frame holds.</param>
/// <param name="CommitSize">For a commit frame the database size in pages after the commit, else 0.</param>
/// <param name="Salt1">Salt-1 of the header the frame was written under.</param>
/// <param name="Salt2">Salt-2 of the header the frame was written under.</param>
/// <param name="Checksum">The stored running checksum.</param>
public readonly record struct WalFrameHeader(uint PageNumber, uint CommitSize, uint Salt1, uint Salt2, WalChecksum Checksum)
{
    /// <summary>Whether the frame ends a transaction.</summary>
    public bool IsCommit => CommitSize != 0;
}

/// <summary>Constants, readers, writers and validation of the WAL header and frames.</summary>
public static class WalFormat
{
    /// <summary>Size of the WAL header in bytes.</summary>
    public const int HeaderSize = 32;
    /// <summary>Size of a frame header in bytes.</summary>
    public const int FrameHeaderSize = 24;
    /// <summary>The magic number of a log whose checksums read words little-endian.</summary>
    public const uint MagicLittleEndian = 0x377f0682;
    /// <summary>The magic number of a log whose checksums read words big-endian.</summary>
    public const uint MagicBigEndian = 0x377f0683;
    /// <summary>The only WAL format version (3.7.0).</summary>
    public const uint FormatVersion = 3007000;
    /// <summary>The largest page size.</summary>
    public const int MaxPageSize = 65536;
    /// <summary>The smallest page size.</summary>
    public const int MinPageSize = 512;

    /// <summary>The magic number SQLite (and Tern) writes on this machine.</summary>
    public static uint NativeMagic => BitConverter.IsLittleEndian ? MagicLittleEndian : MagicBigEndian;

    /// <summary>Whether a page size is a power of two from 512 to 65536.</summary>
    public static bool IsValidPageSize(long size) => size >= MinPageSize && size <= MaxPageSize && (size & (size - 1)) == 0;

    /// <summary>The byte offset of frame <paramref name="frame"/> (1-based) in the log.</summary>
    public static long FrameOffset(long frame, int pageSize)
    {
        Debug.Assert(frame >= 1);
        return HeaderSize + (frame - 1) * (long)(pageSize + FrameHeaderSize);
    }

    /// <summary>The number of whole frames a log of <paramref name="fileSize"/> bytes holds.</summary>
    public static long WholeFrames(long fileSize, int pageSize) =>
        fileSize <= HeaderSize ? 0 : (fileSize - HeaderSize) / (pageSize + FrameHeaderSize);

    /// <summary>Decodes the header's fields (no validation).</summary>
    public static WalHeader ReadHeader(ReadOnlySpan<byte> header) => new(
        BinaryPrimitives.ReadUInt32BigEndian(header),
        BinaryPrimitives.ReadUInt32BigEndian(header[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(header[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(header[12..]),
        BinaryPrimitives.ReadUInt32BigEndian(header[16..]),
        BinaryPrimitives.ReadUInt32BigEndian(header[20..]),
        WalChecksum.ReadBigEndian(header[24..]));

    /// <summary>
    /// Writes a complete header with its checksum and returns it; the checksum is the
    /// running checksum that the first frame continues.
    /// </summary>
    public static WalHeader WriteHeader(Span<byte> destination, bool bigEndianChecksum, int pageSize, uint checkpointSequence, uint salt1, uint salt2)
    {
        Debug.Assert(IsValidPageSize(pageSize));
        Span<byte> h = destination[..HeaderSize];
        uint magic = bigEndianChecksum ? MagicBigEndian : MagicLittleEndian;
        BinaryPrimitives.WriteUInt32BigEndian(h, magic);
        BinaryPrimitives.WriteUInt32BigEndian(h[4..], FormatVersion);
        BinaryPrimitives.WriteUInt32BigEndian(h[8..], (uint)pageSize);
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], checkpointSequence);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], salt1);
        BinaryPrimitives.WriteUInt32BigEndian(h[20..], salt2);
        WalChecksum sum = WalChecksum.Compute(h[..24], bigEndianChecksum);
        sum.WriteBigEndian(h[24..]);
        return new WalHeader(magic, FormatVersion, (uint)pageSize, checkpointSequence, salt1, salt2, sum);
    }

    /// <summary>
    /// Checks a header as SQLite's recovery does: magic and page size first, then the
    /// checksum, then the version. Anything but <see cref="WalHeaderStatus.Valid"/> and
    /// <see cref="WalHeaderStatus.UnsupportedVersion"/> means an empty log.
    /// </summary>
    public static WalHeaderStatus ValidateHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize) return WalHeaderStatus.TooShort;
        WalHeader h = ReadHeader(header);
        if ((h.Magic & 0xFFFFFFFE) != MagicLittleEndian) return WalHeaderStatus.BadMagic;
        if (!IsValidPageSize(h.PageSize)) return WalHeaderStatus.BadPageSize;
        if (WalChecksum.Compute(header[..24], h.BigEndianChecksum) != h.Checksum) return WalHeaderStatus.BadChecksum;
        if (h.FormatVersion != FormatVersion) return WalHeaderStatus.UnsupportedVersion;
        return WalHeaderStatus.Valid;
    }

    /// <summary>Decodes a frame header's fields (no validation).</summary>
    public static WalFrameHeader ReadFrameHeader(ReadOnlySpan<byte> frameHeader) => new(
        BinaryPrimitives.ReadUInt32BigEndian(frameHeader),
        BinaryPrimitives.ReadUInt32BigEndian(frameHeader[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(frameHeader[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(frameHeader[12..]),
        WalChecksum.ReadBigEndian(frameHeader[16..]));

    /// <summary>
    /// Writes the header of a frame holding <paramref name="page"/> and returns the new
    /// running checksum (continued from <paramref name="running"/> over the frame header's
    /// first 8 bytes and the page).
    /// </summary>
    public static WalChecksum WriteFrameHeader(Span<byte> destination, uint pageNumber, uint commitSize, uint salt1, uint salt2,
        bool bigEndianChecksum, ReadOnlySpan<byte> page, WalChecksum running)
    {
        Debug.Assert(pageNumber != 0, "page 0 does not exist");
        Span<byte> f = destination[..FrameHeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(f, pageNumber);
        BinaryPrimitives.WriteUInt32BigEndian(f[4..], commitSize);
        BinaryPrimitives.WriteUInt32BigEndian(f[8..], salt1);
        BinaryPrimitives.WriteUInt32BigEndian(f[12..], salt2);
        WalChecksum sum = running.Add(f[..8], bigEndianChecksum).Add(page, bigEndianChecksum);
        sum.WriteBigEndian(f[16..]);
        return sum;
    }

    /// <summary>
    /// Checks a frame (its 24-byte header followed by the page) against the log's header and
    /// the running checksum of everything before it. On success returns true with the
    /// frame's header and advances <paramref name="running"/>; otherwise leaves it unchanged.
    /// </summary>
    public static bool TryDecodeFrame(ReadOnlySpan<byte> frame, in WalHeader header, ref WalChecksum running, out WalFrameHeader frameHeader)
    {
        Debug.Assert(frame.Length == FrameHeaderSize + (int)header.PageSize);
        frameHeader = ReadFrameHeader(frame);
        if (frameHeader.Salt1 != header.Salt1 || frameHeader.Salt2 != header.Salt2) return false;
        if (frameHeader.PageNumber == 0) return false;
        bool big = header.BigEndianChecksum;
        WalChecksum sum = running.Add(frame[..8], big).Add(frame[FrameHeaderSize..], big);
        if (sum != frameHeader.Checksum) return false;
        running = sum;
        return true;
    }
}
