// Hostile database files through the whole open path: Database.Open, the schema loader, the
// compiler and the VM. A few valid files with a realistic schema (tables with rowid aliases,
// text keys, automatic, partial and expression indexes, a view, a trigger, overflow rows, a
// freelist; auto-vacuum FULL and INCREMENTAL), written by Tern and by SQLite 3.50.4, are
// damaged with seeded mutations:
//
//   bytes    random bytes, bit flips in page headers and cell pointer arrays
//   pages    two pages swapped, a page copied over another, the file truncated
//   header   a database header field set to a boundary or random value
//   chains   a freelist trunk's next pointer, count or leaf entries; a pointer-map entry;
//            an interior page's right child (cycles: itself, its root, any page)
//   schema   sqlite_schema rewritten (through SQLite's writable_schema): malformed SQL,
//            wrong, zero, huge, negative, duplicate or foreign root pages, wrong column
//            types, orphan indexes, duplicate rows, mismatched names
//
// and every damaged file runs a fixed list of statements (reads of every table, indexed
// lookups, the view, writes that fire the trigger, CREATE INDEX, integrity_check, DROP
// TABLE). A statement may fail only with a TernException whose code a damaged file
// explains: SQLITE_CORRUPT (any extended code), SQLITE_NOTADB, SQLITE_CONSTRAINT (a
// damaged value may collide), or SQLITE_ERROR for "malformed database schema (...)" and
// the name errors a rewritten schema causes. Anything else, another exception type, a case
// stuck for minutes, or a case allocating far beyond what the file could justify fails.
// For each schema mutation, the first error is also compared with SQLite's.
// TERN_HOSTILE_CASES sets the number of mutated files (default 20,000, shared among the
// seeds); TERN_HOSTILE_CASE=<seed>:<case> runs one case alone.
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Storage.Io;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Hostile;

public class HostileDatabaseTests(ITestOutputHelper output)
{
    private const string DbPath = "hostile.db";
    // Only a truly stuck case trips this; a slow one never does.
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(3);
    private const long CaseAllocationLimit = 256L << 20;

    private static int TotalCases =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_HOSTILE_CASES"), out int n) && n > 0 ? n : 20_000;

    private static readonly string[] SeedNames = ["tern-1024", "tern-512-full", "sqlite-4096", "sqlite-1024-incremental"];

    private const string SchemaSql = """
        CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b TEXT, c BLOB);
        CREATE INDEX t1a ON t1(a);
        CREATE INDEX t1b ON t1(b) WHERE a > 10;
        CREATE INDEX t1e ON t1(a * 2, length(b));
        CREATE TABLE t2(k TEXT PRIMARY KEY, v INT UNIQUE, w);
        CREATE TABLE log(x);
        CREATE VIEW v1 AS SELECT id, a FROM t1 WHERE a < 20;
        CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN INSERT INTO log VALUES(new.id); END;
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 120)
        INSERT INTO t1(a, b, c) SELECT n % 30, 'b' || n, CASE WHEN n % 7 = 0 THEN zeroblob(1500 + n) ELSE x'0102' END FROM s;
        WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 80)
        INSERT INTO t2 SELECT 'k' || n, n, replace(hex(zeroblob(n % 50)), '0', 'w') FROM s;
        DELETE FROM t1 WHERE id % 9 = 0;
        """;

    /// <summary>The statements every damaged file runs, in order.</summary>
    private static readonly string[] Workload =
    [
        "SELECT count(*) FROM sqlite_schema",
        "SELECT * FROM t1",
        "SELECT count(*) FROM t1",
        "SELECT * FROM t2",
        "SELECT count(*) FROM t2",
        "SELECT * FROM log",
        "SELECT * FROM t1 WHERE a = 7",
        "SELECT id FROM t1 WHERE b = 'b50'",
        "SELECT * FROM t1 WHERE id BETWEEN 10 AND 30",
        "SELECT v FROM t2 WHERE k = 'k10'",
        "SELECT k FROM t2 WHERE v > 40 ORDER BY v",
        "SELECT * FROM v1",
        "SELECT max(length(c)), sum(a) FROM t1",
        "INSERT INTO t1(a, b, c) VALUES(7, 'new', zeroblob(3000))",
        "UPDATE t1 SET b = b || 'u' WHERE id % 3 = 0",
        "DELETE FROM t1 WHERE id % 5 = 0",
        "INSERT INTO t2 VALUES('knew', 1000, 'x')",
        "CREATE INDEX t1ba ON t1(b, a)",
        "PRAGMA integrity_check",
        "DROP TABLE t2",
        "SELECT count(*) FROM t1",
    ];

