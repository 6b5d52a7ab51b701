// Crash safety through SQL. Each scenario runs a seeded random workload on a database in a
// MemoryFileSystem: several tables (integer keys, small and overflowing text and blobs),
// plain, partial and expression indexes, schema changes (CREATE/DROP TABLE and INDEX,
// ALTER TABLE ADD COLUMN and RENAME TO), autocommit statements and BEGIN ... COMMIT/ROLLBACK
// transactions with SAVEPOINT/RELEASE/ROLLBACK TO inside, on small page caches (so dirty
// pages spill to the file mid-transaction) and, by seed, in auto_vacuum FULL or INCREMENTAL
// files and with journal_mode PERSIST or TRUNCATE. Power is cut at a random mutating file
// operation of most transactions (tearing the last unsynced write on some seeds, and
// sometimes cutting again during recovery); the
// database is then reopened and must hold exactly the committed transactions:
//
//   state after the cut = model of the committed transactions
//                       | model with the interrupted one (only when the cut hit its COMMIT,
//                         or the autocommit statement that was its own transaction)
//
// and pass Tern's integrity check; a sample of the recovered images also goes through
// SQLite's (3.50.4 in-process). The model keeps every table's columns, defaults and rows
// and the index names; savepoints are snapshots of it. TERN_SQL_CRASH_SEEDS sets how many
// scenarios run (each performs CutsPerSeed power cuts); TERN_SQL_CRASH_SEED=<n> runs one.
//
// The same workload runs in journal_mode=WAL (TERN_WAL_CRASH_SEEDS scenarios, or
// TERN_WAL_CRASH_SEED=<n>), with a small wal_autocheckpoint on most seeds and explicit
// PRAGMA wal_checkpoint(PASSIVE|FULL|RESTART|TRUNCATE) statements among the autocommit
// ones, so cuts land in commits, automatic and explicit checkpoints and log restarts. With
// synchronous=FULL every commit that returned survives. With synchronous=NORMAL the log is
// synced only by checkpoints, so a cut may lose the latest commits, but never more than
// back to the last state known durable (the last explicit checkpoint, clean close or
// recovery), and never shows a state no commit made:
//
//   NORMAL: state after the cut = one of the committed states since the durable floor
//                                 | the interrupted commit's state
//
// Now and then the database is closed cleanly: the last close checkpoints and deletes the log.
// On some seeds a second database handle on the same files opens read transactions that
// stay open over several cycles, so checkpoints stop at its snapshot, RESTART and TRUNCATE
// report busy, and the log grows past it; a cut kills it with the writer.
using System.Globalization;
using System.Text;
using Tern.Storage.Io;
using Tern.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Tests.Crash;

public class SqlCrashTests(ITestOutputHelper output)
{
    private const string DbPath = "crash.db";
    private const int CutsPerSeed = 100;
    // One in this many recovered images is also checked by SQLite.
    private const int OracleSample = 25;

    private static int Seeds =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_SQL_CRASH_SEEDS"), out int n) && n > 0 ? n : 20;

