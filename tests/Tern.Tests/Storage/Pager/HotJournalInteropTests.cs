// Hot journals across the two engines. A crash in the middle of a write transaction
// leaves the database file with some changed pages already in it and the "-journal" file
// holding their originals; whoever opens the database next must play the journal back.
//   - SQLite to Tern: SQLite 3.50.4 (in process) runs a big transaction with a tiny page
//     cache, so it spills changed pages into the database file; the file and its journal
//     are copied while the transaction is still open (exactly what a crash leaves). Tern
//     opens the copy and must give back the database byte for byte as it was before the
//     transaction, as SQLite itself does on a second copy. Page sizes 512 to 65536,
//     synchronous FULL, NORMAL (journals of several segments) and OFF (record count
//     0xFFFFFFFF), and journals that name a super-journal.
//   - Tern to SQLite: Tern's transaction is cut short by a power cut (or the death of its
//     process) at every few file operations on the in-memory file system; the surviving
//     files are written to disk and SQLite opens them: the integrity check passes and the
//     rows are the ones before the transaction while the journal exists, the ones after
//     once it is gone. Tern's own recovery of the same files gives the same bytes.
using System.Buffers.Binary;
using System.Text;
using Tern.Storage.BTree;
using Tern.Storage.Io;
using Tern.Storage.Pager;
using Tern.Storage.Record;
using Tern.Tests.Support;
using Xunit.Abstractions;
using TernBTree = Tern.Storage.BTree.BTree;

namespace Tern.Tests.Storage.Pager;

