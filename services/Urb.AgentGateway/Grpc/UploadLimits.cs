using System.Collections.Concurrent;
using Urb.Domain.Scheduling;
using Urb.Domain.Settings;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The bandwidth limits on what agents upload through this gateway: each client's
/// (bandwidth_limit) and all clients' together (global_bandwidth_limit), both time-dependent in
/// UrBackup's form and read in the server's local time. The global limit is per gateway replica.
/// </summary>
public sealed class UploadLimits(TimeProvider time, GatewayMetrics metrics)
{
    private static readonly TimeSpan IdleClientKept = TimeSpan.FromMinutes(10);

    private readonly BandwidthPacer global = new(time);
    private readonly ConcurrentDictionary<Guid, (BandwidthPacer Pacer, long LastUsed)> clients = new();

    /// <summary>The throttle of one upload stream of a client, with the limits of its settings at the stream's start.</summary>
    public UploadThrottle For(Guid clientId, EffectiveSettings settings)
    {
        PruneIdle();
        var entry = clients.AddOrUpdate(clientId,
            _ => (new BandwidthPacer(time), time.GetTimestamp()),
            (_, existing) => (existing.Pacer, time.GetTimestamp()));
        return new UploadThrottle(
            entry.Pacer, global, time, metrics,
            settings.Bandwidth(SettingCatalog.BandwidthLimit),
            settings.Bandwidth(SettingCatalog.GlobalBandwidthLimit));
    }

    private void PruneIdle()
    {
        foreach (var (clientId, entry) in clients)
        {
            if (time.GetElapsedTime(entry.LastUsed) > IdleClientKept) clients.TryRemove(clientId, out _);
        }
    }
}

/// <summary>Waits before each uploaded message as long as the client's and the global limit ask.</summary>
public sealed class UploadThrottle(
    BandwidthPacer client, BandwidthPacer global, TimeProvider time, GatewayMetrics metrics,
    TimeDependentValue<BandwidthLimit> clientLimit, TimeDependentValue<BandwidthLimit> globalLimit)
{
    /// <summary>No limit at any time (the default): every message passes without asking the clock or the pacers.</summary>
    private readonly bool unlimited = IsAlwaysUnlimited(clientLimit) && IsAlwaysUnlimited(globalLimit);

    public async Task WaitAsync(long bytes, CancellationToken cancellationToken)
    {
        metrics.BytesRelayed.Add(bytes);
        if (unlimited) return;
        var started = time.GetTimestamp();
        await PaceAsync(bytes, cancellationToken);
        var waited = time.GetElapsedTime(started).TotalSeconds;
        if (waited > 0.001) metrics.ThrottledSeconds.Add(waited);
    }

    private async Task PaceAsync(long bytes, CancellationToken cancellationToken)
    {
        var now = time.GetLocalNow().DateTime;
        var globalMbits = globalLimit.ValueAt(now) is { IsPercentage: false } g ? g.Value : 0;
        await client.WaitAsync(bytes, clientLimit.ValueAt(now).BytesPerSecond(globalMbits), cancellationToken);
        await global.WaitAsync(bytes, globalMbits > 0 ? globalMbits * 1_000_000 / 8 : null, cancellationToken);
    }

    private static bool IsAlwaysUnlimited(TimeDependentValue<BandwidthLimit> limit) =>
        limit.Default.IsUnlimited && limit.Rules.All(r => r.Value.IsUnlimited);
}
