// The storage engine's hostile-input acceptance test. Small valid databases, written by
// Tern through its own API and by SQLite through the in-process oracle, are damaged with
// seeded random mutations (flipped bytes, bytes or whole fields set to 0x00, 0xFF or a
// boundary value, truncations, duplicated or swapped pages; half of the bytes hit are in
// headers, cell pointers, cell sizes, overflow and freelist pointers, pointer maps), and
// every damaged file goes through a read workload (schema, integrity check, walks both
// ways, counts, seeks with every operator, record decoding) and a write workload (inserts
// with overflow, deletes while iterating, new trees, a dropped tree, commit or rollback,
// then reading everything again). A step may fail only with a TernException, which ends
// that phase of the case; any other exception, a case running past its time limit (a
// hang), or a case allocating far more than the file could justify fails the test,
// naming the seed database, the case number and the mutation. TERN_FUZZ_CASES sets the
// total number of cases (default 5000, shared among the seed databases);
// TERN_FUZZ_CASE=<seed database>:<case> runs that one case alone.
using System.Collections.Concurrent;
using System.Text;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Storage.BTree;

public class HostileInputTests(ITestOutputHelper output)
{
    private const string DbPath = "hostile.db";
    private static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(10);
    // The seeds are tens of KB; a case that allocates this much has sized something by a corrupt value.
    private const long CaseAllocationLimit = 64L << 20;
    // Bounds on the workload's own loops (a corrupt tree may legitimately hold more entries than it should).
    private const int MaxWalkSteps = 20_000;
    private const int MaxDeleteSteps = 1_000;

    private static int TotalCases =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_FUZZ_CASES"), out int n) && n > 0 ? n : 5000;

    private static readonly string[] SeedNames =
    [
        "tern-512", "tern-1024", "tern-1024-autovacuum-incremental", "sqlite-512", "sqlite-1024-autovacuum-full",
    ];

    private static readonly ConcurrentDictionary<string, byte[]> Seeds = new();

