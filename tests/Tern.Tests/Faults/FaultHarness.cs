// The machinery of the I/O fault tests. A scenario is a database prepared by setup SQL (or
// given as a file image, possibly with a hot journal beside it) and a list of SQL steps run
// on one connection. The harness runs the steps without faults once to learn the database
// content after every step, and once more to count the file-system calls they make (from
// opening the database on). Then, for each chosen call index k, it runs them again on a
// fresh copy of the files with a fault injected at call k, and checks:
//
//   - the first failing step fails with a TernException whose primary code is IOERR, FULL
//     or CANTOPEN (never another exception type);
//   - after an IOERR or FULL while the step ran, the connection is back in autocommit mode
//     (the transaction was rolled back, as SQLite does);
//   - with the faults cleared, the same connection sees the content as it was before the
//     transaction (or, when the transaction is still open, before the failed step; it is
//     then rolled back and the content must be as before the transaction), integrity_check
//     is ok, and the connection can still write and commit;
//   - reopened from its files, the database holds that same content (plus the probe row)
//     and passes integrity_check.
//
// Fault kinds (FaultMode): one call fails (optionally a short write), every call from k on
// fails (a dead disk: the rollback fails too and recovery must come from the journal), the
// disk fills up (MemoryFileSystem.Capacity) k bytes past what the files held, or the k-th
// question about the files (exists? size?) or directory sync fails once.
//
// A scenario may run beside an open reader (FaultReader): a query of a table the steps never
// touch, stepped once before the steps and read to its end after them, on the same
// connection (the transaction outlives each step's) or on a second connection of one shared
// cache (one storage under both). The reader must then give its rows whole, or stop with
// IOERR/FULL or SQLITE_ABORT_ROLLBACK, never a short result or another exception.
//
//   run:  copy files --> open --> step 0 .. step n            (fault at call k somewhere)
//                                   \-- TernException --> clear faults --> check same
//                                        connection --> probe write --> reopen --> check
using System.Globalization;
using System.Text;
using Tern.Storage.Io;

namespace Tern.Tests.Faults;

/// <summary>How a fault is injected.</summary>
public enum FaultMode
{
    /// <summary>Call k fails once; writes that fail land half their data on odd k.</summary>
    Once,
    /// <summary>Call k and every later call fail until the faults are cleared.</summary>
    Persistent,
    /// <summary>The disk holds only k bytes more than the files held when the database was opened.</summary>
    DiskFull,
    /// <summary>Question k about the files (does one exist, how large is it) or directory sync k fails once.</summary>
    Metadata,
}

/// <summary>Where a scenario's open reader runs.</summary>
public enum FaultReader
{
    /// <summary>No reader.</summary>
    None,
    /// <summary>On the connection the steps run on.</summary>
    SameConnection,
    /// <summary>On a second connection; both in one shared cache.</summary>
    SharedCache,
}

/// <summary>One SQL scenario for fault injection.</summary>
public sealed class FaultScenario
{
    /// <summary>The scenario's name (the test case's display name).</summary>
    public required string Name { get; init; }

    /// <summary>SQL run (without faults) to prepare the database.</summary>
    public string Setup { get; init; } = "";

    /// <summary>The statements run with a fault injected, one at a time.</summary>
    public required string[] Steps { get; init; }

    /// <summary>Page size of a new database.</summary>
    public int PageSize { get; init; } = 1024;

    /// <summary>Page cache bound (small values make transactions spill).</summary>
    public int CacheSize { get; init; } = 2000;

    /// <summary>Sort memory limit (small values make sorts spill to temporary files).</summary>
    public long SortMemoryLimit { get; init; } = 64L * 1024 * 1024;

    /// <summary>Whether the steps make the files grow (so that a full disk can stop them).</summary>
    public bool Grows { get; init; } = true;

    /// <summary>The database file to start from (e.g. one SQLite made); null for an empty one.</summary>
    public Func<byte[]>? Seed { get; init; }

