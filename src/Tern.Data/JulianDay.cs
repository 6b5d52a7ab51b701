// Julian day numbers as SQLite's date functions compute them (date.c: a day count with
// millisecond resolution, noon-based), so dates bound as REAL and REALs read as dates
// round-trip exactly as they do with Microsoft.Data.Sqlite.
namespace Tern.Data;

/// <summary>Conversions between <see cref="DateTime"/> and Julian day numbers.</summary>
internal static class JulianDay
{
    private const double MsPerDay = 86400000.0;

    /// <summary>The Julian day of a date and time (milliseconds kept, finer ticks dropped).</summary>
    public static double FromDateTime(DateTime d)
    {
        int y = d.Year, m = d.Month;
        if (m <= 2)
        {
            y--;
            m += 12;
        }
        int century = y / 100;
        int gregorian = 2 - century + century / 4;
        int yearDays = 36525 * (y + 4716) / 100;
        int monthDays = 306001 * (m + 1) / 10000;
        long ms = (long)((yearDays + monthDays + d.Day + gregorian - 1524.5) * MsPerDay);
        ms += d.Hour * 3600000L + d.Minute * 60000L + (long)((d.Second + d.Millisecond / 1000.0) * 1000);
        return ms / MsPerDay;
    }

    /// <summary>The fraction of a day a time of day is.</summary>
    public static double DayFraction(int hour, int minute, int second, int millisecond) =>
        (hour * 3600000L + minute * 60000L + (long)((second + millisecond / 1000.0) * 1000)) / MsPerDay;

    /// <summary>The date and time of a Julian day (to the millisecond).</summary>
    public static DateTime ToDateTime(double julianDay)
    {
        long ms = (long)(julianDay * MsPerDay + 0.5);
        int z = (int)((ms + 43200000) / 86400000);
        int alpha = (int)((z - 1867216.25) / 36524.25);
        int a = z + 1 + alpha - alpha / 4;
        int b = a + 1524;
        int c = (int)((b - 122.1) / 365.25);
        int d = 36525 * (c & 32767) / 100;
        int e = (int)((b - d) / 30.6001);
        int day = b - d - (int)(30.6001 * e);
        int month = e < 14 ? e - 1 : e - 13;
        int year = month > 2 ? c - 4716 : c - 4715;

        int msOfDay = (int)((ms + 43200000) % 86400000);
        double seconds = msOfDay / 1000.0;
        int whole = (int)seconds;
        double fraction = seconds - whole;
        int hour = whole / 3600;
        whole -= hour * 3600;
        int minute = whole / 60;
        fraction += whole - minute * 60;
        int second = (int)fraction;
        int millisecond = (int)Math.Round((fraction - second) * 1000.0);
        return new DateTime(year, month, day, hour, minute, second, millisecond);
    }
}