    /// <summary>sqlite_schema rewrites, run with writable_schema on a copy of a seed.</summary>
    private static readonly string[] SchemaMutations =
    [
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b TEXT, c BLOB' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT,, b TEXT, c BLOB)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'SELECT 1' WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = 'CREATE' WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = 'create table t2(k, v, w) garbage' WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX t1a ON nosuch(a)' WHERE name = 't1a'",
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX t1a ON t1(nosuch)' WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = 0 WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 0 WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = 1000000 WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 1000000 WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = -5 WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 4294967297 WHERE name = 't2'",
        "UPDATE sqlite_schema SET rootpage = NULL WHERE name = 't2'",
        "UPDATE sqlite_schema SET rootpage = 'abc' WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 2.5 WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 1 WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = 1 WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't2') WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't1a') WHERE name = 't1'",
        "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't1') WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't1b') WHERE name = 't1a'",
        "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 't2') WHERE name = 'sqlite_autoindex_t2_1'",
        "INSERT INTO sqlite_schema SELECT * FROM sqlite_schema WHERE name = 't1'",
        "INSERT INTO sqlite_schema SELECT * FROM sqlite_schema WHERE name = 't1a'",
        "UPDATE sqlite_schema SET type = 'bogus' WHERE name = 't1'",
        "UPDATE sqlite_schema SET type = NULL WHERE name = 't2'",
        "UPDATE sqlite_schema SET type = 'index' WHERE name = 'log'",
        "UPDATE sqlite_schema SET name = NULL WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = x'00ff' WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = 42 WHERE name = 't2'",
        "UPDATE sqlite_schema SET sql = NULL WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = '' WHERE name = 't1a'",
        "UPDATE sqlite_schema SET sql = NULL WHERE name = 't1a'",
        "UPDATE sqlite_schema SET sql = 'CREATE VIEW v1 AS SELECT nosuch FROM t1' WHERE name = 'v1'",
        "UPDATE sqlite_schema SET sql = 'CREATE VIEW v1 AS SELEC' WHERE name = 'v1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TRIGGER tr1 AFTER INSERT ON nosuch BEGIN SELECT 1; END' WHERE name = 'tr1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN INSERT INTO nosuch VALUES(1); END' WHERE name = 'tr1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN' WHERE name = 'tr1'",
        "UPDATE sqlite_schema SET tbl_name = 'zz' WHERE name = 't1a'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(a, a)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t9(x)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t2(x)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'create table t1(id integer primary key, a, b, c, d, e)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(id INTEGER PRIMARY KEY)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE UNIQUE INDEX t1a ON t1(a)' WHERE name = 't1a'",
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX t1a ON t1(b, c, a)' WHERE name = 't1a'",
        "DELETE FROM sqlite_schema WHERE name = 'sqlite_autoindex_t2_1'",
        "UPDATE sqlite_schema SET name = 'sqlite_autoindex_t2_9' WHERE name = 'sqlite_autoindex_t2_1'",
        "DELETE FROM sqlite_schema WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT, b TEXT, c BLOB, CHECK(nosuch > 0))' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE TABLE t1(id INTEGER PRIMARY KEY, a INT DEFAULT (nosuch()), b TEXT, c BLOB)' WHERE name = 't1'",
        "UPDATE sqlite_schema SET sql = 'CREATE INDEX t1a ON t1(nosuch(a))' WHERE name = 't1a'",
    ];