    /// <summary>
    /// Whether a call after a transaction's commit point can fail (journal_mode PERSIST or
    /// TRUNCATE: zeroing or cutting the journal is the commit point, and syncing it comes
    /// after). SQLite reports such a failure for the COMMIT although the transaction is on
    /// disk; the database may then hold the transaction's end state instead of its start.
    /// </summary>
    public bool CommitPointCanFail { get; init; }

    /// <summary>Changes the files after setup, before the steps (e.g. leaves a hot journal).</summary>
    public Action<MemoryFileSystem>? Damage { get; init; }

    /// <summary>The reader left open beside the steps.</summary>
    public FaultReader Reader { get; init; }

    /// <summary>This scenario run beside an open reader, under a name that says so.</summary>
    public FaultScenario Beside(FaultReader reader) => new()
    {
        Name = Name + (reader == FaultReader.SharedCache ? " beside a shared-cache reader" : " beside a reader on the same connection"),
        Setup = Setup, Steps = Steps, PageSize = PageSize, CacheSize = CacheSize, SortMemoryLimit = SortMemoryLimit,
        Grows = Grows, Seed = Seed, CommitPointCanFail = CommitPointCanFail, Damage = Damage, Reader = reader,
    };

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Runs a scenario with faults at many call indexes and checks the outcome of each.</summary>
internal static class FaultHarness
{
    public const string DbPath = "fault.db";

    /// <summary>Every k when TERN_FAULT_FULL=1; otherwise at most this many per scenario and mode.</summary>
    public static bool Full => Environment.GetEnvironmentVariable("TERN_FAULT_FULL") == "1";

    public sealed class Report
    {
        public long Calls;
        public int Cases;
        public int Failed;
        public int Survived;
        public override string ToString() => $"{Calls} calls, {Cases} cases, {Failed} failed statements, {Survived} runs unaffected";
    }

    private static DatabaseOptions Options(FaultScenario s, MemoryFileSystem fs) => new()
    {
        FileSystem = fs,
        PageSize = s.PageSize,
        CacheSize = s.CacheSize,
        SortMemoryLimit = s.SortMemoryLimit,
    };

    /// <summary>The files after setup: path to content.</summary>
    public static Dictionary<string, byte[]> BuildImage(FaultScenario s)
    {
        var fs = new MemoryFileSystem();
        if (s.Seed != null) fs.SetContent(DbPath, s.Seed());
        using (Database db = Database.Open(DbPath, Options(s, fs)))
        using (Connection c = db.Connect())
        {
            c.Execute(s.Setup);
            // A table outside the scenario's content, written after each failure to prove the
            // connection still commits.
            c.Execute("CREATE TABLE fault_probe(x)");
            if (s.Reader != FaultReader.None) c.Execute("CREATE TABLE fault_reader(x); INSERT INTO fault_reader VALUES (1), (2), (3), (4)");
        }
        s.Damage?.Invoke(fs);
        return fs.Files.ToDictionary(p => p, fs.GetContent);
    }

    public static MemoryFileSystem Load(Dictionary<string, byte[]> image)
    {
        var fs = new MemoryFileSystem();
        foreach ((string path, byte[] data) in image) fs.SetContent(path, data);
        return fs;
    }

    /// <summary>
    /// Runs the scenario without faults: the content before the steps and after each, and for
    /// each step the index of the content its transaction started from (states[i] is the content
    /// after step i-1; states[0] before any).
    /// </summary>
    public static (string[] States, int[] TxnStart) Reference(FaultScenario s, Dictionary<string, byte[]> image)
    {
        var states = new string[s.Steps.Length + 1];
        var txnStart = new int[s.Steps.Length];
        MemoryFileSystem fs = Load(image);
        using Database db = Database.Open(DbPath, Options(s, fs));
        using Session session = Session.Open(db, s);
        Connection c = session.C;
        states[0] = Dump(c);
        for (int i = 0; i < s.Steps.Length; i++)
        {
            txnStart[i] = c.AutoCommit ? i : txnStart[i - 1];
            RunStep(c, s.Steps[i]);
            states[i + 1] = Dump(c);
        }
        Assert.True(c.AutoCommit, "a scenario ends outside any transaction");
        Assert.True(session.FinishReader(s.Name), "the reader reads every row without faults");
        return (states, txnStart);
    }

