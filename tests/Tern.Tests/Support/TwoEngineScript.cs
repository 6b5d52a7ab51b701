// Runs one multi-connection script on database files through SQLite 3.50.4 (the raw C API,
// so no retry loop of a provider hides a SQLITE_BUSY) and through Tern, connection by
// connection, and writes down what each step saw: rows as typed text, errors with their
// extended result code and message. Each named connection is opened on one engine chosen
// by the caller, so the same script runs all on SQLite (the expected transcript), all on
// Tern, or mixed: SQLite and Tern connections sharing one file at the same time. In
// shared-cache mode every connection joins one shared cache (SQLITE_OPEN_SHAREDCACHE, or
// one Tern database handle's Connect(sharedCache: true)).
//
// Script lines:
//   "a: SQL; SQL"   connection a runs each statement to its end
//   "a> SQL"        connection a starts a statement, steps it once and keeps it open
//                   (a cursor holding its read transaction)
//   "a>"            connection a steps its open statement once more
//   "a."            connection a finalizes its open statement
//   "a!"            connection a closes (a later line with a opens it again)
//   "# text"        a note copied into the transcript
//   "=wal", "=db"   the size of the log or the database file ("none" when missing)
//   "=frames"       the log's frames of the current salts: page number, and "*" after a commit frame
//   "=hdr"          the database header's write and read versions (bytes 18 and 19)
using System.Diagnostics;
using System.Globalization;
using SQLitePCL;

namespace Tern.Tests.Support;

internal sealed class TwoEngineScript : IDisposable
{
    /// <summary>One connection of a script, on either engine.</summary>
    private interface ISession : IDisposable
    {
        void RunAll(string sql, List<string> lines);

        void Start(string sql, List<string> lines);

        void StepOpen(List<string> lines);

        void Finish();
    }

    private readonly Dictionary<string, ISession> _sessions = [];
    private readonly string _path;
    private readonly Func<string, bool> _onSqlite;
    private readonly bool _sharedCache;
    /// <summary>In shared-cache mode: the one Tern handle whose shared cache the Tern connections join.</summary>
    private Database? _ternShared;

    /// <param name="path">The database file.</param>
    /// <param name="onSqlite">Whether the named connection runs on SQLite (else on Tern).</param>
    /// <param name="sharedCache">Whether the connections join one shared cache.</param>
    public TwoEngineScript(string path, Func<string, bool> onSqlite, bool sharedCache = false)
    {
        _path = path;
        _onSqlite = onSqlite;
        _sharedCache = sharedCache;
    }

    /// <summary>Runs a script with every connection in one shared cache on SQLite and on Tern, and asserts the transcripts are the same.</summary>
    public static string AssertSameShared(string dir, string script)
    {
        string expected = Transcript(Path.Combine(dir, "sqlite.db"), script, _ => true, sharedCache: true);
        string tern = Transcript(Path.Combine(dir, "tern.db"), script, _ => false, sharedCache: true);
        Compare(expected, tern, "tern");
        return expected;
    }

    /// <summary>Runs a script on SQLite only, on Tern only and on the given mixtures, each on a fresh file, and asserts all transcripts are the same.</summary>
    public static string AssertSame(string dir, string script, params Func<string, bool>[] mixtures)
    {
        string expected = Transcript(Path.Combine(dir, "sqlite.db"), script, _ => true);
        string tern = Transcript(Path.Combine(dir, "tern.db"), script, _ => false);
        Compare(expected, tern, "tern");
        for (int i = 0; i < mixtures.Length; i++)
        {
            string mixed = Transcript(Path.Combine(dir, "mixed" + i + ".db"), script, mixtures[i]);
            Compare(expected, mixed, "mixed " + i);
        }
        return expected;
    }