    public static IEnumerable<object[]> Scenarios()
    {
        string? only = Environment.GetEnvironmentVariable("TERN_SQL_CRASH_SEED");
        if (only != null && int.TryParse(only, out int one))
        {
            yield return [one];
            yield break;
        }
        for (int seed = 1; seed <= Seeds; seed++) yield return [seed];
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Power_cut_during_sql_workload_keeps_exactly_the_committed_transactions(int seed)
    {
        var run = new Scenario(seed);
        run.Run();
        output.WriteLine($"seed {seed}: {run.Crashes} power cuts ({run.CutsInCommit} in a commit, {run.CommitsSurvived} of those kept), "
            + $"{run.Commits} commits, {run.Rollbacks} rollbacks, {run.OracleChecks} SQLite integrity checks, "
            + $"{run.Model.Tables.Count} tables, {run.Model.Tables.Values.Sum(t => t.Rows.Count)} rows, mode {run.Mode}, journal {run.JournalMode}");
        Assert.Equal(CutsPerSeed, run.Crashes);
    }

    private static int WalSeeds =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_WAL_CRASH_SEEDS"), out int n) && n > 0 ? n : 8;

    public static IEnumerable<object[]> WalScenarios()
    {
        string? only = Environment.GetEnvironmentVariable("TERN_WAL_CRASH_SEED");
        if (only != null && int.TryParse(only, out int one))
        {
            yield return [one];
            yield break;
        }
        for (int seed = 1; seed <= WalSeeds; seed++) yield return [seed];
    }

    [Theory]
    [MemberData(nameof(WalScenarios))]
    public void Power_cut_in_wal_mode_keeps_every_commit_synchronous_promises_and_no_uncommitted_one(int seed)
    {
        var run = new Scenario(seed, wal: true);
        run.Run();
        output.WriteLine($"seed {seed}: {run.Crashes} power cuts ({run.CutsInCommit} in a commit, {run.CommitsSurvived} of those kept, "
            + $"{run.CutsInCheckpoint} in an explicit checkpoint, {run.CommitsLost} commits lost to synchronous=NORMAL), "
            + $"{run.Commits} commits, {run.Rollbacks} rollbacks, {run.Checkpoints} checkpoints, {run.CleanCloses} clean closes, "
            + $"{run.OracleChecks} SQLite checks, mode {run.Mode}, synchronous {run.Synchronous}, wal_autocheckpoint {run.AutoCheckpoint}, "
            + $"{run.ReaderSnapshots} read transactions of a second handle, {run.BusyCheckpoints} checkpoints stopped by one");
        Assert.Equal(CutsPerSeed, run.Crashes);
    }

    // ------------------------------------------------------------------ model

    private sealed class TableModel
    {
        public List<string> Columns = [];
        public List<object?> Defaults = [];
        public SortedDictionary<long, object?[]> Rows = [];

        public TableModel Clone() => new()
        {
            Columns = [.. Columns],
            Defaults = [.. Defaults],
            Rows = new SortedDictionary<long, object?[]>(Rows.ToDictionary(kv => kv.Key, kv => (object?[])kv.Value.Clone())),
        };
    }

    private sealed class Model
    {
        public SortedDictionary<string, TableModel> Tables = new(StringComparer.Ordinal);
        public SortedDictionary<string, string> Indexes = new(StringComparer.Ordinal); // index -> table

        public Model Clone() => new()
        {
            Tables = new SortedDictionary<string, TableModel>(Tables.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()), StringComparer.Ordinal),
            Indexes = new SortedDictionary<string, string>(Indexes, StringComparer.Ordinal),
        };

        /// <summary>The canonical text of the whole content: tables, indexes, rows.</summary>
        public string Render()
        {
            var sb = new StringBuilder();
            foreach ((string name, TableModel t) in Tables)
            {
                sb.Append("table ").Append(name).Append('(').AppendJoin(',', t.Columns).Append(")\n");
                foreach ((long id, object?[] row) in t.Rows)
                {
                    sb.Append(id.ToString(CultureInfo.InvariantCulture));
                    foreach (object? v in row) sb.Append('|').Append(RenderValue(v));
                    sb.Append('\n');
                }
            }
            foreach ((string ix, string table) in Indexes) sb.Append("index ").Append(ix).Append(" on ").Append(table).Append('\n');
            return sb.ToString();
        }
    }

    private static string RenderValue(object? v) => v switch
    {
        null => "n",
        long l => "i" + l.ToString(CultureInfo.InvariantCulture),
        string s => "t" + s,
        byte[] b => "x" + Convert.ToHexString(b),
        _ => throw new InvalidOperationException("unexpected model value " + v.GetType()),
    };

    // ------------------------------------------------------------------ one scenario

    /// <summary>One statement of the workload: its SQL, parameters, and its effect on the model.</summary>
    private sealed record Op(string Sql, object?[] Args, Action<Model> Apply);

    private sealed class Scenario
    {
        private readonly int _seed;
        private readonly Random _rng;
        private readonly MemoryFileSystem _fs;
        private readonly DatabaseOptions _options;
        private Database _db;
        private Connection _conn;
        private int _names;

