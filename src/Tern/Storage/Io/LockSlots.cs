// Byte-range locks emulated in memory: a fixed number of lock slots, each held shared by
// any number of owners or exclusively by one. MemoryFileSystem keeps one table per file for
// the database locks (3 slots: the pending byte, the reserved byte, the shared range) and
// one per file for the shared memory's lock slots; OsFileSystem uses a table per path where
// the operating system offers no per-handle locks. Owners behave like open-file-description
// locks: an owner's own locks never conflict with its requests, so taking a slot it holds
// shared as exclusive converts it (or fails on other owners), and exclusive to shared
// always succeeds.
//
//   slot mode per owner:   0 = free   1 = shared (read lock)   2 = exclusive (write lock)
//   invariant per slot:    one owner with 2 and no other owner above 0, or any owners at 1
//
// Not thread-safe: callers hold their own lock around every call.
using System.Diagnostics;

namespace Tern.Storage.Io;

/// <summary>A table of lock slots shared by several owners (see the file comment).</summary>
internal sealed class LockSlots(int slotCount)
{
    private readonly List<Owner> _owners = [];

    /// <summary>The number of slots.</summary>
    public int SlotCount { get; } = slotCount;

    /// <summary>Whether no owner is registered.</summary>
    public bool IsEmpty => _owners.Count == 0;

    /// <summary>A holder of locks in one table: what one handle holds.</summary>
    internal sealed class Owner(LockSlots table)
    {
        /// <summary>The mode per slot: 0 free, 1 shared, 2 exclusive.</summary>
        public byte[] Modes { get; } = new byte[table.SlotCount];

        /// <summary>The table the owner belongs to.</summary>
        public LockSlots Table { get; } = table;
    }

    /// <summary>Registers a new owner holding nothing.</summary>
    public Owner Join()
    {
        var owner = new Owner(this);
        _owners.Add(owner);
        return owner;
    }

    /// <summary>Releases everything the owner holds and forgets it.</summary>
    public void Leave(Owner owner)
    {
        Debug.Assert(owner.Table == this);
        Array.Clear(owner.Modes);
        _owners.Remove(owner);
    }

    /// <summary>Releases every lock of every owner (the owners stay registered).</summary>
    public void ClearAll()
    {
        foreach (Owner owner in _owners)
        {
            Array.Clear(owner.Modes);
        }
    }

    /// <summary>
    /// Takes slots [<paramref name="slot"/>, +<paramref name="count"/>) shared or exclusive for
    /// <paramref name="owner"/>, converting what it holds there; false (nothing changed) when
    /// another owner's lock conflicts.
    /// </summary>
    public bool TrySet(Owner owner, int slot, int count, bool exclusive)
    {
        Debug.Assert(owner.Table == this && slot >= 0 && count > 0 && slot + count <= SlotCount);
        if (IsBlocked(owner, slot, count, exclusive))
        {
            return false;
        }
        owner.Modes.AsSpan(slot, count).Fill(exclusive ? (byte)2 : (byte)1);
        AssertValid();
        return true;
    }

    /// <summary>Releases slots [<paramref name="slot"/>, +<paramref name="count"/>) of <paramref name="owner"/>.</summary>
    public void Clear(Owner owner, int slot, int count)
    {
        Debug.Assert(owner.Table == this && slot >= 0 && count > 0 && slot + count <= SlotCount);
        owner.Modes.AsSpan(slot, count).Clear();
    }

    /// <summary>
    /// Whether another owner holds a lock in the slots that conflicts with taking them
    /// (exclusively: any lock; shared: an exclusive one).
    /// </summary>
    public bool IsBlocked(Owner owner, int slot, int count, bool exclusive)
    {
        foreach (Owner other in _owners)
        {
            if (other == owner)
            {
                continue;
            }
            foreach (byte mode in other.Modes.AsSpan(slot, count))
            {
                if (mode == 2 || (exclusive && mode != 0))
                {
                    return true;
                }
            }
        }
        return false;
    }

    [Conditional("DEBUG")]
    private void AssertValid()
    {
        for (int s = 0; s < SlotCount; s++)
        {
            int shared = 0, exclusive = 0;
            foreach (Owner o in _owners)
            {
                if (o.Modes[s] == 1) shared++;
                else if (o.Modes[s] == 2) exclusive++;
            }
            Debug.Assert(exclusive == 0 || (exclusive == 1 && shared == 0), "a slot held exclusively by one owner is held by no other");
        }
    }
}

/// <summary>Argument checks shared by the <see cref="ISharedMemory"/> implementations.</summary>
internal static class SharedMemorySlots
{
    /// <summary>
    /// Checks a slot range against <see cref="ISharedMemory.LockCount"/> and, for a lock, that
    /// the handle holds none of the slots except shared ones it upgrades to exclusive.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> held, int slot, int count, bool? exclusive)
    {
        if (slot < 0 || count < 1 || slot + count > ISharedMemory.LockCount)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), $"lock slots {slot}..{slot + count - 1} are not within 0..{ISharedMemory.LockCount - 1}");
        }
        if (exclusive is not { } x)
        {
            return;
        }
        foreach (byte mode in held.Slice(slot, count))
        {
            if (mode != 0 && !(mode == 1 && x))
            {
                throw new InvalidOperationException("the handle already holds that shared-memory lock slot");
            }
        }
    }
}
