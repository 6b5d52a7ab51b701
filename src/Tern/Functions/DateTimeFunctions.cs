// SQLite's date and time functions: date, time, datetime, julianday, unixepoch,
// strftime and timediff, with every time-value format and modifier SQLite 3.50 accepts.
//
// A time value is held as SQLite holds it: a julian day number in milliseconds (JD)
// and/or broken-down fields (Y M D, h m s, a time-zone offset), each part with a flag
// saying whether it is current, plus a "raw number" flag for a bare numeric argument
// that 'unixepoch', 'julianday' or 'auto' may still reinterpret. The calendar is the
// proleptic Gregorian one, valid from -4713-11-24 12:00:00 to 9999-12-31 23:59:59.999;
// anything outside gives NULL. The conversions, the order in which fields are
// recomputed and the rounding are SQLite's, so out-of-range days ('2023-02-31'),
// hour 24 and the like come out as SQLite prints them.
//
// Local time is the machine's time zone (TimeZoneInfo.Local: the TZ variable or the
// system's zone, from the same tz database localtime_r reads), used as SQLite uses
// localtime_r: only for instants in 1970..2037, other years being mapped into that range
// and back. 'now' reads the wall clock (milliseconds) at each call; SQLite holds it fixed
// for the duration of one sqlite3_step(), which needs the VM's step context to match.
using System.Globalization;
using System.Text;
using Tern.Vdbe;

namespace Tern.Functions;

/// <summary>The date and time SQL functions.</summary>
internal static class DateTimeFunctions
{
    /// <summary>Milliseconds from the julian day epoch to 1970-01-01 00:00:00.</summary>
    private const long UnixEpochJD = 210866760000000;

    /// <summary>The last valid JD (9999-12-31 23:59:59.999).</summary>
    private const long MaxJD = 464269060799999;

    public static void Register(Action<FunctionDef> add)
    {
        add(new ScalarFunction("julianday", -1, JulianDay));
        add(new ScalarFunction("unixepoch", -1, UnixEpoch));
        add(new ScalarFunction("date", -1, Date));
        add(new ScalarFunction("time", -1, Time));
        add(new ScalarFunction("datetime", -1, DateTimeFunction));
        add(new ScalarFunction("strftime", -1, Strftime));
        add(new ScalarFunction("timediff", 2, TimeDiff));
    }

    /// <summary>A time value being worked on (SQLite's DateTime).</summary>
    private sealed class Moment
    {
        public long JD;
        public int Y, M, D, H, Mi;
        public int Tz;
        public double S;
        public bool ValidJD, RawS, ValidYMD, ValidHMS, IsError, UseSubsec, IsUtc, IsLocal;
        public int NFloor;

        public Moment Clone() => (Moment)MemberwiseClone();

        public void Reset()
        {
            JD = 0;
            Y = M = D = H = Mi = Tz = NFloor = 0;
            S = 0;
            ValidJD = RawS = ValidYMD = ValidHMS = IsError = UseSubsec = IsUtc = IsLocal = false;
        }

        public void SetError()
        {
            Reset();
            IsError = true;
        }

        public void ClearYmdHmsTz()
        {
            ValidYMD = false;
            ValidHMS = false;
            Tz = 0;
        }

        public void ComputeJD()
        {
            if (ValidJD) return;
            int y, m, d;
            if (ValidYMD)
            {
                y = Y;
                m = M;
                d = D;
            }
            else
            {
                y = 2000;
                m = 1;
                d = 1;
            }
            if (y < -4713 || y > 9999 || RawS)
            {
                SetError();
                return;
            }
            if (m <= 2)
            {
                y--;
                m += 12;
            }
            int a = (y + 4800) / 100;
            int b = 38 - a + (a / 4);
            int x1 = 36525 * (y + 4716) / 100;
            int x2 = 306001 * (m + 1) / 10000;
            JD = (long)((x1 + x2 + d + b - 1524.5) * 86400000);
            ValidJD = true;
            if (ValidHMS)
            {
                JD += H * 3600000L + Mi * 60000L + (long)(S * 1000 + 0.5);
                if (Tz != 0)
                {
                    JD -= Tz * 60000L;
                    ValidYMD = false;
                    ValidHMS = false;
                    Tz = 0;
                    IsUtc = true;
                    IsLocal = false;
                }
            }
        }