        public Scenario(int seed, bool wal = false)
        {
            _seed = seed;
            Wal = wal;
            _rng = new Random(seed);
            _fs = new MemoryFileSystem { TearOnCrash = seed % 2 == 0, TearRandom = new Random(seed * 7919) };
            int pageSize = (seed % 3) switch { 0 => 512, 1 => 1024, _ => 4096 };
            // Small caches make dirty pages spill into the file in the middle of a transaction.
            int cache = (seed % 4) switch { 0 => 10, 1 => 16, 2 => 40, _ => 2000 };
            _options = new DatabaseOptions { FileSystem = _fs, PageSize = pageSize, CacheSize = cache };
            Mode = (seed % 5) switch { 1 => "full", 3 => "incremental", _ => "none" };
            // Some seeds end their transactions by zeroing or cutting the journal instead of deleting it.
            JournalMode = wal ? "wal" : (seed % 7) switch { 2 => "persist", 5 => "truncate", _ => "delete" };
            Synchronous = wal && seed % 3 == 0 ? "normal" : "full";
            WithReader = wal && seed / 2 % 2 == 1;
            _readerRng = new Random(seed * 104729);
            AutoCheckpoint = !wal ? 0 : (seed % 4) switch { 0 => 1000, 1 => 4, 2 => 16, _ => 50 };
            _db = Database.Open(DbPath, _options);
            _conn = _db.Connect();
        }

        /// <summary>A connection in the scenario's journal mode (the mode belongs to the connection, as in SQLite).</summary>
        private Connection Connect(Database db)
        {
            Connection c = db.Connect();
            SetModes(c);
            return c;
        }

        private void SetModes(Connection c)
        {
            c.Execute("PRAGMA journal_mode = " + JournalMode);
            if (Wal)
            {
                c.Execute("PRAGMA synchronous = " + Synchronous);
                c.Execute("PRAGMA wal_autocheckpoint = " + AutoCheckpoint.ToString(CultureInfo.InvariantCulture));
            }
        }

        public Model Model { get; private set; } = new();
        public string Mode { get; }
        public string JournalMode { get; }
        public bool Wal { get; }
        public string Synchronous { get; }
        public int AutoCheckpoint { get; }
        public int Crashes, CutsInCommit, CommitsSurvived, Commits, Rollbacks, OracleChecks;
        public int CutsInCheckpoint, CommitsLost, Checkpoints, CleanCloses, ReaderSnapshots, BusyCheckpoints;
        public bool WithReader { get; }

        // The second handle and its open read transaction (null when it has none).
        private readonly Random _readerRng;
        private Database? _readerDb;
        private Connection? _readerConn;

        // synchronous=NORMAL in WAL mode: the committed states since the last one known to be
        // durable (oldest first, the current model last); a power cut may go back to any of them.
        private readonly List<Model> _durableSince = [];

        public void Run()
        {
            if (Mode != "none")
            {
                Exec("PRAGMA auto_vacuum=" + Mode);
            }
            SetModes(_conn);
            if (Wal) Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
            Durable();
            for (int i = 0; i < 3; i++)
            {
                Op create = CreateTable(Model);
                Exec(create.Sql, create.Args);
                Model = Model.Clone();
                create.Apply(Model);
                Committed();
            }
            Assert.Equal(Mode switch { "full" => 1L, "incremental" => 2L, _ => 0L }, Scalar("PRAGMA auto_vacuum"));
            int cycle = 0;
            while (Crashes < CutsPerSeed)
            {
                Assert.True(++cycle < CutsPerSeed * 20, $"seed {_seed}: too few power cuts ({Crashes} in {cycle} cycles)");
                Cycle(cycle);
            }
            Close();
        }

        /// <summary>Now and then opens a read transaction on a second handle, or ends the open one.</summary>
        private void ReaderStep()
        {
            if (!WithReader) return;
            if (_readerConn == null)
            {
                if (_readerRng.Next(3) != 0) return;
                _readerDb = Database.Open(DbPath, _options);
                _readerConn = _readerDb.Connect();
                _readerConn.Execute("BEGIN");
                using Statement s = _readerConn.Prepare("SELECT count(*) FROM sqlite_schema");
                Assert.True(s.Step());
                ReaderSnapshots++;
            }
            else if (_readerRng.Next(3) == 0)
            {
                CloseReader();
            }
        }

        private void CloseReader()
        {
            if (_readerConn == null) return;
            _readerConn.Execute("COMMIT");
            _readerConn.Dispose();
            _readerDb!.Dispose();
            _readerConn = null;
            _readerDb = null;
        }

