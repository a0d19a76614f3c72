using Urb.Domain.Retention;

namespace Urb.Domain.Scheduling;

/// <summary>
/// Whether the server should start a file backup of a client now, and which kind, with the reason
/// in words (every decision is logged). <see cref="Kind"/> is null when nothing is due or the due
/// kind's window is closed.
/// </summary>
public sealed record DueDecision(BackupType? Kind, string Reason)
{
    public bool IsDue => Kind is not null;
}

/// <summary>
/// UrBackup's schedule of file backups, as pure decisions.
/// <list type="bullet">
/// <item>A full backup is due when the full interval has passed since the last full backup (or
/// there never was one). An incremental is due when the incremental interval has passed since
/// the last file backup of either kind (a full one counts: it is newer than any incremental).</item>
/// <item>Intervals that depend on the time are read at the time of the decision.</item>
/// <item>The server starts a backup only inside its kind's window, in the server's time zone.
/// When the full backup is due but outside its window and an incremental is due inside its own,
/// the incremental runs; the full follows when its window opens.</item>
/// <item>A full backup that is due takes the place of a due incremental (it reads everything).</item>
/// <item>The first file backup of a client is full, even when the incremental's window lets it
/// run (an incremental needs a backup to build on).</item>
/// </list>
/// </summary>
public static class DuePlanner
{
    public static DueDecision Decide(FileBackupSchedule schedule, LastFileBackups last, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var fullInterval = schedule.FullInterval.ValueAt(local);
        var incrementalInterval = schedule.IncrementalInterval.ValueAt(local);
        if (fullInterval.IsOff && incrementalInterval.IsOff)
        {
            return new DueDecision(null, "scheduled file backups are off (incremental and full intervals are 'off')");
        }

        var full = Check("full file", fullInterval, last.Full, "full file backup", schedule.FullWindow, now, local, zone);
        if (full.InWindow)
        {
            return new DueDecision(BackupType.FullFile, full.Text);
        }
        var incremental = Check("incremental file", incrementalInterval, last.Any, "file backup", schedule.IncrementalWindow, now, local, zone);
        if (incremental.InWindow)
        {
            var text = full.IsDue ? $"{incremental.Text}; the full backup is due too but {full.Text}" : incremental.Text;
            // An incremental needs a backup to build on: the first file backup is full.
            return last.Any is null
                ? new DueDecision(BackupType.FullFile, $"{text}; as the first file backup it is a full one")
                : new DueDecision(BackupType.IncrementalFile, text);
        }
        return new DueDecision(null, $"{incremental.Text}; {full.Text}");
    }

    private readonly record struct KindCheck(bool IsDue, bool InWindow, string Text);

    private static KindCheck Check(
        string kind, BackupInterval interval, DateTimeOffset? lastRun, string lastWhat, BackupWindow window,
        DateTimeOffset now, DateTime local, TimeZoneInfo zone)
    {
        if (interval.Length is not { } length)
        {
            return new(false, false, $"{kind}: switched off");
        }
        if (lastRun is { } at && now - at < length)
        {
            return new(false, false, $"{kind}: next due {RetentionText.Time(at + length, zone)} (interval {interval}, last {lastWhat} {RetentionText.Time(at, zone)})");
        }
        var why = lastRun is { } previous
            ? $"{kind} due: the last {lastWhat} finished {RetentionText.Time(previous, zone)}, interval {interval}"
            : $"{kind} due: no {lastWhat} yet";
        if (window.Contains(local))
        {
            return new(true, true, why);
        }
        var next = window.NextStart(local);
        while (next is { } skipped && zone.IsInvalidTime(skipped))
        {
            next = window.NextStart(skipped.AddMinutes(1)); // a wall-clock time the DST change skips never comes
        }
        var opens = next is { } start ? $"; it opens {start:yyyy-MM-dd HH:mm}" : "";
        return new(true, false, $"{why}, but outside its window '{window}'{opens}");
    }
}