    private static bool IsMetadata(IoOperation op) => op is IoOperation.Access or IoOperation.Size or IoOperation.DirectorySync;

    /// <summary>
    /// File-system calls from opening the database to the end of the steps, how many of them
    /// were metadata calls (<see cref="FaultMode.Metadata"/>), and the most bytes the files grew by.
    /// </summary>
    public static (long Calls, long MetadataCalls, long Growth) Count(FaultScenario s, Dictionary<string, byte[]> image)
    {
        MemoryFileSystem fs = Load(image);
        long before = image.Values.Sum(d => (long)d.Length);
        using (Database db = Database.Open(DbPath, Options(s, fs)))
        using (Session session = Session.Open(db, s))
        {
            foreach (string step in s.Steps) RunStep(session.C, step);
            session.FinishReader(s.Name);
        }
        long metadata = fs.CallCountOf(IoOperation.Access) + fs.CallCountOf(IoOperation.Size) + fs.CallCountOf(IoOperation.DirectorySync);
        return (fs.CallCount, metadata, Math.Max(0, fs.PeakSize - before));
    }

    /// <summary>The call indexes (or byte budgets) to try: all of them, or an even spread that always includes the last ones.</summary>
    public static IEnumerable<long> Choose(long n, int sample)
    {
        if (Full || n <= sample)
        {
            for (long k = 0; k < n; k++) yield return k;
            yield break;
        }
        var picks = new SortedSet<long>();
        for (int i = 0; i < sample - 8; i++) picks.Add(i * n / (sample - 8));
        for (long k = Math.Max(0, n - 8); k < n; k++) picks.Add(k);
        foreach (long k in picks) yield return k;
    }

    public static Report Run(FaultScenario s, FaultMode mode, int sample)
    {
        Dictionary<string, byte[]> image = BuildImage(s);
        (string[] states, int[] txnStart) = Reference(s, image);
        (long calls, long metadataCalls, long growth) = Count(s, image);
        var report = new Report { Calls = calls };
        // A full disk is tried at most at 1024 byte budgets spread over the growth, even in a
        // full run (trying every single byte would add time, not coverage).
        long step = mode == FaultMode.DiskFull ? Math.Max(1, growth / 1024) : 1;
        long span = mode switch
        {
            FaultMode.DiskFull => (growth + step - 1) / step,
            FaultMode.Metadata => metadataCalls,
            _ => calls,
        };
        foreach (long k in Choose(span, sample))
        {
            report.Cases++;
            try
            {
                RunCase(s, mode, image, states, txnStart, k * step, report);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                // An exception the checks did not expect: say which case raised it.
                throw new Xunit.Sdk.XunitException($"{s.Name}, {mode} at {k * step}: {e}");
            }
        }
        return report;
    }