        /// <summary>Runs PRAGMA wal_checkpoint(mode); returns whether it copied the whole log (busy = 0, log = checkpointed).</summary>
        private bool RunCheckpoint(string sql)
        {
            try
            {
                using Statement s = _conn.Prepare(sql);
                Assert.True(s.Step());
                bool complete = s.GetInt64(0) == 0 && s.GetInt64(1) == s.GetInt64(2);
                while (s.Step())
                {
                }
                return complete;
            }
            catch (TernException e)
            {
                Assert.Fail($"seed {_seed}: \"{sql}\" failed: {e.Message} ({e.ExtendedCode})");
                throw;
            }
        }

        /// <summary>The model was committed and is now known to be on disk (NORMAL can no longer lose it).</summary>
        private void Durable()
        {
            _durableSince.Clear();
            _durableSince.Add(Model);
        }

        /// <summary>A transaction committed: under NORMAL in WAL mode it may still be lost to a cut.</summary>
        private void Committed()
        {
            Commits++;
            if (Synchronous == "normal") _durableSince.Add(Model);
            else Durable();
        }

        /// <summary>Closes the database cleanly (the last close checkpoints and deletes the log) and opens it again.</summary>
        private void CloseAndReopen(int cycle)
        {
            Close();
            CleanCloses++;
            Assert.False(_fs.Exists(DbPath + "-wal"), $"seed {_seed} cycle {cycle}: the log is still there after the last connection closed");
            Assert.False(_fs.Exists(DbPath + "-journal") && _fs.GetSize(DbPath + "-journal") > 0 && JournalMode == "delete",
                $"seed {_seed} cycle {cycle}: a journal is left after a clean close");
            _db = Database.Open(DbPath, _options);
            _conn = Connect(_db);
            Durable();
            Assert.Equal(Model.Render(), ReadState());
        }

        private void Cycle(int cycle)
        {
            Model committed = Model;
            Model work = committed.Clone();
            Model? pending = null;   // the model if the transaction being committed made it
            bool inCommit = false;
            bool inCheckpoint = false;
            string step = "";
            ReaderStep();
            bool crashHere = _rng.Next(4) != 0;
            _fs.CrashAfterOperations = crashHere ? _fs.OperationCount + _rng.Next(0, 60) : null;
            try
            {
                if (Wal && _rng.Next(6) == 0)
                {
                    // An explicit checkpoint: everything committed is durable once it returns.
                    string mode = _rng.Next(4) switch { 0 => "PASSIVE", 1 => "FULL", 2 => "RESTART", _ => "TRUNCATE" };
                    step = $"PRAGMA wal_checkpoint({mode})";
                    inCheckpoint = true;
                    Checkpoints++;
                    // Only a checkpoint that copied the whole log has synced it (a reader's snapshot may stop it).
                    if (RunCheckpoint(step)) Durable();
                    else BusyCheckpoints++;
                }
                else if (_rng.Next(3) == 0)
                {
                    // One autocommit statement: its own transaction.
                    Op op = NextOp(work);
                    Model after = work.Clone();
                    op.Apply(after);
                    step = op.Sql;
                    pending = after;
                    inCommit = true;
                    Exec(op.Sql, op.Args);
                    Model = after;
                    Committed();
                }
                else
                {
                    step = "BEGIN";
                    Exec("BEGIN");
                    var savepoints = new List<(string Name, Model Snapshot)>();
                    int n = _rng.Next(1, 14);
                    for (int i = 0; i < n; i++)
                    {
                        if (_rng.Next(5) == 0)
                        {
                            if (savepoints.Count == 0 || _rng.Next(3) == 0)
                            {
                                string sp = "sp" + (++_names).ToString(CultureInfo.InvariantCulture);
                                step = "SAVEPOINT " + sp;
                                Exec(step);
                                savepoints.Add((sp, work.Clone()));
                            }
                            else
                            {
                                int j = _rng.Next(savepoints.Count);
                                if (_rng.Next(2) == 0)
                                {
                                    step = "ROLLBACK TO " + savepoints[j].Name;
                                    Exec(step);
                                    work = savepoints[j].Snapshot.Clone();
                                    savepoints.RemoveRange(j + 1, savepoints.Count - j - 1);
                                }
                                else
                                {
                                    step = "RELEASE " + savepoints[j].Name;
                                    Exec(step);
                                    savepoints.RemoveRange(j, savepoints.Count - j);
                                }
                            }
                            continue;
                        }
                        Op op = NextOp(work);
                        step = op.Sql;
                        Exec(op.Sql, op.Args);
                        op.Apply(work);
                    }
                    if (_rng.Next(8) == 0)
                    {
                        step = "ROLLBACK";
                        Exec("ROLLBACK");
                        Rollbacks++;
                    }
                    else
                    {
                        step = "COMMIT";
                        pending = work;
                        inCommit = true;
                        Exec("COMMIT");
                        Model = work;
                        Committed();
                    }
                }
                _fs.CrashAfterOperations = null;
                pending = null;
                inCommit = false;
            }
            catch (SimulatedPowerCutException)
            {
                Crashes++;
                // The second handle died with the process.
                _readerConn = null;
                _readerDb = null;
                if (inCommit) CutsInCommit++;
                if (inCheckpoint) CutsInCheckpoint++;
                Recover();
                string found = ReadState();
                if (found == committed.Render())
                {
                    Model = committed;
                }
                else if (pending != null && found == pending.Render())
                {
                    Model = pending;
                    CommitsSurvived++;
                }
                else if (_durableSince.FindLastIndex(m => m.Render() == found) is int back and >= 0)
                {
                    // synchronous=NORMAL: the latest commits were not synced yet.
                    CommitsLost += _durableSince.Count - 1 - back;
                    Model = _durableSince[back];
                }
                else
                {
                    Assert.Fail($"seed {_seed} cycle {cycle}: after a power cut during \"{Short(step)}\" the database holds neither the committed state"
                        + (pending != null ? " nor the interrupted commit's" : "")
                        + (_durableSince.Count > 1 ? $" nor any of the {_durableSince.Count - 1} earlier unsynced ones" : "")
                        + "\n" + Difference(found, committed.Render()));
                }
                // What recovery found is on disk now.
                Durable();
                CheckIntegrity(cycle);
                if (Crashes % OracleSample == 0) CheckWithSqlite(cycle);
                return;
            }
            if (cycle % 10 == 0)
            {
                Assert.Equal(Model.Render(), ReadState());
            }
            if (Wal && cycle % 17 == 0) CloseAndReopen(cycle);
        }

