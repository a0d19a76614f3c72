namespace Urb.Domain.Tests.Scheduling;

/// <summary>Wall-clock times in the week of Monday 1 January 2024.</summary>
internal static class Week
{
    public const int Mon = 1, Tue = 2, Wed = 3, Thu = 4, Fri = 5, Sat = 6, Sun = 7, NextMon = 8;

    public static DateTime At(int dayOfJanuary, int hour, int minute = 0, int second = 0) =>
        new(2024, 1, dayOfJanuary, hour, minute, second, DateTimeKind.Unspecified);
}