    private static readonly ConcurrentDictionary<string, byte[]> SeedImages = new();
    private static readonly ConcurrentDictionary<string, byte[][]> SchemaImages = new();

    public static IEnumerable<object[]> Seeds() => SeedNames.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Damaged_file_fails_only_with_corruption_errors_through_sql(string seedName)
    {
        byte[] seed = SeedImages.GetOrAdd(seedName, BuildSeed);
        byte[][] schemaImages = SchemaImages.GetOrAdd(seedName, _ => BuildSchemaMutations(seed));
        int seedIndex = Array.IndexOf(SeedNames, seedName);

        // The undamaged seed runs the whole workload cleanly, or the test proves nothing.
        Outcome baseline = RunCase(seed);
        Assert.True(baseline.Failure == null, baseline.Failure);
        Assert.True(baseline.Errors == 0, $"{seedName} does not run cleanly: {baseline.FirstError}");
        Assert.Equal("ok", baseline.Integrity);

        int cases = Math.Max(1, TotalCases / SeedNames.Length);
        string? only = Environment.GetEnvironmentVariable("TERN_HOSTILE_CASE");
        var failures = new List<string>();
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int run = 0, clean = 0, withErrors = 0;
        long maxAllocated = 0;
        for (int i = 0; i < cases && failures.Count < 10; i++)
        {
            if (only != null && only != $"{seedName}:{i}") continue;
            run++;
            int caseSeed = seedIndex * 1_000_003 + i;
            var rng = new Random(caseSeed);
            string mutation = Mutate(rng, seed, schemaImages, out byte[] image);
            Outcome o;
            try
            {
                o = await Task.Run(() => RunCase(image)).WaitAsync(HangLimit);
            }
            catch (TimeoutException)
            {
                failures.Add($"{seedName} case {i}, {mutation}: no result after {HangLimit.TotalMinutes} minutes (hang)");
                break;
            }
            if (o.Failure != null)
            {
                failures.Add($"{seedName} case {i}, {mutation}: {o.Failure}");
                continue;
            }
            if (o.Errors == 0) clean++; else withErrors++;
            maxAllocated = Math.Max(maxAllocated, o.Allocated);
            foreach (string code in o.Codes) codes[code] = codes.GetValueOrDefault(code) + 1;
        }
        output.WriteLine($"{seedName} ({seed.Length} bytes, {schemaImages.Length} schema mutations): {run} damaged files, "
            + $"{withErrors} with errors, {clean} ran every statement");
        output.WriteLine("  errors: " + string.Join(", ", codes.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine($"  most allocated by one case: {maxAllocated >> 10} KB");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    // ------------------------------------------------------------------ one case

    private sealed class Outcome
    {
        public string? Failure;
        public string? FirstError;
        public string? Integrity;
        public int Errors;
        public List<string> Codes = [];
        public long Allocated;
    }

    /// <summary>Opens the image and runs the workload, statement by statement; never throws.</summary>
    private static Outcome RunCase(byte[] image)
    {
        var o = new Outcome();
        long before = GC.GetAllocatedBytesForCurrentThread();
        string step = "open";
        try
        {
            var fs = new MemoryFileSystem();
            fs.SetContent(DbPath, image);
            Database db;
            try
            {
                db = Database.Open(DbPath, new DatabaseOptions { FileSystem = fs, CacheSize = 50 });
            }
            catch (TernException e)
            {
                Record(o, step, e);
                return o;
            }
            using (db)
            using (Connection c = db.Connect())
            {
                foreach (string sql in Workload)
                {
                    step = sql;
                    try
                    {
                        using Statement s = c.Prepare(sql);
                        int rows = 0;
                        while (s.Step())
                        {
                            if (++rows > 100_000) break;
                            for (int i = 0; i < s.ColumnCount; i++) _ = s.GetValue(i);
                            if (sql.StartsWith("PRAGMA", StringComparison.Ordinal) && rows == 1) o.Integrity = s.GetString(0);
                        }
                    }
                    catch (TernException e)
                    {
                        Record(o, step, e);
                        if (o.Failure != null) return o;
                    }
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (allocated > CaseAllocationLimit)
                    {
                        o.Failure = $"\"{step}\" brought the case to {allocated >> 20} MB allocated";
                        return o;
                    }
                }
            }
        }
        catch (Exception e)
        {
            o.Failure = $"\"{step}\": {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
        o.Allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return o;
    }

    private static void Record(Outcome o, string step, TernException e)
    {
        o.Errors++;
        o.FirstError ??= $"\"{step}\": {e.Message}";
        if (!Acceptable(e))
        {
            o.Failure = $"\"{step}\": TernException {e.ExtendedCode}: {e.Message}\n{e.StackTrace}";
            return;
        }
        o.Codes.Add(e.Code == ResultCode.Error ? "ERROR(" + (MessageShape(e.Message) ?? "unsupported encoding") + ")" : e.ExtendedCode.ToString());
    }

    /// <summary>Whether a damaged file explains the error.</summary>
    /// <remarks>
    /// Besides corruption: a header byte can turn a file into a valid WAL-mode or UTF-16 database,
    /// which Tern refuses by design with its "not supported" errors (SQLITE_CANTOPEN, SQLITE_ERROR).
    /// </remarks>
    private static bool Acceptable(TernException e) => e.Code switch
    {
        ResultCode.Corrupt or ResultCode.NotADb or ResultCode.Constraint => true,
        ResultCode.Error => MessageShape(e.Message) != null || e.Message.StartsWith("unsupported database text encoding", StringComparison.Ordinal),
        ResultCode.CantOpen => e.Message.EndsWith("WAL mode is not supported yet", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The SQLITE_ERROR messages a rewritten schema explains, by their fixed words.</summary>
    private static string? MessageShape(string message)
    {
        string[] shapes =
        [
            "malformed database schema", "no such table", "no such column", "no such index", "no such function",
            "already exists", "has no column named", "no such view",
        ];
        return shapes.FirstOrDefault(s => message.Contains(s, StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ mutations

    private static string Mutate(Random rng, byte[] seed, byte[][] schemaImages, out byte[] image)
    {
        int kind = rng.Next(12);
        if (kind == 11)
        {
            int k = rng.Next(schemaImages.Length);
            image = (byte[])schemaImages[k].Clone();
            string what = $"schema mutation {k} ({SchemaMutations[k]})";
            if (rng.Next(3) == 0) what += ", " + MutateBytes(rng, image, 1 + rng.Next(4));
            return what;
        }
        image = (byte[])seed.Clone();
        int pageSize = PageSize(image);
        int pages = image.Length / pageSize;
        switch (kind)
        {
            case 0:
            case 1:
                return MutateBytes(rng, image, 1 + rng.Next(8));
            case 2:
                {
                    // Bit flips in page headers and cell pointer arrays.
                    var sb = new StringBuilder("header bit flips");
                    int flips = 1 + rng.Next(4);
                    for (int f = 0; f < flips; f++)
                    {
                        int page = 1 + rng.Next(pages);
                        int start = (page - 1) * pageSize + (page == 1 ? 100 : 0);
                        int at = start + rng.Next(Math.Min(40, pageSize - (start % pageSize)));
                        int bit = rng.Next(8);
                        image[at] ^= (byte)(1 << bit);
                        sb.Append($" {at}.{bit}");
                    }
                    return sb.ToString();
                }
            case 3:
                {
                    int a = 1 + rng.Next(pages), b = 1 + rng.Next(pages);
                    byte[] tmp = image.AsSpan((a - 1) * pageSize, pageSize).ToArray();
                    image.AsSpan((b - 1) * pageSize, pageSize).CopyTo(image.AsSpan((a - 1) * pageSize));
                    tmp.CopyTo(image.AsSpan((b - 1) * pageSize));
                    return $"pages {a} and {b} swapped";
                }
            case 4:
                {
                    int a = 1 + rng.Next(pages), b = 1 + rng.Next(pages);
                    image.AsSpan((a - 1) * pageSize, pageSize).CopyTo(image.AsSpan((b - 1) * pageSize));
                    return $"page {a} copied over page {b}";
                }
            case 5:
                {
                    int length = rng.Next(2) == 0 ? rng.Next(pages) * pageSize : rng.Next(image.Length);
                    image = image.AsSpan(0, length).ToArray();
                    return $"truncated to {length} bytes";
                }
            case 6:
            case 7:
                {
                    (int offset, int width)[] fields =
                    [
                        (16, 2), (18, 1), (19, 1), (20, 1), (21, 1), (22, 1), (23, 1), (24, 4), (28, 4), (32, 4),
                        (36, 4), (40, 4), (44, 4), (48, 4), (52, 4), (56, 4), (60, 4), (64, 4), (92, 4), (96, 4),
                    ];
                    (int offset, int width) = fields[rng.Next(fields.Length)];
                    long value = rng.Next(6) switch
                    {
                        0 => 0,
                        1 => 1,
                        2 => (1L << (8 * width)) - 1,
                        3 => pages + rng.Next(-2, 3),
                        4 => 1L << rng.Next(8 * width),
                        _ => rng.NextInt64(1L << (8 * width)),
                    };
                    for (int i = 0; i < width; i++) image[offset + i] = (byte)(value >> (8 * (width - 1 - i)));
                    return $"header field at {offset} set to {value}";
                }
            case 8:
                {
                    // The freelist: the first trunk's next pointer, leaf count or a leaf entry.
                    uint trunk = ReadU32(image, 32);
                    if (trunk == 0 || trunk > pages) return MutateBytes(rng, image, 2);
                    int at = (int)(trunk - 1) * pageSize + rng.Next(3) * 4 + (rng.Next(2) == 0 ? 0 : 4 * rng.Next(4));
                    uint value = rng.Next(4) switch { 0 => trunk, 1 => 0xFFFFFFFF, 2 => 1, _ => (uint)(1 + rng.Next(pages + 3)) };
                    WriteU32(image, at, value);
                    return $"freelist trunk {trunk}: word at {at} set to {value}";
                }
            case 9:
                {
                    // A pointer-map entry (auto-vacuum files: page 2), or a random byte elsewhere.
                    if (ReadU32(image, 52) == 0 || pages < 2) return MutateBytes(rng, image, 2);
                    int entry = rng.Next(Math.Min(pages, pageSize / 5));
                    int at = pageSize + entry * 5 + rng.Next(5);
                    image[at] = (byte)rng.Next(256);
                    return $"pointer map byte {at} set to {image[at]}";
                }
            default:
                {
                    // An interior page's right child: itself, page 1, its neighbour, or any page.
                    var interior = new List<int>();
                    for (int p = 1; p <= pages; p++)
                    {
                        byte type = image[(p - 1) * pageSize + (p == 1 ? 100 : 0)];
                        if (type is 2 or 5) interior.Add(p);
                    }
                    if (interior.Count == 0) return MutateBytes(rng, image, 2);
                    int page = interior[rng.Next(interior.Count)];
                    int at = (page - 1) * pageSize + (page == 1 ? 100 : 0) + 8;
                    uint value = rng.Next(4) switch { 0 => (uint)page, 1 => 1, 2 => (uint)page + 1, _ => (uint)(1 + rng.Next(pages)) };
                    WriteU32(image, at, value);
                    return $"right child of interior page {page} set to {value}";
                }
        }
    }

    private static string MutateBytes(Random rng, byte[] image, int count)
    {
        if (image.Length == 0) return "empty";
        var sb = new StringBuilder("bytes");
        for (int i = 0; i < count; i++)
        {
            int at = rng.Next(image.Length);
            byte value = rng.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)rng.Next(256) };
            image[at] = value;
            sb.Append($" {at}={value}");
        }
        return sb.ToString();
    }

    private static int PageSize(byte[] image)
    {
        int v = (image[16] << 8) | image[17];
        return v == 1 ? 65536 : v;
    }

    private static uint ReadU32(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);

    private static void WriteU32(byte[] b, int at, uint v)
    {
        b[at] = (byte)(v >> 24);
        b[at + 1] = (byte)(v >> 16);
        b[at + 2] = (byte)(v >> 8);
        b[at + 3] = (byte)v;
    }

    // ------------------------------------------------------------------ seeds

    private static byte[] BuildSeed(string name)
    {
        if (name.StartsWith("tern", StringComparison.Ordinal))
        {
            var fs = new MemoryFileSystem();
            int pageSize = name.Contains("512", StringComparison.Ordinal) ? 512 : 1024;
            using (Database db = Database.Open(DbPath, new DatabaseOptions { FileSystem = fs, PageSize = pageSize }))
            using (Connection c = db.Connect())
            {
                if (name.EndsWith("full", StringComparison.Ordinal)) c.Execute("PRAGMA auto_vacuum = FULL");
                c.Execute(SchemaSql);
            }
            return fs.GetContent(DbPath);
        }
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("seed.db");
        using (SqliteConnection c = SqliteOracle.Open(path))
        {
            if (name.Contains("1024", StringComparison.Ordinal)) SqliteOracle.Execute(c, "PRAGMA page_size = 1024");
            if (name.EndsWith("incremental", StringComparison.Ordinal)) SqliteOracle.Execute(c, "PRAGMA auto_vacuum = INCREMENTAL");
            SqliteOracle.Execute(c, SchemaSql);
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>The seed with each of <see cref="SchemaMutations"/> applied by SQLite.</summary>
    private static byte[][] BuildSchemaMutations(byte[] seed)
    {
        using var dir = new SqliteShell.TempDir();
        var images = new byte[SchemaMutations.Length][];
        for (int i = 0; i < SchemaMutations.Length; i++)
        {
            string path = dir.File($"schema{i}.db");
            File.WriteAllBytes(path, seed);
            using (SqliteConnection c = SqliteOracle.Open(path))
            {
                SqliteOracle.Execute(c, "PRAGMA writable_schema = ON; " + SchemaMutations[i]);
            }
            images[i] = File.ReadAllBytes(path);
        }
        return images;
    }

    [Fact]
    public void Dropping_a_table_whose_automatic_index_has_no_schema_row_passes_over_the_index()
    {
        // The index keeps root page 0, which names no tree: SQLite drops the table and passes
        // over the index; Tern once tried to destroy "page 0" and failed with SQLITE_MISUSE.
        byte[] seed = SeedImages.GetOrAdd("tern-1024", BuildSeed);
        int k = Array.IndexOf(SchemaMutations, "DELETE FROM sqlite_schema WHERE name = 'sqlite_autoindex_t2_1'");
        byte[] image = SchemaImages.GetOrAdd("tern-1024", _ => BuildSchemaMutations(seed))[k];
        string[] statements = ["DROP TABLE t2", "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 't2'", "PRAGMA integrity_check"];
        Assert.Equal("DROP TABLE t2: 0 rows\nSELECT count(*) FROM sqlite_schema WHERE tbl_name = 't2': 1 rows\nPRAGMA integrity_check: 1 rows\n", RunSqlite(image, statements));
        Assert.Equal(RunSqlite(image, statements), RunTern(image, statements));
    }

    [Theory]
    [InlineData(0, 3)]   // the rowid field is NULL
    [InlineData(7, 3)]   // the rowid field is a REAL
    public void Index_entry_without_an_integer_rowid_is_corrupt(byte value, int offsetInCell)
    {
        // One row, one index entry (a = 5, rowid 1): cell = [payload size 4][header size 3][type 1][type 9: the constant 1][5].
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("ix.db");
        using (SqliteConnection c = SqliteOracle.Open(path))
        {
            SqliteOracle.Execute(c, "CREATE TABLE t(a); CREATE INDEX ix ON t(a); INSERT INTO t VALUES(5);");
            Assert.Equal(3L, SqliteOracle.Scalar(c, "SELECT rootpage FROM sqlite_schema WHERE name = 'ix'"));
        }
        byte[] image = File.ReadAllBytes(path);
        int page = 2 * 4096;
        int cell = page + ((image[page + 8] << 8) | image[page + 9]);
        Assert.Equal(new byte[] { 4, 3, 1, 9, 5 }, image.AsSpan(cell, 5).ToArray());
        image[cell + offsetInCell] = value;
        string[] statements = ["SELECT rowid FROM t WHERE a < 20"];
        Assert.Equal("SELECT rowid FROM t WHERE a < 20: error 11: database disk image is malformed\n", RunSqlite(image, statements));
        Assert.Equal(RunSqlite(image, statements), RunTern(image, statements));
    }

    // ------------------------------------------------------------------ schema errors as SQLite reports them

    public static IEnumerable<object[]> SchemaMutationIndexes() => Enumerable.Range(0, SchemaMutations.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(SchemaMutationIndexes))]
    public void Rewritten_schema_fails_as_in_sqlite(int mutation)
    {
        byte[] seed = SeedImages.GetOrAdd("tern-1024", BuildSeed);
        byte[] image = SchemaImages.GetOrAdd("tern-1024", _ => BuildSchemaMutations(seed))[mutation];
        string[] statements = ["SELECT count(*) FROM t2", "SELECT count(*) FROM t1", "SELECT a FROM t1 WHERE a = 7", "SELECT * FROM v1 LIMIT 1"];
        string expected = RunSqlite(image, statements);
        string actual = RunTern(image, statements);
        output.WriteLine($"{SchemaMutations[mutation]}\nSQLite:\n{expected}Tern:\n{actual}");
        if (expected.Contains("malformed database schema", StringComparison.Ordinal))
        {
            // SQLite refuses the schema as it loads it: so must Tern, with the same code and words.
            Assert.Equal(expected, actual);
        }
        else
        {
            // SQLite loads it; what fails later depends on the plan, so only the kind of
            // failure is compared.
            foreach (string line in actual.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(line.EndsWith(" rows", StringComparison.Ordinal) || line.Contains(": error 11: ", StringComparison.Ordinal)
                    || (line.Contains(": error 1: ", StringComparison.Ordinal) && MessageShape(line) != null), line);
            }
        }
    }

    /// <summary>Each statement's outcome: its row count, or the error's primary code and message.</summary>
    private static string RunTern(byte[] image, string[] statements)
    {
        var fs = new MemoryFileSystem();
        fs.SetContent(DbPath, image);
        var sb = new StringBuilder();
        using Database db = Database.Open(DbPath, new DatabaseOptions { FileSystem = fs });
        using Connection c = db.Connect();
        foreach (string sql in statements)
        {
            try
            {
                using Statement s = c.Prepare(sql);
                int rows = 0;
                while (s.Step()) rows++;
                sb.Append($"{sql}: {rows} rows\n");
            }
            catch (TernException e)
            {
                sb.Append($"{sql}: error {(int)e.Code}: {e.Message}\n");
            }
        }
        return sb.ToString();
    }

    private static string RunSqlite(byte[] image, string[] statements)
    {
        using var dir = new SqliteShell.TempDir();
        string path = dir.File("oracle.db");
        File.WriteAllBytes(path, image);
        var sb = new StringBuilder();
        using SqliteConnection c = SqliteOracle.Open(path);
        foreach (string sql in statements)
        {
            try
            {
                using SqliteCommand cmd = c.CreateCommand();
                cmd.CommandText = sql;
                using SqliteDataReader r = cmd.ExecuteReader();
                int rows = 0;
                while (r.Read()) rows++;
                sb.Append($"{sql}: {rows} rows\n");
            }
            catch (SqliteException e)
            {
                int a = e.Message.IndexOf('\''), b = e.Message.LastIndexOf('\'');
                string message = a >= 0 && b > a ? e.Message[(a + 1)..b] : e.Message;
                sb.Append($"{sql}: error {e.SqliteErrorCode}: {message}\n");
            }
        }
        return sb.ToString();
    }
}
