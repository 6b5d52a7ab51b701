// Whether connections to the same named in-memory database share it: the values of the
// connection string's Cache keyword.
namespace Tern.Data;

/// <summary>The caching mode of a connection (<c>Cache</c> keyword).</summary>
public enum TernCacheMode
{
    /// <summary>The default: private for in-memory databases.</summary>
    Default,

    /// <summary>Private: each connection has its own cache.</summary>
    Private,

    /// <summary>Shared: connections to the same named in-memory database share it.</summary>
    Shared,
}
