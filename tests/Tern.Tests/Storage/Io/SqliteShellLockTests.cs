// Interop of OsFileSystem's locks with the real sqlite3 shell: a shell process and a Tern
// handle on one database file must exclude each other exactly as two SQLite processes do,
// for the rollback-journal locks on the database file and for the WAL locks in the -shm
// file. The shell runs as a child process fed through standard input; after each batch it
// prints a marker line, so the test knows the batch (and any error it reported) is done.
// Timeouts only guard against a hung child; nothing here measures time.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

/// <summary>A fact that runs only on Linux with the sqlite3 shell on the PATH.</summary>
public sealed class SqliteShellFactAttribute : FactAttribute
{
    public SqliteShellFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "the sqlite3 interop tests of file locks run on Linux";
        }
        else if (!ShellOnPath())
        {
            Skip = "the sqlite3 shell is not on the PATH";
        }
    }

    private static bool ShellOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "sqlite3")));
}

/// <summary>A theory that runs only on Linux with the sqlite3 shell on the PATH.</summary>
public sealed class SqliteShellTheoryAttribute : TheoryAttribute
{
    public SqliteShellTheoryAttribute()
    {
        Skip = new SqliteShellFactAttribute().Skip;
    }
}

public sealed class SqliteShellLockTests : IDisposable
{
    private readonly string _directory;
    private readonly string _db;
    private readonly List<ShellSession> _sessions = [];

