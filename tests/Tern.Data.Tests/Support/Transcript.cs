// A transcript of what a scenario observed: values with their CLR types, and errors with
// their type, SQLite codes and message. Scenarios record into it; the tern run's
// transcript must equal the oracle's line for line. Provider type names in messages are
// normalised (SqliteConnection and TernConnection both read "<P>Connection").
using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Tern.Data.Tests.Support;

public sealed class Transcript
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Records a labelled value.</summary>
    public void Add(string label, object? value) => _lines.Add(label + " = " + Format(value));

    /// <summary>Records a note (a plain line).</summary>
    public void Note(string line) => _lines.Add(line);

    /// <summary>Runs an action, recording "ok" or the error it throws.</summary>
    public void Try(string label, Action action)
    {
        try
        {
            action();
            _lines.Add(label + " ok");
        }
        catch (Exception e)
        {
            _lines.Add(label + " threw " + Describe(e));
        }
    }

    /// <summary>Runs a function, recording its value or the error it throws.</summary>
    public void Try(string label, Func<object?> f)
    {
        try
        {
            _lines.Add(label + " = " + Format(f()));
        }
        catch (Exception e)
        {
            _lines.Add(label + " threw " + Describe(e));
        }
    }

    public static string Describe(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        string msg = Normalize(e.Message);
        return e switch
        {
            SqliteException s => $"DbError({s.SqliteErrorCode}/{s.SqliteExtendedErrorCode}) {msg}",
            TernException t => $"DbError({t.SqliteErrorCode}/{t.SqliteExtendedErrorCode}) {msg}",
            _ => e.GetType().Name + " " + msg,
        };
    }

    public static string Normalize(string s) =>
        s.Replace("Sqlite", "<P>", StringComparison.Ordinal).Replace("Tern", "<P>", StringComparison.Ordinal);

    public static string Format(object? v) => v switch
    {
        null => "null",
        DBNull => "DBNull",
        string s => "String '" + s + "'",
        byte[] b => "Byte[] " + Convert.ToHexString(b),
        double d => "Double " + d.ToString("R", CultureInfo.InvariantCulture),
        float f => "Single " + f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => Normalize(v.GetType().Name) + " " + f.ToString(null, CultureInfo.InvariantCulture),
        Type t => "Type " + Normalize(t.Name),
        Stream s => "Stream " + Convert.ToHexString(ReadAll(s)),
        TextReader r => "TextReader '" + r.ReadToEnd() + "'",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => Normalize(v.GetType().Name) + " " + v,
    };

    private static byte[] ReadAll(Stream s)
    {
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (string l in _lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }
}