    private static void Compare(string expected, string actual, string what)
    {
        if (expected == actual) return;
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i]) i++;
        Assert.Fail($"{what} differs at line {i + 1}:\n  sqlite: {(i < e.Length ? e[i] : "<end>")}\n  {what}: {(i < a.Length ? a[i] : "<end>")}\n--- sqlite\n{expected}--- {what}\n{actual}");
    }

    /// <summary>Runs a script on a file with the engines <paramref name="onSqlite"/> picks; returns the transcript.</summary>
    public static string Transcript(string path, string script, Func<string, bool> onSqlite, bool sharedCache = false)
    {
        using var run = new TwoEngineScript(path, onSqlite, sharedCache);
        return run.Run(script);
    }

    /// <summary>Runs script lines; returns the transcript.</summary>
    public string Run(string script)
    {
        var lines = new List<string>();
        foreach (string raw in script.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                lines.Add(line);
                continue;
            }
            if (line.StartsWith('='))
            {
                lines.Add(line + " " + FileFact(line[1..]));
                continue;
            }
            int at = line.IndexOfAny([':', '>', '.', '!']);
            Debug.Assert(at > 0, "a script line names its connection");
            string name = line[..at];
            string rest = line[(at + 1)..].Trim();
            lines.Add(line);
            if (line[at] == '!')
            {
                if (_sessions.Remove(name, out ISession? closing)) closing.Dispose();
                continue;
            }
            ISession s = Session(name);
            switch (line[at])
            {
                case ':':
                    foreach (string sql in Engine.Differential.Statements(rest)) s.RunAll(sql, lines);
                    break;
                case '>' when rest.Length > 0:
                    s.Start(rest, lines);
                    break;
                case '>':
                    s.StepOpen(lines);
                    break;
                default:
                    s.Finish();
                    break;
            }
        }
        return string.Join("\n", lines) + "\n";
    }

    private string FileFact(string what)
    {
        string file = what is "wal" or "frames" ? _path + "-wal" : _path;
        if (!File.Exists(file)) return "none";
        if (what == "frames") return Frames(File.ReadAllBytes(file));
        if (what != "hdr") return new FileInfo(file).Length.ToString(CultureInfo.InvariantCulture);
        using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var b = new byte[20];
        int n = f.Read(b);
        return n < 20 ? "short" : b[18] + "/" + b[19];
    }

    private static string Frames(byte[] log)
    {
        if (log.Length < 32) return "empty";
        int pageSize = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(8));
        var list = new List<string>();
        for (long at = 32; at + 24 + pageSize <= log.Length; at += 24 + pageSize)
        {
            ReadOnlySpan<byte> f = log.AsSpan((int)at, 24);
            if (!f.Slice(8, 8).SequenceEqual(log.AsSpan(16, 8))) break;
            uint page = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(f);
            uint commit = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(f[4..]);
            list.Add(page + (commit != 0 ? "*" : ""));
        }
        return string.Join(",", list);
    }

    private ISession Session(string name)
    {
        if (!_sessions.TryGetValue(name, out ISession? s))
        {
            if (_onSqlite(name)) s = new SqliteSession(_path, _sharedCache);
            else if (_sharedCache) s = new TernSession(_ternShared ??= Database.Open(_path), shared: true);
            else s = new TernSession(Database.Open(_path), shared: false);
            _sessions.Add(name, s);
        }
        return s;
    }

    public void Dispose()
    {
        foreach (ISession s in _sessions.Values) s.Dispose();
        _sessions.Clear();
        _ternShared?.Dispose();
    }

    private static string Error(int extended, string message) => $"error {extended & 0xFF}/{extended}: {message}";

    /// <param name="db">The handle the connection comes from: its own, or the script's shared one.</param>
    private sealed class TernSession(Database db, bool shared) : ISession
    {
        private Connection? _c;
        private Statement? _open;

        private Connection C => _c ??= db.Connect(shared);

        public void RunAll(string sql, List<string> lines)
        {
            try
            {
                using Statement s = C.Prepare(sql);
                while (s.Step()) lines.Add(Row(s));
            }
            catch (TernException e)
            {
                lines.Add(Error((int)e.ExtendedCode, e.Message));
            }
        }

        public void Start(string sql, List<string> lines)
        {
            Finish();
            try
            {
                _open = C.Prepare(sql);
            }
            catch (TernException e)
            {
                lines.Add(Error((int)e.ExtendedCode, e.Message));
                return;
            }
            StepOpen(lines);
        }

        public void StepOpen(List<string> lines)
        {
            if (_open == null)
            {
                lines.Add("no statement");
                return;
            }
            try
            {
                lines.Add(_open.Step() ? Row(_open) : "done");
            }
            catch (TernException e)
            {
                lines.Add(Error((int)e.ExtendedCode, e.Message));
            }
        }

        public void Finish()
        {
            _open?.Dispose();
            _open = null;
        }

        private static string Row(Statement s) => Engine.Differential.TernRow(s);

        public void Dispose()
        {
            Finish();
            _c?.Dispose();
            if (!shared) db.Dispose();
        }
    }

    private sealed class SqliteSession : ISession
    {
        private readonly sqlite3 _db;
        private sqlite3_stmt? _open;

        public SqliteSession(string path, bool sharedCache)
        {
            SqliteOracle.EnsureProvider();
            int flags = raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE | (sharedCache ? raw.SQLITE_OPEN_SHAREDCACHE : 0);
            int rc = raw.sqlite3_open_v2(path, out _db, flags, null);
            Assert.Equal(raw.SQLITE_OK, rc);
        }

        public void RunAll(string sql, List<string> lines)
        {
            if (Prepare(sql) is not { } s)
            {
                lines.Add(Error(raw.sqlite3_extended_errcode(_db), raw.sqlite3_errmsg(_db).utf8_to_string()));
                return;
            }
            using (s)
            {
                int rc;
                while ((rc = raw.sqlite3_step(s)) == raw.SQLITE_ROW) lines.Add(Row(s));
                if (rc != raw.SQLITE_DONE) lines.Add(Error(raw.sqlite3_extended_errcode(_db), raw.sqlite3_errmsg(_db).utf8_to_string()));
            }
        }

        public void Start(string sql, List<string> lines)
        {
            Finish();
            if (Prepare(sql) is not { } s)
            {
                lines.Add(Error(raw.sqlite3_extended_errcode(_db), raw.sqlite3_errmsg(_db).utf8_to_string()));
                return;
            }
            _open = s;
            StepOpen(lines);
        }

        /// <summary>
        /// Prepares <paramref name="sql"/>; null when SQLite refuses it (the error is on the
        /// connection). A prepare that fails before parsing (the shared-cache schema lock) leaves
        /// the tail pointer unset, which the binding's span arithmetic then rejects.
        /// </summary>
        private sqlite3_stmt? Prepare(string sql)
        {
            try
            {
                if (raw.sqlite3_prepare_v2(_db, sql, out sqlite3_stmt s) == raw.SQLITE_OK) return s;
                s.Dispose();
                return null;
            }
            catch (ArgumentOutOfRangeException)
            {
                Assert.NotEqual(raw.SQLITE_OK, raw.sqlite3_errcode(_db));
                return null;
            }
        }

        public void StepOpen(List<string> lines)
        {
            if (_open == null)
            {
                lines.Add("no statement");
                return;
            }
            int rc = raw.sqlite3_step(_open);
            if (rc == raw.SQLITE_ROW) lines.Add(Row(_open!));
            else if (rc == raw.SQLITE_DONE) lines.Add("done");
            else lines.Add(Error(raw.sqlite3_extended_errcode(_db), raw.sqlite3_errmsg(_db).utf8_to_string()));
        }

        public void Finish()
        {
            _open?.Dispose();
            _open = null;
        }

        private static string Row(sqlite3_stmt s)
        {
            var row = new List<string>();
            int n = raw.sqlite3_column_count(s);
            for (int i = 0; i < n; i++)
            {
                row.Add(raw.sqlite3_column_type(s, i) switch
                {
                    raw.SQLITE_NULL => "null",
                    raw.SQLITE_INTEGER => "i:" + raw.sqlite3_column_int64(s, i).ToString(CultureInfo.InvariantCulture),
                    raw.SQLITE_FLOAT => "r:" + raw.sqlite3_column_double(s, i).ToString("R", CultureInfo.InvariantCulture),
                    raw.SQLITE_TEXT => "t:" + raw.sqlite3_column_text(s, i).utf8_to_string(),
                    _ => "b:" + Convert.ToHexString(raw.sqlite3_column_blob(s, i)),
                });
            }
            return string.Join("|", row);
        }

        public void Dispose()
        {
            Finish();
            raw.sqlite3_close_v2(_db);
            _db.Dispose();
        }
    }
}
