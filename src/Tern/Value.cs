// A single SQL value as SQLite's storage layer knows it: NULL, a 64-bit signed integer,
// an IEEE-754 double, a UTF-8 text, or a BLOB. Numbers live inline (an integer and a
// double share one 64-bit field); text and blobs live in a byte array that the value
// refers to but never copies, so building and reading values costs no extra allocation.
//
//   Kind     _bits                          _bytes
//   Null     0                              null
//   Integer  the integer                    null
//   Real     the double's IEEE-754 bits     null
//   Text     0                              UTF-8 bytes (no terminator, no BOM)
//   Blob     0                              the bytes
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tern;

/// <summary>The storage class of a <see cref="Value"/> (SQLite's five fundamental datatypes).</summary>
public enum ValueKind : byte
{
    /// <summary>The SQL NULL.</summary>
    Null,
    /// <summary>A 64-bit signed integer.</summary>
    Integer,
    /// <summary>An IEEE-754 64-bit floating-point number.</summary>
    Real,
    /// <summary>A string, held as UTF-8 bytes.</summary>
    Text,
    /// <summary>A BLOB: bytes stored exactly as given.</summary>
    Blob,
}

/// <summary>
/// An immutable SQL value: NULL, INTEGER, REAL, TEXT (UTF-8) or BLOB. The default value is NULL.
/// Text and blob values refer to their byte array without copying it; do not mutate an array
/// after handing it to <see cref="FromUtf8"/> or <see cref="FromBlob"/>.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly byte[]? _bytes;
    private readonly long _bits;
    private readonly ValueKind _kind;

    private Value(ValueKind kind, long bits, byte[]? bytes)
    {
        _kind = kind;
        _bits = bits;
        _bytes = bytes;
    }

    /// <summary>The SQL NULL (also the <c>default</c> of this struct).</summary>
    public static Value Null => default;

    /// <summary>Creates an INTEGER value.</summary>
    /// <param name="value">The integer.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value FromInteger(long value) => new(ValueKind.Integer, value, null);

    /// <summary>Creates a REAL value (any double, including NaN, infinities and negative zero).</summary>
    /// <param name="value">The floating-point number.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value FromReal(double value) => new(ValueKind.Real, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates a TEXT value by encoding a string as UTF-8.</summary>
    /// <param name="value">The string; unpaired surrogates become U+FFFD.</param>
    public static Value FromText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ValueKind.Text, 0, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Creates a TEXT value from UTF-8 bytes, taking the array without copying it.</summary>
    /// <param name="utf8">The text's UTF-8 bytes; the value keeps a reference to this array.</param>
    public static Value FromUtf8(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return new(ValueKind.Text, 0, utf8);
    }

    /// <summary>Creates a BLOB value, taking the array without copying it.</summary>
    /// <param name="bytes">The blob's bytes; the value keeps a reference to this array.</param>
    public static Value FromBlob(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new(ValueKind.Blob, 0, bytes);
    }

    /// <summary>The storage class of this value.</summary>
    public ValueKind Kind
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _kind;
    }

    /// <summary>Whether this value is NULL.</summary>
    public bool IsNull => _kind == ValueKind.Null;

    /// <summary>The integer of an INTEGER value.</summary>
    /// <exception cref="InvalidOperationException">The value is not an INTEGER.</exception>
    public long AsInteger
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_kind != ValueKind.Integer)
            {
                ThrowWrongKind(ValueKind.Integer);
            }
            return _bits;
        }
    }

    /// <summary>The number of a REAL value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a REAL.</exception>
    public double AsReal
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_kind != ValueKind.Real)
            {
                ThrowWrongKind(ValueKind.Real);
            }
            return BitConverter.Int64BitsToDouble(_bits);
        }
    }

    /// <summary>The bytes of a TEXT (UTF-8) or BLOB value.</summary>
    /// <exception cref="InvalidOperationException">The value is neither TEXT nor BLOB.</exception>
    public ReadOnlySpan<byte> AsBytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_bytes is null)
            {
                ThrowWrongKind(ValueKind.Blob);
            }
            return _bytes;
        }
    }

    /// <summary>The string of a TEXT value, decoded from UTF-8 (invalid sequences become U+FFFD).</summary>
    /// <exception cref="InvalidOperationException">The value is not TEXT.</exception>
    public string AsString()
    {
        if (_kind != ValueKind.Text)
        {
            ThrowWrongKind(ValueKind.Text);
        }
        return Encoding.UTF8.GetString(_bytes!);
    }

    /// <summary>
    /// Exact equality: same kind and the same integer, the same REAL bit pattern (so <c>0.0</c> and
    /// <c>-0.0</c> differ and a NaN equals itself), or the same bytes. This is identity of the stored
    /// value, not SQL comparison; <see cref="Storage.Record.RecordComparer"/> implements SQL ordering.
    /// </summary>
    /// <param name="other">The value to compare with.</param>
    public bool Equals(Value other) =>
        _kind == other._kind
        && _bits == other._bits
        && (_bytes is null ? other._bytes is null : other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes));

    /// <summary>Exact equality with another boxed <see cref="Value"/>; see <see cref="Equals(Value)"/>.</summary>
    /// <param name="obj">The object to compare with.</param>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Value other && Equals(other);

    /// <summary>A hash code consistent with <see cref="Equals(Value)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_kind);
        hash.Add(_bits);
        if (_bytes is not null)
        {
            hash.AddBytes(_bytes);
        }
        return hash.ToHashCode();
    }

    /// <summary>Exact equality; see <see cref="Equals(Value)"/>.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(Value left, Value right) => left.Equals(right);

    /// <summary>Exact inequality; see <see cref="Equals(Value)"/>.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>
    /// A debugging rendering in SQL literal style: <c>NULL</c>, <c>42</c>, <c>2.5</c> (round-trip
    /// precision), <c>'it''s'</c>, <c>x'0102'</c>.
    /// </summary>
    public override string ToString() => _kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        ValueKind.Real => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Text => "'" + Encoding.UTF8.GetString(_bytes!).Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => "x'" + Convert.ToHexString(_bytes!) + "'",
    };

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowWrongKind(ValueKind wanted) =>
        throw new InvalidOperationException($"The value is {_kind}, not {(wanted == ValueKind.Blob ? "Text or Blob" : wanted.ToString())}.");
}