        public void ComputeYMD()
        {
            if (ValidYMD) return;
            if (!ValidJD)
            {
                Y = 2000;
                M = 1;
                D = 1;
            }
            else if (!IsValidJD(JD))
            {
                SetError();
                return;
            }
            else
            {
                int z = (int)((JD + 43200000) / 86400000);
                int alpha = (int)((z + 32044.75) / 36524.25) - 52;
                z += 1 + alpha - ((alpha + 100) / 4) + 25;
                int b = z + 1524;
                int c = (int)((b - 122.1) / 365.25);
                int d = (36525 * (c & 32767)) / 100;
                int e = (int)((b - d) / 30.6001);
                int x1 = (int)(30.6001 * e);
                D = b - d - x1;
                M = e < 14 ? e - 1 : e - 13;
                Y = M > 2 ? c - 4716 : c - 4715;
            }
            ValidYMD = true;
        }

        public void ComputeHMS()
        {
            if (ValidHMS) return;
            ComputeJD();
            int dayMs = (int)((JD + 43200000) % 86400000);
            S = (dayMs % 60000) / 1000.0;
            int dayMin = dayMs / 60000;
            Mi = dayMin % 60;
            H = dayMin / 60;
            RawS = false;
            ValidHMS = true;
        }

        public void ComputeYmdHms()
        {
            ComputeYMD();
            ComputeHMS();
        }

        /// <summary>How many days past the end of its month the day-of-month is (for 'floor').</summary>
        public void ComputeFloor()
        {
            if (D <= 28) NFloor = 0;
            else if (((1 << M) & 0x15aa) != 0) NFloor = 0;
            else if (M != 2) NFloor = D == 31 ? 1 : 0;
            else if (Y % 4 != 0 || (Y % 100 == 0 && Y % 400 != 0)) NFloor = D - 28;
            else NFloor = D - 29;
        }

        public void SetRawNumber(double r)
        {
            S = r;
            RawS = true;
            if (r >= 0.0 && r < 5373484.5)
            {
                JD = (long)(r * 86400000.0 + 0.5);
                ValidJD = true;
            }
        }

        public void SetToNow()
        {
            JD = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + UnixEpochJD;
            ValidJD = true;
            IsUtc = true;
            IsLocal = false;
            ClearYmdHmsTz();
        }

        /// <summary>Converts to the machine's local time, as SQLite's toLocaltime does.</summary>
        public void ToLocalTime()
        {
            ComputeJD();
            long t;
            int yearDiff;
            if (JD < 2108667600L * 100000 || JD > 2130141456L * 100000)
            {
                // Outside 1970..2037 SQLite maps the year into that range and back.
                Moment x = Clone();
                x.ComputeYmdHms();
                yearDiff = (2000 + x.Y % 4) - x.Y;
                x.Y += yearDiff;
                x.ValidJD = false;
                x.ComputeJD();
                t = x.JD / 1000 - UnixEpochJD / 1000;
            }
            else
            {
                yearDiff = 0;
                t = JD / 1000 - UnixEpochJD / 1000;
            }
            DateTime utc = DateTime.UnixEpoch.AddSeconds(t);
            DateTime local = utc + TimeZoneInfo.Local.GetUtcOffset(utc);
            Y = local.Year - yearDiff;
            M = local.Month;
            D = local.Day;
            H = local.Hour;
            Mi = local.Minute;
            S = local.Second + (JD % 1000) * 0.001;
            ValidYMD = true;
            ValidHMS = true;
            ValidJD = false;
            RawS = false;
            Tz = 0;
            IsError = false;
        }
    }

    private static bool IsValidJD(long jd) => jd >= 0 && jd <= MaxJD;

    private static byte At(ReadOnlySpan<byte> z, int i) => i < z.Length ? z[i] : (byte)0;

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>
    /// Reads fields of fixed digit counts, each within [min, max] and followed by the given
    /// separator (0: anything). Returns how many fields were read before a mismatch.
    /// </summary>
    private static int Digits(ReadOnlySpan<byte> z, int pos, Span<int> values, ReadOnlySpan<(int N, int Min, int Max, byte Next)> fields)
    {
        int count = 0;
        foreach ((int n, int min, int max, byte next) in fields)
        {
            int v = 0;
            for (int k = 0; k < n; k++)
            {
                byte c = At(z, pos);
                if (!IsDigit(c)) return count;
                v = v * 10 + c - '0';
                pos++;
            }
            if (v < min || v > max || (next != 0 && next != At(z, pos))) return count;
            values[count++] = v;
            pos++;
        }
        return count;
    }

