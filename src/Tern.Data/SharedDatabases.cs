// A process-wide registry of the provider's open databases: one engine handle per file,
// and one per named shared in-memory database, so the provider's connections to it find
// each other. Private-cache connections open storage of their own on the file and
// coordinate through its locks, their engine calls under each connection's own gate;
// Cache=Shared connections join the handle's shared cache (one storage, table locks) and
// make their engine calls under the handle's gate here (TernConnectionInternal.Gate).
namespace Tern.Data;

/// <summary>Reference-counted engine databases keyed by full path (or in-memory name).</summary>
internal static class SharedDatabases
{
    private sealed class Entry(Database db)
    {
        public Database Database { get; } = db;
        public object Gate { get; } = new();
        public int References;
    }

    private static readonly Dictionary<string, Entry> Open = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>A connection's hold on a database; disposing it releases the hold, the last closes the database.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly string? _key;
        private bool _released;

        internal Lease(Database db, object gate, string? key)
        {
            Database = db;
            Gate = gate;
            _key = key;
        }

        public Database Database { get; }

        /// <summary>The lock engine calls on this database are made under.</summary>
        public object Gate { get; }

        public void Dispose()
        {
            if (_released) return;
            _released = true;
            if (_key == null)
            {
                lock (Gate) Database.Dispose();
                return;
            }
            lock (Gate)
            {
                if (Open.TryGetValue(_key, out Entry? e) && --e.References == 0)
                {
                    Open.Remove(_key);
                    lock (e.Gate) e.Database.Dispose();
                }
            }
        }
    }

    /// <summary>A private database no other connection sees (<c>:memory:</c>, or an unshared in-memory name).</summary>
    public static Lease Private(Database db) => new(db, new object(), null);

    /// <summary>The database registered under <paramref name="key"/>, opened with <paramref name="open"/> if none is.</summary>
    public static Lease Acquire(string key, Func<Database> open)
    {
        lock (Gate)
        {
            if (!Open.TryGetValue(key, out Entry? e))
            {
                e = new Entry(open());
                Open.Add(key, e);
            }
            e.References++;
            return new Lease(e.Database, e.Gate, key);
        }
    }
}
