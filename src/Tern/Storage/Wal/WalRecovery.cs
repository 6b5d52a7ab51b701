// Recovery of a write-ahead log: what a reader may trust in a "-wal" file found on disk,
// by SQLite's rules (walIndexRecover).
//
//   file size <= 32 ....................................... empty log
//   magic not 0x377f068[23], page size not 2^9..2^16 ...... empty log
//   header checksum wrong ................................. empty log
//   format version not 3007000 ............................ SQLITE_CANTOPEN
//   frames 1, 2, ... (whole frames only):
//       salts differ from the header's, page number 0,
//       or running checksum wrong .......................... stop: this and later frames are invalid
//       valid commit frame ................................. mxFrame = this frame,
//                                                            database size = its commit field
//
// Frames after the last valid commit frame are valid but belong to no transaction: a
// reader ignores them (mxFrame stops before them), while SQLite's wal-index still lists
// them in its hash tables, so WalIndex.Rebuild does too. For each page, the frame that
// holds its content is the latest one at or before mxFrame.
//
// Frames of a transaction still open need not be valid on disk: when SQLite spills a page
// it already spilled in the same transaction, it overwrites that frame in place and writes
// later frames with zero salts and checksums, recomputing the chain only at commit. A crash
// then leaves a log whose valid prefix ends inside the open transaction, which is harmless
// since those frames lie past mxFrame anyway.
using System.Diagnostics;
using Tern.Storage.Io;

namespace Tern.Storage.Wal;

/// <summary>What recovery found in a write-ahead log.</summary>
public sealed class WalRecoveryResult
{
    private readonly uint[] _pageNumbers;
    private readonly Dictionary<uint, uint> _latest;

    internal WalRecoveryResult(WalHeaderStatus status, WalHeader? header, uint[] pageNumbers, uint validFrames, uint maxFrame,
        uint databaseSize, WalChecksum frameChecksum, List<uint> commitFrames)
    {
        Status = status;
        Header = header;
        _pageNumbers = pageNumbers;
        ValidFrames = validFrames;
        MaxFrame = maxFrame;
        DatabaseSize = databaseSize;
        FrameChecksum = frameChecksum;
        CommitFrames = commitFrames;
        _latest = new Dictionary<uint, uint>();
        for (uint f = 1; f <= maxFrame; f++) _latest[pageNumbers[f - 1]] = f;
        Debug.Assert(maxFrame <= validFrames && (maxFrame == 0) == (commitFrames.Count == 0));
    }

    /// <summary>How the header read. Frames are only read under a valid header.</summary>
    public WalHeaderStatus Status { get; }

    /// <summary>The header's fields when the file holds one (even an invalid one), else null.</summary>
    public WalHeader? Header { get; }

    /// <summary>Whether the header is valid.</summary>
    public bool HeaderValid => Status == WalHeaderStatus.Valid;

    /// <summary>The log's page size (from its header), or 0 when the header is not valid.</summary>
    public int PageSize => HeaderValid ? (int)Header!.Value.PageSize : 0;

    /// <summary>The number of valid frames from the start of the log, commit or not.</summary>
    public uint ValidFrames { get; }

    /// <summary>The last valid commit frame (SQLite's mxFrame); 0 when the log holds no transaction.</summary>
    public uint MaxFrame { get; }

    /// <summary>The database size in pages after the last valid commit; 0 when there is none.</summary>
    public uint DatabaseSize { get; }

    /// <summary>
    /// The running checksum after frame <see cref="MaxFrame"/>, which the next frame appended
    /// continues; zero when the log holds no transaction (as SQLite's wal-index records it).
    /// </summary>
    public WalChecksum FrameChecksum { get; }

    /// <summary>The valid commit frames in order (the last is <see cref="MaxFrame"/>).</summary>
    public IReadOnlyList<uint> CommitFrames { get; }

    /// <summary>The page number held by each valid frame (index 0 is frame 1).</summary>
    public ReadOnlySpan<uint> PageNumbers => _pageNumbers.AsSpan(0, (int)ValidFrames);

    /// <summary>For each page in the log, its latest frame at or before <see cref="MaxFrame"/>.</summary>
    public IReadOnlyDictionary<uint, uint> LatestFrames => _latest;

    /// <summary>The latest frame at or before <see cref="MaxFrame"/> holding page <paramref name="pageNumber"/>, or 0.</summary>
    public uint FindFrame(uint pageNumber) => _latest.TryGetValue(pageNumber, out uint f) ? f : 0;

    /// <summary>The byte offset of a frame's page image in the log.</summary>
    public long PageOffset(uint frame)
    {
        Debug.Assert(frame >= 1 && frame <= ValidFrames);
        return WalFormat.FrameOffset(frame, PageSize) + WalFormat.FrameHeaderSize;
    }

