using System.Globalization;

namespace Urb.Domain.Retention;

/// <summary>
/// Picks the backups a <see cref="GfsRule"/> keeps, as restic's <c>forget</c> does: going from the
/// newest backup to the oldest, a backup is kept for a period kind (day, ISO week, month, year)
/// when its period differs from that of the last backup kept for that kind, until the kind's count
/// is used up. So "the last 7 days" are the last 7 days that have a backup, and a backup can be
/// kept for several kinds at once. Periods are taken in <paramref name="zone"/>'s local time;
/// weeks are ISO 8601 weeks (Monday first, week 1 holds the year's first Thursday), so 1 January
/// can be in week 53 of the year before, while years are calendar years.
/// </summary>
public static class GfsSelector
{
    /// <summary>The kept backups, each with the periods it is kept for (<c>day 2024-03-31</c>, <c>week 2024-W13</c>, <c>month 2024-03</c>, <c>year 2024</c>).</summary>
    public static IReadOnlyDictionary<Guid, IReadOnlyList<string>> Select(
        IEnumerable<BackupRecord> backups, GfsRule rule, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(zone);
        var kinds = new (int Count, Func<DateTime, string> Period)[]
        {
            (rule.Daily, d => "day " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (rule.Weekly, d => string.Create(CultureInfo.InvariantCulture, $"week {ISOWeek.GetYear(d)}-W{ISOWeek.GetWeekOfYear(d):00}")),
            (rule.Monthly, d => "month " + d.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            (rule.Yearly, d => "year " + d.ToString("yyyy", CultureInfo.InvariantCulture)),
        };
        var left = kinds.Select(k => k.Count).ToArray();
        var last = new string?[kinds.Length];
        var kept = new Dictionary<Guid, IReadOnlyList<string>>();
        foreach (var backup in backups.OrderDescending(Comparer<BackupRecord>.Create(BackupRecord.CompareAge)))
        {
            var local = TimeZoneInfo.ConvertTime(backup.Finished, zone).DateTime;
            var reasons = new List<string>();
            for (var k = 0; k < kinds.Length; k++)
            {
                var period = kinds[k].Period(local);
                if (left[k] > 0 && period != last[k])
                {
                    last[k] = period;
                    left[k]--;
                    reasons.Add(period);
                }
            }
            if (reasons.Count > 0)
            {
                kept[backup.Id] = reasons;
            }
        }
        return kept;
    }
}