        /// <summary>
        /// Reopens after a cut, sometimes losing power again during recovery. The dead process's
        /// objects are abandoned, not disposed: nothing of it runs after the cut.
        /// </summary>
        private void Recover()
        {
            if (_rng.Next(4) == 0)
            {
                _fs.CrashAfterOperations = _fs.OperationCount + _rng.Next(0, 6);
                try
                {
                    using Database again = Database.Open(DbPath, _options);
                    using Connection c = again.Connect();
                    using Statement s = c.Prepare("SELECT count(*) FROM sqlite_schema");
                    s.Step();
                }
                catch (SimulatedPowerCutException)
                {
                }
                _fs.CrashAfterOperations = null;
            }
            _db = Database.Open(DbPath, _options);
            _conn = Connect(_db);
        }

        private void Close()
        {
            CloseReader();
            _conn.Dispose();
            _db.Dispose();
            if (Wal) Assert.False(_fs.Exists(DbPath + "-wal"), $"seed {_seed}: the log is still there after the last connection closed");
        }

        // ------------------------------------------------------------ checks

        /// <summary>The database's content in the model's canonical text.</summary>
        private string ReadState()
        {
            var tables = new List<string>();
            var indexes = new List<(string Name, string Table)>();
            using (Statement s = _conn.Prepare("SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name"))
            {
                while (s.Step())
                {
                    string type = s.GetString(0)!, name = s.GetString(1)!;
                    if (type == "table") tables.Add(name);
                    else if (type == "index") indexes.Add((name, s.GetString(2)!));
                }
            }
            var sb = new StringBuilder();
            foreach (string t in tables.Order(StringComparer.Ordinal))
            {
                var columns = new List<string>();
                using (Statement s = _conn.Prepare($"PRAGMA table_info(\"{t}\")"))
                {
                    while (s.Step()) columns.Add(s.GetString(1)!);
                }
                sb.Append("table ").Append(t).Append('(').AppendJoin(',', columns.Skip(1)).Append(")\n");
                using Statement rows = _conn.Prepare($"SELECT * FROM \"{t}\" ORDER BY id");
                while (rows.Step())
                {
                    sb.Append(rows.GetInt64(0).ToString(CultureInfo.InvariantCulture));
                    for (int i = 1; i < rows.ColumnCount; i++)
                    {
                        sb.Append('|').Append(RenderValue(rows.ColumnType(i) switch
                        {
                            ValueKind.Null => null,
                            ValueKind.Integer => rows.GetInt64(i),
                            ValueKind.Text => rows.GetString(i),
                            ValueKind.Blob => rows.GetBlob(i),
                            _ => "real " + rows.GetDouble(i).ToString("R", CultureInfo.InvariantCulture),
                        }));
                    }
                    sb.Append('\n');
                }
            }
            foreach ((string ix, string table) in indexes.OrderBy(x => x.Name, StringComparer.Ordinal))
            {
                sb.Append("index ").Append(ix).Append(" on ").Append(table).Append('\n');
            }
            return sb.ToString();
        }

