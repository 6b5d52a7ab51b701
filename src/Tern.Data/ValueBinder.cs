// CLR values to SQLite storage classes, as Microsoft.Data.Sqlite converts them when it
// binds a parameter:
//
//   null, DBNull                      NULL
//   bool, (s)byte, (u)short, (u)int, (u)long, enums      INTEGER
//   double, float                     REAL (NaN is refused)
//   string, decimal ("0.0###...")     TEXT
//   char                              TEXT of one char (INTEGER when TernType.Integer)
//   byte[]                            BLOB
//   Guid                              TEXT, upper case (16-byte BLOB when TernType.Blob)
//   DateTime/DateTimeOffset/DateOnly  TEXT "yyyy-MM-dd HH:mm:ss.FFFFFFF[zzz]" (Julian day REAL when
//                                     TernType.Real; a DateTimeOffset as its UTC time)
//   TimeOnly                          TEXT "HH:mm:ss[.fffffff]" (fraction of a day when TernType.Real)
//   TimeSpan                          TEXT "c" format (days when TernType.Real)
using System.Globalization;

namespace Tern.Data;

/// <summary>Converts parameter values to the storage classes the engine binds.</summary>
internal static class ValueBinder
{
    /// <summary>Binds <paramref name="value"/> to parameter <paramref name="index"/> of the statement.</summary>
    public static void Bind(Statement s, int index, object value, TernType? type, int? size)
    {
        Type t = Unwrap(value.GetType());
        if (value is DBNull)
        {
            s.BindNull(index);
        }
        else if (t == typeof(bool))
        {
            s.Bind(index, Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? 1L : 0L);
        }
        else if (t == typeof(byte) || t == typeof(sbyte) || t == typeof(short) || t == typeof(ushort)
            || t == typeof(int) || t == typeof(uint) || t == typeof(long))
        {
            s.Bind(index, Convert.ToInt64(value, CultureInfo.InvariantCulture));
        }
        else if (t == typeof(ulong))
        {
            s.Bind(index, unchecked((long)Convert.ToUInt64(value, CultureInfo.InvariantCulture)));
        }
        else if (t == typeof(double) || t == typeof(float))
        {
            BindReal(s, index, Convert.ToDouble(value, CultureInfo.InvariantCulture));
        }
        else if (t == typeof(string))
        {
            BindText(s, index, (string)value, size);
        }
        else if (t == typeof(decimal))
        {
            BindText(s, index, ((decimal)value).ToString("0.0###########################", CultureInfo.InvariantCulture), size);
        }
        else if (t == typeof(char))
        {
            char c = (char)value;
            if (type == TernType.Integer) s.Bind(index, (long)c);
            else BindText(s, index, c.ToString(), size);
        }
        else if (t == typeof(byte[]))
        {
            BindBlob(s, index, (byte[])value, size);
        }
        else if (t == typeof(Guid))
        {
            var g = (Guid)value;
            if (type == TernType.Blob) BindBlob(s, index, g.ToByteArray(), size);
            else BindText(s, index, g.ToString().ToUpperInvariant(), size);
        }
        else if (t == typeof(DateTime))
        {
            var d = (DateTime)value;
            if (type == TernType.Real) BindReal(s, index, JulianDay.FromDateTime(d));
            else BindText(s, index, d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture), size);
        }
        else if (t == typeof(DateTimeOffset))
        {
            var d = (DateTimeOffset)value;
            if (type == TernType.Real) BindReal(s, index, JulianDay.FromDateTime(d.UtcDateTime));
            else BindText(s, index, d.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture), size);
        }
        else if (t == typeof(DateOnly))
        {
            var d = (DateOnly)value;
            if (type == TernType.Real) BindReal(s, index, JulianDay.FromDateTime(d.ToDateTime(TimeOnly.MinValue)));
            else BindText(s, index, d.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture), size);
        }
        else if (t == typeof(TimeOnly))
        {
            var d = (TimeOnly)value;
            if (type == TernType.Real) BindReal(s, index, JulianDay.DayFraction(d.Hour, d.Minute, d.Second, d.Millisecond));
            else BindText(s, index, d.ToString(d.Ticks % TimeSpan.TicksPerSecond == 0 ? "HH:mm:ss" : "HH:mm:ss.fffffff", CultureInfo.InvariantCulture), size);
        }
        else if (t == typeof(TimeSpan))
        {
            var d = (TimeSpan)value;
            if (type == TernType.Real) BindReal(s, index, d.TotalDays);
            else BindText(s, index, d.ToString("c", CultureInfo.InvariantCulture), size);
        }
        else
        {
            throw UnknownType(t);
        }
    }

    /// <summary>The storage class a value binds as when no <see cref="TernType"/> is given.</summary>
    public static TernType InferType(object? value)
    {
        if (value == null) return TernType.Text;
        Type t = Unwrap(value.GetType());
        if (t == typeof(bool) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(short) || t == typeof(ushort)
            || t == typeof(int) || t == typeof(uint) || t == typeof(long) || t == typeof(ulong)) return TernType.Integer;
        if (t == typeof(double) || t == typeof(float)) return TernType.Real;
        if (t == typeof(byte[])) return TernType.Blob;
        if (t == typeof(string) || t == typeof(char) || t == typeof(decimal) || t == typeof(Guid) || t == typeof(DateTime)
            || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(TimeSpan)
            || t == typeof(DBNull)) return TernType.Text;
        throw UnknownType(t);
    }

    private static Type Unwrap(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsEnum ? Enum.GetUnderlyingType(t) : t;
    }

    private static InvalidOperationException UnknownType(Type t) =>
        new($"No mapping exists from object type {t.FullName} to a known managed provider native type.");

    private static void BindReal(Statement s, int index, double v)
    {
        if (double.IsNaN(v)) throw new InvalidOperationException("Cannot store 'NaN' values.");
        s.Bind(index, v);
    }

    private static void BindText(Statement s, int index, string v, int? size)
    {
        if (size is int n && n != -1 && v.Length > n) v = v[..n];
        s.Bind(index, v);
    }

    private static void BindBlob(Statement s, int index, byte[] v, int? size)
    {
        if (size is int n && n != -1 && v.Length > n) v = v[..n];
        s.Bind(index, v);
    }
}
