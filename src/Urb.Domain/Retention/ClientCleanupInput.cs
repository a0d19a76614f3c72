namespace Urb.Domain.Retention;

/// <summary>One client's completed backups with the retention and soft quota that apply to it.</summary>
public sealed record ClientCleanupInput
{
    public ClientCleanupInput(Guid clientId, IReadOnlyList<BackupRecord> backups, RetentionPolicy? policy = null, SoftQuota? quota = null)
    {
        ArgumentNullException.ThrowIfNull(backups);
        var ids = new HashSet<Guid>();
        foreach (var backup in backups)
        {
            ArgumentNullException.ThrowIfNull(backup, nameof(backups));
            if (!ids.Add(backup.Id))
            {
                throw new ArgumentException($"Backup {backup.Id} is listed twice.", nameof(backups));
            }
        }
        ClientId = clientId;
        Backups = backups;
        Policy = policy ?? RetentionPolicy.Default;
        Quota = quota ?? SoftQuota.None;
    }

    public Guid ClientId { get; }

    public IReadOnlyList<BackupRecord> Backups { get; }

    public RetentionPolicy Policy { get; }

    public SoftQuota Quota { get; }
}
