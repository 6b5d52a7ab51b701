// A VM register ("Mem" in SQLite): a kind tag, an inline integer and an inline double,
// and for TEXT/BLOB a view (array, offset, length) of bytes. The bytes may belong to a
// constant of the program, to a buffer the VM owns for the register (column values are
// copied there without allocating once the buffer is large enough), or to a fresh array
// (computed strings). Aggregate contexts ride in Obj; a TEXT whose Obj is its own byte
// array is JSON text (SQLite's JSON subtype, see JsonFunctions).
//
//   Kind     I            R          Bytes/Offset/Length      Obj
//   Null     -            -          -                        -
//   Int      the integer  -          -                        -
//   Real     -            the double -                        -
//   Text     -            -          UTF-8 view               -
//   Blob     -            -          byte view                -
//   Agg      -            -          -                        aggregate context
//
// IntReal (SQLite's MEM_IntReal) marks a Real that REAL affinity made from an integer of at
// most 47 bits (a VIRTUAL generated column of REAL affinity computing an integer): it is a
// REAL to every reader (typeof 'real', text '0.0', real arithmetic; R holds the value), but
// a record made with P5Flags.IntRealAsInteger (table rows, SQLite's sorters and temporary
// tables) stores the integer, so it comes back from a sorter or an ephemeral table as an
// INTEGER; one made with P5Flags.KeepIntReal (Tern's sorters where SQLite has none) keeps
// the mark in an extra field. Every setter clears the mark.
using System.Runtime.CompilerServices;
using System.Text;

namespace Tern.Vdbe;

/// <summary>The storage class held by a register (plus the VM's internal aggregate kind).</summary>
internal enum MemKind : byte
{
    Null,
    Int,
    Real,
    Text,
    Blob,
    Agg,
}

/// <summary>One VM register.</summary>
internal struct Mem
{
    public MemKind Kind;

    /// <summary>A Real that a record stores as the integer it holds (see the file's comment).</summary>
    public bool IntReal;
    public long I;
    public double R;
    public byte[]? Bytes;
    public int Offset;
    public int Length;
    public object? Obj;

    public readonly bool IsNull => Kind == MemKind.Null;

    public readonly ReadOnlySpan<byte> Span => Bytes is null ? default : Bytes.AsSpan(Offset, Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetNull()
    {
        Kind = MemKind.Null;
        IntReal = false;
        Bytes = null;
        Obj = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetInt(long v)
    {
        Kind = MemKind.Int;
        IntReal = false;
        I = v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetReal(double v)
    {
        if (double.IsNaN(v))
        {
            SetNull();
            return;
        }
        Kind = MemKind.Real;
        IntReal = false;
        R = v;
    }

    /// <summary>
    /// REAL affinity as SQLite's OP_Affinity gives it: an integer of at most 47 bits stays an
    /// integer marked as real (<see cref="IntReal"/>), a larger one becomes a REAL.
    /// </summary>
    public void SetIntReal(long v)
    {
        Kind = MemKind.Real;
        R = v;
        IntReal = v is >= -140737488355328L and <= 140737488355327L;
    }

    public void SetBytes(MemKind kind, byte[] bytes, int offset, int length)
    {
        Kind = kind;
        IntReal = false;
        Bytes = bytes;
        Offset = offset;
        Length = length;
    }

    public void SetText(byte[] utf8) => SetBytes(MemKind.Text, utf8, 0, utf8.Length);

    public void SetText(string s) => SetText(Encoding.UTF8.GetBytes(s));

    /// <summary>Makes the bytes private to this register (a deep copy).</summary>
    public void MakeOwned()
    {
        if (Kind is MemKind.Text or MemKind.Blob && Bytes is not null)
        {
            // A JSON function's text result is marked by Obj being its byte array; the copy keeps the mark.
            bool json = ReferenceEquals(Obj, Bytes);
            Bytes = Span.ToArray();
            Offset = 0;
            if (json) Obj = Bytes;
        }
    }

    /// <summary>The value a record stores for this register: an <see cref="IntReal"/> as its integer.</summary>
    public readonly Value ToRecordValue() => IntReal && Kind == MemKind.Real ? Value.FromInteger((long)R) : ToValue();

    public readonly Value ToValue() => Kind switch
    {
        MemKind.Int => Value.FromInteger(I),
        MemKind.Real => Value.FromReal(R),
        MemKind.Text => Value.FromUtf8(Span.ToArray()),
        MemKind.Blob => Value.FromBlob(Span.ToArray()),
        _ => Value.Null,
    };

    public static Mem FromValue(in Value v)
    {
        var m = default(Mem);
        switch (v.Kind)
        {
            case ValueKind.Integer: m.SetInt(v.AsInteger); break;
            case ValueKind.Real: m.Kind = MemKind.Real; m.R = v.AsReal; break;
            case ValueKind.Text: m.SetText(v.AsBytes.ToArray()); break;
            case ValueKind.Blob: { byte[] b = v.AsBytes.ToArray(); m.SetBytes(MemKind.Blob, b, 0, b.Length); break; }
        }
        return m;
    }

    public override readonly string ToString() => Kind switch
    {
        MemKind.Null => "NULL",
        MemKind.Int => I.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MemKind.Real => NumericText.FormatReal(R),
        MemKind.Text => Encoding.UTF8.GetString(Span),
        MemKind.Blob => "x'" + Convert.ToHexString(Span) + "'",
        _ => "agg",
    };
}
