// SQLite's ordering of records, as index B-trees use it: field by field, straight from the
// serialized bytes (no decoding to Value, no allocation). Within a field:
//
//   NULL  <  INTEGER and REAL  <  TEXT  <  BLOB
//
//   NULL vs NULL      equal
//   numbers           by numeric value; an INTEGER and a REAL compare exactly (no rounding
//                     of the integer to a double: 2^63-1 < 9.2233720368547758e18 = 2^63,
//                     and 2^53+1 > 9007199254740992.0); -0.0 equals 0.0; a stored NaN
//                     (which SQLite never writes) counts as NULL
//   TEXT              by the field's collation in the KeyInfo (BINARY, the default: memcmp
//                     of the UTF-8 bytes, then the shorter first; NOCASE; RTRIM)
//   BLOB              memcmp, then the shorter first
//
// A field whose KeyInfo says NULLs sort large has the result of a NULL against a non-NULL
// negated first; a field marked DESC in the KeyInfo has its result negated. The first unequal field decides;
// when one record runs out of fields first, the fields compared so far decide, and if they
// are all equal the result is 0 (callers that care about prefixes decide what that means).
// Results are negative when the first argument sorts first, zero, or positive.
using System.Runtime.CompilerServices;

namespace Tern.Storage.Record;

/// <summary>Compares SQLite records (and unpacked keys against records) in index order.</summary>
internal static class RecordComparer
{
    /// <summary>
    /// Compares two serialized records over the fields they both have. Returns negative, zero or
    /// positive as <paramref name="record1"/> sorts before, equal to, or after <paramref name="record2"/>;
    /// 0 when every field compared is equal. Throws SQLITE_CORRUPT for a malformed header, a
    /// reserved serial type or a field whose content runs past its record's end.
    /// </summary>
    /// <param name="record1">The first record.</param>
    /// <param name="record2">The second record.</param>
    /// <param name="info">Per-field sort orders; <c>null</c> for all ascending.</param>
    public static int Compare(ReadOnlySpan<byte> record1, ReadOnlySpan<byte> record2, KeyInfo? info) =>
        Compare(record1, record2, info, int.MaxValue);

    /// <summary>Compares only the first <paramref name="fieldLimit"/> fields (equal when those are).</summary>
    public static int Compare(ReadOnlySpan<byte> record1, ReadOnlySpan<byte> record2, KeyInfo? info, int fieldLimit)
    {
        int h1 = ReadHeaderSize(record1, out int headerSize1);
        int h2 = ReadHeaderSize(record2, out int headerSize2);
        int d1 = headerSize1;
        int d2 = headerSize2;
        for (int field = 0; field < fieldLimit && h1 < headerSize1 && h2 < headerSize2; field++)
        {
            uint t1 = record1[h1];
            if (t1 < 0x80)
            {
                h1++;
            }
            else
            {
                h1 += Varint.Read32(record1[h1..headerSize1], out t1);
            }
            uint t2 = record2[h2];
            if (t2 < 0x80)
            {
                h2++;
            }
            else
            {
                h2 += Varint.Read32(record2[h2..headerSize2], out t2);
            }

            int s1 = SerialType.ContentSize(t1);
            int s2 = SerialType.ContentSize(t2);
            if (s1 > record1.Length - d1 || s2 > record2.Length - d2)
            {
                TernException.ThrowCorrupt();
            }

            int rc = CompareFields(t1, record1.Slice(d1, s1), t2, record2.Slice(d2, s2), info, field);
            if (rc != 0)
            {
                if (info is { HasLargeNulls: true } && (t1 == 0 || t2 == 0) && info.NullsLarge(field)) rc = -rc;
                return Order(rc, info, field);
            }
            d1 += s1;
            d2 += s2;
        }
        return 0;
    }

