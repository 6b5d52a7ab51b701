// SQLite's database-file locking protocol as its unix VFS runs it, written once over a
// small set of byte-range lock primitives (IRangeLocks) so that the operating system's
// open-file-description locks (OsFileSystem on Linux) and the in-memory emulation
// (MemoryFileSystem, and OsFileSystem where the OS offers no per-handle locks) behave alike.
//
// The lock page (byte offsets in the database file; the page holding them is never used
// for data, so databases past 1 GiB skip it):
//
//   0x40000000  PENDING_BYTE     write-locked by a writer on its way to Exclusive; read-locked
//                                for an instant by a handle taking Shared
//   0x40000001  RESERVED_BYTE    write-locked by the one handle at Reserved
//   0x40000002  SHARED_FIRST     510 bytes (SHARED_SIZE): read-locked by every reader,
//     .. +509                    write-locked by the writer at Exclusive
//
//   level       locks held by the handle
//   Shared      read  SHARED range
//   Reserved    read  SHARED range, write RESERVED
//   Pending     read  SHARED range, write PENDING (and write RESERVED when it came from Reserved)
//   Exclusive   write SHARED range, write PENDING (and RESERVED as above)
//
// Taking Shared: read-lock PENDING (fails while a writer waits or writes), read-lock the SHARED
// range, drop the PENDING read lock. Taking Exclusive: write-lock PENDING unless held, then
// write-lock the SHARED range; when readers remain, the handle stays at Pending. Unlocking to
// Shared turns the SHARED range back into a read lock and drops PENDING and RESERVED; to None,
// drops everything.
using System.Diagnostics;

namespace Tern.Storage.Io;

/// <summary>The byte ranges of the lock page that the protocol locks.</summary>
internal enum LockRange
{
    /// <summary>PENDING_BYTE.</summary>
    Pending,
    /// <summary>RESERVED_BYTE.</summary>
    Reserved,
    /// <summary>SHARED_FIRST .. SHARED_FIRST + SHARED_SIZE - 1.</summary>
    Shared,
    /// <summary>PENDING_BYTE and RESERVED_BYTE together.</summary>
    PendingAndReserved,
    /// <summary>Every byte of the file.</summary>
    All,
}

/// <summary>Byte-range lock primitives on one handle; the handle's own locks never conflict with its requests.</summary>
internal interface IRangeLocks
{
    /// <summary>
    /// Read-locks (or, with <paramref name="write"/>, write-locks) the range, replacing what the
    /// handle holds there. False when another handle's lock conflicts; other failures throw a
    /// <see cref="TernException"/> with <paramref name="error"/>.
    /// </summary>
    bool TrySet(LockRange range, bool write, ResultCode error);

    /// <summary>Releases the handle's locks in the range (failures throw with <paramref name="error"/>).</summary>
    void Clear(LockRange range, ResultCode error);

    /// <summary>Whether another handle holds a lock in the range that would block a write lock.</summary>
    bool IsWriteBlocked(LockRange range);
}

/// <summary>SQLite's unix locking protocol over <see cref="IRangeLocks"/> (see the file comment).</summary>
internal static class LockProtocol
{
    /// <summary>The offset of the pending byte.</summary>
    public const long PendingByte = 0x40000000;
    /// <summary>The offset of the reserved byte.</summary>
    public const long ReservedByte = PendingByte + 1;
    /// <summary>The first byte of the shared range.</summary>
    public const long SharedFirst = PendingByte + 2;
    /// <summary>The length of the shared range.</summary>
    public const long SharedSize = 510;

    /// <summary>The offset and length of a range (length 0: to the end of any file).</summary>
    public static (long Start, long Length) Bytes(LockRange range) => range switch
    {
        LockRange.Pending => (PendingByte, 1),
        LockRange.Reserved => (ReservedByte, 1),
        LockRange.Shared => (SharedFirst, SharedSize),
        LockRange.PendingAndReserved => (PendingByte, 2),
        _ => (0, 0),
    };

