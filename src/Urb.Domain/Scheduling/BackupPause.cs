using System.Globalization;
using Urb.Domain.Errors;

namespace Urb.Domain.Scheduling;

/// <summary>
/// How long a client's backups may be paused: 1 h unless said, at most 24 h (a pause is for a
/// meeting or a metered link, not a way to switch backups off), zero ends the pause.
/// </summary>
public static class BackupPause
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(1);
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    /// <summary>The pause's length for a requested one (null: the default); <see cref="InvalidInputException"/> outside 0 – 24 h.</summary>
    public static TimeSpan Validate(TimeSpan? requested, string field)
    {
        var duration = requested ?? Default;
        if (duration < TimeSpan.Zero || duration > Max)
        {
            throw new InvalidInputException(field, $"A pause lasts from 0 (resume) to {Max.TotalHours:0} h; {duration} is outside.");
        }
        return duration;
    }

    /// <summary>
    /// A duration as a person writes it on the agent's command line: a whole number with a unit,
    /// <c>45s</c>, <c>30m</c> (or <c>30min</c>), <c>2h</c>, or <c>0</c>. Unlike backup intervals, a
    /// bare "m" is minutes here: a pause of months is impossible anyway.
    /// </summary>
    public static TimeSpan Parse(string text, string field)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "0") return TimeSpan.Zero;
        var (digits, unit) = t switch
        {
            _ when t.EndsWith("min", StringComparison.Ordinal) => (t[..^3], TimeSpan.FromMinutes(1)),
            _ when t.EndsWith('m') => (t[..^1], TimeSpan.FromMinutes(1)),
            _ when t.EndsWith('h') => (t[..^1], TimeSpan.FromHours(1)),
            _ when t.EndsWith('s') => (t[..^1], TimeSpan.FromSeconds(1)),
            _ => ("", TimeSpan.Zero),
        };
        if (digits.Length == 0 || digits.Length > 6 || !digits.All(char.IsAsciiDigit))
        {
            throw new InvalidInputException(field, $"'{text.Trim()}' is not a duration: expected a whole number with a unit (45s, 30m, 2h), or 0.");
        }
        return Validate(unit * long.Parse(digits, CultureInfo.InvariantCulture), field);
    }
}
