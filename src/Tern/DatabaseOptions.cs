// Options for opening a database: page size and cache size for new files, read-only
// mode, durability, the file system to use (real files by default), and how much memory
// a sort may take before it spills to a temporary file.
using Tern.Storage.Io;
using Tern.Storage.Pager;

namespace Tern;

/// <summary>How <see cref="Database.Open"/> opens a database.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The page size of a new database file (a power of two from 512 to 65536). Default 4096.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>The most pages the page cache holds. Default 2000.</summary>
    public int CacheSize { get; init; } = 2000;

    /// <summary>Open the database for reading only.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>When commits sync the file (SQLite's <c>PRAGMA synchronous</c>). Default FULL.</summary>
    public SynchronousMode Synchronous { get; init; } = SynchronousMode.Full;

    /// <summary>The file system holding the database; null means the operating system's files.</summary>
    public IFileSystem? FileSystem { get; init; }

    /// <summary>
    /// Bytes of rows an ORDER BY, GROUP BY or INSERT ... SELECT sort keeps in memory; past it
    /// the rows go to a temporary file as sorted runs that are merged when read. Default 64 MiB;
    /// 0 keeps every sort in memory.
    /// </summary>
    public long SortMemoryLimit { get; init; } = 64L * 1024 * 1024;
}