    private static readonly (int, int, int, byte)[] YmdFields = [(4, 0, 9999, (byte)'-'), (2, 1, 12, (byte)'-'), (2, 1, 31, 0)];
    private static readonly (int, int, int, byte)[] HmFields = [(2, 0, 24, (byte)':'), (2, 0, 59, 0)];
    private static readonly (int, int, int, byte)[] SecondFields = [(2, 0, 59, 0)];
    private static readonly (int, int, int, byte)[] TzFields = [(2, 0, 14, (byte)':'), (2, 0, 59, 0)];

    /// <summary>Parses "[-]YYYY-MM-DD[( |T)+time]"; false when the text is not one.</summary>
    private static bool ParseYmd(ReadOnlySpan<byte> z, Moment p)
    {
        int i = 0;
        bool negative = false;
        if (At(z, 0) == '-')
        {
            i = 1;
            negative = true;
        }
        Span<int> v = stackalloc int[3];
        if (Digits(z, i, v, YmdFields) != 3) return false;
        i += 10;
        while (ArgValues.IsSpace(At(z, i)) || At(z, i) == 'T') i++;
        if (ParseHms(z[Math.Min(i, z.Length)..], p)) { }
        else if (At(z, i) == 0) p.ValidHMS = false;
        else return false;
        p.ValidJD = false;
        p.ValidYMD = true;
        p.Y = negative ? -v[0] : v[0];
        p.M = v[1];
        p.D = v[2];
        p.ComputeFloor();
        if (p.Tz != 0) p.ComputeJD();
        return true;
    }

    /// <summary>Parses "HH:MM[:SS[.fff...]][ zone]"; false when the text is not one.</summary>
    private static bool ParseHms(ReadOnlySpan<byte> z, Moment p)
    {
        Span<int> v = stackalloc int[2];
        if (Digits(z, 0, v, HmFields) != 2) return false;
        int i = 5;
        int s;
        double ms = 0.0;
        if (At(z, i) == ':')
        {
            i++;
            Span<int> sv = stackalloc int[1];
            if (Digits(z, i, sv, SecondFields) != 1) return false;
            s = sv[0];
            i += 2;
            if (At(z, i) == '.' && IsDigit(At(z, i + 1)))
            {
                double scale = 1.0;
                i++;
                while (IsDigit(At(z, i)))
                {
                    ms = ms * 10.0 + z[i] - '0';
                    scale *= 10.0;
                    i++;
                }
                ms /= scale;
                // Never round up into the next second.
                if (ms > 0.999) ms = 0.999;
            }
        }
        else s = 0;
        p.ValidJD = false;
        p.RawS = false;
        p.ValidHMS = true;
        p.H = v[0];
        p.Mi = v[1];
        p.S = s + ms;
        return ParseZone(z[Math.Min(i, z.Length)..], p);
    }

    /// <summary>Parses an optional "[+-]HH:MM" or "Z" zone suffix and trailing spaces.</summary>
    private static bool ParseZone(ReadOnlySpan<byte> z, Moment p)
    {
        int i = 0;
        while (ArgValues.IsSpace(At(z, i))) i++;
        p.Tz = 0;
        byte c = At(z, i);
        int sign;
        if (c == '-') sign = -1;
        else if (c == '+') sign = 1;
        else if (c is (byte)'Z' or (byte)'z')
        {
            i++;
            p.IsLocal = false;
            p.IsUtc = true;
            while (ArgValues.IsSpace(At(z, i))) i++;
            return At(z, i) == 0;
        }
        else return c == 0;
        i++;
        Span<int> v = stackalloc int[2];
        if (Digits(z, i, v, TzFields) != 2) return false;
        i += 5;
        p.Tz = sign * (v[1] + v[0] * 60);
        while (ArgValues.IsSpace(At(z, i))) i++;
        return At(z, i) == 0;
    }

    /// <summary>Whether the whole text (spaces around allowed) is a number.</summary>
    private static bool WholeNumber(ReadOnlySpan<byte> z, out double r)
    {
        bool ok = NumericText.TryParseWhole(z, out long i, out r, out bool isInt);
        if (ok && isInt) r = i;
        return ok;
    }

