using Urb.Domain.Retention;

namespace Urb.Domain.Scheduling;

/// <summary>
/// Whether the server should start a backup of a client now, and which kind, with the reason
/// in words (every decision is logged). <see cref="Kind"/> is null when nothing is due or the due
/// kind's window is closed.
/// </summary>
public sealed record DueDecision(BackupType? Kind, string Reason)
{
    public bool IsDue => Kind is not null;
}

/// <summary>
/// UrBackup's schedule of file and image backups, as pure decisions. Each side (file, image)
/// follows the same rules with its own settings:
/// <list type="bullet">
/// <item>A full backup is due when the full interval has passed since the last full backup (or
/// there never was one). An incremental is due when the incremental interval has passed since
/// the last backup of either kind of its side (a full one counts: it is newer than any incremental).</item>
/// <item>Intervals that depend on the time are read at the time of the decision.</item>
/// <item>The server starts a backup only inside its kind's window, in the server's time zone.
/// When the full backup is due but outside its window and an incremental is due inside its own,
/// the incremental runs; the full follows when its window opens.</item>
/// <item>A full backup that is due takes the place of a due incremental (it reads everything).</item>
/// <item>The first backup of a side is full, even when the incremental's window lets it run (an
/// incremental needs a backup to build on): the first image backup is a full image.</item>
/// </list>
/// A client runs one backup at a time; when both sides are due, the file backup goes first.
/// </summary>
public static class DuePlanner
{
    /// <summary>
    /// The backup to start for a client: its file backup when one is due, else its image backup
    /// (only with image volumes). Files go first because they run often and briefly, so an image
    /// waits at most one file backup, while a long image would hold files back for hours.
    /// </summary>
    public static DueDecision Decide(ClientSchedule schedule, BackupHistory last, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(last);
        var file = Decide(schedule.File, last.File, now, zone);
        if (file.IsDue || schedule.Image is not { } images)
        {
            return file;
        }
        var image = Decide(images, last.Image, now, zone);
        return image.IsDue ? image : new DueDecision(null, $"{file.Reason}; {image.Reason}");
    }

    /// <summary>The backup of one side (the schedule's) to start now.</summary>
    public static DueDecision Decide(BackupSchedule schedule, LastBackups last, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var fullInterval = schedule.FullInterval.ValueAt(local);
        var incrementalInterval = schedule.IncrementalInterval.ValueAt(local);
        var side = schedule.Side == BackupSide.Image ? "image" : "file";
        if (fullInterval.IsOff && incrementalInterval.IsOff)
        {
            return new DueDecision(null, $"scheduled {side} backups are off (incremental and full intervals are 'off')");
        }

        var fullName = schedule.FullType.Describe();
        var full = Check(fullName, fullInterval, last.Full, $"{fullName} backup", schedule.FullWindow, now, local, zone);
        if (full.InWindow)
        {
            return new DueDecision(schedule.FullType, full.Text);
        }
        var incremental = Check(schedule.IncrementalType.Describe(), incrementalInterval, last.Any, $"{side} backup", schedule.IncrementalWindow, now, local, zone);
        if (incremental.InWindow)
        {
            var text = full.IsDue ? $"{incremental.Text}; the full backup is due too but {full.Text}" : incremental.Text;
            // An incremental needs a backup to build on: the first backup of a side is full.
            return last.Any is null
                ? new DueDecision(schedule.FullType, $"{text}; as the first {side} backup it is a full one")
                : new DueDecision(schedule.IncrementalType, text);
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
