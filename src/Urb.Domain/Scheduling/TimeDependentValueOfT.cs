namespace Urb.Domain.Scheduling;

/// <summary>One <c>value@window</c> rule of a <see cref="TimeDependentValue{T}"/>.</summary>
public sealed record TimedValue<T>(T Value, BackupWindow Window);

/// <summary>
/// A setting that depends on the wall-clock time, in UrBackup's grammar:
/// <c>60;10@Mon-Fri/8-18</c> is 10 on weekdays from 8 to 18 and 60 otherwise.
/// Create one with <see cref="TimeDependentValue.Parse{T}"/> or <see cref="TimeDependentValue.ParseInt"/>.
/// </summary>
public sealed class TimeDependentValue<T>
{
    internal TimeDependentValue(T defaultValue, IReadOnlyList<TimedValue<T>> rules)
    {
        Default = defaultValue;
        Rules = rules;
    }

    /// <summary>The value when no rule's window contains the time.</summary>
    public T Default { get; }

    /// <summary>The rules in the order they were written.</summary>
    public IReadOnlyList<TimedValue<T>> Rules { get; }

    /// <summary>
    /// The value of the most specific rule whose window contains <paramref name="localTime"/>
    /// (fewest minutes per week; on a tie the one written later), else <see cref="Default"/>.
    /// The time is wall-clock, as for <see cref="BackupWindow.Contains"/>.
    /// </summary>
    public T ValueAt(DateTime localTime)
    {
        TimedValue<T>? best = null;
        foreach (var rule in Rules)
        {
            if (rule.Window.Contains(localTime)
                && (best is null || rule.Window.MinutesPerWeek <= best.Window.MinutesPerWeek))
            {
                best = rule;
            }
        }
        return best is null ? Default : best.Value;
    }
}