    /// <summary>Checks that a request is one of SQLite's steps (a programming error otherwise).</summary>
    public static void Validate(FileLock current, FileLock level)
    {
        if (level is < FileLock.None or > FileLock.Exclusive or FileLock.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "a handle asks for None, Shared, Reserved or Exclusive");
        }
        if (level <= current)
        {
            return;
        }
        if ((current == FileLock.None && level != FileLock.Shared) || (level == FileLock.Reserved && current != FileLock.Shared))
        {
            throw new InvalidOperationException($"cannot go from a {current} lock to {level}");
        }
    }

    /// <summary>Raises <paramref name="current"/> to <paramref name="level"/>; see <see cref="IFile.TryLock"/>.</summary>
    public static bool TryLock(IRangeLocks locks, ref FileLock current, FileLock level)
    {
        Validate(current, level);
        if (level <= current)
        {
            return true;
        }
        if (level == FileLock.Shared || (level == FileLock.Exclusive && current < FileLock.Pending))
        {
            if (!locks.TrySet(LockRange.Pending, write: level != FileLock.Shared, ResultCode.IoErrLock))
            {
                return false;
            }
        }
        if (level == FileLock.Shared)
        {
            bool got;
            try
            {
                got = locks.TrySet(LockRange.Shared, write: false, ResultCode.IoErrLock);
            }
            catch (TernException)
            {
                locks.Clear(LockRange.Pending, ResultCode.IoErrUnlock);
                throw;
            }
            try
            {
                locks.Clear(LockRange.Pending, ResultCode.IoErrUnlock);
            }
            catch (TernException)
            {
                if (got)
                {
                    locks.Clear(LockRange.All, ResultCode.IoErrUnlock);
                }
                throw;
            }
            if (got)
            {
                current = FileLock.Shared;
            }
            return got;
        }
        if (level == FileLock.Exclusive)
        {
            current = FileLock.Pending; // held from here on, also when the shared range is busy
        }
        LockRange range = level == FileLock.Reserved ? LockRange.Reserved : LockRange.Shared;
        if (!locks.TrySet(range, write: true, ResultCode.IoErrLock))
        {
            return false;
        }
        current = level;
        return true;
    }

    /// <summary>Lowers <paramref name="current"/> to <paramref name="level"/> (None or Shared); see <see cref="IFile.Unlock"/>.</summary>
    public static void Unlock(IRangeLocks locks, ref FileLock current, FileLock level)
    {
        if (level is not (FileLock.None or FileLock.Shared))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "a handle unlocks to None or Shared");
        }
        if (current <= level)
        {
            return;
        }
        if (current > FileLock.Shared)
        {
            if (level == FileLock.Shared && !locks.TrySet(LockRange.Shared, write: false, ResultCode.IoErrRdLock))
            {
                // Only a handle outside the protocol can hold a lock that conflicts here.
                TernException.Throw(ResultCode.IoErrRdLock);
            }
            locks.Clear(LockRange.PendingAndReserved, ResultCode.IoErrUnlock);
            current = FileLock.Shared;
        }
        if (level == FileLock.None)
        {
            current = FileLock.None; // SQLite forgets the lock even when the OS call fails
            locks.Clear(LockRange.All, ResultCode.IoErrUnlock);
        }
        Debug.Assert(current == level);
    }

    /// <summary>Whether a handle at <paramref name="current"/> or another holds Reserved or more; see <see cref="IFile.CheckReservedLock"/>.</summary>
    public static bool CheckReservedLock(IRangeLocks locks, FileLock current) =>
        current >= FileLock.Reserved || locks.IsWriteBlocked(LockRange.Reserved);
}

/// <summary><see cref="IRangeLocks"/> over a <see cref="LockSlots"/> table of three slots: pending, reserved, shared range.</summary>
internal sealed class SlotRangeLocks(LockSlots.Owner owner) : IRangeLocks
{
    /// <summary>The number of slots a database file's table has.</summary>
    public const int SlotCount = 3;

    /// <summary>The owner whose locks these are.</summary>
    public LockSlots.Owner Owner { get; } = owner;

    public bool TrySet(LockRange range, bool write, ResultCode error)
    {
        (int slot, int count) = Slots(range);
        return Owner.Table.TrySet(Owner, slot, count, write);
    }

    public void Clear(LockRange range, ResultCode error)
    {
        (int slot, int count) = Slots(range);
        Owner.Table.Clear(Owner, slot, count);
    }

    public bool IsWriteBlocked(LockRange range)
    {
        (int slot, int count) = Slots(range);
        return Owner.Table.IsBlocked(Owner, slot, count, exclusive: true);
    }

    private static (int Slot, int Count) Slots(LockRange range) => range switch
    {
        LockRange.Pending => (0, 1),
        LockRange.Reserved => (1, 1),
        LockRange.Shared => (2, 1),
        LockRange.PendingAndReserved => (0, 2),
        _ => (0, 3),
    };
}
