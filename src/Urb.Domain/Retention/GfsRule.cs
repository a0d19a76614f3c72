using System.Globalization;
using Urb.Domain.Errors;

namespace Urb.Domain.Retention;

/// <summary>
/// Grandfather-father-son retention, as restic's <c>forget --keep-daily … --keep-yearly</c>:
/// keep the newest backup of each of the last <see cref="Daily"/> days, <see cref="Weekly"/> ISO
/// weeks, <see cref="Monthly"/> months and <see cref="Yearly"/> years that have a backup, in the
/// server's time zone. Applied to each backup type on its own; see <see cref="GfsSelector"/>.
/// </summary>
public sealed record GfsRule
{
    /// <exception cref="InvalidInputException">A count is negative, or all are zero (that would keep nothing).</exception>
    public GfsRule(int daily, int weekly, int monthly, int yearly)
    {
        Check(daily, "keep_daily");
        Check(weekly, "keep_weekly");
        Check(monthly, "keep_monthly");
        Check(yearly, "keep_yearly");
        if (daily + (long)weekly + monthly + yearly == 0)
        {
            throw new InvalidInputException("keep_daily",
                "Keep at least one daily, weekly, monthly or yearly backup; with none, only the min counts would be left.");
        }
        Daily = daily;
        Weekly = weekly;
        Monthly = monthly;
        Yearly = yearly;
    }

    public int Daily { get; }

    public int Weekly { get; }

    public int Monthly { get; }

    public int Yearly { get; }

    /// <summary>"keep daily 7, weekly 4, monthly 12, yearly 0".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"keep daily {Daily}, weekly {Weekly}, monthly {Monthly}, yearly {Yearly}");

    private static void Check(int count, string field)
    {
        if (count < 0)
        {
            throw new InvalidInputException(field, $"{field} cannot be negative ({count}).");
        }
    }
}