public class HotJournalInteropTests(ITestOutputHelper output)
{
    private static ReadOnlySpan<byte> JournalMagic => [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32BigEndian(b.Slice(offset, 4));

    /// <summary>The rows of table t as SQLite prints them (rowid and quoted columns), read by Tern.</summary>
    private static string TernRows(TernBTree bt)
    {
        SchemaEntry t = SchemaTable.Read(bt).Single(e => e.Name == "t");
        var sb = new StringBuilder();
        bt.BeginRead();
        using (var c = new BTreeCursor(bt, t.RootPage, table: true))
        {
            for (bool ok = c.First(); ok; ok = c.Next()) sb.Append(ValueText.Row(c.RowId, RecordReader.Decode(c.Payload))).Append('\n');
        }
        bt.EndRead();
        return sb.ToString();
    }

    /// <summary>The rows of table t as SQLite 3.50.4 reads them.</summary>
    private static string SqliteRows(Microsoft.Data.Sqlite.SqliteConnection c, int columns)
    {
        using Microsoft.Data.Sqlite.SqliteCommand cmd = c.CreateCommand();
        string cols = string.Concat(Enumerable.Range(0, columns).Select(i => $", quote({(char)('a' + i)})"));
        cmd.CommandText = $"SELECT rowid{cols} FROM t ORDER BY rowid";
        var sb = new StringBuilder();
        using Microsoft.Data.Sqlite.SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            sb.Append(r.GetInt64(0));
            for (int i = 1; i <= columns; i++) sb.Append('|').Append(r.GetString(i));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Offsets of the journal headers (SQLite's magic at a sector boundary) in a journal.</summary>
    private static List<int> HeaderOffsets(byte[] journal, int sector = 512)
    {
        var result = new List<int>();
        for (int off = 0; off + 28 <= journal.Length; off += sector)
        {
            if (journal.AsSpan(off, 8).SequenceEqual(JournalMagic)) result.Add(off);
        }
        return result;
    }

    /// <summary>What SQLite leaves on disk in the middle of a transaction, and around it.</summary>
    private sealed record SqliteCrash(byte[] Before, byte[] CrashedDb, byte[] CrashedJournal, byte[] Committed, string RowsBefore);

    /// <summary>
    /// Builds a database with SQLite, then runs a big transaction with a 5-page cache and
    /// copies the database and its journal while the transaction is open; then commits it.
    /// </summary>
    private static SqliteCrash SqliteMidTransaction(SqliteShell.TempDir dir, int pageSize, string synchronous)
    {
        string live = dir.File("live.db");
        int rows = Math.Max(3000, 60 * pageSize / 160);
        using var c = SqliteOracle.Open(live);
        SqliteOracle.Execute(c, $"PRAGMA page_size={pageSize}; PRAGMA journal_mode=DELETE; CREATE TABLE t(a, b, c); CREATE INDEX tb ON t(b); " +
            $"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM s WHERE x<{rows}) " +
            "INSERT INTO t SELECT x, printf('%08d-', x * 7919 % 100003) || hex(randomblob(40)), CASE WHEN x % 50 = 0 THEN randomblob(3 * 1024) ELSE x * 3 END FROM s;");
        SqliteOracle.Execute(c, $"PRAGMA cache_size=5; PRAGMA synchronous={synchronous};");
        byte[] before = File.ReadAllBytes(live);
        string rowsBefore = SqliteRows(c, 3);
        SqliteOracle.Execute(c, "BEGIN; UPDATE t SET b = b || 'x' WHERE a % 3 = 0; DELETE FROM t WHERE a % 11 = 0; " +
            "INSERT INTO t SELECT a + 1000000, hex(randomblob(30)), randomblob(200) FROM t WHERE a % 5 = 0; UPDATE t SET c = NULL WHERE a % 50 = 0;");
        Assert.True(File.Exists(live + "-journal"), "the transaction has a journal");
        byte[] crashedDb = File.ReadAllBytes(live);
        byte[] crashedJournal = File.ReadAllBytes(live + "-journal");
        SqliteOracle.Execute(c, "COMMIT;");
        byte[] committed = File.ReadAllBytes(live);
        return new SqliteCrash(before, crashedDb, crashedJournal, committed, rowsBefore);
    }

    private static string PlaceCopy(SqliteShell.TempDir dir, string name, byte[] db, byte[]? journal)
    {
        string sub = dir.File(name);
        Directory.CreateDirectory(sub);
        string path = Path.Combine(sub, "t.db");
        File.WriteAllBytes(path, db);
        if (journal != null) File.WriteAllBytes(path + "-journal", journal);
        return path;
    }

    /// <summary>SQLite opens a database (playing back a hot journal) and checks it; returns the file's bytes afterwards.</summary>
    private static byte[] RecoverWithSqlite(string path)
    {
        using (var c = SqliteOracle.Open(path))
        {
            Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
        }
        return File.ReadAllBytes(path);
    }

    [Theory]
    [InlineData(512, "FULL")]
    [InlineData(1024, "FULL")]
    [InlineData(2048, "NORMAL")]
    [InlineData(4096, "FULL")]
    [InlineData(4096, "NORMAL")]
    [InlineData(8192, "OFF")]
    [InlineData(16384, "FULL")]
    [InlineData(32768, "NORMAL")]
    [InlineData(65536, "FULL")]
    [InlineData(1024, "OFF")]
    [InlineData(65536, "OFF")]
    public void Tern_plays_back_the_hot_journal_sqlite_leaves_mid_transaction(int pageSize, string synchronous)
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, pageSize, synchronous);
        Assert.False(crash.CrashedDb.AsSpan().SequenceEqual(crash.Before), "SQLite spilled changed pages into the database file");
        List<int> headers = HeaderOffsets(crash.CrashedJournal);
        Assert.Equal(0, headers[0]);
        Assert.Equal((uint)pageSize, U32(crash.CrashedJournal, 24));
        Assert.Equal((uint)(crash.Before.Length / pageSize), U32(crash.CrashedJournal, 16));
        if (synchronous == "OFF")
        {
            Assert.Single(headers);
            Assert.Equal(0xFFFFFFFFu, U32(crash.CrashedJournal, 8));
        }
        else
        {
            Assert.True(headers.Count >= 2, $"SQLite's journal has {headers.Count} segments");
        }
        output.WriteLine($"journal {crash.CrashedJournal.Length} bytes, {headers.Count} synced headers; db {crash.Before.Length} -> {crash.CrashedDb.Length} bytes");

        string ours = PlaceCopy(dir, "tern", crash.CrashedDb, crash.CrashedJournal);
        using (var bt = TernBTree.Open(OsFileSystem.Instance, ours))
        {
            Assert.False(File.Exists(ours + "-journal"), "the journal was played back and deleted");
            Assert.Equal(crash.RowsBefore, TernRows(bt));
            Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
        }
        byte[] recovered = File.ReadAllBytes(ours);
        Assert.True(recovered.AsSpan().SequenceEqual(crash.Before), "Tern's recovery gives back the file as it was before the transaction");

        string theirs = PlaceCopy(dir, "sqlite", crash.CrashedDb, crash.CrashedJournal);
        Assert.True(RecoverWithSqlite(theirs).AsSpan().SequenceEqual(recovered), "SQLite's recovery gives the same bytes");
        Assert.Equal("ok\n", SqliteShell.Run(ours, "PRAGMA integrity_check;"));
    }

    /// <summary>Appends a super-journal name to a journal as SQLite does at commit (synchronous=FULL: at the next sector boundary).</summary>
    private static byte[] WithSuperJournal(byte[] journal, int pageSize, string superPath)
    {
        byte[] name = Encoding.UTF8.GetBytes(superPath);
        int at = (journal.Length + 511) / 512 * 512;
        byte[] result = new byte[at + 4 + name.Length + 16];
        journal.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(at), (uint)(0x40000000 / pageSize + 1));
        name.CopyTo(result, at + 4);
        uint sum = 0;
        foreach (byte b in name) sum += (uint)(sbyte)b;
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(at + 4 + name.Length), (uint)name.Length);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(at + 8 + name.Length), sum);
        JournalMagic.CopyTo(result.AsSpan(at + 12 + name.Length));
        return result;
    }

    [Fact]
    public void Hot_journal_naming_a_super_journal_that_exists_is_played_back_and_the_super_journal_deleted()
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 1024, "FULL");
        foreach (string who in new[] { "tern", "sqlite" })
        {
            string path = PlaceCopy(dir, who, crash.CrashedDb, null);
            string super = path + "-mj0123ABCD";
            File.WriteAllBytes(path + "-journal", WithSuperJournal(crash.CrashedJournal, 1024, super));
            // The super-journal lists its children; the only one is this database's journal.
            File.WriteAllBytes(super, Encoding.UTF8.GetBytes(path + "-journal\0" + dir.File("gone.db-journal") + "\0"));
            byte[] after;
            if (who == "tern")
            {
                using (var bt = TernBTree.Open(OsFileSystem.Instance, path)) Assert.Equal(crash.RowsBefore, TernRows(bt));
                after = File.ReadAllBytes(path);
            }
            else
            {
                after = RecoverWithSqlite(path);
            }
            Assert.True(after.AsSpan().SequenceEqual(crash.Before), $"{who}: the transaction was rolled back");
            Assert.False(File.Exists(path + "-journal"), $"{who}: journal deleted");
            Assert.False(File.Exists(super), $"{who}: super-journal deleted, no child refers to it any more");
        }
    }

    [Fact]
    public void Super_journal_still_named_by_another_hot_journal_is_kept()
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 1024, "FULL");
        foreach (string who in new[] { "tern", "sqlite" })
        {
            string path = PlaceCopy(dir, who, crash.CrashedDb, null);
            string other = Path.Combine(Path.GetDirectoryName(path)!, "other.db");
            string super = path + "-mj77";
            File.WriteAllBytes(path + "-journal", WithSuperJournal(crash.CrashedJournal, 1024, super));
            File.WriteAllBytes(other + "-journal", WithSuperJournal(crash.CrashedJournal, 1024, super));
            File.WriteAllBytes(super, Encoding.UTF8.GetBytes(path + "-journal\0" + other + "-journal\0"));
            if (who == "tern")
            {
                using var bt = TernBTree.Open(OsFileSystem.Instance, path);
            }
            else
            {
                RecoverWithSqlite(path);
            }
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(crash.Before), who);
            Assert.True(File.Exists(super), $"{who}: the other database still needs the super-journal");
        }
    }

    [Fact]
    public void Hot_journal_naming_a_super_journal_that_is_gone_belongs_to_a_committed_transaction_and_is_not_played_back()
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 4096, "FULL");
        foreach (string who in new[] { "tern", "sqlite" })
        {
            // The multi-database commit finished (the super-journal is deleted at its commit
            // point) but the crash came before this child journal was deleted.
            string path = PlaceCopy(dir, who, crash.Committed, null);
            File.WriteAllBytes(path + "-journal", WithSuperJournal(crash.CrashedJournal, 4096, path + "-mjGONE"));
            if (who == "tern")
            {
                using var bt = TernBTree.Open(OsFileSystem.Instance, path);
                Assert.Empty(new IntegrityChecker(bt).Check(SchemaTable.Roots(bt)));
            }
            else
            {
                RecoverWithSqlite(path);
            }
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(crash.Committed), $"{who}: the committed state stays");
            Assert.False(File.Exists(path + "-journal"), $"{who}: journal deleted");
        }
    }

    [Fact]
    public void Journal_whose_first_header_was_never_synced_is_not_played_back()
    {
        // SQLite writes a journal header with zeros in place of the magic and fills it in only
        // when it syncs the journal, before the first page reaches the database file.
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 1024, "FULL");
        byte[] journal = (byte[])crash.CrashedJournal.Clone();
        journal.AsSpan(0, 12).Clear();
        string ours = PlaceCopy(dir, "tern", crash.Before, journal);
        using (var bt = TernBTree.Open(OsFileSystem.Instance, ours)) Assert.Equal(crash.RowsBefore, TernRows(bt));
        string theirs = PlaceCopy(dir, "sqlite", crash.Before, journal);
        Assert.True(RecoverWithSqlite(theirs).AsSpan().SequenceEqual(crash.Before));
        Assert.True(File.ReadAllBytes(ours).AsSpan().SequenceEqual(crash.Before));
    }

    [Fact]
    public void Hot_journal_with_a_damaged_record_is_played_back_up_to_that_record_as_sqlite_does()
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 1024, "OFF");
        byte[] journal = (byte[])crash.CrashedJournal.Clone();
        int rec = 1024 + 8;
        int records = (journal.Length - 512) / rec;
        Assert.True(records > 10);
        // Break the checksum of a record in the middle: playback stops there.
        journal[512 + (records / 2) * rec + 4 + 1024 - 200] ^= 0x5A;
        string ours = PlaceCopy(dir, "tern", crash.CrashedDb, journal);
        TernBTree.Open(OsFileSystem.Instance, ours).Dispose();
        string theirs = PlaceCopy(dir, "sqlite", crash.CrashedDb, journal);
        using (var c = SqliteOracle.Open(theirs)) SqliteOracle.Scalar(c, "PRAGMA user_version");
        Assert.True(File.ReadAllBytes(theirs).AsSpan().SequenceEqual(File.ReadAllBytes(ours)), "same bytes as SQLite's playback");
    }

    [Fact]
    public void Hot_journal_with_the_pending_byte_page_number_ends_playback_as_in_sqlite()
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 512, "OFF");
        byte[] journal = (byte[])crash.CrashedJournal.Clone();
        int rec = 512 + 8;
        int records = (journal.Length - 512) / rec;
        // A record for the page holding the pending byte marks the end (that is where a super-journal name goes).
        BinaryPrimitives.WriteUInt32BigEndian(journal.AsSpan(512 + (records / 3) * rec), 0x40000000 / 512 + 1);
        string ours = PlaceCopy(dir, "tern", crash.CrashedDb, journal);
        TernBTree.Open(OsFileSystem.Instance, ours).Dispose();
        string theirs = PlaceCopy(dir, "sqlite", crash.CrashedDb, journal);
        using (var c = SqliteOracle.Open(theirs)) SqliteOracle.Scalar(c, "PRAGMA user_version");
        Assert.True(File.ReadAllBytes(theirs).AsSpan().SequenceEqual(File.ReadAllBytes(ours)), "same bytes as SQLite's playback");
    }

    [Theory]
    [InlineData(2, 0)]     // the file lost its second half: grown back to its original size
    [InlineData(1, 100)]   // the file is short by less than a page: left as it is
    public void Hot_journal_played_back_into_a_file_shorter_than_its_original_size_sizes_it_as_sqlite_does(int fraction, int shortBy)
    {
        using var dir = new SqliteShell.TempDir();
        SqliteCrash crash = SqliteMidTransaction(dir, 1024, "FULL");
        int length = crash.Before.Length / fraction - shortBy;
        byte[] cut = crash.CrashedDb.AsSpan(0, length).ToArray();
        string ours = PlaceCopy(dir, "tern", cut, crash.CrashedJournal);
        try
        {
            TernBTree.Open(OsFileSystem.Instance, ours).Dispose();
        }
        catch (TernException e) when (e.Code == ResultCode.Corrupt)
        {
            // Pages that were never journaled are gone; what matters is the bytes played back.
        }
        string theirs = PlaceCopy(dir, "sqlite", cut, crash.CrashedJournal);
        try
        {
            using var c = SqliteOracle.Open(theirs);
            SqliteOracle.Scalar(c, "PRAGMA user_version");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
        }
        byte[] tern = File.ReadAllBytes(ours), sqlite = File.ReadAllBytes(theirs);
        Assert.Equal(sqlite.Length, tern.Length);
        Assert.True(sqlite.AsSpan().SequenceEqual(tern), "same bytes as SQLite's playback");
        Assert.False(File.Exists(ours + "-journal"));
    }

    /// <summary>A one-segment journal built by hand: header (nRec, nonce, original size, sector 512, page size) and records.</summary>
    private static byte[] HandMadeJournal(int pageSize, uint origSize, uint nRec, uint nonce, params (uint Page, byte[] Data)[] records)
    {
        byte[] j = new byte[512 + records.Length * (pageSize + 8)];
        JournalMagic.CopyTo(j);
        BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(8), nRec);
        BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(12), nonce);
        BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(16), origSize);
        BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(20), 512);
        BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(24), (uint)pageSize);
        int off = 512;
        foreach ((uint page, byte[] data) in records)
        {
            BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(off), page);
            data.CopyTo(j, off + 4);
            uint sum = nonce;
            for (int i = pageSize - 200; i > 0; i -= 200) sum += data[i];
            BinaryPrimitives.WriteUInt32BigEndian(j.AsSpan(off + 4 + pageSize), sum);
            off += pageSize + 8;
        }
        return j;
    }

    [Fact]
    public void Hand_made_journals_play_back_byte_for_byte_as_in_sqlite()
    {
        // Edge cases of SQLite's pager_playback, each checked against SQLite on a second copy:
        // an original size past the end of the file (the file grows to it), a record past the
        // original size with a bad checksum (skipped, not the end), a record count larger than
        // the records present, and a first header cut short.
        using var dir = new SqliteShell.TempDir();
        string src = PagerTests.WriteSqliteDatabase(dir, 1024, 2000);
        byte[] db = File.ReadAllBytes(src);
        uint pages = (uint)(db.Length / 1024);
        byte[] Page(uint n) => db.AsSpan((int)(n - 1) * 1024, 1024).ToArray();
        byte[] Noise(byte b) => Enumerable.Repeat(b, 1024).ToArray();
        byte[] skipped = HandMadeJournal(1024, pages, 3, 77, (2, Noise(1)), (pages + 1, Noise(2)), (3, Noise(3)));
        BinaryPrimitives.WriteUInt32BigEndian(skipped.AsSpan(512 + 1032 + 4 + 1024), 12345); // damage the checksum of the record past the end
        var cases = new (string Name, byte[] Journal)[]
        {
            ("grows", HandMadeJournal(1024, pages + 3, 1, 5, (1, Page(1)))),
            ("skips-past-end", skipped),
            ("nrec-too-big", HandMadeJournal(1024, pages, 9, 0xFFFFFFF0, (4, Noise(4)), (5, Noise(5)))),
            ("off-counted", HandMadeJournal(1024, pages - 2, 0xFFFFFFFF, 1, (6, Noise(6)))),
            ("header-cut", HandMadeJournal(1024, 1, 0xFFFFFFFF, 1).AsSpan(0, 300).ToArray()),
        };
        foreach ((string name, byte[] journal) in cases)
        {
            string ours = PlaceCopy(dir, "tern-" + name, db, journal);
            try
            {
                TernBTree.Open(OsFileSystem.Instance, ours).Dispose();
            }
            catch (TernException)
            {
                // Only the bytes played back matter here.
            }
            string theirs = PlaceCopy(dir, "sqlite-" + name, db, journal);
            try
            {
                using var c = SqliteOracle.Open(theirs);
                SqliteOracle.Scalar(c, "PRAGMA user_version");
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
            }
            byte[] tern = File.ReadAllBytes(ours), sqlite = File.ReadAllBytes(theirs);
            Assert.True(sqlite.Length == tern.Length, $"{name}: {tern.Length} bytes, SQLite {sqlite.Length}");
            Assert.True(sqlite.AsSpan().SequenceEqual(tern), $"{name}: same bytes as SQLite's playback");
            Assert.False(db.AsSpan().SequenceEqual(tern) && name != "header-cut", $"{name}: something was played back");
        }
    }

    // ------------------------------------------------------------ Tern to SQLite

    private static Value[] RandomRow(Random rng) =>
        [Value.FromInteger(rng.Next(-1000, 1000)), rng.Next(4) == 0 ? Value.FromBlob(RandomBytes(rng, rng.Next(0, 1500))) : Value.FromText(new string((char)rng.Next('a', 'z' + 1), rng.Next(0, 300)))];

    private static byte[] RandomBytes(Random rng, int n)
    {
        byte[] b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private static string ModelRows(SortedDictionary<long, Value[]> model) =>
        string.Concat(model.Select(r => ValueText.Row(r.Key, r.Value) + "\n"));

    /// <summary>A committed database of random rows in a memory file system.</summary>
    private static (byte[] Db, uint Root, SortedDictionary<long, Value[]> Model) TernBase(int pageSize)
    {
        var fs = new MemoryFileSystem();
        var model = new SortedDictionary<long, Value[]>();
        var rng = new Random(pageSize);
        using (var bt = TernBTree.Open(fs, "t.db", new PagerOptions { PageSize = pageSize }))
        {
            bt.BeginWrite();
            uint root = bt.CreateTable();
            SchemaTable.Insert(bt, "table", "t", "t", root, "CREATE TABLE t(a, b)");
            using (var c = new BTreeCursor(bt, root, table: true))
            {
                for (long k = 1; k <= 1500; k++) c.Insert(k, RecordEncoder.Encode(model[k] = RandomRow(rng)));
            }
            bt.Commit();
            return (fs.GetContent("t.db"), root, model);
        }
    }

    /// <summary>The transaction that gets cut short: updates, deletes and inserts across the whole table, then commit.</summary>
    private static SortedDictionary<long, Value[]> TernTransaction(TernBTree bt, uint root, SortedDictionary<long, Value[]> model, int seed)
    {
        var next = new SortedDictionary<long, Value[]>(model);
        var rng = new Random(seed);
        bt.BeginWrite();
        using (var c = new BTreeCursor(bt, root, table: true))
        {
            for (int i = 0; i < 700; i++)
            {
                long key = rng.Next(1, 2500);
                if (rng.Next(3) == 0)
                {
                    if (c.SeekRowId(key))
                    {
                        c.Delete();
                        next.Remove(key);
                    }
                }
                else
                {
                    c.Insert(key, RecordEncoder.Encode(next[key] = RandomRow(rng)));
                }
            }
        }
        bt.Commit();
        return next;
    }

    /// <summary>The crash points to try among <paramref name="total"/> file operations: about 60, with every one of the commit's last operations.</summary>
    private static IEnumerable<int> CrashPoints(int total)
    {
        int stride = Math.Max(1, total / 50);
        for (int k = 0; k < total; k++)
        {
            if (k % stride == 0 || k >= total - 16) yield return k;
        }
    }

    [Theory]
    [InlineData(1024, SynchronousMode.Full, false)]
    [InlineData(4096, SynchronousMode.Full, true)]
    [InlineData(512, SynchronousMode.Normal, false)]
    [InlineData(2048, SynchronousMode.Normal, true)]
    public void Sqlite_plays_back_the_hot_journal_tern_leaves_after_a_power_cut(int pageSize, SynchronousMode sync, bool tear)
    {
        (byte[] baseDb, uint root, SortedDictionary<long, Value[]> model) = TernBase(pageSize);
        var options = new PagerOptions { CacheSize = 10, Synchronous = sync };
        string rowsBefore = ModelRows(model);
        int total;
        string rowsAfter;
        {
            var fs = new MemoryFileSystem();
            fs.SetContent("t.db", baseDb);
            using var bt = TernBTree.Open(fs, "t.db", options);
            long start = fs.OperationCount;
            rowsAfter = ModelRows(TernTransaction(bt, root, model, 42));
            total = (int)(fs.OperationCount - start);
        }
        using var dir = new SqliteShell.TempDir();
        int hot = 0, spilledHot = 0;
        foreach (int k in CrashPoints(total))
        {
            var fs = new MemoryFileSystem { TearOnCrash = tear, TearRandom = new Random(k) };
            fs.SetContent("t.db", baseDb);
            var bt = TernBTree.Open(fs, "t.db", options);
            fs.CrashAfterOperations = fs.OperationCount + k;
            Assert.Throws<SimulatedPowerCutException>(() => TernTransaction(bt, root, model, 42));
            bt.Dispose();
            byte[] db = fs.GetDurableContent("t.db");
            byte[]? journal = fs.Exists("t.db-journal") ? fs.GetDurableContent("t.db-journal") : null;
            bool isHot = journal is { Length: > 0 } && journal[0] != 0;
            if (isHot) hot++;
            if (isHot && !db.AsSpan().SequenceEqual(baseDb)) spilledHot++;
            string path = PlaceCopy(dir, $"k{k}", db, journal);
            byte[] sqliteRecovered;
            using (var c = SqliteOracle.Open(path))
            {
                Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
                Assert.True((journal == null ? rowsAfter : rowsBefore) == SqliteRows(c, 2), $"crash after {k} operations: SQLite sees the wrong rows");
            }
            sqliteRecovered = File.ReadAllBytes(path);
            if (isHot) Assert.False(File.Exists(path + "-journal"), "SQLite played the journal back and deleted it");
            // Tern's own recovery of the same files gives the same bytes.
            using (var again = TernBTree.Open(fs, "t.db")) Assert.Empty(new IntegrityChecker(again).Check(SchemaTable.Roots(again)));
            Assert.True(fs.GetContent("t.db").AsSpan().SequenceEqual(sqliteRecovered), $"crash after {k} operations: Tern and SQLite recover differently");
        }
        output.WriteLine($"{total} operations, {CrashPoints(total).Count()} crash points, {hot} hot journals, {spilledHot} with pages already in the database");
        Assert.True(hot >= 10, "crashes left hot journals");
        Assert.True(spilledHot >= 1, "crashes left changed pages in the database file");
    }

    [Theory]
    [InlineData(1024, SynchronousMode.Off, 512)]
    [InlineData(4096, SynchronousMode.Off, 512)]
    [InlineData(2048, SynchronousMode.Full, 512)]
    [InlineData(1024, SynchronousMode.Normal, 4096)]
    public void Sqlite_plays_back_the_hot_journal_tern_leaves_when_its_process_dies(int pageSize, SynchronousMode sync, int sectorSize)
    {
        // The process dies but the operating system keeps what was written: no write is lost,
        // so even synchronous=OFF (record count 0xFFFFFFFF) must be recoverable.
        (byte[] baseDb, uint root, SortedDictionary<long, Value[]> model) = TernBase(pageSize);
        var options = new PagerOptions { CacheSize = 10, Synchronous = sync, SectorSize = sectorSize };
        string rowsBefore = ModelRows(model);
        int total = 0;
        string rowsAfter;
        {
            var fs = new MemoryFileSystem();
            fs.SetContent("t.db", baseDb);
            using var bt = TernBTree.Open(fs, "t.db", options);
            fs.FailWhen = (op, _) => { if (op is not (IoOperation.Read or IoOperation.Open or IoOperation.Access or IoOperation.Size or IoOperation.DirectorySync or IoOperation.Lock or IoOperation.Unlock or IoOperation.CheckReservedLock)) total++; return false; };
            rowsAfter = ModelRows(TernTransaction(bt, root, model, 7));
            fs.FailWhen = null;
        }
        using var dir = new SqliteShell.TempDir();
        int spilledHot = 0;
        foreach (int k in CrashPoints(total))
        {
            var fs = new MemoryFileSystem();
            fs.SetContent("t.db", baseDb);
            var bt = TernBTree.Open(fs, "t.db", options);
            int done = 0;
            fs.FailWhen = (op, _) => op is not (IoOperation.Read or IoOperation.Open or IoOperation.Access or IoOperation.Size or IoOperation.DirectorySync or IoOperation.Lock or IoOperation.Unlock or IoOperation.CheckReservedLock) && ++done > k || done > k;
            Assert.ThrowsAny<TernException>(() => TernTransaction(bt, root, model, 7));
            bt.Dispose();
            fs.FailWhen = null;
            byte[] db = fs.GetContent("t.db");
            byte[]? journal = fs.Exists("t.db-journal") ? fs.GetContent("t.db-journal") : null;
            if (journal is { Length: > 0 } && !db.AsSpan().SequenceEqual(baseDb)) spilledHot++;
            string path = PlaceCopy(dir, $"k{k}", db, journal);
            using (var c = SqliteOracle.Open(path))
            {
                Assert.Equal("ok", SqliteOracle.Scalar(c, "PRAGMA integrity_check"));
                Assert.True((journal == null ? rowsAfter : rowsBefore) == SqliteRows(c, 2), $"death after {k} operations: SQLite sees the wrong rows");
            }
            byte[] sqliteRecovered = File.ReadAllBytes(path);
            using (var again = TernBTree.Open(fs, "t.db")) Assert.Equal(journal == null ? rowsAfter : rowsBefore, TernRows(again));
            Assert.True(fs.GetContent("t.db").AsSpan().SequenceEqual(sqliteRecovered), $"death after {k} operations: Tern and SQLite recover differently");
        }
        output.WriteLine($"{total} operations, {spilledHot} deaths with pages already in the database");
        Assert.True(spilledHot >= 5);
    }
}
