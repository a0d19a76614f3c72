namespace Urb.Domain.Retention;

/// <summary>
/// The nightly cleanup's decisions, without doing any of it. Per client: archived backups are
/// kept; the count or GFS rules delete what they do not keep; then the client's soft quota; then,
/// over all clients, the global soft quota. Apply the <see cref="ArchivalPlanner"/>'s plan
/// first, so that tonight's archives are already exempt.
/// </summary>
public static class CleanupPlanner
{
    /// <summary>One client, without a global quota.</summary>
    public static ClientCleanupPlan PlanClient(ClientCleanupInput client, CleanupContext context) =>
        PlanAll([client], SoftQuota.None, context).Clients[0];

    /// <summary>All clients, with the global soft quota over their charged bytes together.</summary>
    /// <exception cref="ArgumentException">A client is listed twice.</exception>
    public static CleanupPlan PlanAll(IReadOnlyList<ClientCleanupInput> clients, SoftQuota globalQuota, CleanupContext context)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(globalQuota);
        ArgumentNullException.ThrowIfNull(context);
        if (clients.Any(c => c is null))
        {
            throw new ArgumentNullException(nameof(clients), "A client is null.");
        }
        if (clients.Select(c => c.ClientId).Distinct().Count() != clients.Count)
        {
            throw new ArgumentException("A client is listed twice.", nameof(clients));
        }
        var ledgers = new List<ClientLedger>(clients.Count);
        var outcomes = new List<QuotaOutcome>(clients.Count);
        foreach (var client in clients)
        {
            var ledger = new ClientLedger(client, context);
            RetentionRules.Apply(ledger);
            outcomes.Add(QuotaEnforcer.EnforceClient(ledger));
            ledgers.Add(ledger);
        }
        var global = QuotaEnforcer.EnforceGlobal(ledgers, globalQuota, context);
        var plans = ledgers.Select((l, i) => new ClientCleanupPlan(l.ClientId, l.Decisions(), outcomes[i])).ToList();
        return new CleanupPlan(plans, global);
    }
}
