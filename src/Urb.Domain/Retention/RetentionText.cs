using System.Globalization;

namespace Urb.Domain.Retention;

/// <summary>How times and sizes read in the reasons the cleanup logs.</summary>
public static class RetentionText
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary>The instant in the server's zone: <c>2024-03-31 03:00 +02:00</c>.</summary>
    public static string Time(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    /// <summary>Binary units, as quotas are written: <c>512 B</c>, <c>1.5 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("0.##", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>"1 incremental file backup", "3 full image backups".</summary>
    public static string Count(int count, BackupType type) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {type.Describe()} backup{(count == 1 ? "" : "s")}";
}
