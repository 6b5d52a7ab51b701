// Building write-ahead log content: headers for a new or restarted log, and frames that
// continue a log's running checksum. The writer only produces bytes; where they go (and
// when they are synced) is the pager's business.
//
//   new log (checkpoint sequence 0): both salts random
//   restart after a full checkpoint:  checkpoint sequence + 1, salt-1 + 1, salt-2 random
//
//   state: salts, checksum byte order, page size, next frame number, running checksum
//   AppendTransaction(pages, dbSize):  frame per page, the last one a commit frame
//   AppendFrames(pages, 0):            frames of a transaction still open (cache spill)
using System.Security.Cryptography;

namespace Tern.Storage.Wal;

/// <summary>Builds WAL headers and frames.</summary>
public sealed class WalWriter
{
    private readonly WalHeader _header;

    /// <summary>
    /// A writer that appends after frame <paramref name="lastFrame"/> of a log with header
    /// <paramref name="header"/>, continuing from <paramref name="running"/> (the checksum
    /// after that frame, or the header's checksum when <paramref name="lastFrame"/> is 0).
    /// </summary>
    public WalWriter(WalHeader header, uint lastFrame, WalChecksum running)
    {
        if (!WalFormat.IsValidPageSize(header.PageSize)) TernException.Throw(ResultCode.Misuse);
        _header = header;
        LastFrame = lastFrame;
        Running = running;
    }

    /// <summary>A writer that continues a recovered log after its last commit frame.</summary>
    public static WalWriter Continue(WalRecoveryResult log)
    {
        if (!log.HeaderValid) TernException.Throw(ResultCode.Misuse);
        WalHeader h = log.Header!.Value;
        return new WalWriter(h, log.MaxFrame, log.MaxFrame == 0 ? h.Checksum : log.FrameChecksum);
    }

    /// <summary>The log's header.</summary>
    public WalHeader Header => _header;

    /// <summary>The page size of every frame.</summary>
    public int PageSize => (int)_header.PageSize;

    /// <summary>The number of the last frame written (0 before the first).</summary>
    public uint LastFrame { get; private set; }

    /// <summary>The running checksum after <see cref="LastFrame"/>.</summary>
    public WalChecksum Running { get; private set; }

    /// <summary>The size of the frames for <paramref name="count"/> pages, in bytes.</summary>
    public int FramesSize(int count) => count * (PageSize + WalFormat.FrameHeaderSize);

    /// <summary>
    /// Writes one frame per page into <paramref name="destination"/> (which must hold
    /// <see cref="FramesSize"/> bytes), the last a commit frame with database size
    /// <paramref name="commitSize"/> when that is not 0. Returns the number of bytes written;
    /// they belong at <see cref="WalFormat.FrameOffset"/> of the first new frame.
    /// </summary>
    public int AppendFrames(IReadOnlyList<(uint PageNumber, ReadOnlyMemory<byte> Data)> pages, uint commitSize, Span<byte> destination)
    {
        int frameSize = PageSize + WalFormat.FrameHeaderSize;
        if (destination.Length < pages.Count * frameSize) TernException.Throw(ResultCode.Misuse);
        WalChecksum running = Running;
        for (int i = 0; i < pages.Count; i++)
        {
            (uint pgno, ReadOnlyMemory<byte> data) = pages[i];
            if (pgno == 0 || data.Length != PageSize) TernException.Throw(ResultCode.Misuse);
            Span<byte> frame = destination.Slice(i * frameSize, frameSize);
            uint commit = i == pages.Count - 1 ? commitSize : 0;
            running = WalFormat.WriteFrameHeader(frame, pgno, commit, _header.Salt1, _header.Salt2, _header.BigEndianChecksum, data.Span, running);
            data.Span.CopyTo(frame[WalFormat.FrameHeaderSize..]);
        }
        Running = running;
        LastFrame += (uint)pages.Count;
        return pages.Count * frameSize;
    }

    /// <summary>
    /// The frames of one whole transaction (a commit frame last, database size
    /// <paramref name="databaseSize"/> pages), as a new array.
    /// </summary>
    public byte[] AppendTransaction(IReadOnlyList<(uint PageNumber, ReadOnlyMemory<byte> Data)> pages, uint databaseSize)
    {
        if (pages.Count == 0 || databaseSize == 0) TernException.Throw(ResultCode.Misuse);
        byte[] bytes = new byte[FramesSize(pages.Count)];
        AppendFrames(pages, databaseSize, bytes);
        return bytes;
    }

    /// <summary>
    /// Writes the header of a new log into <paramref name="destination"/> (32 bytes) and returns
    /// a writer for its first frame. SQLite's first log has checkpoint sequence 0 and random salts.
    /// Checksums read words in this machine's order unless <paramref name="bigEndianChecksum"/> says otherwise.
    /// </summary>
    public static WalWriter CreateLog(Span<byte> destination, int pageSize, uint checkpointSequence, uint salt1, uint salt2,
        bool? bigEndianChecksum = null)
    {
        if (!WalFormat.IsValidPageSize(pageSize)) TernException.Throw(ResultCode.Misuse);
        bool big = bigEndianChecksum ?? !BitConverter.IsLittleEndian;
        WalHeader h = WalFormat.WriteHeader(destination, big, pageSize, checkpointSequence, salt1, salt2);
        return new WalWriter(h, 0, h.Checksum);
    }

    /// <summary>A new log's header with random salts, as SQLite writes its first one.</summary>
    public static WalWriter CreateLog(Span<byte> destination, int pageSize) =>
        CreateLog(destination, pageSize, 0, RandomUInt32(), RandomUInt32());

    /// <summary>
    /// Writes the header that restarts a log after <paramref name="previous"/> was fully
    /// checkpointed: checkpoint sequence + 1, salt-1 + 1, salt-2 <paramref name="salt2"/>
    /// (random in SQLite), same page size and checksum order. Returns a writer for frame 1.
    /// </summary>
    public static WalWriter RestartLog(Span<byte> destination, WalHeader previous, uint salt2) =>
        CreateLog(destination, (int)previous.PageSize, previous.CheckpointSequence + 1, previous.Salt1 + 1, salt2, previous.BigEndianChecksum);

    /// <summary><see cref="RestartLog(Span{byte}, WalHeader, uint)"/> with a random salt-2.</summary>
    public static WalWriter RestartLog(Span<byte> destination, WalHeader previous) => RestartLog(destination, previous, RandomUInt32());

    /// <summary>A random 32-bit value, as SQLite draws salts.</summary>
    internal static uint RandomUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt32(b);
    }
}
