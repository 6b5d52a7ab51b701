// External merge sort for a sorter that outgrows its memory limit (SQLite's vdbesort.c
// does the same job). While rows arrive, the sorter keeps them in memory; each time their
// size passes the limit it sorts them and appends them to a temporary file as one sorted
// run. At SorterSort the rows still in memory become the last run, and the runs are
// merged as they are read, smallest record first; equal keys come from the earlier run
// first, and within a run keep their order, so the sort stays stable as the in-memory one.
//
// The temporary file (deleted when the sorter closes), a sequence of runs:
//
//   run 0: [len:4 bytes big-endian][record bytes][len][record]...   <- sorted
//   run 1: ...
//
// Each run is read through its own buffer (64 KiB), so memory during the merge is one
// buffer and one record per run.
using System.Buffers.Binary;
using Tern.Storage.Io;
using Tern.Storage.Record;

namespace Tern.Vdbe;

/// <summary>The temporary file of a spilled sorter: sorted runs, then their merge.</summary>
internal sealed class SorterSpill : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly IFileSystem _fs;
    private readonly string _path;
    private readonly IFile _file;
    private readonly List<(long Start, long End)> _runs = [];
    private long _length;

    public SorterSpill(TempFiles temp)
    {
        _fs = temp.FileSystem;
        _path = temp.NewPath("sort", "tmp");
        _file = _fs.Open(_path, FileOpenMode.ReadWriteCreate);
    }

    /// <summary>Rows written to runs so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Appends sorted rows as one run.</summary>
    public void WriteRun(List<byte[]> rows)
    {
        long start = _length;
        var buffer = new byte[BufferSize];
        int used = 0;
        foreach (byte[] row in rows)
        {
            if (used + 4 + row.Length > buffer.Length)
            {
                Flush(buffer, ref used);
                if (4 + row.Length > buffer.Length) buffer = new byte[4 + row.Length];
            }
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(used), row.Length);
            row.CopyTo(buffer.AsSpan(used + 4));
            used += 4 + row.Length;
        }
        Flush(buffer, ref used);
        _runs.Add((start, _length));
        RowCount += rows.Count;
    }

    private void Flush(byte[] buffer, ref int used)
    {
        if (used == 0) return;
        _file.Write(_length, buffer.AsSpan(0, used));
        _length += used;
        used = 0;
    }

    /// <summary>How many runs were written.</summary>
    public int RunCount => _runs.Count;

    /// <summary>
    /// A reader over one run alone (a queue reads each run as it needs it, while later runs
    /// are still appended); its buffer is no larger than the run.
    /// </summary>
    public RunReader OpenRun(int index)
    {
        (long start, long end) = _runs[index];
        return new RunReader(_file, start, end, (int)Math.Clamp(end - start, 64, BufferSize));
    }

    /// <summary>A merge of every run, ordered by the first <paramref name="keyFields"/> fields of <paramref name="info"/>.</summary>
    public Merge OpenMerge(KeyInfo info, int keyFields)
    {
        var readers = new RunReader[_runs.Count];
        for (int i = 0; i < readers.Length; i++) readers[i] = new RunReader(_file, _runs[i].Start, _runs[i].End);
        return new Merge(readers, info, keyFields);
    }

    public void Dispose()
    {
        _file.Dispose();
        try
        {
            _fs.Delete(_path);
        }
        catch (TernException)
        {
            // A temporary file that cannot be removed now is left to the system's cleanup.
        }
    }

    /// <summary>Reads one run's records in order through a buffer.</summary>
    internal sealed class RunReader(IFile file, long start, long end, int bufferSize = BufferSize)
    {
        private byte[] _buffer = new byte[bufferSize];
        private long _next = start;
        private int _pos, _filled;

        public byte[]? Read()
        {
            if (!Ensure(4)) return null;
            int len = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_pos));
            _pos += 4;
            if (!Ensure(len)) TernException.ThrowCorrupt();
            byte[] rec = _buffer.AsSpan(_pos, len).ToArray();
            _pos += len;
            return rec;
        }

        /// <summary>Makes at least <paramref name="n"/> bytes available from the run; false at its end.</summary>
        private bool Ensure(int n)
        {
            if (_filled - _pos >= n) return true;
            int left = _filled - _pos;
            if (left == 0 && _next >= end) return false;
            if (n > _buffer.Length)
            {
                var bigger = new byte[n];
                _buffer.AsSpan(_pos, left).CopyTo(bigger);
                _buffer = bigger;
            }
            else _buffer.AsSpan(_pos, left).CopyTo(_buffer);
            _pos = 0;
            _filled = left;
            while (_filled < n && _next < end)
            {
                int want = (int)Math.Min(_buffer.Length - _filled, end - _next);
                int got = file.Read(_next, _buffer.AsSpan(_filled, want));
                if (got <= 0) TernException.ThrowCorrupt();
                _next += got;
                _filled += got;
            }
            return _filled >= n;
        }
    }

    /// <summary>The k-way merge of the runs: the smallest head record next, the earlier run on a tie.</summary>
    internal sealed class Merge
    {
        private readonly RunReader[] _readers;
        private readonly PriorityQueue<int, (byte[] Row, int Run)> _heads;

        internal Merge(RunReader[] readers, KeyInfo info, int keyFields)
        {
            _readers = readers;
            _heads = new PriorityQueue<int, (byte[] Row, int Run)>(Comparer<(byte[] Row, int Run)>.Create((x, y) =>
            {
                int c = RecordComparer.Compare(x.Row, y.Row, info, keyFields);
                return c != 0 ? c : x.Run.CompareTo(y.Run);
            }));
            for (int i = 0; i < readers.Length; i++)
            {
                if (readers[i].Read() is { } row) _heads.Enqueue(i, (row, i));
            }
        }

        /// <summary>The record the merge is on.</summary>
        public byte[] Current { get; private set; } = [];

        /// <summary>Moves to the next record in order; false when every run is read.</summary>
        public bool MoveNext()
        {
            if (!_heads.TryDequeue(out int run, out (byte[] Row, int Run) head)) return false;
            Current = head.Row;
            if (_readers[run].Read() is { } next) _heads.Enqueue(run, (next, run));
            return true;
        }
    }
}