    /// <summary>
    /// Compares an unpacked key (possibly a prefix: fewer fields than the record) with a serialized
    /// record, over the fields both have. Returns negative, zero or positive as the key sorts before,
    /// equal to, or after the record; 0 when every key field equals the record's. Throws
    /// SQLITE_CORRUPT for a malformed record, as <see cref="Compare(ReadOnlySpan{byte}, ReadOnlySpan{byte}, KeyInfo?)"/> does.
    /// </summary>
    /// <param name="key">The key's fields, in index order.</param>
    /// <param name="record">The stored record.</param>
    /// <param name="info">Per-field sort orders; <c>null</c> for all ascending.</param>
    public static int Compare(ReadOnlySpan<Value> key, ReadOnlySpan<byte> record, KeyInfo? info)
    {
        int h = ReadHeaderSize(record, out int headerSize);
        int d = headerSize;
        for (int field = 0; field < key.Length && h < headerSize; field++)
        {
            uint t = record[h];
            if (t < 0x80)
            {
                h++;
            }
            else
            {
                h += Varint.Read32(record[h..headerSize], out t);
            }
            int s = SerialType.ContentSize(t);
            if (s > record.Length - d)
            {
                TernException.ThrowCorrupt();
            }

            int rc = CompareKeyField(in key[field], t, record.Slice(d, s), info, field);
            if (rc != 0)
            {
                if (info is { HasLargeNulls: true } && (t == 0 || key[field].IsNull) && info.NullsLarge(field)) rc = -rc;
                return Order(rc, info, field);
            }
            d += s;
        }
        return 0;
    }

    /// <summary>
    /// Compares two values in SQLite's order with the BINARY collation (NULL &lt; numbers &lt; TEXT
    /// &lt; BLOB; numbers exactly by value). Returns negative, zero or positive.
    /// </summary>
    public static int CompareValues(in Value a, in Value b)
    {
        ValueKind ka = NumericKind(a);
        ValueKind kb = NumericKind(b);
        if (ka <= ValueKind.Real && kb <= ValueKind.Real)
        {
            return CompareNumbers(ka, IntegerBits(a), RealOf(a), kb, IntegerBits(b), RealOf(b));
        }
        if (ka != kb)
        {
            return Rank(ka) < Rank(kb) ? -1 : 1;
        }
        return ka == ValueKind.Text ? CompareText(a.AsBytes, b.AsBytes, null, 0) : a.AsBytes.SequenceCompareTo(b.AsBytes);
    }

    /// <summary>Applies a field's sort order to a nonzero comparison result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Order(int rc, KeyInfo? info, int field) =>
        info is not null && info.IsDescending(field) ? (rc > 0 ? -1 : 1) : rc;

    /// <summary>Reads and checks a record's header size; returns the size varint's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadHeaderSize(ReadOnlySpan<byte> record, out int headerSize)
    {
        int n = Varint.Read32(record, out uint size);
        if (size < (uint)n || size > (uint)record.Length)
        {
            TernException.ThrowCorrupt();
        }
        headerSize = (int)size;
        return n;
    }

    /// <summary>Compares two record fields given their (non-reserved) serial types and exact contents.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareFields(uint t1, ReadOnlySpan<byte> c1, uint t2, ReadOnlySpan<byte> c2, KeyInfo? info, int field)
    {
        if (t1 >= SerialType.MinBlob || t2 >= SerialType.MinBlob)
        {
            if (t1 < SerialType.MinBlob)
            {
                return -1; // NULL or number < TEXT or BLOB
            }
            if (t2 < SerialType.MinBlob)
            {
                return 1;
            }
            if (((t1 ^ t2) & 1) != 0)
            {
                return (t1 & 1) != 0 ? -1 : 1; // TEXT (odd) < BLOB (even)
            }
            return (t1 & 1) != 0 ? CompareText(c1, c2, info, field) : c1.SequenceCompareTo(c2);
        }
        if (t1 != SerialType.Real && t2 != SerialType.Real)
        {
            // NULLs and integers only: the common case of integer keys.
            if (t1 == SerialType.Null)
            {
                return t2 == SerialType.Null ? 0 : -1;
            }
            if (t2 == SerialType.Null)
            {
                return 1;
            }
            return SerialType.ReadInteger(t1, c1).CompareTo(SerialType.ReadInteger(t2, c2));
        }
        return CompareWithReal(t1, c1, t2, c2);
    }

    /// <summary>Compares two NULL-or-number fields of which at least one is a REAL (kept out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CompareWithReal(uint t1, ReadOnlySpan<byte> c1, uint t2, ReadOnlySpan<byte> c2)
    {
        ValueKind k1 = ReadNumber(t1, c1, out long i1, out double r1);
        ValueKind k2 = ReadNumber(t2, c2, out long i2, out double r2);
        return CompareNumbers(k1, i1, r1, k2, i2, r2);
    }

