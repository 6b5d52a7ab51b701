// What a pooled connection is: a hold on an engine database and an engine connection to
// it, opened for one connection string. TernConnection borrows one while open and gives
// it back to its pool (or disposes it) on Close.
namespace Tern.Data;

/// <summary>An engine connection with its database, as kept in the pool.</summary>
internal sealed class TernConnectionInternal : IDisposable
{
    private readonly SharedDatabases.Lease _lease;

    private TernConnectionInternal(SharedDatabases.Lease lease, bool readOnly, bool sharedCache)
    {
        _lease = lease;
        ReadOnly = readOnly;
        lock (lease.Gate) Connection = lease.Database.Connect(sharedCache);
    }

    /// <summary>The engine connection.</summary>
    public Connection Connection { get; }

    /// <summary>The engine database.</summary>
    public Database Database => _lease.Database;

    /// <summary>
    /// The lock this connection's engine calls are made under: the engine connection itself
    /// (connections have storage of their own and coordinate through the file's locks, so
    /// only calls on one connection from several threads need to take turns), or for a
    /// shared-cache connection the database's (its connections use one storage, and reading a
    /// row's values must not meet another connection's step).
    /// </summary>
    public object Gate => Connection.SharedCache ? _lease.Gate : Connection;

    /// <summary>Whether this connection may only read (Mode=ReadOnly).</summary>
    public bool ReadOnly { get; }

    /// <summary>The absolute path of the database file, or empty for an in-memory database.</summary>
    public string FileName { get; private set; } = "";

    /// <summary>Opens the database the options name, as SQLite's open does for the same flags.</summary>
    public static TernConnectionInternal Open(TernConnectionStringBuilder options)
    {
        if (options.Password.Length != 0)
            throw new InvalidOperationException("You specified a password in the connection string, but the native SQLite library 'Tern' doesn't support encryption.");
        if (!string.IsNullOrEmpty(options.Vfs)) throw new TernException($"SQLite Error 1: 'no such vfs: {options.Vfs}'.", 1);
        string source = options.DataSource;
        TernOpenMode mode = options.Mode;
        TernCacheMode cache = options.Cache;
        if (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) (source, mode, cache) = ParseUri(source, mode, cache);
        bool memory = mode == TernOpenMode.Memory || source == ":memory:" || source.Length == 0;
        SharedDatabases.Lease lease;
        string fileName = "";
        bool sharedCache = cache == TernCacheMode.Shared;
        try
        {
            if (memory)
            {
                bool shared = mode == TernOpenMode.Memory && sharedCache && source != ":memory:" && source.Length != 0;
                sharedCache = shared;
                lease = shared
                    ? SharedDatabases.Acquire("memory:" + source, () => Database.Open(":memory:"))
                    : SharedDatabases.Private(Database.Open(":memory:"));
            }
            else
            {
                string path = Path.GetFullPath(source);
                bool exists = File.Exists(path);
                if (!exists && mode != TernOpenMode.ReadWriteCreate) throw TernException.ForCode(ResultCode.CantOpen);
                // One engine database per file serves every mode: read-only connections are held to reading
                // by the provider (TernDataReader), and the file opens read-only only when it cannot be written.
                bool readOnly = mode == TernOpenMode.ReadOnly;
                lease = SharedDatabases.Acquire(path, () =>
                {
                    try
                    {
                        return Database.Open(path);
                    }
                    catch (Exception e) when (readOnly && e is Tern.TernException or IOException or UnauthorizedAccessException)
                    {
                        return Database.Open(path, new DatabaseOptions { ReadOnly = true });
                    }
                });
                fileName = path;
            }
        }
        catch (Tern.TernException e)
        {
            throw TernException.From(e);
        }
        catch (IOException)
        {
            throw TernException.ForCode(ResultCode.CantOpen);
        }
        catch (UnauthorizedAccessException)
        {
            throw TernException.ForCode(ResultCode.CantOpen);
        }
        return new TernConnectionInternal(lease, mode == TernOpenMode.ReadOnly, sharedCache) { FileName = fileName };
    }

    /// <summary>
    /// A <c>file:</c> URI data source as SQLite reads it: the path (percent-decoded, after an empty or
    /// <c>localhost</c> authority) and the <c>mode</c> (ro, rw, rwc, memory) and <c>cache</c> (shared,
    /// private) query parameters, which override the connection string's Mode and Cache.
    /// </summary>
    private static (string Path, TernOpenMode Mode, TernCacheMode Cache) ParseUri(string uri, TernOpenMode mode, TernCacheMode cache)
    {
        string rest = uri[5..];
        int q = rest.IndexOf('?', StringComparison.Ordinal);
        string query = q < 0 ? "" : rest[(q + 1)..];
        string path = q < 0 ? rest : rest[..q];
        int hash = path.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) path = path[..hash];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            int slash = path.IndexOf('/', 2);
            string authority = slash < 0 ? path[2..] : path[2..slash];
            if (authority.Length != 0 && !authority.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                throw new TernException($"SQLite Error 1: 'invalid uri authority: {authority}'.", 1);
            path = slash < 0 ? "" : path[slash..];
        }
        path = Uri.UnescapeDataString(path);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]);
            switch (key)
            {
                case "mode":
                    mode = value switch
                    {
                        "ro" => TernOpenMode.ReadOnly,
                        "rw" => TernOpenMode.ReadWrite,
                        "rwc" => TernOpenMode.ReadWriteCreate,
                        "memory" => TernOpenMode.Memory,
                        _ => throw new TernException($"SQLite Error 1: 'no such access mode: {value}'.", 1),
                    };
                    break;
                case "cache":
                    cache = value switch
                    {
                        "shared" => TernCacheMode.Shared,
                        "private" => TernCacheMode.Private,
                        _ => throw new TernException($"SQLite Error 1: 'no such cache mode: {value}'.", 1),
                    };
                    break;
                case "vfs":
                    throw new TernException($"SQLite Error 1: 'no such vfs: {value}'.", 1);
            }
        }
        return (path, mode, cache);
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Execute(string sql) => Connection.Execute(sql);

    /// <summary>Closes the engine connection and releases the database.</summary>
    public void Dispose()
    {
        lock (_lease.Gate) Connection.Dispose();
        _lease.Dispose();
    }
}