    /// <summary>Reads frame <paramref name="frame"/>'s page image into <paramref name="page"/> (page-size bytes).</summary>
    public void ReadPage(IFile wal, uint frame, Span<byte> page)
    {
        if (frame < 1 || frame > ValidFrames || page.Length != PageSize) TernException.Throw(ResultCode.Misuse);
        if (wal.Read(PageOffset(frame), page) != page.Length) TernException.Throw(ResultCode.IoErrShortRead, TernException.DefaultMessage(ResultCode.IoErr));
    }

    /// <summary>
    /// Refuses a log whose page size is not the database's while it holds a transaction:
    /// SQLITE_CORRUPT, as SQLite's checkpoint reports it.
    /// </summary>
    public void EnsurePageSize(int databasePageSize)
    {
        if (MaxFrame != 0 && PageSize != databasePageSize) TernException.ThrowCorrupt();
    }
}

/// <summary>Reads a write-ahead log from its start and finds its valid prefix.</summary>
public static class WalRecovery
{
    /// <summary>Bytes read per call to the file (at least one frame).</summary>
    private const int ReadSize = 256 * 1024;

    /// <summary>
    /// Scans the log in <paramref name="wal"/>. An invalid header gives an empty result; a
    /// header of another format version is SQLITE_CANTOPEN, as in SQLite. I/O errors are the
    /// file's own <see cref="TernException"/>s.
    /// </summary>
    public static WalRecoveryResult Scan(IFile wal)
    {
        long size = wal.Length;
        var noFrames = new List<uint>();
        if (size <= WalFormat.HeaderSize)
        {
            WalHeader? partial = null;
            if (size == WalFormat.HeaderSize)
            {
                Span<byte> whole = stackalloc byte[WalFormat.HeaderSize];
                ReadExactly(wal, 0, whole);
                partial = WalFormat.ReadHeader(whole);
            }
            return new WalRecoveryResult(WalHeaderStatus.TooShort, partial, [], 0, 0, 0, default, noFrames);
        }

        Span<byte> headerBytes = stackalloc byte[WalFormat.HeaderSize];
        ReadExactly(wal, 0, headerBytes);
        WalHeader header = WalFormat.ReadHeader(headerBytes);
        WalHeaderStatus status = WalFormat.ValidateHeader(headerBytes);
        if (status == WalHeaderStatus.UnsupportedVersion)
            TernException.Throw(ResultCode.CantOpen, TernException.DefaultMessage(ResultCode.CantOpen));
        if (status != WalHeaderStatus.Valid)
            return new WalRecoveryResult(status, header, [], 0, 0, 0, default, noFrames);

        int pageSize = (int)header.PageSize;
        int frameSize = pageSize + WalFormat.FrameHeaderSize;
        long wholeFrames = Math.Min(WalFormat.WholeFrames(size, pageSize), uint.MaxValue);
        var pages = new List<uint>();
        var commits = new List<uint>();
        WalChecksum running = header.Checksum;
        WalChecksum atCommit = default;
        uint maxFrame = 0, databaseSize = 0;
        int framesPerRead = (int)Math.Clamp(Math.Min(ReadSize / frameSize, wholeFrames), 1, int.MaxValue);
        byte[] buffer = new byte[frameSize * framesPerRead];
        long frame = 1;
        bool stopped = false;
        while (frame <= wholeFrames && !stopped)
        {
            int batch = (int)Math.Min(buffer.Length / frameSize, wholeFrames - frame + 1);
            Span<byte> chunk = buffer.AsSpan(0, batch * frameSize);
            ReadExactly(wal, WalFormat.FrameOffset(frame, pageSize), chunk);
            for (int i = 0; i < batch; i++, frame++)
            {
                if (!WalFormat.TryDecodeFrame(chunk.Slice(i * frameSize, frameSize), header, ref running, out WalFrameHeader fh))
                {
                    stopped = true;
                    break;
                }
                pages.Add(fh.PageNumber);
                if (fh.IsCommit)
                {
                    maxFrame = (uint)frame;
                    databaseSize = fh.CommitSize;
                    atCommit = running;
                    commits.Add(maxFrame);
                }
            }
        }
        return new WalRecoveryResult(status, header, pages.ToArray(), (uint)pages.Count, maxFrame, databaseSize, atCommit, commits);
    }

    private static void ReadExactly(IFile file, long offset, Span<byte> buffer)
    {
        if (file.Read(offset, buffer) != buffer.Length)
            TernException.Throw(ResultCode.IoErrShortRead, TernException.DefaultMessage(ResultCode.IoErr));
    }
}