    private static bool ParseDateOrTime(ReadOnlySpan<byte> z, Moment p)
    {
        if (ParseYmd(z, p)) return true;
        if (ParseHms(z, p)) return true;
        if (Ascii.EqualsIgnoreCase(z, "now"u8))
        {
            p.SetToNow();
            return true;
        }
        if (WholeNumber(z, out double r))
        {
            p.SetRawNumber(r);
            return true;
        }
        if (Ascii.EqualsIgnoreCase(z, "subsec"u8) || Ascii.EqualsIgnoreCase(z, "subsecond"u8))
        {
            p.UseSubsec = true;
            p.SetToNow();
            return true;
        }
        return false;
    }

    /// <summary>Reads a time value and applies the modifiers; null when the result is not a valid time.</summary>
    private static Moment? Evaluate(ReadOnlySpan<Mem> a)
    {
        var p = new Moment();
        if (a.Length == 0)
        {
            p.SetToNow();
            return p;
        }
        if (a[0].Kind is MemKind.Int or MemKind.Real) p.SetRawNumber(ArgValues.Double(a[0]));
        else
        {
            if (a[0].IsNull || !ParseDateOrTime(ArgValues.CString(NumericText.ToUtf8(a[0])), p)) return null;
        }
        for (int i = 1; i < a.Length; i++)
        {
            if (a[i].IsNull || !ApplyModifier(ArgValues.CString(NumericText.ToUtf8(a[i])), p, i)) return null;
        }
        p.ComputeJD();
        if (p.IsError || !IsValidJD(p.JD)) return null;
        if (a.Length == 1 && p.ValidYMD && p.D > 28)
        {
            // A lone YYYY-MM-DD is normalised: 2023-02-31 is 2023-03-03.
            p.ValidYMD = false;
        }
        return p;
    }

    private static readonly (string Name, double Limit, double Scale)[] Units =
    [
        ("second", (float)4.6427e+14, 1.0),
        ("minute", (float)7.7379e+12, 60.0),
        ("hour", (float)1.2897e+11, 3600.0),
        ("day", (float)5373485.0, 86400.0),
        ("month", (float)176546.0, 2592000.0),
        ("year", (float)14713.0, 31536000.0),
    ];

