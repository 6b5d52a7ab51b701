// Collating sequences: how two TEXT values order. SQLite builds in three, and so does Tern:
//
//   BINARY  bytes compared with memcmp, then the shorter first
//   NOCASE  as BINARY after folding the 26 ASCII upper-case letters to lower case
//   RTRIM   as BINARY after dropping trailing spaces from both sides
//
// Both the VM (comparing registers) and the record comparer (ordering index keys, sorter
// and ephemeral records, per the KeyInfo's field collations) go through Collations.Compare,
// so a NOCASE index orders its keys exactly as a NOCASE comparison does.
namespace Tern.Storage.Record;

/// <summary>A collating sequence.</summary>
internal enum Collation : byte
{
    Binary,
    NoCase,
    RTrim,
}

/// <summary>Text comparison under a collating sequence.</summary>
internal static class Collations
{
    /// <summary>Compares two UTF-8 texts under <paramref name="coll"/>: negative, zero or positive.</summary>
    public static int Compare(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Collation coll)
    {
        if (coll == Collation.RTrim)
        {
            x = x.TrimEnd((byte)' ');
            y = y.TrimEnd((byte)' ');
        }
        else if (coll == Collation.NoCase)
        {
            // SQLite folds ASCII letters byte by byte over the shorter length, then orders by
            // length; a NUL in the first text ends the byte comparison there (sqlite3StrNICmp
            // is a C-string compare), so 'a' || char(0) || 'x' and 'A' || char(0) || 'y' tie.
            int n = Math.Min(x.Length, y.Length);
            for (int i = 0; i < n; i++)
            {
                if (x[i] == 0)
                {
                    if (y[i] != 0) return -1;
                    break;
                }
                int cx = Fold(x[i]), cy = Fold(y[i]);
                if (cx != cy) return cx < cy ? -1 : 1;
            }
            return x.Length.CompareTo(y.Length);
        }
        int c = x.SequenceCompareTo(y);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }

    private static int Fold(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b;

    /// <summary>The collation's name as SQLite spells it (BINARY, NOCASE, RTRIM).</summary>
    public static string Name(Collation coll) => coll switch
    {
        Collation.NoCase => "NOCASE",
        Collation.RTrim => "RTRIM",
        _ => "BINARY",
    };
}
