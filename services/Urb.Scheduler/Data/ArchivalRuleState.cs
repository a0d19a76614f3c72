namespace Urb.Scheduler.Data;

/// <summary>When an archival rule last archived a backup of a client (UrBackup's next_archival), so clearing a mark does not make it fire early.</summary>
public sealed class ArchivalRuleState
{
    public Guid ClientId { get; set; }
    /// <summary>The rule's canonical text (<c>ArchivalRule.Id</c>).</summary>
    public required string RuleId { get; set; }
    public DateTimeOffset LastArchivedAt { get; set; }
}
