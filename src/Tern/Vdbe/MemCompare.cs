// SQLite's ordering of values: NULL < INTEGER/REAL (compared numerically, exactly) <
// TEXT (by collation, see Storage/Record/Collation.cs) < BLOB (memcmp).
using Tern.Storage.Record;

namespace Tern.Vdbe;

/// <summary>Comparison of registers.</summary>
internal static class MemCompare
{
    public static int Compare(in Mem a, in Mem b, Collation coll = Collation.Binary)
    {
        int ca = Class(a.Kind), cb = Class(b.Kind);
        if (ca != cb) return ca < cb ? -1 : 1;
        switch (ca)
        {
            case 0: return 0;
            case 1:
                if (a.Kind == MemKind.Int && b.Kind == MemKind.Int) return a.I.CompareTo(b.I);
                if (a.Kind == MemKind.Real && b.Kind == MemKind.Real) return a.R < b.R ? -1 : a.R > b.R ? 1 : 0;
                if (a.Kind == MemKind.Int) return RecordComparer.CompareIntegerReal(a.I, b.R);
                return -RecordComparer.CompareIntegerReal(b.I, a.R);
            case 2: return CompareText(a.Span, b.Span, coll);
            default:
                int c = a.Span.SequenceCompareTo(b.Span);
                return c < 0 ? -1 : c > 0 ? 1 : 0;
        }
    }

    public static int CompareText(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Collation coll) => Collations.Compare(x, y, coll);

    private static int Class(MemKind k) => k switch
    {
        MemKind.Null => 0,
        MemKind.Int or MemKind.Real => 1,
        MemKind.Text => 2,
        _ => 3,
    };

    public static Collation ParseCollation(string name) =>
        TryParseCollation(name) ?? throw new TernException(ResultCode.Error, "no such collation sequence: " + name);

    /// <summary>The built-in collation of that name, or null when there is none.</summary>
    public static Collation? TryParseCollation(string name) => name.ToUpperInvariant() switch
    {
        "BINARY" => Collation.Binary,
        "NOCASE" => Collation.NoCase,
        "RTRIM" => Collation.RTrim,
        _ => null,
    };
}
