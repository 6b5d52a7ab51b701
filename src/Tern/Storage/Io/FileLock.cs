// The lock levels a handle can hold on a database file in rollback-journal mode, as SQLite
// names them. Each level is a set of byte-range locks in the "lock page" of the file (see
// LockProtocol.cs); a handle climbs them one way and drops them the other:
//
//        None ──TryLock──> Shared ──TryLock──> Reserved ──TryLock──> [Pending] ──> Exclusive
//          ^                 │  └────────────TryLock(Exclusive)───────> [Pending] ──┘
//          └──Unlock(None)───┴── Unlock(Shared) from any level above Shared
//
// Pending is never asked for; a handle passes through it on the way to Exclusive and stays
// there when Exclusive is busy, so that no new reader gets in while the writer waits.
namespace Tern.Storage.Io;

/// <summary>SQLite's lock levels on a database file (rollback-journal mode), lowest first.</summary>
public enum FileLock
{
    /// <summary>No lock: the handle may not read the file.</summary>
    None = 0,
    /// <summary>Reading: any number of handles may hold it together.</summary>
    Shared = 1,
    /// <summary>A writer preparing its changes: one handle at a time, beside readers.</summary>
    Reserved = 2,
    /// <summary>A writer waiting for the readers to leave: no new Shared lock is granted.</summary>
    Pending = 3,
    /// <summary>A writer writing the file: no other handle holds any lock.</summary>
    Exclusive = 4,
}
