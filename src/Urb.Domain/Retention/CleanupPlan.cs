namespace Urb.Domain.Retention;

/// <summary>
/// How a soft quota went: the limit (null: none, or a percentage of an unknown capacity), the
/// charged bytes before the quota step (after the count or GFS rules) and after it, and why.
/// </summary>
public sealed record QuotaOutcome(long? LimitBytes, long UsedBefore, long UsedAfter, int Deleted, string Explanation)
{
    /// <summary>False when backups that could not go (min counts, archives) keep the usage above the limit.</summary>
    public bool IsMet => LimitBytes is not { } limit || UsedAfter <= limit;
}

/// <summary>One client's decisions, oldest backup first, and how its quota went.</summary>
public sealed record ClientCleanupPlan(Guid ClientId, IReadOnlyList<RetentionDecision> Decisions, QuotaOutcome Quota)
{
    public IEnumerable<RetentionDecision> Deletions => Decisions.Where(d => d.IsDelete);
}

/// <summary>The nightly cleanup's plan for all clients, and how the global soft quota went.</summary>
public sealed record CleanupPlan(IReadOnlyList<ClientCleanupPlan> Clients, QuotaOutcome GlobalQuota)
{
    public IEnumerable<RetentionDecision> Deletions => Clients.SelectMany(c => c.Deletions);
}
