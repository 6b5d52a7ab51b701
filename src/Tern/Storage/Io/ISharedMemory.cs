// The memory that every handle on one database file shares, in this process and in others:
// SQLite's wal-index. It is a sequence of regions of RegionSize bytes plus a small set of
// lock slots. On the operating system it is the file "<database>-shm" mapped into memory;
// in MemoryFileSystem it is byte arrays kept beside the file.
//
//   lock slot   SQLite's name          byte of the -shm file locked (unix, windows)
//   0           WAL_WRITE_LOCK         120
//   1           WAL_CKPT_LOCK          121
//   2           WAL_RECOVER_LOCK       122
//   3..7        WAL_READ_LOCK(0..4)    123..127
//   (DMS)       "dead man switch"      128: held shared by every user while open
//
// The first user to open the shared memory (the one that gets the DMS byte exclusively)
// throws away what the -shm file holds, since it can only be stale.
namespace Tern.Storage.Io;

/// <summary>
/// Memory shared by every handle on one database file, in this process and others: SQLite's
/// wal-index. Regions of <see cref="RegionSize"/> bytes; <see cref="LockCount"/> lock slots
/// (SQLite's WAL_WRITE_LOCK=0, WAL_CKPT_LOCK=1, WAL_RECOVER_LOCK=2, WAL_READ_LOCK(0..4)=3..7).
/// </summary>
public interface ISharedMemory : IDisposable
{
    /// <summary>The size of one region in bytes (SQLite's 32 KiB wal-index pages).</summary>
    const int RegionSize = 32768;

    /// <summary>The number of lock slots (SQLite's SQLITE_SHM_NLOCK).</summary>
    const int LockCount = 8;

    /// <summary>
    /// Region <paramref name="index"/> as memory shared with every other user of the file (writes
    /// by one are seen by the others). When the region does not exist yet: with
    /// <paramref name="extend"/> the backing grows to hold it (zero-filled) and it is returned;
    /// without, an empty <see cref="Memory{T}"/> is returned. The memory stays valid until
    /// <see cref="Close"/>. Where the backing could be opened only for reading, the memory
    /// must not be written.
    /// </summary>
    Memory<byte> Map(int index, bool extend);

    /// <summary>
    /// Takes <paramref name="count"/> lock slots starting at <paramref name="slot"/>, shared or
    /// exclusive. Returns false (and takes nothing) when another handle's lock conflicts. A
    /// handle may upgrade a slot it holds shared to exclusive, and may not re-take a slot it
    /// holds (<see cref="InvalidOperationException"/>).
    /// </summary>
    bool TryLock(int slot, int count, bool exclusive);

    /// <summary>Releases <paramref name="count"/> slots from <paramref name="slot"/> that this handle holds.</summary>
    void Unlock(int slot, int count);

    /// <summary>A full memory barrier between this handle's reads and writes of the mapped regions.</summary>
    void Barrier();

    /// <summary>
    /// Unmaps the regions and releases this handle's locks; with <paramref name="delete"/> and no
    /// other user of the shared memory left, deletes the backing (SQLite's xShmUnmap(deleteFlag)).
    /// <see cref="IDisposable.Dispose"/> is <c>Close(false)</c>.
    /// </summary>
    void Close(bool delete);
}
