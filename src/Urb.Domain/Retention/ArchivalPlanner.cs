namespace Urb.Domain.Retention;

/// <summary>
/// Automatic archival for one client. A rule is due when it never archived, or when its last
/// archive is at least its period old (less a little slack: the nightly run does not start at
/// the same second every night). A due rule archives the newest backup of its types that
/// finished since its last archive and is not archived already; with none, it stays due.
/// Rules are taken in the order given, and each backup is archived by at most one of them.
/// Rule-made archives whose time ran out are listed to be cleared; manual archives never are.
/// </summary>
public static class ArchivalPlanner
{
    /// <summary>The most a run may come early: a rule is due at its period less min(this, period / 24).</summary>
    public static readonly TimeSpan MaxSlack = TimeSpan.FromHours(1);

    /// <param name="rules">The client's rules, in order; no rule twice.</param>
    /// <param name="backups">The client's completed backups.</param>
    /// <param name="context">The time, and the zone for the times in explanations.</param>
    /// <param name="lastArchivedByRule">When each rule (by <see cref="ArchivalRule.Id"/>) last archived, as stored by the
    /// service; the marks on <paramref name="backups"/> count too, the later of both wins.</param>
    public static ArchivalPlan Plan(
        IReadOnlyList<ArchivalRule> rules,
        IReadOnlyList<BackupRecord> backups,
        CleanupContext context,
        IReadOnlyDictionary<string, DateTimeOffset>? lastArchivedByRule = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(context);
        if (rules.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != rules.Count)
        {
            throw new ArgumentException("A rule is listed twice.", nameof(rules));
        }
        var now = context.Now;
        var zone = context.TimeZone;
        var chosen = new HashSet<Guid>();
        var archive = new List<ArchiveDecision>();
        var outcomes = new List<ArchivalRuleOutcome>();
        foreach (var rule in rules)
        {
            var last = LastArchived(rule, backups, lastArchivedByRule);
            var lastText = last is { } l ? $"last archived {RetentionText.Time(l, zone)}" : "never archived";
            if (last is { } previous && now < DueAt(rule, previous))
            {
                var next = rule.Every.AddTo(previous);
                outcomes.Add(new ArchivalRuleOutcome(rule, ArchivalRuleStatus.NotDue, last, next,
                    $"rule '{rule.Id}': {lastText}, next due {RetentionText.Time(next, zone)}"));
                continue;
            }
            var candidate = backups
                .Where(b => rule.Scope.Includes(b.Type) && b.Finished <= now && (last is null || b.Finished > last)
                            && !b.IsArchivedAt(now) && !chosen.Contains(b.Id))
                .OrderDescending(Comparer<BackupRecord>.Create(BackupRecord.CompareAge))
                .FirstOrDefault();
            if (candidate is null)
            {
                outcomes.Add(new ArchivalRuleOutcome(rule, ArchivalRuleStatus.NothingToArchive, last, now,
                    $"rule '{rule.Id}': due ({lastText}), but no {Backup(rule.Scope)} that is not archived finished since; it stays due"));
                continue;
            }
            chosen.Add(candidate.Id);
            var mark = ArchiveMark.ByRule(rule.Id, now, rule.UntilFor(now));
            var explanation = $"rule '{rule.Id}' is due ({lastText}): the newest {Backup(rule.Scope)}, "
                + (mark.Until is { } until ? $"archived until {RetentionText.Time(until, zone)}" : "archived forever");
            archive.Add(new ArchiveDecision(candidate, rule, mark, explanation));
            outcomes.Add(new ArchivalRuleOutcome(rule, ArchivalRuleStatus.Archived, now, rule.Every.AddTo(now), explanation));
        }
        var expire = backups
            .Where(b => b.Archive is { IsManual: false } mark && !mark.IsActiveAt(now) && !chosen.Contains(b.Id))
            .Order(Comparer<BackupRecord>.Create(BackupRecord.CompareAge))
            .Select(b => new ArchiveExpiry(b, b.Archive!,
                $"the archive by rule '{b.Archive!.RuleId}' ran out {RetentionText.Time(b.Archive.Until!.Value, zone)}; the backup is no longer exempt from cleanup"))
            .ToList();
        return new ArchivalPlan(archive, expire, outcomes);
    }

    /// <summary>When a rule that last archived at <paramref name="last"/> is due again.</summary>
    public static DateTimeOffset DueAt(ArchivalRule rule, DateTimeOffset last)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var next = rule.Every.AddTo(last);
        var slack = TimeSpan.FromTicks(Math.Min(MaxSlack.Ticks, (next - last).Ticks / 24));
        return next - slack;
    }

    private static DateTimeOffset? LastArchived(ArchivalRule rule, IEnumerable<BackupRecord> backups, IReadOnlyDictionary<string, DateTimeOffset>? stored)
    {
        DateTimeOffset? last = stored is not null && stored.TryGetValue(rule.Id, out var s) ? s : null;
        foreach (var backup in backups)
        {
            if (backup.Archive is { } mark && mark.RuleId == rule.Id && (last is null || mark.ArchivedAt > last))
            {
                last = mark.ArchivedAt;
            }
        }
        return last;
    }

    /// <summary>"backup", "file backup", "full image backup".</summary>
    private static string Backup(BackupTypes scope) => scope switch
    {
        BackupTypes.Any => "backup",
        BackupTypes.File => "file backup",
        BackupTypes.Image => "image backup",
        _ => BackupTypeExtensions.All.Single(t => scope.Includes(t)).Describe() + " backup",
    };
}
