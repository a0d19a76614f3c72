using Urb.Contracts.Directory.V1;
using Urb.Contracts.Ingest.V1;
using Urb.Contracts.Settings;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;

namespace Urb.Scheduler.Dispatch;

/// <summary>A client as the scheduler plans for it: who, its settings, its last backups.</summary>
public sealed record PlannedClient(Guid ClientId, Guid TenantId, string Name, EffectiveSettings Settings, BackupHistory Last, bool BackupRunning);

/// <summary>What one tick plans with: the installation's settings and every live client, read from Urb.Api and Urb.Ingest.</summary>
public sealed record PlanningInputs(EffectiveSettings Global, IReadOnlyList<PlannedClient> Clients)
{
    public static async Task<PlanningInputs> LoadAsync(ClientDirectory.ClientDirectoryClient directory, BackupCatalog.BackupCatalogClient catalog, CancellationToken cancellationToken)
    {
        var settings = await directory.ListClientSettingsAsync(new ListClientSettingsRequest(), cancellationToken: cancellationToken);
        var last = (await catalog.GetLastBackupsAsync(new GetLastBackupsRequest(), cancellationToken: cancellationToken)).Clients
            .ToDictionary(c => Guid.Parse(c.ClientId));
        var clients = settings.Clients.Select(c =>
        {
            var id = Guid.Parse(c.Identity.ClientId);
            var backups = last.GetValueOrDefault(id);
            return new PlannedClient(
                id,
                Guid.Parse(c.Identity.TenantId),
                c.Identity.ClientName,
                SettingsMessages.FromMessage(c.Settings),
                HistoryOf(backups),
                backups?.Running == true);
        }).ToList();
        return new PlanningInputs(SettingsMessages.FromMessage(settings.Global), clients);
    }

    private static BackupHistory HistoryOf(ClientLastBackups? backups) => backups is null
        ? BackupHistory.None
        : new BackupHistory(
            new LastBackups(backups.LastIncrementalFinishedAt?.ToDateTimeOffset(), backups.LastFullFinishedAt?.ToDateTimeOffset()),
            new LastBackups(backups.LastIncrementalImageFinishedAt?.ToDateTimeOffset(), backups.LastFullImageFinishedAt?.ToDateTimeOffset()));
}

/// <summary>
/// The planning inputs of one scope (one scheduler tick): read from Urb.Api and Urb.Ingest on first
/// use, then shared, so the dispatch and the cleanup of a tick ask each service once, not twice.
/// A read that fails ends the tick (<see cref="SchedulerLoop"/>); the next tick has a new scope.
/// </summary>
public sealed class TickPlanningInputs(ClientDirectory.ClientDirectoryClient directory, BackupCatalog.BackupCatalogClient catalog)
{
    private Task<PlanningInputs>? loading;

    public Task<PlanningInputs> GetAsync(CancellationToken cancellationToken) =>
        loading ??= PlanningInputs.LoadAsync(directory, catalog, cancellationToken);
}
