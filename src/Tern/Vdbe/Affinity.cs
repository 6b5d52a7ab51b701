// Column affinity (SQLite datatype3 §3): the preferred storage class of a column, given
// by its declared type, and how a value is converted when stored in it or compared with
// it. The enum values are SQLite's affinity letters, as EXPLAIN shows them in P4.
namespace Tern.Vdbe;

/// <summary>A type affinity.</summary>
internal enum Affinity : byte
{
    None = 0,
    Blob = (byte)'A',
    Text = (byte)'B',
    Numeric = (byte)'C',
    Integer = (byte)'D',
    Real = (byte)'E',
}

/// <summary>Affinity rules.</summary>
internal static class Affinities
{
    /// <summary>The affinity of a declared type, by SQLite's five rules in order.</summary>
    public static Affinity FromDeclaredType(string? type)
    {
        if (type is null) return Affinity.Blob;
        string t = type.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal)) return Affinity.Integer;
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal)) return Affinity.Text;
        if (t.Contains("BLOB", StringComparison.Ordinal) || t.Length == 0) return Affinity.Blob;
        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal)) return Affinity.Real;
        return Affinity.Numeric;
    }

    public static bool IsNumeric(Affinity a) => a >= Affinity.Numeric;

    /// <summary>Applies an affinity to a register in place (as when storing into a column).</summary>
    public static void Apply(ref Mem m, Affinity a)
    {
        switch (a)
        {
            case Affinity.Text:
                if (m.Kind is MemKind.Int or MemKind.Real) NumericText.ToText(ref m);
                break;
            case Affinity.Numeric:
            case Affinity.Integer:
                if (m.Kind == MemKind.Text) TextToNumeric(ref m);
                else if (m.Kind == MemKind.Real && NumericText.IsExactInt(m.R, out long i) && i is > long.MinValue and < long.MaxValue) m.SetInt(i);
                break;
            case Affinity.Real:
                if (m.Kind == MemKind.Text) TextToNumeric(ref m);
                if (m.Kind == MemKind.Int) m.SetReal(m.I);
                else if (m.Kind == MemKind.Real && m.R == 0) m.R = 0.0; // SQLite stores an integral real as an integer: -0.0 comes back as 0.0
                break;
        }
    }

    /// <summary>Numeric affinity on a text: converted only when the whole text is a well-formed number.</summary>
    public static void TextToNumeric(ref Mem m)
    {
        if (!NumericText.TryParseWhole(m.Span, out long i, out double r, out bool isInt)) return;
        if (isInt) m.SetInt(i);
        // A real that is a whole number becomes an integer unless it is the smallest or the
        // largest one (SQLite's sqlite3VdbeIntegerAffinity): '9.223e+18' is 9223000000000000000.
        else if (NumericText.IsExactInt(r, out long ri) && ri is > long.MinValue and < long.MaxValue) m.SetInt(ri);
        else m.SetReal(r);
        m.Bytes = null;
    }

    /// <summary>
    /// The affinity applied before comparing two operands (datatype3 §4.2): numeric when
    /// either side is numeric, else text when either side is text, else none.
    /// </summary>
    public static Affinity ForComparison(Affinity left, Affinity right)
    {
        if (left != Affinity.None && right != Affinity.None)
        {
            if (IsNumeric(left) || IsNumeric(right)) return Affinity.Numeric;
            return Affinity.Blob;
        }
        if (left == Affinity.None && right == Affinity.None) return Affinity.Blob;
        Affinity a = left == Affinity.None ? right : left;
        return a;
    }
}
