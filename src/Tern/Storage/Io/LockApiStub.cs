// Placeholder for the file-lock API of IFile until it lands: every lock is granted.
namespace Tern.Storage.Io;

/// <summary>SQLite's lock levels on a database file.</summary>
#pragma warning disable CS1591
public enum FileLock { None = 0, Shared = 1, Reserved = 2, Pending = 3, Exclusive = 4 }

internal static class LockApiStub
{
    public static bool TryLock(this IFile file, FileLock level) => true;
    public static void Unlock(this IFile file, FileLock level) { }
    public static bool CheckReservedLock(this IFile file) => false;
}
