// Renders values the way SQLite's quote() function does, so rows read by Tern can be
// compared with rows printed by the sqlite3 shell. Reals are limited to values whose
// shortest round-trip form is also SQLite's %!.15g form (tests generate such values).
using System.Globalization;
using System.Text;

namespace Tern.Tests.Support;

internal static class ValueText
{
    public static string Quote(in Value v) => v.Kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Integer => v.AsInteger.ToString(CultureInfo.InvariantCulture),
        ValueKind.Real => QuoteReal(v.AsReal),
        ValueKind.Text => "'" + v.AsString().Replace("'", "''") + "'",
        _ => "X'" + Convert.ToHexString(v.AsBytes) + "'",
    };

    private static string QuoteReal(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        if (!s.Contains('.') && !s.Contains('E')) s += ".0";
        return s;
    }

    public static string Row(long rowId, ReadOnlySpan<Value> values)
    {
        var sb = new StringBuilder();
        sb.Append(rowId);
        foreach (Value v in values) sb.Append('|').Append(Quote(v));
        return sb.ToString();
    }
}
