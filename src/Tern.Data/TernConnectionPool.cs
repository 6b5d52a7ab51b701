// Connection pooling: closed connections' engine connections are kept per connection
// string and handed to the next connection that opens with the same string, as
// Microsoft.Data.Sqlite pools its native handles. Pooling=False and in-memory databases
// (":memory:", Mode=Memory, an empty data source) bypass the pool;
// ClearPool/ClearAllPools close the idle ones (and those in use when they come back).
// As in the reference, a connection goes back as it is: a transaction left open by
// SQL (BEGIN without COMMIT) is still open for the next borrower.
using System.Collections.Concurrent;

namespace Tern.Data;

/// <summary>Idle engine connections by connection string.</summary>
internal static class TernConnectionPool
{
    private sealed class Group
    {
        public readonly ConcurrentBag<TernConnectionInternal> Idle = [];
        public int Generation;
    }

    private static readonly ConcurrentDictionary<string, Group> Groups = new(StringComparer.Ordinal);

    /// <summary>An engine connection for these options: from the pool when one is idle, else newly opened.</summary>
    public static (TernConnectionInternal Inner, int Generation) Get(string connectionString, TernConnectionStringBuilder options)
    {
        // In-memory databases are never pooled: each connection gets (or, shared, joins) its own.
        bool pooled = options.Pooling && options.DataSource.Length != 0 && options.DataSource != ":memory:" && options.Mode != TernOpenMode.Memory;
        if (!pooled) return (TernConnectionInternal.Open(options), -1);
        Group g = Groups.GetOrAdd(connectionString, _ => new Group());
        int generation = Volatile.Read(ref g.Generation);
        if (g.Idle.TryTake(out TernConnectionInternal? inner)) return (inner, generation);
        return (TernConnectionInternal.Open(options), generation);
    }

    /// <summary>Gives an engine connection back: kept when pooled and its pool was not cleared meanwhile.</summary>
    public static void Return(string connectionString, TernConnectionInternal inner, int generation)
    {
        if (generation < 0 || !Groups.TryGetValue(connectionString, out Group? g) || Volatile.Read(ref g.Generation) != generation)
        {
            inner.Dispose();
            return;
        }
        g.Idle.Add(inner);
    }

    /// <summary>Closes the idle connections of one connection string.</summary>
    public static void Clear(string connectionString)
    {
        if (Groups.TryGetValue(connectionString, out Group? g)) Drain(g);
    }

    /// <summary>Closes every idle connection.</summary>
    public static void ClearAll()
    {
        foreach (Group g in Groups.Values) Drain(g);
    }

    private static void Drain(Group g)
    {
        Interlocked.Increment(ref g.Generation);
        while (g.Idle.TryTake(out TernConnectionInternal? inner)) inner.Dispose();
    }
}