    /// <summary>Applies one modifier; false when it is not one SQLite accepts here.</summary>
    private static bool ApplyModifier(ReadOnlySpan<byte> z, Moment p, int index)
    {
        if (z.Length == 0) return false;
        double r;
        char first = (char)z[0];
        if (first is >= 'A' and <= 'Z') first = (char)(first + 32);
        switch (first)
        {
            case 'a':
                if (!Ascii.EqualsIgnoreCase(z, "auto"u8)) return false;
                if (index > 1) return false;
                if (!p.RawS || p.ValidJD)
                {
                    p.RawS = false;
                    return true;
                }
                if (p.S >= -21086676L * 10000 && p.S <= 25340230L * 10000 + 799)
                {
                    r = p.S * 1000.0 + 210866760000000.0;
                    p.ClearYmdHmsTz();
                    p.JD = (long)(r + 0.5);
                    p.ValidJD = true;
                    p.RawS = false;
                    return true;
                }
                return false;
            case 'c':
                if (!Ascii.EqualsIgnoreCase(z, "ceiling"u8)) return false;
                p.ComputeJD();
                p.ClearYmdHmsTz();
                p.NFloor = 0;
                return true;
            case 'f':
                if (!Ascii.EqualsIgnoreCase(z, "floor"u8)) return false;
                p.ComputeJD();
                p.JD -= p.NFloor * 86400000L;
                p.ClearYmdHmsTz();
                return true;
            case 'j':
                if (!Ascii.EqualsIgnoreCase(z, "julianday"u8)) return false;
                if (index > 1) return false;
                if (p.ValidJD && p.RawS)
                {
                    p.RawS = false;
                    return true;
                }
                return false;
            case 'l':
                if (!Ascii.EqualsIgnoreCase(z, "localtime"u8)) return false;
                if (!p.IsLocal) p.ToLocalTime();
                p.IsUtc = false;
                p.IsLocal = true;
                return true;
            case 'u':
                if (Ascii.EqualsIgnoreCase(z, "unixepoch"u8) && p.RawS)
                {
                    if (index > 1) return false;
                    r = p.S * 1000.0 + 210866760000000.0;
                    if (r >= 0.0 && r < 464269060800000.0)
                    {
                        p.ClearYmdHmsTz();
                        p.JD = (long)(r + 0.5);
                        p.ValidJD = true;
                        p.RawS = false;
                        return true;
                    }
                    return false;
                }
                if (Ascii.EqualsIgnoreCase(z, "utc"u8))
                {
                    if (!p.IsUtc) ToUtc(p);
                    return true;
                }
                return false;
            case 'w':
                {
                    if (z.Length < 8 || !Ascii.EqualsIgnoreCase(z[..8], "weekday "u8)) return false;
                    if (!WholeNumber(z[8..], out r) || r < 0.0 || r >= 7.0 || (int)r != r) return false;
                    int n = (int)r;
                    p.ComputeYmdHms();
                    p.Tz = 0;
                    p.ValidJD = false;
                    p.ComputeJD();
                    long day = ((p.JD + 129600000) / 86400000) % 7;
                    if (day > n) day -= 7;
                    p.JD += (n - day) * 86400000;
                    p.ClearYmdHmsTz();
                    return true;
                }
            case 's':
                {
                    if (z.Length < 9 || !Ascii.EqualsIgnoreCase(z[..9], "start of "u8))
                    {
                        if (Ascii.EqualsIgnoreCase(z, "subsec"u8) || Ascii.EqualsIgnoreCase(z, "subsecond"u8))
                        {
                            p.UseSubsec = true;
                            return true;
                        }
                        return false;
                    }
                    if (!p.ValidJD && !p.ValidYMD && !p.ValidHMS) return false;
                    ReadOnlySpan<byte> unit = z[9..];
                    p.ComputeYMD();
                    p.ValidHMS = true;
                    p.H = p.Mi = 0;
                    p.S = 0.0;
                    p.RawS = false;
                    p.Tz = 0;
                    p.ValidJD = false;
                    if (Ascii.EqualsIgnoreCase(unit, "month"u8))
                    {
                        p.D = 1;
                        return true;
                    }
                    if (Ascii.EqualsIgnoreCase(unit, "year"u8))
                    {
                        p.M = 1;
                        p.D = 1;
                        return true;
                    }
                    return Ascii.EqualsIgnoreCase(unit, "day"u8);
                }
            case '+' or '-' or (>= '0' and <= '9'):
                return ApplyNumericModifier(z, p);
            default:
                return false;
        }
    }

    /// <summary>'utc': the UTC time whose local time is the value, found by SQLite's iteration (at most four guesses).</summary>
    private static void ToUtc(Moment p)
    {
        p.ComputeJD();
        long orig = p.JD;
        long guess = orig;
        long err = 0;
        int count = 0;
        do
        {
            var candidate = new Moment();
            guess -= err;
            candidate.JD = guess;
            candidate.ValidJD = true;
            candidate.ToLocalTime();
            candidate.ComputeJD();
            err = candidate.JD - orig;
        }
        while (err != 0 && count++ < 3);
        p.Reset();
        p.JD = guess;
        p.ValidJD = true;
        p.IsUtc = true;
        p.IsLocal = false;
    }

