// Several threads, each with its own handle on one file, climb and drop the database locks
// at random (seeded per thread) the way SQLite's pager does (Shared, Reserved, Exclusive),
// and check after every granted lock that no other handle holds a lock it may not hold
// beside it. Each handle publishes its level after a raise and before a release, so the
// published level never exceeds the one held and a violation seen is a real one, whatever
// the scheduling. TERN_LOCK_STRESS_STEPS sets the steps per thread (default 10,000).
using Tern.Storage.Io;

namespace Tern.Tests.Storage.Io;

public sealed class LockStressTests : IDisposable
{
    private const int Threads = 4;

    private static int Steps =>
        int.TryParse(Environment.GetEnvironmentVariable("TERN_LOCK_STRESS_STEPS"), out int n) && n > 0 ? n : 10_000;

    private readonly string _directory;

    public LockStressTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tern-lockstress-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> Kinds => FileLockTests.LockingFileSystems;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Concurrent_handles_never_hold_conflicting_locks(string kind)
    {
        IFileSystem fs = kind switch
        {
            "os" => OsFileSystem.Instance,
            "posix" => new OsFileSystem(OsLockKind.ClassicPosix),
            "inprocess" => new OsFileSystem(OsLockKind.InProcess),
            _ => new MemoryFileSystem(),
        };
        string path = kind == "memory" ? "s.db" : Path.Combine(_directory, "s.db");
        fs.Open(path, FileOpenMode.ReadWriteCreate).Dispose();

        var published = new int[Threads];
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int steps = Steps;
        using var start = new Barrier(Threads);

        void Run(int me)
        {
            var random = new Random(1000 + me);
            using IFile file = fs.Open(path, FileOpenMode.ReadWrite);
            start.SignalAndWait(); // all threads start stepping together

            void Publish(FileLock level) => Volatile.Write(ref published[me], (int)level);

            void Check(FileLock level)
            {
                for (int other = 0; other < Threads; other++)
                {
                    if (other == me) continue;
                    var theirs = (FileLock)Volatile.Read(ref published[other]);
                    bool bad = level switch
                    {
                        FileLock.Exclusive => theirs != FileLock.None,
                        FileLock.Reserved or FileLock.Pending => theirs >= FileLock.Reserved,
                        _ => theirs == FileLock.Exclusive,
                    };
                    if (bad) violations.Enqueue($"{me} at {level} beside {other} at {theirs}");
                }
            }

            void Raise(FileLock level)
            {
                bool got = file.TryLock(level);
                FileLock now = file.LockLevel;
                Publish(now);
                if (got) Check(now);
            }

            void Lower(FileLock level)
            {
                Publish(level);
                file.Unlock(level);
            }

            for (int step = 0; step < steps; step++)
            {
                int choice = random.Next(3);
                switch (file.LockLevel)
                {
                    case FileLock.None:
                        Raise(FileLock.Shared);
                        break;
                    case FileLock.Shared:
                        if (choice == 0) Lower(FileLock.None); else Raise(FileLock.Reserved);
                        break;
                    case FileLock.Reserved:
                    case FileLock.Pending:
                        if (choice == 0) Lower(FileLock.Shared); else if (choice == 1) Lower(FileLock.None); else Raise(FileLock.Exclusive);
                        break;
                    default:
                        if (choice == 0) Lower(FileLock.Shared); else Lower(FileLock.None);
                        break;
                }
            }
            Lower(FileLock.None);
        }

        Task[] tasks = Enumerable.Range(0, Threads).Select(i => Task.Factory.StartNew(() => Run(i), TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(tasks);

        Assert.Empty(violations);
        using IFile last = fs.Open(path, FileOpenMode.ReadWrite); // everything was released
        Assert.True(last.TryLock(FileLock.Shared));
        Assert.True(last.TryLock(FileLock.Exclusive));
    }
}
