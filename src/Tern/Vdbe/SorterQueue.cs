// A sorter used as a queue: the rows a recursive common table expression still has to
// visit. Rows are added and taken out one at a time, interleaved. Without key fields it is
// a FIFO (rows come out in the order they went in); with key fields (the ORDER BY of the
// recursive SELECT) it is a priority queue: the row taken next is the smallest by the key
// fields, and of rows with equal keys the one added first.
//
// Rows are held in memory until their size passes the sort memory limit; then every row in
// memory is written, in the order it would come out, as one run of the sorter's temporary
// file (SorterSpill's format) and memory starts empty again. The rows of one run were all
// added after those of every earlier run, and the rows in memory after those of every run,
// so "added first" among equal keys is "earlier run first, memory last":
//
//   FIFO:      [run 0 unread tail] [run 1] ... [run k]  [memory queue]   <- next from the left
//   priority:  min over { head of each run (a heap of heads), top of the memory heap }
//              ties: the lower run index, memory last; within memory, by arrival number
//
// Runs are read through their own small buffers while later runs are still being appended
// to the file; the space of runs already read is not reclaimed until the queue closes.
//
// The VM drives it as SQLite drives its queue table: Rewind (is there a next row? make it
// current), Column/SorterData (read it), Delete (take it out), SorterInsert (add a row).
using System.Diagnostics;
using Tern.Storage.Io;
using Tern.Storage.Record;

namespace Tern.Vdbe;

/// <summary>A FIFO or priority queue of records that spills to a temporary file past its memory limit.</summary>
internal sealed class SorterQueue : IDisposable
{
    private readonly KeyInfo? _keyInfo;
    private readonly int _keys;
    private readonly long _spillLimit;
    private readonly TempFiles? _temp;
    private long _memoryBytes;
    private long _arrivals;

    // FIFO: rows in memory, and the runs not yet read through (each with its next record).
    private readonly Queue<byte[]> _fifo = new();
    private readonly List<(SorterSpill.RunReader Reader, byte[]? Head)> _fifoRuns = [];
    private int _fifoRun;

    // Priority: rows in memory by (key, arrival), and the heads of the runs by (key, run).
    private readonly PriorityQueue<byte[], (byte[] Row, long Arrival)>? _heap;
    private readonly PriorityQueue<int, (byte[] Row, int Run)>? _runHeads;
    private readonly List<SorterSpill.RunReader> _runs = [];

    private SorterSpill? _spill;

    /// <param name="keyInfo">The key fields' orders and collations; no key fields makes a FIFO.</param>
    /// <param name="spillLimit">Bytes of rows kept in memory before they are written to a run (0 or less: never).</param>
    /// <param name="temp">Where the run file goes.</param>
    public SorterQueue(KeyInfo? keyInfo, long spillLimit, TempFiles? temp)
    {
        _keyInfo = keyInfo;
        _keys = keyInfo?.FieldCount ?? 0;
        _spillLimit = temp == null ? 0 : spillLimit;
        _temp = temp;
        if (_keys > 0)
        {
            KeyInfo info = keyInfo!;
            int keys = _keys;
            _heap = new PriorityQueue<byte[], (byte[] Row, long Arrival)>(Comparer<(byte[] Row, long Arrival)>.Create((x, y) =>
            {
                int c = RecordComparer.Compare(x.Row, y.Row, info, keys);
                return c != 0 ? c : x.Arrival.CompareTo(y.Arrival);
            }));
            _runHeads = new PriorityQueue<int, (byte[] Row, int Run)>(Comparer<(byte[] Row, int Run)>.Create((x, y) =>
            {
                int c = RecordComparer.Compare(x.Row, y.Row, info, keys);
                return c != 0 ? c : x.Run.CompareTo(y.Run);
            }));
        }
    }

    /// <summary>The row <see cref="First"/> found (empty before that).</summary>
    public byte[] Current { get; private set; } = [];

    /// <summary>Whether some rows went to the temporary file.</summary>
    public bool Spilled => _spill != null;

    /// <summary>Adds a row.</summary>
    public void Add(byte[] record)
    {
        if (_heap != null) _heap.Enqueue(record, (record, _arrivals++));
        else _fifo.Enqueue(record);
        _memoryBytes += record.Length + 32;
        if (_spillLimit > 0 && _memoryBytes > _spillLimit) SpillMemory();
    }

    /// <summary>Makes the row that comes out next current; false when the queue is empty.</summary>
    public bool First()
    {
        if (!Peek(out byte[]? row, out _)) return false;
        Current = row!;
        return true;
    }

    /// <summary>Takes out the row that comes out next (the one <see cref="First"/> made current).</summary>
    public void RemoveFirst()
    {
        if (!Peek(out byte[]? row, out int from)) return;
        if (from < 0)
        {
            if (_heap != null) _heap.Dequeue();
            else _fifo.Dequeue();
            _memoryBytes -= row!.Length + 32;
            Debug.Assert(_memoryBytes >= 0);
            return;
        }
        if (_runHeads != null)
        {
            _runHeads.Dequeue();
            if (_runs[from].Read() is { } next) _runHeads.Enqueue(from, (next, from));
        }
        else
        {
            Debug.Assert(from == _fifoRun);
            byte[]? next = _fifoRuns[from].Reader.Read();
            _fifoRuns[from] = (_fifoRuns[from].Reader, next);
            if (next == null) _fifoRun++;
        }
    }

    /// <summary>The row that comes out next and where it is: -1 memory, else its run.</summary>
    private bool Peek(out byte[]? row, out int from)
    {
        if (_heap != null)
        {
            bool inMemory = _heap.TryPeek(out byte[]? mem, out _);
            bool inRun = _runHeads!.TryPeek(out int run, out (byte[] Row, int Run) head);
            if (inRun && (!inMemory || RecordComparer.Compare(head.Row, mem!, _keyInfo, _keys) <= 0))
            {
                row = head.Row;
                from = run;
                return true;
            }
            row = mem;
            from = -1;
            return inMemory;
        }
        while (_fifoRun < _fifoRuns.Count && _fifoRuns[_fifoRun].Head == null) _fifoRun++;
        if (_fifoRun < _fifoRuns.Count)
        {
            row = _fifoRuns[_fifoRun].Head;
            from = _fifoRun;
            return true;
        }
        from = -1;
        return _fifo.TryPeek(out row);
    }

    /// <summary>Writes every row in memory, in the order it comes out, as one run.</summary>
    private void SpillMemory()
    {
        var rows = new List<byte[]>(_heap?.Count ?? _fifo.Count);
        if (_heap != null)
        {
            while (_heap.TryDequeue(out byte[]? r, out _)) rows.Add(r);
        }
        else
        {
            while (_fifo.TryDequeue(out byte[]? r)) rows.Add(r);
        }
        _memoryBytes = 0;
        if (rows.Count == 0) return;
        _spill ??= new SorterSpill(_temp!);
        _spill.WriteRun(rows);
        SorterSpill.RunReader reader = _spill.OpenRun(_spill.RunCount - 1);
        byte[]? head = reader.Read();
        Debug.Assert(head != null);
        if (_runHeads != null)
        {
            _runs.Add(reader);
            _runHeads.Enqueue(_runs.Count - 1, (head!, _runs.Count - 1));
        }
        else _fifoRuns.Add((reader, head));
    }

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
        _fifo.Clear();
        _heap?.Clear();
        _runHeads?.Clear();
    }
}
