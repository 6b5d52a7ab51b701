// Where a wal-index lives: a growable set of 32 KB regions. SQLite maps them from the
// "<db>-shm" file so that every process sees the same bytes; with locking_mode=EXCLUSIVE it
// keeps them in private heap memory. WalIndex reads and writes the regions through this
// interface only, so the same code runs over shared memory (Storage.Io) and over the heap
// implementation below (used for exclusive mode, tests and copies of -shm files).
namespace Tern.Storage.Wal;

/// <summary>The 32 KB regions holding a wal-index.</summary>
public interface IWalIndexMemory
{
    /// <summary>The number of regions that exist.</summary>
    int RegionCount { get; }

    /// <summary>Region <paramref name="index"/>, which must exist (<see cref="WalIndex.RegionSize"/> bytes).</summary>
    Span<byte> GetRegion(int index);

    /// <summary>Region <paramref name="index"/>, adding zero-filled regions up to it when they do not exist yet.</summary>
    Span<byte> GetOrAddRegion(int index);

    /// <summary>Region <paramref name="index"/> when it exists, else an empty span.</summary>
    Span<byte> TryGetRegion(int index);
}

/// <summary>A wal-index in private heap memory.</summary>
public sealed class HeapWalIndexMemory : IWalIndexMemory
{
    private readonly List<byte[]> _regions = [];

    /// <inheritdoc/>
    public int RegionCount => _regions.Count;

    /// <inheritdoc/>
    public Span<byte> GetRegion(int index) => _regions[index];

    /// <inheritdoc/>
    public Span<byte> TryGetRegion(int index) => index < _regions.Count ? _regions[index] : Span<byte>.Empty;

    /// <inheritdoc/>
    public Span<byte> GetOrAddRegion(int index)
    {
        while (_regions.Count <= index) _regions.Add(new byte[WalIndex.RegionSize]);
        return _regions[index];
    }

    /// <summary>
    /// A heap copy of wal-index bytes (for example a "-shm" file's content); a trailing partial
    /// region is padded with zeros.
    /// </summary>
    public static HeapWalIndexMemory FromBytes(ReadOnlySpan<byte> content)
    {
        var m = new HeapWalIndexMemory();
        for (int i = 0; i * WalIndex.RegionSize < content.Length; i++)
        {
            ReadOnlySpan<byte> part = content[(i * WalIndex.RegionSize)..];
            if (part.Length > WalIndex.RegionSize) part = part[..WalIndex.RegionSize];
            part.CopyTo(m.GetOrAddRegion(i));
        }
        return m;
    }

    /// <summary>All regions' bytes, one after the other (the layout of a "-shm" file).</summary>
    public byte[] ToArray()
    {
        byte[] all = new byte[_regions.Count * WalIndex.RegionSize];
        for (int i = 0; i < _regions.Count; i++) _regions[i].CopyTo(all, i * WalIndex.RegionSize);
        return all;
    }
}