        private void CheckIntegrity(int cycle)
        {
            string result = (string)Scalar("PRAGMA integrity_check")!;
            Assert.True(result == "ok", $"seed {_seed} cycle {cycle}: integrity_check after recovery:\n{result}");
            // Indexed lookups agree with the rows (a stale or missing index entry shows here).
            foreach ((string name, TableModel t) in Model.Tables)
            {
                long probe = _rng.Next(0, 100);
                long expected = t.Rows.Values.Count(r => r[0] is long a && a == probe);
                Assert.Equal(expected, Scalar($"SELECT count(*) FROM \"{name}\" WHERE a = {probe}"));
            }
        }

        private void CheckWithSqlite(int cycle)
        {
            OracleChecks++;
            using var dir = new SqliteShell.TempDir();
            string path = dir.File("recovered.db");
            File.WriteAllBytes(path, _fs.GetContent(DbPath));
            // In WAL mode the log belongs to the image: SQLite recovers it as Tern did.
            if (_fs.Exists(DbPath + "-wal")) File.WriteAllBytes(path + "-wal", _fs.GetContent(DbPath + "-wal"));
            // A journal the crash left empty or with a zero first byte was never hot and may
            // stay (SQLite leaves it too); a hot one must have been played back and deleted.
            string journal = DbPath + "-journal";
            Assert.False(_fs.Exists(journal) && _fs.GetContent(journal) is { Length: > 0 } j && j[0] != 0, "the hot journal is still there after recovery");
            using (var c = SqliteOracle.Open(path))
            {
                string result = (string)SqliteOracle.Scalar(c, "PRAGMA integrity_check")!;
                Assert.True(result == "ok", $"seed {_seed} cycle {cycle}: SQLite's integrity_check of the recovered file:\n{result}");
                // SQLite finds the same rows (through the log in WAL mode).
                foreach ((string name, TableModel t) in Model.Tables)
                {
                    Assert.Equal((long)t.Rows.Count, SqliteOracle.Scalar(c, $"SELECT count(*) FROM \"{name}\""));
                    Assert.Equal(t.Rows.Values.Sum(r => r[0] is long a ? a : 0), SqliteOracle.Scalar(c, $"SELECT total(a) FROM \"{name}\"") is double d ? (long)d : -1);
                }
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        // ------------------------------------------------------------ workload

        private Op NextOp(Model m)
        {
            int roll = _rng.Next(100);
            if (m.Tables.Count == 0 || roll < 3) return CreateTable(m);
            string t = Pick(m.Tables.Keys);
            TableModel tm = m.Tables[t];
            if (roll < 40) return Insert(t, tm);
            if (roll < 52) return UpdateOne(t, tm);
            if (roll < 58) return UpdateRange(t);
            if (roll < 66) return DeleteRange(t);
            if (roll < 70) return DeleteByA(t);
            if (roll < 77) return CreateIndex(t);
            if (roll < 80 && m.Indexes.Count > 0)
            {
                string ix = Pick(m.Indexes.Keys);
                return new Op($"DROP INDEX \"{ix}\"", [], x => x.Indexes.Remove(ix));
            }
            if (roll < 84) return AddColumn(t);
            if (roll < 87) return Rename(t);
            if (roll < 90 && m.Tables.Count > 1)
            {
                return new Op($"DROP TABLE \"{t}\"", [], x =>
                {
                    x.Tables.Remove(t);
                    foreach (string ix in x.Indexes.Where(kv => kv.Value == t).Select(kv => kv.Key).ToList()) x.Indexes.Remove(ix);
                });
            }
            if (roll < 93 && Mode == "incremental") return new Op($"PRAGMA incremental_vacuum({_rng.Next(0, 4)})", [], _ => { });
            if (roll < 96) return BulkInsert(t, tm);
            return Insert(t, tm);
        }

        private string Pick(IEnumerable<string> names)
        {
            string[] all = names.ToArray();
            return all[_rng.Next(all.Length)];
        }

        private string NewName(string prefix) => prefix + (++_names).ToString(CultureInfo.InvariantCulture);

        private Op CreateTable(Model m)
        {
            string t = NewName("t");
            return new Op($"CREATE TABLE \"{t}\"(id INTEGER PRIMARY KEY, a INT, b TEXT, c BLOB)", [], x =>
                x.Tables[t] = new TableModel { Columns = ["a", "b", "c"], Defaults = [null, null, null] });
        }

        private object? Text()
        {
            int k = _rng.Next(10);
            if (k == 0) return null;
            int length = k < 3 ? _rng.Next(400, 6000) : _rng.Next(0, 30);
            var chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = (char)('a' + _rng.Next(26));
            return new string(chars);
        }

        private object? Blob()
        {
            int k = _rng.Next(10);
            if (k < 3) return null;
            var bytes = new byte[k < 5 ? _rng.Next(500, 9000) : _rng.Next(0, 40)];
            _rng.NextBytes(bytes);
            return bytes;
        }

        private Op Insert(string t, TableModel tm)
        {
            long id = _rng.Next(1, 400);
            long a = _rng.Next(0, 100);
            object? b = Text(), c = Blob();
            return new Op($"INSERT OR REPLACE INTO \"{t}\"(id, a, b, c) VALUES(?1, ?2, ?3, ?4)", [id, a, b, c], x =>
            {
                TableModel xt = x.Tables[t];
                var row = new object?[xt.Columns.Count];
                row[0] = a;
                row[1] = b;
                row[2] = c;
                for (int i = 3; i < row.Length; i++) row[i] = xt.Defaults[i];
                xt.Rows[id] = row;
            });
        }

        private Op BulkInsert(string t, TableModel tm)
        {
            // Many rows in one statement: the transaction touches many pages.
            long start = _rng.Next(400, 2000);
            int count = _rng.Next(20, 120);
            int size = _rng.Next(0, 3) * 300; // even: hex(zeroblob(size / 2)) has size digits
            return new Op(
                $"INSERT OR REPLACE INTO \"{t}\"(id, a, b) SELECT value, value % 100, replace(hex(zeroblob({size / 2})), '0', 'q') || value FROM generate_series({start}, {start + count - 1})",
                [], x =>
                {
                    TableModel xt = x.Tables[t];
                    for (long id = start; id < start + count; id++)
                    {
                        var row = new object?[xt.Columns.Count];
                        row[0] = id % 100;
                        row[1] = new string('q', size) + id.ToString(CultureInfo.InvariantCulture);
                        for (int i = 2; i < row.Length; i++) row[i] = xt.Defaults[i];
                        xt.Rows[id] = row;
                    }
                });
        }

        private Op UpdateOne(string t, TableModel tm)
        {
            long id = tm.Rows.Count > 0 && _rng.Next(4) != 0 ? tm.Rows.Keys.ElementAt(_rng.Next(tm.Rows.Count)) : _rng.Next(1, 400);
            long a = _rng.Next(0, 100);
            object? b = Text();
            return new Op($"UPDATE \"{t}\" SET a = ?1, b = ?2 WHERE id = ?3", [a, b, id], x =>
            {
                if (x.Tables[t].Rows.TryGetValue(id, out object?[]? row))
                {
                    row[0] = a;
                    row[1] = b;
                }
            });
        }

        private Op UpdateRange(string t)
        {
            long lo = _rng.Next(0, 100), hi = lo + _rng.Next(0, 20);
            return new Op($"UPDATE \"{t}\" SET a = a + 1 WHERE a BETWEEN {lo} AND {hi}", [], x =>
            {
                foreach (object?[] row in x.Tables[t].Rows.Values)
                {
                    if (row[0] is long a && a >= lo && a <= hi) row[0] = a + 1;
                }
            });
        }

        private Op DeleteRange(string t)
        {
            long lo = _rng.Next(1, 2000), hi = lo + _rng.Next(0, 60);
            return new Op($"DELETE FROM \"{t}\" WHERE id >= {lo} AND id < {hi}", [], x =>
            {
                SortedDictionary<long, object?[]> rows = x.Tables[t].Rows;
                foreach (long id in rows.Keys.Where(k => k >= lo && k < hi).ToList()) rows.Remove(id);
            });
        }

        private Op DeleteByA(string t)
        {
            long a = _rng.Next(0, 100);
            return new Op($"DELETE FROM \"{t}\" WHERE a = {a}", [], x =>
            {
                SortedDictionary<long, object?[]> rows = x.Tables[t].Rows;
                foreach (long id in rows.Where(kv => kv.Value[0] is long v && v == a).Select(kv => kv.Key).ToList()) rows.Remove(id);
            });
        }

        private Op CreateIndex(string t)
        {
            string ix = NewName("i");
            string key = _rng.Next(6) switch
            {
                0 => "(a)",
                1 => "(b, a DESC)",
                2 => "(b) WHERE a > 50",            // partial
                3 => "(a * 2 + 1, length(b))",       // expressions
                4 => "(substr(b, 1, 3)) WHERE c IS NOT NULL",
                _ => "(c, a)",
            };
            return new Op($"CREATE INDEX \"{ix}\" ON \"{t}\"{key}", [], x => x.Indexes[ix] = t);
        }

        private Op AddColumn(string t)
        {
            // Without a DEFAULT: UPDATE and REPLACE read a column a row's record lacks as NULL
            // rather than as the column's default (a compiler bug outside this test's area),
            // which a DEFAULT would make visible here.
            string col = NewName("d");
            string decl = _rng.Next(2) == 0 ? "TEXT" : "INT";
            return new Op($"ALTER TABLE \"{t}\" ADD COLUMN {col} {decl}", [], x =>
            {
                TableModel xt = x.Tables[t];
                xt.Columns.Add(col);
                xt.Defaults.Add(null);
                foreach (long id in xt.Rows.Keys.ToList()) xt.Rows[id] = [.. xt.Rows[id], null];
            });
        }

        private Op Rename(string t)
        {
            string to = NewName("t");
            return new Op($"ALTER TABLE \"{t}\" RENAME TO \"{to}\"", [], x =>
            {
                x.Tables[to] = x.Tables[t];
                x.Tables.Remove(t);
                foreach (string ix in x.Indexes.Where(kv => kv.Value == t).Select(kv => kv.Key).ToList()) x.Indexes[ix] = to;
            });
        }

        // ------------------------------------------------------------ running SQL

        private void Exec(string sql, params object?[] args)
        {
            try
            {
                using Statement s = _conn.Prepare(sql);
                for (int i = 0; i < args.Length; i++)
                {
                    switch (args[i])
                    {
                        case null: s.BindNull(i + 1); break;
                        case long l: s.Bind(i + 1, l); break;
                        case string str: s.Bind(i + 1, str); break;
                        case byte[] b: s.Bind(i + 1, b); break;
                    }
                }
                while (s.Step())
                {
                }
            }
            catch (TernException e)
            {
                Assert.Fail($"seed {_seed}: \"{Short(sql)}\" failed: {e.Message} ({e.ExtendedCode})");
            }
        }

        private object? Scalar(string sql)
        {
            using Statement s = _conn.Prepare(sql);
            Assert.True(s.Step(), sql + " returned no row");
            return s.ColumnType(0) switch
            {
                ValueKind.Null => null,
                ValueKind.Integer => s.GetInt64(0),
                _ => s.GetString(0),
            };
        }
    }

    /// <summary>The first line where two renderings differ, with the line counts.</summary>
    private static string Difference(string found, string expected)
    {
        string[] f = found.Split('\n'), e = expected.Split('\n');
        int i = 0;
        while (i < f.Length && i < e.Length && f[i] == e[i]) i++;
        string At(string[] lines) => i < lines.Length ? Short(lines[i]) : "(end)";
        return $"found {f.Length} lines, expected {e.Length}; first difference at line {i}:\n  found:    {At(f)}\n  expected: {At(e)}"
            + (i > 0 ? $"\n  after:    {Short(e[i - 1])}" : "");
    }

    private static string Short(string s, int max = 200) => s.Length <= max ? s : s[..max] + "...";
}