    /// <summary>"NNN unit(s)", "±HH:MM[:SS[.SSS]]" and "±YYYY-MM-DD[ HH:MM[:SS[.SSS]]]".</summary>
    private static bool ApplyNumericModifier(ReadOnlySpan<byte> z, Moment p)
    {
        byte sign = z[0];
        int n;
        Span<int> v = stackalloc int[3];
        for (n = 1; n < z.Length; n++)
        {
            if (z[n] == ':' || ArgValues.IsSpace(z[n])) break;
            if (z[n] == '-')
            {
                if (n == 5 && Digits(z, 1, v, [(4, 0, 14712, 0)]) == 1) break;
                if (n == 6 && Digits(z, 1, v, [(5, 0, 14712, 0)]) == 1) break;
            }
        }
        if (!WholeNumber(z[..n], out double r)) return false;
        ReadOnlySpan<byte> timePart = z;
        int timeLength = n;
        if (At(z, n) == '-')
        {
            // ±YYYY-MM-DD adds years, months (0-11) and days (0-30) as a calendar step.
            if (sign != '+' && sign != '-') return false;
            int shift = n == 5 ? 0 : 1;
            if (Digits(z, 1, v, [(4 + shift, 0, 14712, (byte)'-'), (2, 0, 12, (byte)'-'), (2, 0, 31, 0)]) != 3) return false;
            int years = v[0], months = v[1], days = v[2];
            if (months >= 12 || days >= 31) return false;
            p.ComputeYmdHms();
            p.ValidJD = false;
            if (sign == '-')
            {
                p.Y -= years;
                p.M -= months;
                days = -days;
            }
            else
            {
                p.Y += years;
                p.M += months;
            }
            int x = p.M > 0 ? (p.M - 1) / 12 : (p.M - 12) / 12;
            p.Y += x;
            p.M -= x * 12;
            p.ComputeFloor();
            p.ComputeJD();
            p.ValidHMS = false;
            p.ValidYMD = false;
            p.JD += days * 86400000L;
            int end = 11 + shift;
            if (At(z, end) == 0) return true;
            Span<int> hm = stackalloc int[2];
            if (ArgValues.IsSpace(At(z, end)) && Digits(z, end + 1, hm, HmFields) == 2)
            {
                timePart = z[(end + 1)..];
                timeLength = 2;
            }
            else return false;
        }
        if (At(timePart, timeLength) == ':')
        {
            // ±HH:MM[:SS[.SSS]] shifts by a time of day.
            ReadOnlySpan<byte> t = timePart;
            if (!IsDigit(At(t, 0))) t = t[1..];
            var tx = new Moment();
            if (!ParseHms(t, tx)) return false;
            tx.ComputeJD();
            tx.JD -= 43200000;
            long day = tx.JD / 86400000;
            tx.JD -= day * 86400000;
            if (sign == '-') tx.JD = -tx.JD;
            p.ComputeJD();
            p.ClearYmdHmsTz();
            p.JD += tx.JD;
            return true;
        }

        // NNN unit(s)
        ReadOnlySpan<byte> rest = z[n..];
        int k = 0;
        while (k < rest.Length && ArgValues.IsSpace(rest[k])) k++;
        rest = rest[k..];
        int len = rest.Length;
        if (len < 3 || len > 10) return false;
        if ((rest[len - 1] | 0x20) == 's') len--;
        p.ComputeJD();
        double rounder = r < 0 ? -0.5 : 0.5;
        p.NFloor = 0;
        bool ok = false;
        for (int i = 0; i < Units.Length; i++)
        {
            (string name, double limit, double scale) = Units[i];
            if (name.Length != len || !Ascii.EqualsIgnoreCase(rest[..len], name) || !(r > -limit && r < limit)) continue;
            if (i == 4)
            {
                p.ComputeYmdHms();
                p.M += (int)r;
                int x = p.M > 0 ? (p.M - 1) / 12 : (p.M - 12) / 12;
                p.Y += x;
                p.M -= x * 12;
                p.ComputeFloor();
                p.ValidJD = false;
                r -= (int)r;
            }
            else if (i == 5)
            {
                int y = (int)r;
                p.ComputeYmdHms();
                p.Y += y;
                p.ComputeFloor();
                p.ValidJD = false;
                r -= (int)r;
            }
            p.ComputeJD();
            p.JD += (long)(r * 1000.0 * scale + rounder);
            ok = true;
            break;
        }
        p.ClearYmdHmsTz();
        return ok;
    }

    private static void JulianDay(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? p = Evaluate(a);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeJD();
        r.SetReal(p.JD / 86400000.0);
    }

    private static void UnixEpoch(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? p = Evaluate(a);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeJD();
        if (p.UseSubsec) r.SetReal((p.JD - UnixEpochJD) / 1000.0);
        else r.SetInt(p.JD / 1000 - UnixEpochJD / 1000);
    }

    private static void Date(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? p = Evaluate(a);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeYMD();
        r.SetText(DateText(p));
    }

    private static void Time(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? p = Evaluate(a);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeHMS();
        r.SetText(TimeText(p));
    }

    private static void DateTimeFunction(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? p = Evaluate(a);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeYmdHms();
        r.SetText(DateText(p) + " " + TimeText(p));
    }