    private static void RunCase(FaultScenario s, FaultMode mode, Dictionary<string, byte[]> image, string[] states, int[] txnStart, long k, Report report)
    {
        string where = $"{s.Name}, {mode} at {k}";
        MemoryFileSystem fs = Load(image);
        switch (mode)
        {
            case FaultMode.Once:
                fs.ScheduleFault(k);
                fs.ShortWrites = k % 2 == 1;
                break;
            case FaultMode.Persistent:
                fs.ScheduleFault(k, persistent: true);
                break;
            case FaultMode.DiskFull:
                fs.Capacity = image.Values.Sum(d => (long)d.Length) + k;
                break;
            case FaultMode.Metadata:
                long seen = 0;
                fs.FailWhen = (op, _) => IsMetadata(op) && seen++ == k;
                break;
        }
        Database db;
        Session session;
        try
        {
            db = Database.Open(DbPath, Options(s, fs));
            try
            {
                session = Session.Open(db, s);
            }
            catch
            {
                db.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            AssertIoError(e, where + ", open");
            report.Failed++;
            fs.ClearFaults();
            CheckReopened(s, fs, states[0], probeRows: 0, where);
            return;
        }
        string expected;
        using (db)
        using (session)
        {
            Connection c = session.C;
            int failedAt = -1;
            for (int i = 0; i < s.Steps.Length && failedAt < 0; i++)
            {
                try
                {
                    RunStep(c, s.Steps[i]);
                }
                catch (Exception e)
                {
                    failedAt = i;
                    bool whileRunning = AssertIoError(e, $"{where}, step {i} ({s.Steps[i]})");
                    if (whileRunning && e is TernException { Code: ResultCode.IoErr or ResultCode.Full })
                    {
                        Assert.True(c.AutoCommit, $"{where}: the transaction stays open after {((TernException)e).ExtendedCode} in step {i}");
                    }
                }
            }
            fs.ClearFaults();
            session.FinishReader(where);
            if (failedAt < 0)
            {
                // The fault hit a call whose failure does not matter (the removal of a temporary file).
                report.Survived++;
                expected = states[^1];
                Assert.Equal(expected, Dump(c));
            }
            else
            {
                report.Failed++;
                if (!c.AutoCommit)
                {
                    // The statement was undone, the transaction goes on: it sees the content
                    // as it was before the statement; then it is rolled back.
                    Assert.Equal(states[failedAt], Dump(c));
                    c.Execute("ROLLBACK");
                }
                expected = states[txnStart[failedAt]];
                string seen = Dump(c);
                // Past a commit point that can fail, the transaction the failing step ended may be on disk.
                if (s.CommitPointCanFail && seen != expected && EndOfTransaction(s, failedAt) is int end && seen == states[end]) expected = seen;
                Assert.True(expected == seen, $"{where}: after step {failedAt} the connection sees\n{seen}\nexpected\n{expected}");
            }
            string check = IntegrityCheck(c);
            Assert.True(check == "ok", $"{where}: integrity_check on the same connection: {check}");
            c.Execute("INSERT INTO fault_probe VALUES(1)");
        }
        CheckReopened(s, fs, expected, probeRows: 1, where);
    }

    /// <summary>The connection the steps run on, with the scenario's reader beside it.</summary>
    private sealed class Session : IDisposable
    {
        private Connection? _other;
        private Statement? _reader;
        private readonly List<long> _read = [];

        private Session(Connection c) => C = c;

        public Connection C { get; }

        /// <summary>Connects (in a shared cache for a shared-cache reader) and starts the reader with one step.</summary>
        public static Session Open(Database db, FaultScenario s)
        {
            bool shared = s.Reader == FaultReader.SharedCache;
            var session = new Session(db.Connect(shared));
            try
            {
                if (s.Reader == FaultReader.None) return session;
                if (shared) session._other = db.Connect(sharedCache: true);
                session._reader = (session._other ?? session.C).Prepare("SELECT x FROM fault_reader");
                if (session._reader.Step()) session._read.Add(session._reader.GetInt64(0));
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Reads the reader to its end and closes it: true when it gave every row; false when it
        /// stopped with an I/O error or because its transaction was rolled back under it.
        /// </summary>
        public bool FinishReader(string where)
        {
            if (_reader == null) return true;
            try
            {
                while (_reader.Step()) _read.Add(_reader.GetInt64(0));
                Assert.True(_read.SequenceEqual([1L, 2, 3, 4]), $"{where}: the reader gave {string.Join(",", _read)}");
                return true;
            }
            catch (TernException e) when (e.Code is ResultCode.IoErr or ResultCode.Full || e.ExtendedCode == ResultCode.AbortRollback)
            {
                return false;
            }
            finally
            {
                _reader.Dispose();
                _reader = null;
            }
        }

        public void Dispose()
        {
            _reader?.Dispose();
            _other?.Dispose();
            C.Dispose();
        }
    }

    /// <summary>The state index after the transaction that step <paramref name="step"/> belongs to ends (autocommit: the step itself).</summary>
    private static int? EndOfTransaction(FaultScenario s, int step)
    {
        bool open = false;
        for (int i = 0; i < s.Steps.Length; i++)
        {
            string sql = s.Steps[i].TrimStart().ToUpperInvariant();
            if (sql.StartsWith("BEGIN", StringComparison.Ordinal)) open = true;
            bool ends = !open || sql.StartsWith("COMMIT", StringComparison.Ordinal) || sql.StartsWith("END", StringComparison.Ordinal);
            if (sql.StartsWith("COMMIT", StringComparison.Ordinal) || sql.StartsWith("END", StringComparison.Ordinal)) open = false;
            if (i >= step && ends) return i + 1;
        }
        return null;
    }

    private static void CheckReopened(FaultScenario s, MemoryFileSystem fs, string expected, int probeRows, string where)
    {
        using Database db = Database.Open(DbPath, Options(s, fs));
        using Connection c = db.Connect();
        string seen = Dump(c);
        Assert.True(expected == seen, $"{where}: reopened, the database holds\n{seen}\nexpected\n{expected}");
        string check = IntegrityCheck(c);
        Assert.True(check == "ok", $"{where}: integrity_check after reopening: {check}");
        Assert.Equal(probeRows.ToString(CultureInfo.InvariantCulture), Scalar(c, "SELECT count(*) FROM fault_probe"));
    }

    /// <summary>
    /// Asserts that a failure is an SQLite I/O-class error; returns whether it came from running
    /// the statement (true) or from preparing it (false).
    /// </summary>
    private static bool AssertIoError(Exception e, string where)
    {
        if (e is not StepFailure and not TernException)
        {
            Assert.Fail($"{where}: {e.GetType().Name} instead of a TernException: {e}");
        }
        bool running = e is StepFailure;
        var te = (TernException)(e is StepFailure f ? f.InnerException! : e);
        Assert.True(te.Code is ResultCode.IoErr or ResultCode.Full or ResultCode.CantOpen,
            $"{where}: {te.ExtendedCode} ({te.Message}) is not an I/O error");
        string message = TernException.DefaultMessage(te.Code);
        Assert.True(te.Message == message, $"{where}: message '{te.Message}', expected '{message}'");
        return running;
    }

    /// <summary>Marks an error raised while a statement ran (not while it was prepared).</summary>
    private sealed class StepFailure(TernException inner) : Exception(inner.Message, inner);

    /// <summary>Prepares and runs one statement to its end; a failure while it runs comes wrapped in <see cref="StepFailure"/>.</summary>
    public static void RunStep(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        try
        {
            while (s.Step())
            {
            }
        }
        catch (TernException e)
        {
            throw new StepFailure(e);
        }
    }

    public static string IntegrityCheck(Connection c) => Scalar(c, "PRAGMA integrity_check");

    private static string Scalar(Connection c, string sql)
    {
        using Statement s = c.Prepare(sql);
        Assert.True(s.Step());
        return s.GetString(0) ?? "NULL";
    }

    /// <summary>
    /// The database's content in a canonical form: the schema (type, name, table, SQL; not the
    /// root pages), then every table's rows in rowid order, values with their types.
    /// </summary>
    private static bool WithoutRowid(Connection c, string table)
    {
        using Statement s = c.Prepare("PRAGMA main.table_list");
        while (s.Step())
        {
            if (s.GetString(1) == table) return s.GetInt64(4) == 1;
        }
        return false;
    }

    public static string Dump(Connection c)
    {
        var sb = new StringBuilder();
        var tables = new List<string>();
        using (Statement s = c.Prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name <> 'fault_probe' ORDER BY type, name"))
        {
            while (s.Step())
            {
                sb.Append("schema: ").AppendJoin(" | ", Enumerable.Range(0, 4).Select(i => s.GetValue(i).ToString())).Append('\n');
                if (s.GetString(0) == "table") tables.Add(s.GetString(1)!);
            }
        }
        foreach (string t in tables)
        {
            sb.Append("table ").Append(t).Append('\n');
            // A WITHOUT ROWID table has no rowid: its rows in key order.
            string quoted = "\"" + t.Replace("\"", "\"\"") + "\"";
            using Statement s = c.Prepare(WithoutRowid(c, t) ? $"SELECT 0, * FROM {quoted}" : $"SELECT rowid, * FROM {quoted} ORDER BY rowid");
            while (s.Step())
            {
                for (int i = 0; i < s.ColumnCount; i++)
                {
                    Value v = s.GetValue(i);
                    sb.Append(i == 0 ? "  " : " | ").Append(v.Kind).Append(':').Append(v.ToString());
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }
}
