// The 100-byte database header at the start of page 1, as SQLite's file-format
// document defines it. The header lives inside page 1's buffer; these accessors read
// and write its fields in place (all multi-byte fields are big-endian).
//
//   offset size  field
//   ------ ----  ---------------------------------------------------------------
//      0    16   "SQLite format 3\0"
//     16     2   page size in bytes (1 means 65536)
//     18     1   file format write version (1 legacy/rollback, 2 WAL)
//     19     1   file format read version  (1 legacy/rollback, 2 WAL)
//     20     1   bytes of reserved space at the end of each page
//     21     1   maximum embedded payload fraction (must be 64)
//     22     1   minimum embedded payload fraction (must be 32)
//     23     1   leaf payload fraction (must be 32)
//     24     4   file change counter
//     28     4   database size in pages ("in-header database size")
//     32     4   page number of the first freelist trunk page
//     36     4   total number of freelist pages
//     40     4   schema cookie
//     44     4   schema format number (1..4)
//     48     4   default page cache size
//     52     4   largest root b-tree page (auto-vacuum / incremental vacuum), else 0
//     56     4   text encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be)
//     60     4   user version
//     64     4   incremental-vacuum mode (non-zero: incremental)
//     68     4   application id
//     72    20   reserved for expansion, zero
//     92     4   version-valid-for number (the change counter when 28 was written)
//     96     4   SQLITE_VERSION_NUMBER of the library that last wrote the file
using System.Buffers.Binary;

namespace Tern.Storage.Pager;

/// <summary>Field offsets and accessors of the 100-byte database header.</summary>
public static class DatabaseHeader
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 100;
    internal const int PageSizeOffset = 16;
    internal const int WriteVersionOffset = 18;
    internal const int ReadVersionOffset = 19;
    internal const int ReservedOffset = 20;
    internal const int ChangeCounterOffset = 24;
    internal const int DatabaseSizeOffset = 28;
    internal const int FirstFreelistTrunkOffset = 32;
    internal const int FreelistCountOffset = 36;
    internal const int SchemaCookieOffset = 40;
    internal const int SchemaFormatOffset = 44;
    internal const int DefaultCacheSizeOffset = 48;
    internal const int LargestRootPageOffset = 52;
    internal const int TextEncodingOffset = 56;
    internal const int UserVersionOffset = 60;
    internal const int IncrementalVacuumOffset = 64;
    internal const int ApplicationIdOffset = 68;
    internal const int VersionValidForOffset = 92;
    internal const int SqliteVersionOffset = 96;

    /// <summary>The SQLite version number Tern writes at offset 96 (the SQLite release it follows).</summary>
    public const int WriterVersionNumber = 3050004;

    /// <summary>The 16-byte magic string "SQLite format 3\0".</summary>
    public static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Reads a big-endian 32-bit header field.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> page1, int offset) => BinaryPrimitives.ReadUInt32BigEndian(page1.Slice(offset, 4));

    /// <summary>Writes a big-endian 32-bit header field.</summary>
    public static void WriteUInt32(Span<byte> page1, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(page1.Slice(offset, 4), value);

    /// <summary>Decodes the page size field (1 means 65536); returns 0 when it is not a valid page size.</summary>
    public static int ReadPageSize(ReadOnlySpan<byte> header)
    {
        int raw = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(PageSizeOffset, 2));
        int size = raw == 1 ? 65536 : raw;
        return IsValidPageSize(size) ? size : 0;
    }

    /// <summary>Whether a page size is a power of two between 512 and 65536.</summary>
    public static bool IsValidPageSize(int size) => size >= 512 && size <= 65536 && (size & (size - 1)) == 0;

    /// <summary>
    /// Writes a fresh header for an empty database into page 1 (the b-tree layer adds the
    /// empty sqlite_schema root page after it).
    /// </summary>
    public static void InitializeNew(Span<byte> page1, int pageSize, int reservedBytes, bool autoVacuum, bool incrementalVacuum)
    {
        page1[..Size].Clear();
        Magic.CopyTo(page1);
        BinaryPrimitives.WriteUInt16BigEndian(page1.Slice(PageSizeOffset, 2), (ushort)(pageSize == 65536 ? 1 : pageSize));
        page1[WriteVersionOffset] = 1;
        page1[ReadVersionOffset] = 1;
        page1[ReservedOffset] = (byte)reservedBytes;
        page1[21] = 64;
        page1[22] = 32;
        page1[23] = 32;
        WriteUInt32(page1, DatabaseSizeOffset, 1);
        WriteUInt32(page1, SchemaFormatOffset, 4);
        WriteUInt32(page1, LargestRootPageOffset, autoVacuum ? 1u : 0u);
        WriteUInt32(page1, TextEncodingOffset, 1);
        WriteUInt32(page1, IncrementalVacuumOffset, incrementalVacuum ? 1u : 0u);
        WriteUInt32(page1, SqliteVersionOffset, WriterVersionNumber);
    }
}
