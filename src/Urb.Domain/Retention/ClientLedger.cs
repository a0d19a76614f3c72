namespace Urb.Domain.Retention;

/// <summary>
/// One client's cleanup while it is planned: a decision per backup, how many backups of each
/// type are left that are not archived, the charged bytes left, and whose turn it is in the
/// quota cleanup's alternation.
/// </summary>
internal sealed class ClientLedger
{
    private readonly Dictionary<Guid, RetentionDecision> _decisions = [];
    private readonly int[] _remaining = new int[4];
    // Per type, the backups that are neither archived nor deleted, oldest first.
    private Queue<BackupRecord>[]? _deletable;

    public ClientLedger(ClientCleanupInput input, CleanupContext context)
    {
        Input = input;
        Context = context;
        foreach (var backup in input.Backups)
        {
            RemainingBytes += backup.ChargedBytes;
            if (!backup.IsArchivedAt(context.Now))
            {
                _remaining[(int)backup.Type]++;
            }
        }
    }

    public ClientCleanupInput Input { get; }

    public CleanupContext Context { get; }

    public Guid ClientId => Input.ClientId;

    /// <summary>The charged bytes of the backups not deleted (archived ones included).</summary>
    public long RemainingBytes { get; private set; }

    /// <summary>The side the quota cleanup takes from next; UrBackup starts with images.</summary>
    public BackupSide NextSide { get; private set; } = BackupSide.Image;

    public int Remaining(BackupType type) => _remaining[(int)type];

    public int Min(BackupType type) => Input.Policy.LimitsFor(type).Min;

    public RetentionDecision? DecisionFor(BackupRecord backup) => _decisions.GetValueOrDefault(backup.Id);

    public void Keep(BackupRecord backup, RetentionReason reason, string explanation) =>
        _decisions[backup.Id] = new RetentionDecision(ClientId, backup, RetentionAction.Keep, reason, explanation);

    public void Delete(BackupRecord backup, RetentionReason reason, string explanation)
    {
        _decisions[backup.Id] = new RetentionDecision(ClientId, backup, RetentionAction.Delete, reason, explanation);
        _remaining[(int)backup.Type]--;
        RemainingBytes -= backup.ChargedBytes;
    }

    /// <summary>
    /// The backup the quota cleanup deletes next: the oldest one of the side whose turn it is
    /// whose type is above its min count; if that side has none, the other side's. Null when
    /// neither side has one. Only valid after the count rules have decided every backup.
    /// </summary>
    public BackupRecord? NextQuotaCandidate()
    {
        _deletable ??= BuildDeletable();
        return OldestDeletable(NextSide) ?? OldestDeletable(NextSide.Other());
    }

    /// <summary>Deletes <see cref="NextQuotaCandidate"/> and hands the turn to the other side.</summary>
    public void DeleteForQuota(BackupRecord candidate, RetentionReason reason, string explanation)
    {
        var queue = _deletable![(int)candidate.Type];
        if (!ReferenceEquals(queue.Peek(), candidate))
        {
            throw new InvalidOperationException("Only the next quota candidate can be deleted for quota.");
        }
        queue.Dequeue();
        Delete(candidate, reason, explanation);
        NextSide = candidate.Type.Side().Other();
    }

    /// <summary>The backups still kept that are not archived: after a quota that could not be met, all are at a min count.</summary>
    public IEnumerable<BackupRecord> KeptUnarchived() =>
        _decisions.Values.Where(d => !d.IsDelete && d.Reason != RetentionReason.Archived).Select(d => d.Backup);

    /// <summary>The decisions, oldest backup first.</summary>
    public IReadOnlyList<RetentionDecision> Decisions() =>
        Input.Backups.Order(Comparer<BackupRecord>.Create(BackupRecord.CompareAge)).Select(b => _decisions[b.Id]).ToList();

    private BackupRecord? OldestDeletable(BackupSide side)
    {
        BackupRecord? oldest = null;
        foreach (var type in side.Types())
        {
            var queue = _deletable![(int)type];
            if (queue.Count > 0 && Remaining(type) > Min(type)
                && (oldest is null || BackupRecord.CompareAge(queue.Peek(), oldest) < 0))
            {
                oldest = queue.Peek();
            }
        }
        return oldest;
    }

    private Queue<BackupRecord>[] BuildDeletable()
    {
        var kept = _decisions.Values
            .Where(d => !d.IsDelete && d.Reason != RetentionReason.Archived)
            .Select(d => d.Backup)
            .Order(Comparer<BackupRecord>.Create(BackupRecord.CompareAge))
            .ToList();
        return BackupTypeExtensions.All.Select(t => new Queue<BackupRecord>(kept.Where(b => b.Type == t))).ToArray();
    }
}
