// What a cell holds, decoded from its bytes. Cell formats by page type:
//
//   leaf table (13):     varint payload-size | varint rowid | payload | [4 overflow page]
//   interior table (5):  4 left-child page   | varint rowid
//   leaf index (10):     varint payload-size | payload      | [4 overflow page]
//   interior index (2):  4 left-child page   | varint payload-size | payload | [4 overflow]
//
// Only the first Local bytes of the payload are on the page; when Local < PayloadSize
// the rest is in a chain of overflow pages whose first page number follows the local
// bytes. A cell on a leaf occupies at least 4 bytes (room for a freeblock header).
namespace Tern.Storage.BTree;

/// <summary>A decoded cell: key, payload location and size on the page.</summary>
internal struct CellInfo
{
    /// <summary>Rowid (table pages).</summary>
    public long RowId;

    /// <summary>Total payload size in bytes (0 on interior table cells).</summary>
    public int PayloadSize;

    /// <summary>Offset within the page of the first payload byte.</summary>
    public int PayloadOffset;

    /// <summary>Payload bytes stored on this page.</summary>
    public int Local;

    /// <summary>Bytes the cell occupies on the page.</summary>
    public int Size;

    /// <summary>First overflow page, or 0 when the payload is all local.</summary>
    public uint Overflow;

    /// <summary>Left child page (interior cells).</summary>
    public uint Child;
}