    private static string DateText(Moment p)
    {
        int y = Math.Abs(p.Y);
        var c = new char[10];
        c[0] = (char)('0' + (y / 1000) % 10);
        c[1] = (char)('0' + (y / 100) % 10);
        c[2] = (char)('0' + (y / 10) % 10);
        c[3] = (char)('0' + y % 10);
        c[4] = '-';
        c[5] = (char)('0' + (p.M / 10) % 10);
        c[6] = (char)('0' + p.M % 10);
        c[7] = '-';
        c[8] = (char)('0' + (p.D / 10) % 10);
        c[9] = (char)('0' + p.D % 10);
        return (p.Y < 0 ? "-" : "") + new string(c);
    }

    private static string TimeText(Moment p)
    {
        var c = new List<char>(12)
        {
            (char)('0' + (p.H / 10) % 10),
            (char)('0' + p.H % 10),
            ':',
            (char)('0' + (p.Mi / 10) % 10),
            (char)('0' + p.Mi % 10),
            ':',
        };
        if (p.UseSubsec)
        {
            int s = (int)(1000.0 * p.S + 0.5);
            c.Add((char)('0' + (s / 10000) % 10));
            c.Add((char)('0' + (s / 1000) % 10));
            c.Add('.');
            c.Add((char)('0' + (s / 100) % 10));
            c.Add((char)('0' + (s / 10) % 10));
            c.Add((char)('0' + s % 10));
        }
        else
        {
            int s = (int)p.S;
            c.Add((char)('0' + (s / 10) % 10));
            c.Add((char)('0' + s % 10));
        }
        return new string(c.ToArray());
    }

    /// <summary>%0Nd (zero) or %Nd (space) of an integer, as C's printf pads it.</summary>
    private static string Pad(long v, int width, char fill = '0')
    {
        string digits = Math.Abs(v).ToString(CultureInfo.InvariantCulture);
        string sign = v < 0 ? "-" : "";
        if (fill == '0') return sign + digits.PadLeft(width - sign.Length, '0');
        return (sign + digits).PadLeft(width, ' ');
    }

    private static Mem RealArg(double v)
    {
        var m = default(Mem);
        m.Kind = MemKind.Real;
        m.R = v;
        return m;
    }

    private static int DaysAfterJan01(Moment p)
    {
        Moment jan01 = p.Clone();
        jan01.ValidJD = false;
        jan01.M = 1;
        jan01.D = 1;
        jan01.ComputeJD();
        return (int)((p.JD - jan01.JD + 43200000) / 86400000);
    }

    private static int DaysAfterMonday(Moment p) => (int)(((p.JD + 43200000) / 86400000) % 7);

    private static int DaysAfterSunday(Moment p) => (int)(((p.JD + 129600000) / 86400000) % 7);

    /// <summary>The same week's Thursday (for the ISO 8601 week codes).</summary>
    private static Moment Thursday(Moment p)
    {
        Moment y = p.Clone();
        y.JD += (3 - DaysAfterMonday(p)) * 86400000L;
        y.ValidYMD = false;
        y.ComputeYMD();
        return y;
    }