    public static IEnumerable<object[]> SeedDatabases() => SeedNames.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(SeedDatabases))]
    public async Task Damaged_file_gives_only_TernException_when_read_and_written(string seedName)
    {
        byte[] seed = Seeds.GetOrAdd(seedName, BuildSeed);
        int seedIndex = Array.IndexOf(SeedNames, seedName);
        int cases = Math.Max(1, TotalCases / SeedNames.Length);
        int[] interesting = InterestingOffsets(seed);

        // The unmutated seed must be valid, or the test proves nothing.
        Outcome baseline = RunCase(seed, 0);
        Assert.True(baseline.Failure == null, baseline.Failure);
        Assert.True(baseline.ReadClean && baseline.WriteClean, $"{seedName} does not read and write cleanly: {baseline.FirstError}");
        Assert.Empty(baseline.IntegrityErrors);

        var failures = new List<string>();
        int run = 0, rejected = 0, clean = 0, writeRejected = 0, writeClean = 0;
        long maxAllocated = 0;
        var codes = new SortedDictionary<string, int>();
        string? only = Environment.GetEnvironmentVariable("TERN_FUZZ_CASE");
        for (int i = 0; i < cases && failures.Count < 10; i++)
        {
            if (only != null && only != $"{seedName}:{i}") continue;
            run++;
            int caseSeed = seedIndex * 1_000_003 + i;
            var rng = new Random(caseSeed);
            byte[] image = (byte[])seed.Clone();
            string mutation = Mutate(rng, ref image, interesting);
            Outcome o;
            try
            {
                o = await Task.Run(() => RunCase(image, caseSeed)).WaitAsync(CaseTimeLimit);
            }
            catch (TimeoutException)
            {
                failures.Add($"{seedName} case {i} (seed {caseSeed}), {mutation}: no result after {CaseTimeLimit.TotalSeconds} s (hang)");
                break;   // the stuck case cannot be stopped; running on would only slow everything down
            }
            if (o.Failure != null)
            {
                failures.Add($"{seedName} case {i} (seed {caseSeed}), {mutation}: {o.Failure}");
                continue;
            }
            if (o.ReadClean) clean++; else rejected++;
            if (o.WriteClean) writeClean++; else writeRejected++;
            maxAllocated = Math.Max(maxAllocated, o.Allocated);
            foreach (string code in o.Codes) codes[code] = codes.GetValueOrDefault(code) + 1;
        }
        output.WriteLine($"{seedName} ({seed.Length} bytes): {run} cases, {rejected} rejected with TernException, {clean} read cleanly");
        output.WriteLine($"  write phase: {writeRejected} rejected with TernException, {writeClean} committed or rolled back cleanly");
        output.WriteLine("  result codes: " + string.Join(", ", codes.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine($"  most allocated by one case: {maxAllocated >> 10} KB");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Replacing_a_row_whose_overflow_chain_leads_into_its_own_leaf_is_corrupt()
    {
        // Freeing the "overflow page" would put the leaf the cursor stands on into the freelist
        // (as a trunk's leaf, since there is a freelist) while it stays in the tree, to be
        // handed out again later: the page is in use, so the file is corrupt.
        var fs = new MemoryFileSystem();
        uint root;
        using (var bt = Tern.Storage.BTree.BTree.Open(fs, DbPath, new PagerOptions { PageSize = 1024 }))
        {
            bt.BeginWrite();
            uint dropped = bt.CreateTable();
            using (var c = new BTreeCursor(bt, dropped, table: true))
            {
                for (int i = 0; i < 40; i++) c.Insert(i, new byte[300]);
            }
            root = bt.CreateTable();
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                c.Insert(1, new byte[10]);
                c.Insert(2, new byte[1500]);
            }
            bt.DropTree(dropped);
            bt.Commit();
            bt.BeginRead();
            Page leaf = bt.GetNodePage(root, table: true);
            var node = new Node(leaf);
            CellInfo cell = bt.ParseCellAt(node, 1);
            Assert.NotEqual(0u, cell.Overflow);
            int pointer = (int)(root - 1) * 1024 + cell.PayloadOffset + cell.Local;
            bt.Pager.Release(leaf);
            bt.EndRead();
            byte[] image = fs.GetContent(DbPath);
            image[pointer + 3] = (byte)root;
            fs.SetContent(DbPath, image);
        }
        using (var bt = Tern.Storage.BTree.BTree.Open(fs, DbPath))
        {
            bt.BeginWrite();
            using var c = new BTreeCursor(bt, root, table: true);
            var e = Assert.Throws<TernException>(() => c.Insert(2, new byte[20]));
            Assert.Equal(ResultCode.Corrupt, e.Code);
        }
    }

    // ------------------------------------------------------------------ one case

    private sealed class Outcome
    {
        public bool ReadClean;
        public bool WriteClean;
        public string? Failure;
        public string? FirstError;
        public List<string> IntegrityErrors = [];
        public List<string> Codes = [];
        public long Allocated;
    }

    /// <summary>Runs the read workload, then the write workload, on a database image; never throws.</summary>
    private static Outcome RunCase(byte[] image, int caseSeed)
    {
        var o = new Outcome();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        string phase = "read";
        try
        {
            var fs = new MemoryFileSystem();
            fs.SetContent(DbPath, image);
            try
            {
                using Tern.Storage.BTree.BTree bt = OpenDatabase(fs);
                o.IntegrityErrors = ReadWorkload(bt);
                o.ReadClean = true;
            }
            catch (TernException e)
            {
                o.Codes.Add(e.ExtendedCode.ToString());
                o.FirstError = e.Message;
            }
            CheckAllocation(allocatedBefore, phase);

            phase = "write";
            fs = new MemoryFileSystem();
            fs.SetContent(DbPath, image);
            try
            {
                using Tern.Storage.BTree.BTree bt = OpenDatabase(fs);
                WriteWorkload(bt, new Random(caseSeed));
                o.WriteClean = true;
            }
            catch (TernException e)
            {
                o.Codes.Add(e.ExtendedCode.ToString());
                o.FirstError ??= e.Message;
            }
            o.Allocated = CheckAllocation(allocatedBefore, phase);
        }
        catch (Exception e)
        {
            o.Failure = $"{phase} phase: {e}";
        }
        return o;
    }

    /// <summary>Bytes this thread allocated since <paramref name="before"/>; throws past the limit.</summary>
    private static long CheckAllocation(long before, string phase)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > CaseAllocationLimit)
            throw new InvalidOperationException($"the case allocated {allocated >> 20} MB by the end of the {phase} phase");
        return allocated;
    }

    private static Tern.Storage.BTree.BTree OpenDatabase(MemoryFileSystem fs) =>
        Tern.Storage.BTree.BTree.Open(fs, DbPath, new PagerOptions { PageSize = 1024, CacheSize = 200 });

    /// <summary>Reads everything there is to read; returns the integrity check's findings.</summary>
    private static List<string> ReadWorkload(Tern.Storage.BTree.BTree bt)
    {
        SchemaTable.Read(bt);
        List<(uint Root, bool IsTable)> roots = SchemaTable.Roots(bt);
        List<string> errors = new IntegrityChecker(bt).Check(roots);
        bt.BeginRead();
        try
        {
            foreach ((uint root, bool isTable) in roots)
            {
                using var c = new BTreeCursor(bt, root, isTable);
                if (isTable) ReadTable(c);
                else ReadIndex(c);
            }
        }
        finally
        {
            bt.EndRead();
        }
        return errors;
    }

    private static void ReadTable(BTreeCursor c)
    {
        var keys = new List<long> { long.MinValue, -1, 0, 1, 2, 1000, long.MaxValue };
        int steps = 0;
        for (bool ok = c.First(); ok && steps < MaxWalkSteps; ok = c.Next(), steps++)
        {
            long rowId = c.RowId;
            if (steps % 7 == 0 && keys.Count < 40) keys.Add(rowId);
            RecordReader.Decode(c.Payload);
        }
        steps = 0;
        for (bool ok = c.Last(); ok && steps < MaxWalkSteps; ok = c.Prev(), steps++)
        {
            _ = c.RowId;
            _ = c.PayloadSize;
            RecordReader.Decode(c.Payload);
        }
        c.Count();
        foreach (long key in keys)
        {
            foreach (SeekOp op in Enum.GetValues<SeekOp>())
            {
                if (c.Seek(key, op))
                {
                    _ = c.RowId;
                    RecordReader.Decode(c.Payload);
                    if (c.Next()) _ = c.RowId;
                }
            }
            if (c.SeekRowId(key)) _ = c.Payload.Length;
        }
    }

    private static void ReadIndex(BTreeCursor c)
    {
        var keys = new List<byte[]>
        {
            RecordEncoder.Encode([Value.Null]),
            RecordEncoder.Encode([Value.FromInteger(0)]),
            RecordEncoder.Encode([Value.FromText("m")]),
            RecordEncoder.Encode([Value.FromBlob([1, 2, 3])]),
        };
        int steps = 0;
        for (bool ok = c.First(); ok && steps < MaxWalkSteps; ok = c.Next(), steps++)
        {
            ReadOnlySpan<byte> payload = c.Payload;
            RecordReader.Decode(payload);
            if (steps % 5 == 0 && keys.Count < 30) keys.Add(payload.ToArray());
        }
        steps = 0;
        for (bool ok = c.Last(); ok && steps < MaxWalkSteps; ok = c.Prev(), steps++)
        {
            RecordReader.Decode(c.Payload);
        }
        c.Count();
        foreach (byte[] key in keys)
        {
            Value[] values = RecordReader.Decode(key);
            foreach (SeekOp op in Enum.GetValues<SeekOp>())
            {
                if (c.Seek(key, op)) RecordReader.Decode(c.Payload);
                if (values.Length > 0 && c.Seek(values.AsSpan(0, 1), op))
                {
                    RecordReader.Decode(c.Payload);
                    if (c.Prev()) RecordReader.Decode(c.Payload);
                }
            }
            if (c.MoveTo(key) is int r && !c.IsEof) _ = c.PayloadSize + r;
        }
    }

    /// <summary>
    /// Changes the trees in every way the b-tree supports, in a random order (so that deletes
    /// sometimes meet the damage before inserts do) and with a cursor open on some tree stepping
    /// along between the changes, then commits or rolls back and reads it all again.
    /// </summary>
    private static void WriteWorkload(Tern.Storage.BTree.BTree bt, Random rng)
    {
        bt.BeginWrite();
        int pageSize = bt.Pager.PageSize;
        List<(uint Root, bool IsTable)> roots = SchemaTable.Roots(bt);
        uint table = PickRoot(rng, roots, isTable: true);
        uint index = PickRoot(rng, roots, isTable: false);
        uint newTable = 0, newIndex = 0;
        Action[] steps =
        [
            () => InsertRows(bt, table, isTable: true, rng, pageSize),
            () => DeleteWhileIterating(bt, table, isTable: true, rng),
            () => InsertRows(bt, index, isTable: false, rng, pageSize),
            () => DeleteWhileIterating(bt, index, isTable: false, rng),
            () =>
            {
                newTable = bt.CreateTable();
                newIndex = bt.CreateIndex();
                InsertRows(bt, newTable, isTable: true, rng, pageSize);
                InsertRows(bt, newIndex, isTable: false, rng, pageSize);
                SchemaTable.Insert(bt, "table", "fuzz_t", "fuzz_t", newTable, "CREATE TABLE fuzz_t(a, b)");
                SchemaTable.Insert(bt, "index", "fuzz_i", "fuzz_t", newIndex, "CREATE INDEX fuzz_i ON fuzz_t(a)");
            },
        ];
        rng.Shuffle(steps);
        (uint readerRoot, bool readerIsTable) = roots[rng.Next(roots.Count)];
        using (var reader = new BTreeCursor(bt, readerRoot, readerIsTable))
        {
            reader.First();
            foreach (Action step in steps)
            {
                step();
                if (reader.Next()) _ = reader.Payload.Length;
            }
        }
        // Drop an existing tree with its schema row (its pages go to the freelist), or the index
        // just made. In an auto-vacuum file only the largest root can go: Tern does not yet move
        // the last root into a dropped root's place, so FULL auto-vacuum could not commit.
        uint drop = bt.AutoVacuum ? newIndex
            : rng.Next(2) == 0 && index > 1 ? index : rng.Next(2) == 0 && table > 1 ? table : newIndex;
        DropTreeAndSchemaRows(bt, drop);
        if (rng.Next(4) == 0) bt.Rollback();
        else bt.Commit();
        ReadWorkload(bt);
    }

    /// <summary>Inserts rows into a table tree (random and appended rowids) or records into an index tree.</summary>
    private static void InsertRows(Tern.Storage.BTree.BTree bt, uint root, bool isTable, Random rng, int pageSize)
    {
        if (root == 0) return;
        using var c = new BTreeCursor(bt, root, isTable);
        for (int i = 0; i < 25; i++)
        {
            if (isTable)
            {
                long rowId = rng.Next(3) == 0 ? (c.Last() ? c.RowId + 1 : 1) : rng.Next(-5, 500);
                c.Insert(rowId, RandomRecord(rng, pageSize, rowId));
            }
            else
            {
                c.Insert(RandomRecord(rng, pageSize, rng.Next(1, 1000)));
            }
        }
    }

    private static void DropTreeAndSchemaRows(Tern.Storage.BTree.BTree bt, uint root)
    {
        using (var c = new BTreeCursor(bt, 1, table: true))
        {
            int steps = 0;
            for (bool ok = c.First(); ok && steps < MaxDeleteSteps; ok = c.Next(), steps++)
            {
                Value[] row = RecordReader.Decode(c.Payload);
                if (row.Length >= 4 && row[3].Kind == ValueKind.Integer && row[3].AsInteger == root) c.Delete();
            }
        }
        bt.DropTree(root);
    }

    private static uint PickRoot(Random rng, List<(uint Root, bool IsTable)> roots, bool isTable)
    {
        uint[] candidates = roots.Where(r => r.IsTable == isTable && r.Root > 1).Select(r => r.Root).ToArray();
        return candidates.Length == 0 ? 0 : candidates[rng.Next(candidates.Length)];
    }

    private static void DeleteWhileIterating(Tern.Storage.BTree.BTree bt, uint root, bool isTable, Random rng)
    {
        if (root == 0) return;
        using var c = new BTreeCursor(bt, root, isTable);
        int steps = 0;
        for (bool ok = c.First(); ok && steps < MaxDeleteSteps; ok = c.Next(), steps++)
        {
            if (rng.Next(3) == 0) c.Delete();
        }
    }

    /// <summary>A two-column record ending in a rowid; now and then long enough to overflow.</summary>
    private static byte[] RandomRecord(Random rng, int pageSize, long rowId)
    {
        Value first = rng.Next(6) switch
        {
            0 => Value.Null,
            1 => Value.FromInteger(rng.Next(-100, 100)),
            2 => Value.FromText(new string((char)('a' + rng.Next(26)), rng.Next(0, 40))),
            3 => Value.FromText(new string((char)('a' + rng.Next(26)), rng.Next(pageSize / 2, pageSize * 3))),
            4 => Value.FromBlob(RandomBytes(rng, rng.Next(0, 60))),
            _ => Value.FromBlob(RandomBytes(rng, rng.Next(pageSize, pageSize * 4))),
        };
        return RecordEncoder.Encode([first, Value.FromInteger(rowId)]);
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var b = new byte[length];
        rng.NextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ mutations

    /// <summary>Applies one to three random mutations to the image and describes them.</summary>
    private static string Mutate(Random rng, ref byte[] image, int[] interesting)
    {
        int pageSize = PageSizeOf(image);
        int rounds = rng.Next(8) == 0 ? rng.Next(2, 4) : 1;
        var what = new StringBuilder();
        for (int r = 0; r < rounds; r++)
        {
            if (r > 0) what.Append("; then ");
            int kind = rng.Next(12);
            if (image.Length == 0) kind = 0;
            switch (kind)
            {
                case <= 3:
                {
                    int count = rng.Next(2) == 0 ? rng.Next(1, 4) : rng.Next(1, 21);
                    what.Append($"flip {count} byte(s) at");
                    for (int i = 0; i < count && image.Length > 0; i++)
                    {
                        int at = PickOffset(rng, image, interesting);
                        byte mask = (byte)rng.Next(1, 256);
                        image[at] ^= mask;
                        what.Append($" {at}^{mask:x2}");
                    }
                    break;
                }
                case <= 5:
                {
                    int count = rng.Next(2) == 0 ? 1 : rng.Next(1, 9);
                    byte value = rng.Next(2) == 0 ? (byte)0x00 : (byte)0xFF;
                    what.Append($"set {count} field(s) to {value:x2} at");
                    for (int i = 0; i < count && image.Length > 0; i++)
                    {
                        int at = PickOffset(rng, image, interesting);
                        int width = rng.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
                        for (int b = 0; b < width && at + b < image.Length; b++) image[at + b] = value;
                        what.Append($" {at}+{width}");
                    }
                    break;
                }
                case <= 7:
                {
                    int count = rng.Next(1, 4);
                    what.Append($"set {count} field(s) to boundary values:");
                    for (int i = 0; i < count && image.Length > 0; i++)
                    {
                        int at = PickOffset(rng, image, interesting);
                        int width = rng.Next(3) switch { 0 => 1, 1 => 2, _ => 4 };
                        uint value = BoundaryValue(rng, width, pageSize, image.Length / pageSize);
                        for (int b = 0; b < width && at + b < image.Length; b++) image[at + b] = (byte)(value >> (8 * (width - 1 - b)));
                        what.Append($" {at}+{width}={value}");
                    }
                    break;
                }
                case 8:
                {
                    int pages = image.Length / pageSize;
                    int length = rng.Next(3) switch
                    {
                        0 => rng.Next(0, image.Length),
                        1 => pageSize * rng.Next(0, Math.Max(pages, 1)),
                        _ => Math.Clamp(pageSize * rng.Next(1, Math.Max(pages, 2)) + rng.Next(-pageSize + 1, pageSize), 0, image.Length),
                    };
                    Array.Resize(ref image, length);
                    what.Append($"truncate to {length} bytes");
                    break;
                }
                default:
                {
                    int pages = image.Length / pageSize;
                    if (pages < 2)
                    {
                        what.Append("no page operation (too few pages)");
                        break;
                    }
                    int a = rng.Next(pages), b = rng.Next(pages - 1);
                    if (b >= a) b++;
                    if (kind == 9 || (kind == 11 && rng.Next(2) == 0))
                    {
                        Array.Copy(image, a * pageSize, image, b * pageSize, pageSize);
                        what.Append($"copy page {a + 1} over page {b + 1}");
                    }
                    else
                    {
                        byte[] tmp = image.AsSpan(a * pageSize, pageSize).ToArray();
                        Array.Copy(image, b * pageSize, image, a * pageSize, pageSize);
                        tmp.CopyTo(image, b * pageSize);
                        what.Append($"swap pages {a + 1} and {b + 1}");
                    }
                    break;
                }
            }
        }
        return what.ToString();
    }

    /// <summary>
    /// A value that sits on a boundary for a field of <paramref name="width"/> bytes (a count,
    /// an offset within the page, a page number, a size): small numbers, the page size and usable
    /// size and their neighbours, the page count and its neighbours, the largest values.
    /// </summary>
    private static uint BoundaryValue(Random rng, int width, int pageSize, int pageCount)
    {
        uint[] candidates = width switch
        {
            1 => [0, 1, 2, 3, 4, 5, 8, 10, 12, 13, 60, 64, 0x7F, 0x80, 0xFE, 0xFF],
            2 => [0, 1, 2, 3, 4, 8, 12, 100, 101, 108, (uint)pageSize - 4, (uint)pageSize - 1, (uint)pageSize,
                  (uint)pageSize + 1, (uint)rng.Next(0, pageSize), 0x7FFF, 0x8000, 0xFFFF],
            _ => [0, 1, 2, 3, (uint)pageCount - 1, (uint)pageCount, (uint)pageCount + 1, (uint)rng.Next(1, pageCount + 1),
                  (uint)rng.Next(1, pageCount + 1), 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF],
        };
        return candidates[rng.Next(candidates.Length)];
    }

    /// <summary>Half the time a byte the structure depends on, half the time any byte.</summary>
    private static int PickOffset(Random rng, byte[] image, int[] interesting)
    {
        if (rng.Next(2) == 0)
        {
            int at = interesting[rng.Next(interesting.Length)];
            if (at < image.Length) return at;
        }
        return rng.Next(image.Length);
    }

    private static int PageSizeOf(byte[] db)
    {
        int raw = (db[16] << 8) | db[17];
        return raw == 1 ? 65536 : raw;
    }

    /// <summary>
    /// Offsets of the bytes structure hangs on in a valid image: the database header, every
    /// b-tree page header, cell pointer array and cell's first bytes (sizes, child pointers),
    /// the freelist trunk pages' counts and entries, and the pointer-map pages.
    /// </summary>
    private static int[] InterestingOffsets(byte[] db)
    {
        int pageSize = PageSizeOf(db);
        int usable = pageSize - db[20];
        int pageCount = db.Length / pageSize;
        var set = new SortedSet<int>(Enumerable.Range(0, 100));
        for (int p = 1; p <= pageCount; p++)
        {
            int start = (p - 1) * pageSize;
            int hdr = start + (p == 1 ? 100 : 0);
            byte flags = db[hdr];
            if (flags is not (2 or 5 or 10 or 13)) continue;
            int headerSize = (flags & 8) != 0 ? 8 : 12;
            for (int i = 0; i < headerSize; i++) set.Add(hdr + i);
            int nCell = (db[hdr + 3] << 8) | db[hdr + 4];
            for (int i = 0; i < nCell; i++)
            {
                int ptr = hdr + headerSize + 2 * i;
                set.Add(ptr);
                set.Add(ptr + 1);
                int cell = start + ((db[ptr] << 8) | db[ptr + 1]);
                for (int b = 0; b < 6 && cell + b < start + usable; b++) set.Add(cell + b);
                AddOverflowPointers(db, set, flags, cell, pageSize, usable);
            }
        }
        uint trunk = ReadUInt32(db, 32);
        for (int guard = 0; trunk != 0 && trunk <= pageCount && guard < pageCount; guard++)
        {
            int start = (int)(trunk - 1) * pageSize;
            uint leaves = Math.Min(ReadUInt32(db, start + 4), (uint)(usable / 4 - 2));
            for (int i = 0; i < 8 + 4 * leaves; i++) set.Add(start + i);
            trunk = ReadUInt32(db, start);
        }
        if (ReadUInt32(db, 52) != 0)
        {
            int perMap = usable / 5 + 1;
            for (int map = 2; map <= pageCount; map += perMap)
            {
                int start = (map - 1) * pageSize;
                for (int i = 0; i < usable; i++) set.Add(start + i);
            }
        }
        return set.ToArray();
    }

    /// <summary>Adds the overflow pointer of a cell that spills, and the next-page pointers of its chain.</summary>
    private static void AddOverflowPointers(byte[] db, SortedSet<int> set, byte flags, int cell, int pageSize, int usable)
    {
        if (flags == 5) return;
        int p = cell + (flags == 2 ? 4 : 0);
        p += Varint.Read(db.AsSpan(p), out ulong size);
        if (flags == 13) p += Varint.Read(db.AsSpan(p), out _);
        int max = flags == 13 ? usable - 35 : (usable - 12) * 64 / 255 - 23;
        int min = (usable - 12) * 32 / 255 - 23;
        if ((long)size <= max) return;
        int surplus = min + (int)(((long)size - min) % (usable - 4));
        int local = surplus <= max ? surplus : min;
        int at = p + local;
        for (int i = 0; i < 4; i++) set.Add(at + i);
        uint next = ReadUInt32(db, at);
        for (int guard = 0; next != 0 && next <= db.Length / pageSize && guard < 1000; guard++)
        {
            int start = (int)(next - 1) * pageSize;
            for (int i = 0; i < 4; i++) set.Add(start + i);
            next = ReadUInt32(db, start);
        }
    }

    private static uint ReadUInt32(byte[] d, int at) =>
        (uint)(d[at] << 24 | d[at + 1] << 16 | d[at + 2] << 8 | d[at + 3]);

    // ------------------------------------------------------------------ seed databases

    private static byte[] BuildSeed(string name) => name switch
    {
        "tern-512" => TernSeed(512, autoVacuum: false, rows: 160),
        "tern-1024" => TernSeed(1024, autoVacuum: false, rows: 260),
        "tern-1024-autovacuum-incremental" => TernSeed(1024, autoVacuum: true, rows: 200),
        "sqlite-512" => SqliteSeed(
            "PRAGMA page_size=512; CREATE TABLE t(a INTEGER, b TEXT, c BLOB); CREATE INDEX tb ON t(b); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<240) " +
            "INSERT INTO t SELECT x, printf('row-%d-%.*c', x, x % 50, char(97 + x % 26)), " +
            "CASE WHEN x % 20 = 0 THEN CAST(printf('%.*c', 1500, char(65 + x % 26)) AS BLOB) END FROM s; " +
            "CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID; " +
            "INSERT INTO w SELECT 'key' || a, a * 2.5 FROM t WHERE a % 4 = 0; " +
            "DELETE FROM t WHERE a % 3 = 0;"),
        "sqlite-1024-autovacuum-full" => SqliteSeed(
            "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB); " +
            "CREATE INDEX tb ON t(b, a); " +
            "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<300) " +
            "INSERT INTO t SELECT x, printf('%08d', x * 7919 % 30011), " +
            "CASE WHEN x % 25 = 0 THEN CAST(printf('%.*c', 3000, char(65 + x % 26)) AS BLOB) END FROM s; " +
            "CREATE TABLE u(x); INSERT INTO u VALUES (1), (2.5), ('three'), (x'04'); " +
            "DELETE FROM t WHERE a % 4 = 0;"),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A database written by Tern: a table with an index, overflow rows in both, deletes that fill the freelist.</summary>
    private static byte[] TernSeed(int pageSize, bool autoVacuum, int rows)
    {
        var fs = new MemoryFileSystem();
        // Auto-vacuum is INCREMENTAL so that the freelist survives the commits.
        using (var bt = Tern.Storage.BTree.BTree.Open(fs, DbPath, new PagerOptions { PageSize = pageSize }, autoVacuum, incrementalVacuum: autoVacuum))
        {
            var rng = new Random(pageSize + (autoVacuum ? 1 : 0));
            bt.BeginWrite();
            uint t = bt.CreateTable();
            uint i = bt.CreateIndex();
            uint u = bt.CreateTable();
            SchemaTable.Insert(bt, "table", "t", "t", t, "CREATE TABLE t(a, b)");
            SchemaTable.Insert(bt, "index", "ti", "t", i, "CREATE INDEX ti ON t(a)");
            SchemaTable.Insert(bt, "table", "u", "u", u, "CREATE TABLE u(x)");
            var keys = new Dictionary<long, Value>();
            using (var tc = new BTreeCursor(bt, t, table: true))
            using (var ic = new BTreeCursor(bt, i, table: false))
            {
                for (long r = 1; r <= rows; r++)
                {
                    Value a = (r % 4) switch
                    {
                        0 => Value.FromInteger(rng.Next(-1000, 1000)),
                        1 => Value.FromText(new string((char)('a' + r % 26), r % 15 == 0 ? pageSize / 2 : (int)(r % 20))),
                        2 => Value.FromReal(r / 3.0),
                        _ => Value.Null,
                    };
                    Value b = Value.FromBlob(RandomBytes(rng, r % 12 == 0 ? pageSize * 2 + (int)r : rng.Next(0, 40)));
                    tc.Insert(r, RecordEncoder.Encode([a, b]));
                    ic.Insert(RecordEncoder.Encode([a, Value.FromInteger(r)]));
                    keys[r] = a;
                }
            }
            using (var uc = new BTreeCursor(bt, u, table: true))
            {
                for (long r = 1; r <= 20; r++) uc.Insert(r * 10, RecordEncoder.Encode([Value.FromInteger(r)]));
            }
            bt.Commit();

            bt.BeginWrite();
            using (var tc = new BTreeCursor(bt, t, table: true))
            using (var ic = new BTreeCursor(bt, i, table: false))
            {
                foreach (long r in keys.Keys.Where(r => r % 3 == 0))
                {
                    Assert.True(tc.SeekRowId(r));
                    tc.Delete();
                    Assert.True(ic.Seek(RecordEncoder.Encode([keys[r], Value.FromInteger(r)]), SeekOp.GE));
                    ic.Delete();
                }
            }
            bt.Commit();
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
            Assert.NotEqual(0u, bt.FreelistCount);
        }
        return fs.GetContent(DbPath);
    }

    /// <summary>A database written by SQLite 3.50.4 (the in-process oracle) from a script.</summary>
    private static byte[] SqliteSeed(string script)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("seed.db");
        using (var c = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(c, script);
            Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
        }
        return File.ReadAllBytes(path);
    }
}