    public SqliteShellLockTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tern-shlock-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _db = Path.Combine(_directory, "x.db");
    }

    public void Dispose()
    {
        foreach (ShellSession session in _sessions)
        {
            session.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
    }

    private ShellSession Shell()
    {
        var session = new ShellSession(_db);
        _sessions.Add(session);
        session.Run(".timeout 0");
        return session;
    }

    private const string Locked = "database is locked";

    /// <summary>The operating system's ways of locking that exclude other processes: OFD locks and classic POSIX locks.</summary>
    public static TheoryData<string> Kinds => new() { "ofd", "posix" };

    private static OsFileSystem FileSystem(string kind) =>
        kind == "ofd" ? OsFileSystem.Instance : new OsFileSystem(OsLockKind.ClassicPosix);

    [SqliteShellTheory]
    [MemberData(nameof(Kinds))]
    public void Shell_holding_reserved_keeps_Tern_from_reserved_but_not_from_shared(string kind)
    {
        OsFileSystem fs = FileSystem(kind);
        ShellSession shell = Shell();
        Assert.Equal("", shell.Run("CREATE TABLE t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES(1);"));
        using IFile file = fs.Open(_db, FileOpenMode.ReadWrite);

        Assert.True(file.CheckReservedLock());
        Assert.True(file.TryLock(FileLock.Shared));
        Assert.False(file.TryLock(FileLock.Reserved));
        Assert.Equal(FileLock.Shared, file.LockLevel);

        // The shell cannot commit while Tern reads; once Tern lets go it can.
        Assert.Contains(Locked, shell.Run("COMMIT;"));
        file.Unlock(FileLock.None);
        Assert.Equal("", shell.Run("COMMIT;"));
        Assert.False(file.CheckReservedLock());
        Assert.True(file.TryLock(FileLock.Shared));
        Assert.True(file.TryLock(FileLock.Reserved));
        Assert.True(file.TryLock(FileLock.Exclusive));
        file.Unlock(FileLock.None);
        Assert.Equal("1\n", shell.Run("SELECT count(*) FROM t;"));
    }

    [SqliteShellTheory]
    [MemberData(nameof(Kinds))]
    public void Tern_holding_reserved_or_exclusive_makes_the_shell_busy(string kind)
    {
        OsFileSystem fs = FileSystem(kind);
        ShellSession shell = Shell();
        Assert.Equal("", shell.Run("CREATE TABLE t(x);"));
        using IFile file = fs.Open(_db, FileOpenMode.ReadWrite);
        Assert.True(file.TryLock(FileLock.Shared));
        Assert.True(file.TryLock(FileLock.Reserved));

        Assert.Contains(Locked, shell.Run("INSERT INTO t VALUES(1);"));
        Assert.Equal("0\n", shell.Run("SELECT count(*) FROM t;")); // reading beside Reserved is fine

        Assert.True(file.TryLock(FileLock.Exclusive));
        Assert.Contains(Locked, shell.Run("SELECT count(*) FROM t;"));

        file.Unlock(FileLock.Shared);
        Assert.Equal("0\n", shell.Run("SELECT count(*) FROM t;"));
        Assert.Contains(Locked, shell.Run("INSERT INTO t VALUES(2);")); // Tern's shared lock stops the commit
        file.Unlock(FileLock.None);
        Assert.Equal("1\n", shell.Run("INSERT INTO t VALUES(3); SELECT count(*) FROM t;"));
    }

    [SqliteShellTheory]
    [MemberData(nameof(Kinds))]
    public void Tern_pending_lock_keeps_a_new_shell_reader_out_while_an_old_one_stays(string kind)
    {
        OsFileSystem fs = FileSystem(kind);
        ShellSession setup = Shell();
        Assert.Equal("", setup.Run("CREATE TABLE t(x); INSERT INTO t VALUES(1);"));
        ShellSession reader = Shell();
        Assert.Equal("1\n", reader.Run("BEGIN; SELECT count(*) FROM t;")); // holds SHARED
        using IFile file = fs.Open(_db, FileOpenMode.ReadWrite);

        Assert.True(file.TryLock(FileLock.Shared));
        Assert.True(file.TryLock(FileLock.Reserved));
        Assert.False(file.TryLock(FileLock.Exclusive));
        Assert.Equal(FileLock.Pending, file.LockLevel);

        Assert.Contains(Locked, setup.Run("SELECT count(*) FROM t;"));
        Assert.Equal("1\n", reader.Run("SELECT count(*) FROM t; COMMIT;"));
        Assert.True(file.TryLock(FileLock.Exclusive));
        file.Unlock(FileLock.None);
        Assert.Equal("1\n", setup.Run("SELECT count(*) FROM t;"));
    }

    [SqliteShellTheory]
    [MemberData(nameof(Kinds))]
    public void Closing_another_handle_on_the_file_keeps_the_first_handles_lock(string kind)
    {
        OsFileSystem fs = FileSystem(kind);
        ShellSession shell = Shell();
        Assert.Equal("", shell.Run("CREATE TABLE t(x);"));
        using IFile keeper = fs.Open(_db, FileOpenMode.ReadWrite);
        Assert.True(keeper.TryLock(FileLock.Shared));

        using (IFile other = fs.Open(_db, FileOpenMode.ReadWrite))
        {
            Assert.True(other.TryLock(FileLock.Shared));
            other.Unlock(FileLock.None);
        }
        fs.Open(_db, FileOpenMode.ReadOnly).Dispose();

        Assert.Contains(Locked, shell.Run("INSERT INTO t VALUES(1);"));
        keeper.Unlock(FileLock.None);
        Assert.Equal("1\n", shell.Run("INSERT INTO t VALUES(1); SELECT count(*) FROM t;"));
    }

    [SqliteShellTheory]
    [MemberData(nameof(Kinds))]
    public void Shell_WAL_writer_holds_the_write_lock_slot_of_Terns_shared_memory(string kind)
    {
        OsFileSystem fs = FileSystem(kind);
        ShellSession shell = Shell();
        Assert.Equal("wal\n", shell.Run("PRAGMA journal_mode=WAL; CREATE TABLE t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES(1);"));
        using IFile file = fs.Open(_db, FileOpenMode.ReadWrite);
        Assert.True(file.TryLock(FileLock.Shared)); // WAL readers hold a shared lock on the database
        using ISharedMemory shm = file.OpenSharedMemory()!;

        // The shell's wal-index is there (iVersion 3007000 first), not cut: the shell still uses it.
        Memory<byte> header = shm.Map(0, extend: false);
        Assert.Equal(ISharedMemory.RegionSize, header.Length);
        Assert.Equal(3007000, BitConverter.ToInt32(header.Span[..4]));

        Assert.False(shm.TryLock(0, 1, exclusive: true)); // WAL_WRITE_LOCK
        Assert.Equal("", shell.Run("COMMIT;"));
        Assert.True(shm.TryLock(0, 1, exclusive: true));

        Assert.Contains(Locked, shell.Run("INSERT INTO t VALUES(2);"));
        shm.Unlock(0, 1);
        Assert.Equal("2\n", shell.Run("INSERT INTO t VALUES(2); SELECT count(*) FROM t;"));
    }

    /// <summary>A sqlite3 shell process on one database, fed batch by batch.</summary>
    private sealed class ShellSession : IDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
        private readonly Process _process;
        private int _batches;

        public ShellSession(string db)
        {
            // Through sh so that errors (stderr) and results (stdout) arrive in order on one pipe.
            var psi = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("exec sqlite3 -batch \"$0\" 2>&1");
            psi.ArgumentList.Add(db);
            _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start sqlite3");
        }

        /// <summary>Runs SQL or dot-commands; returns what the shell printed (errors included).</summary>
        public string Run(string sql)
        {
            string marker = "--batch-" + (++_batches) + "-done--";
            _process.StandardInput.Write(sql + "\n.print " + marker + "\n");
            _process.StandardInput.Flush();
            var output = new StringBuilder();
            using var cancel = new CancellationTokenSource(Patience);
            while (true)
            {
                string? line = _process.StandardOutput.ReadLineAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
                if (line is null)
                {
                    throw new InvalidOperationException("sqlite3 exited: " + output);
                }
                if (line == marker)
                {
                    return output.ToString();
                }
                output.Append(line).Append('\n');
            }
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(Patience))
                {
                    _process.Kill();
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
