// Where a database's temporary files go: sorter runs (SorterSpill) and the b-trees of large
// ephemeral indexes (EphemeralTree). They live on the database's own file system, so a
// `:memory:` database keeps them in its private MemoryFileSystem and a test's fault-injecting
// file system sees (and can fail) every temporary-file operation too. On the operating
// system's files they go to the system's temporary directory; on any other file system,
// beside the database.
namespace Tern.Storage.Io;

/// <summary>The file system and directory that hold a database's temporary files.</summary>
internal sealed class TempFiles
{
    private long _next;

    /// <summary>Temporary files on <paramref name="fileSystem"/>, for the database at <paramref name="databasePath"/>.</summary>
    public TempFiles(IFileSystem fileSystem, string databasePath)
    {
        FileSystem = fileSystem;
        Directory = fileSystem is OsFileSystem
            ? System.IO.Path.GetTempPath()
            : System.IO.Path.GetDirectoryName(databasePath) ?? "";
    }

    /// <summary>The file system the temporary files are made on.</summary>
    public IFileSystem FileSystem { get; }

    /// <summary>The directory the temporary files are made in ("" for the file system's root).</summary>
    public string Directory { get; }

    /// <summary>
    /// A fresh path for a temporary file: <c>tern-PREFIX-GUID.EXTENSION</c>. On the operating
    /// system's files a random name keeps processes apart; elsewhere a counter keeps names (and
    /// so test runs) deterministic.
    /// </summary>
    public string NewPath(string prefix, string extension)
    {
        string unique = FileSystem is OsFileSystem
            ? Guid.NewGuid().ToString("N")
            : Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(Directory, "tern-" + prefix + "-" + unique + "." + extension);
    }
}
