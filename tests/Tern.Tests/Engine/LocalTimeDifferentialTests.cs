// 'localtime' and 'utc' compared with SQLite 3.50.4 in many time zones. Both engines take
// the local zone from the TZ variable: SQLite through the C library (setenv + tzset), Tern
// through TimeZoneInfo (the runtime's copy of the environment, its cache cleared). The
// zones cover whole and fractional offsets, both hemispheres' daylight-saving rules, the
// date line, and instants next to transitions; years outside 1970..2037 take SQLite's
// mapping into that range. The tests change the process's time zone, so they run alone.
using System.Runtime.InteropServices;

namespace Tern.Tests.Engine;

[CollectionDefinition(nameof(TimeZoneCollection), DisableParallelization = true)]
public sealed class TimeZoneCollection
{
}

[Collection(nameof(TimeZoneCollection))]
public partial class LocalTimeDifferentialTests
{
    private const string Script = """
        select datetime('2023-06-15 12:00', 'localtime'), datetime('2023-06-15 12:00', 'utc'), datetime('2023-06-15 12:00', 'localtime', 'utc'), datetime('2023-06-15 12:00:00.123', 'subsec', 'utc'), datetime('2023-06-15 12:00:00.123', 'subsec', 'localtime');
        select datetime('2023-01-15 12:00', 'localtime'), datetime('2023-01-15 12:00', 'utc'), time('2023-01-15 23:59:59', 'localtime'), date('2023-12-31 23:30', 'localtime'), date('2024-01-01 00:30', 'utc');
        select datetime('1900-06-15 12:00:00.5', 'localtime', 'subsec'), datetime('2100-06-15 12:00', 'localtime'), datetime('1969-12-31 23:59:59', 'localtime'), datetime('2038-01-19 03:14:08', 'localtime'), datetime('-0100-03-01 00:00', 'localtime'), datetime('9999-12-31 12:00', 'utc');
        select datetime(-5, 'localtime'), datetime(-5, 'utc'), datetime(0, 'unixepoch', 'localtime'), datetime(1700000000, 'unixepoch', 'localtime', 'start of day'), datetime(1700000000, 'unixepoch', 'localtime', 'start of day', 'utc');
        select datetime('2023-03-12 06:59:59', 'localtime'), datetime('2023-03-12 07:00:00', 'localtime'), datetime('2023-11-05 05:59:59', 'localtime'), datetime('2023-11-05 06:00:00', 'localtime'), datetime('2023-03-12 02:30', 'utc'), datetime('2023-11-05 01:30', 'utc');
        select datetime('2023-03-26 00:59:59', 'localtime'), datetime('2023-03-26 01:00:00', 'localtime'), datetime('2023-10-29 00:59:59', 'localtime'), datetime('2023-10-29 01:00:00', 'localtime'), datetime('2023-03-26 01:30', 'utc'), datetime('2023-10-29 01:30', 'utc');
        select datetime('2023-04-01 15:30', 'localtime'), datetime('2023-10-01 02:30', 'utc'), datetime('2023-04-02 02:30', 'utc'), datetime('2023-06-15', 'utc', 'localtime', 'utc'), datetime('2023-06-15 12:00+05:00', 'localtime'), datetime('2023-06-15 12:00+05:00', 'utc');
        select strftime('%Y-%m-%d %H:%M:%f %s %j %w', '2023-07-04 18:45:30.250', 'localtime'), unixepoch('2023-07-04 18:45:30', 'utc'), julianday('2023-07-04 18:45', 'localtime'), timediff(datetime('2023-06-15', 'localtime'), '2023-06-15');
        select datetime('2023-06-15 12:00', 'localtime', 'localtime'), datetime('2023-06-15 12:00', 'utc', 'utc'), datetime('2023-06-15 12:00', 'localtime', '+1 month', 'utc'), datetime('2023-02-28 23:00', 'localtime', '+1 day', 'start of month', 'utc')
        """;

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    [InlineData("America/St_Johns")]
    [InlineData("America/Sao_Paulo")]
    [InlineData("Europe/London")]
    [InlineData("Europe/Berlin")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Pacific/Kiritimati")]
    [InlineData("Pacific/Pago_Pago")]
    public void Localtime_and_utc_match_sqlite_in_the_time_zone(string zone)
    {
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "the test sets the C library's TZ");
        Assert.True(File.Exists(Path.Combine("/usr/share/zoneinfo", zone)), "tz database entry missing: " + zone);
        string? before = Environment.GetEnvironmentVariable("TZ");
        SetZone(zone);
        try
        {
            Assert.Equal(zone == "UTC" ? TimeSpan.Zero : TimeZoneInfo.FindSystemTimeZoneById(zone).BaseUtcOffset, TimeZoneInfo.Local.BaseUtcOffset);
            Differential.AssertSame(Script);
        }
        finally
        {
            SetZone(before);
        }
    }

    private static void SetZone(string? zone)
    {
        if (zone == null) unsetenv("TZ");
        else setenv("TZ", zone, 1);
        tzset();
        Environment.SetEnvironmentVariable("TZ", zone);
        TimeZoneInfo.ClearCachedData();
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);

    [LibraryImport("libc")]
    private static partial void tzset();
}