    /// <summary>Compares a key field with a record field given its (non-reserved) serial type and exact content.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareKeyField(in Value key, uint t, ReadOnlySpan<byte> content, KeyInfo? info, int field)
    {
        ValueKind kind = key.Kind;
        if (kind >= ValueKind.Text)
        {
            if (t < SerialType.MinBlob)
            {
                return 1; // TEXT or BLOB > NULL or number
            }
            bool recordIsText = (t & 1) != 0;
            if (kind == ValueKind.Text)
            {
                return recordIsText ? CompareText(key.AsBytes, content, info, field) : -1;
            }
            return recordIsText ? 1 : key.AsBytes.SequenceCompareTo(content);
        }
        if (t >= SerialType.MinBlob)
        {
            return -1;
        }
        if (kind == ValueKind.Integer && t != SerialType.Real && t != SerialType.Null)
        {
            return key.AsInteger.CompareTo(SerialType.ReadInteger(t, content));
        }
        return CompareKeyNumber(in key, t, content);
    }

    /// <summary>Compares a NULL-or-number key field with a NULL-or-number record field (kept out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int CompareKeyNumber(in Value key, uint t, ReadOnlySpan<byte> content)
    {
        ValueKind k2 = ReadNumber(t, content, out long i2, out double r2);
        ValueKind k1 = NumericKind(key);
        return CompareNumbers(k1, IntegerBits(key), RealOf(key), k2, i2, r2);
    }

    /// <summary>Compares text with the field's collation (BINARY when there is no KeyInfo).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CompareText(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, KeyInfo? info, int field)
    {
        if (info is null || !info.HasCollations) return a.SequenceCompareTo(b);
        return Collations.Compare(a, b, info.CollationOf(field));
    }

    /// <summary>
    /// Reads a NULL or numeric field (serial type 0..9) as a kind plus an integer or a double;
    /// a NaN REAL reads as NULL.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ValueKind ReadNumber(uint t, ReadOnlySpan<byte> content, out long i, out double r)
    {
        if (t == SerialType.Real)
        {
            i = 0;
            r = SerialType.ReadReal(content);
            return double.IsNaN(r) ? ValueKind.Null : ValueKind.Real;
        }
        r = 0;
        if (t == SerialType.Null)
        {
            i = 0;
            return ValueKind.Null;
        }
        i = SerialType.ReadInteger(t, content);
        return ValueKind.Integer;
    }

    /// <summary>Compares two numbers-or-NULLs (kinds Null, Integer or Real; no NaNs).</summary>
    private static int CompareNumbers(ValueKind k1, long i1, double r1, ValueKind k2, long i2, double r2)
    {
        if (k1 == ValueKind.Null)
        {
            return k2 == ValueKind.Null ? 0 : -1;
        }
        if (k2 == ValueKind.Null)
        {
            return 1;
        }
        if (k1 == ValueKind.Integer)
        {
            return k2 == ValueKind.Integer ? i1.CompareTo(i2) : CompareIntegerReal(i1, r2);
        }
        return k2 == ValueKind.Integer ? -CompareIntegerReal(i2, r1) : r1.CompareTo(r2);
    }

    /// <summary>
    /// Compares an integer with a (non-NaN) double exactly, with no rounding of either. Within the
    /// long range, compare the integer with the double's integer part, which a double holds
    /// exactly; if those are equal the integer is exact as a double too, so compare as doubles to
    /// account for the fraction.
    /// </summary>
    internal static int CompareIntegerReal(long i, double r)
    {
        if (r < -9223372036854775808.0)
        {
            return 1;
        }
        if (r >= 9223372036854775808.0)
        {
            return -1;
        }
        long whole = (long)r; // truncates toward zero; exact, as r is within range
        if (i != whole)
        {
            return i < whole ? -1 : 1;
        }
        double di = i;
        return di < r ? -1 : di > r ? 1 : 0;
    }

    /// <summary>A value's kind for comparison: a NaN REAL counts as NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ValueKind NumericKind(in Value v) =>
        v.Kind == ValueKind.Real && double.IsNaN(v.AsReal) ? ValueKind.Null : v.Kind;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long IntegerBits(in Value v) => v.Kind == ValueKind.Integer ? v.AsInteger : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RealOf(in Value v) => v.Kind == ValueKind.Real ? v.AsReal : 0;

    /// <summary>The rank of a kind in SQLite's order: NULL 0, numbers 1, TEXT 2, BLOB 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Rank(ValueKind kind) => kind <= ValueKind.Integer ? (int)kind : (int)kind - 1;
}