    private static void Strftime(ReadOnlySpan<Mem> a, ref Mem r)
    {
        if (a.Length == 0 || a[0].IsNull)
        {
            r.SetNull();
            return;
        }
        byte[] fmt = ArgValues.CString(NumericText.ToUtf8(a[0])).ToArray();
        Moment? p = Evaluate(a[1..]);
        if (p is null)
        {
            r.SetNull();
            return;
        }
        p.ComputeJD();
        p.ComputeYmdHms();
        var b = new ByteBuilder(fmt.Length + 16);
        int j = 0;
        for (int i = 0; i < fmt.Length; i++)
        {
            if (fmt[i] != '%') continue;
            if (j < i) b.Append(fmt.AsSpan(j, i - j));
            i++;
            j = i + 1;
            char cf = i < fmt.Length ? (char)fmt[i] : '\0';
            string? s = cf switch
            {
                'd' => Pad(p.D, 2),
                'e' => Pad(p.D, 2, ' '),
                'f' => Printf.Format("%06.3f", RealArg(p.S > 59.999 ? 59.999 : p.S)),
                'F' => Pad(p.Y, 4) + "-" + Pad(p.M, 2) + "-" + Pad(p.D, 2),
                'G' => Pad(Thursday(p).Y, 4),
                'g' => Pad(Thursday(p).Y % 100, 2),
                'H' => Pad(p.H, 2),
                'k' => Pad(p.H, 2, ' '),
                'I' => Pad(Hour12(p.H), 2),
                'l' => Pad(Hour12(p.H), 2, ' '),
                'j' => Pad(DaysAfterJan01(p) + 1, 3),
                'J' => Printf.Format("%.16g", RealArg(p.JD / 86400000.0)),
                'm' => Pad(p.M, 2),
                'M' => Pad(p.Mi, 2),
                'p' => p.H >= 12 ? "PM" : "AM",
                'P' => p.H >= 12 ? "pm" : "am",
                'R' => Pad(p.H, 2) + ":" + Pad(p.Mi, 2),
                's' => p.UseSubsec
                    ? Printf.Format("%.3f", RealArg((p.JD - UnixEpochJD) / 1000.0))
                    : (p.JD / 1000 - UnixEpochJD / 1000).ToString(CultureInfo.InvariantCulture),
                'S' => Pad((int)p.S, 2),
                'T' => Pad(p.H, 2) + ":" + Pad(p.Mi, 2) + ":" + Pad((int)p.S, 2),
                'u' => DaysAfterSunday(p) == 0 ? "7" : DaysAfterSunday(p).ToString(CultureInfo.InvariantCulture),
                'w' => DaysAfterSunday(p).ToString(CultureInfo.InvariantCulture),
                'U' => Pad((DaysAfterJan01(p) - DaysAfterSunday(p) + 7) / 7, 2),
                'V' => Pad(DaysAfterJan01(Thursday(p)) / 7 + 1, 2),
                'W' => Pad((DaysAfterJan01(p) - DaysAfterMonday(p) + 7) / 7, 2),
                'Y' => Pad(p.Y, 4),
                '%' => "%",
                _ => null,
            };
            if (s is null)
            {
                r.SetNull();
                return;
            }
            b.Append(Encoding.ASCII.GetBytes(s));
        }
        if (j < fmt.Length) b.Append(fmt.AsSpan(j));
        b.SetText(ref r);
    }

    private static int Hour12(int h)
    {
        if (h > 12) h -= 12;
        return h == 0 ? 12 : h;
    }

    private static void TimeDiff(ReadOnlySpan<Mem> a, ref Mem r)
    {
        Moment? d1 = Evaluate(a[..1]);
        Moment? d2 = d1 is null ? null : Evaluate(a[1..2]);
        if (d1 is null || d2 is null)
        {
            r.SetNull();
            return;
        }
        d1.ComputeYmdHms();
        d2.ComputeYmdHms();
        char sign;
        int y, m;
        if (d1.JD >= d2.JD)
        {
            sign = '+';
            y = d1.Y - d2.Y;
            if (y != 0)
            {
                d2.Y = d1.Y;
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            m = d1.M - d2.M;
            if (m < 0)
            {
                y--;
                m += 12;
            }
            if (m != 0)
            {
                d2.M = d1.M;
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            while (d1.JD < d2.JD)
            {
                m--;
                if (m < 0)
                {
                    m = 11;
                    y--;
                }
                d2.M--;
                if (d2.M < 1)
                {
                    d2.M = 12;
                    d2.Y--;
                }
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            d1.JD -= d2.JD;
        }
        else
        {
            sign = '-';
            y = d2.Y - d1.Y;
            if (y != 0)
            {
                d2.Y = d1.Y;
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            m = d2.M - d1.M;
            if (m < 0)
            {
                y--;
                m += 12;
            }
            if (m != 0)
            {
                d2.M = d1.M;
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            while (d1.JD > d2.JD)
            {
                m--;
                if (m < 0)
                {
                    m = 11;
                    y--;
                }
                d2.M++;
                if (d2.M > 12)
                {
                    d2.M = 1;
                    d2.Y++;
                }
                d2.ValidJD = false;
                d2.ComputeJD();
            }
            d1.JD = d2.JD - d1.JD;
        }
        // The remainder, as a time after 0000-01-01 00:00:00, gives days and the time of day.
        d1.JD += 1486995408L * 100000;
        d1.ClearYmdHmsTz();
        d1.ComputeYmdHms();
        string text = sign + Pad(y, 4) + "-" + Pad(m, 2) + "-" + Pad(d1.D - 1, 2) + " " + Pad(d1.H, 2) + ":" + Pad(d1.Mi, 2) + ":"
            + Printf.Format("%06.3f", RealArg(d1.S));
        r.SetText(text);
    }
}
