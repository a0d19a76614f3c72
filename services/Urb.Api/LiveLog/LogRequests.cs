using Urb.Api.Grpc;
using Urb.Contracts.Api.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.Api.LiveLog;

/// <summary>What a ListRecent or Follow asks for, checked against the caller's key (see live_log.proto).</summary>
public sealed class LogRequests(ReadableClients readable)
{
    public const int DefaultLimit = 100;
    public const int MaxEvents = 1000;

    public async Task<(LiveLogScope Scope, int Limit)> ResolveAsync(ApiCaller caller, ListRecentLogRequest request, CancellationToken cancellationToken)
    {
        var limit = request.Limit switch
        {
            0 => DefaultLimit,
            < 0 or > MaxEvents => throw new InvalidInputException("limit", $"limit is 1–{MaxEvents}, or 0 for {DefaultLimit}."),
            var n => n,
        };
        return (await ScopeAsync(caller, request.Filter, cancellationToken), limit);
    }

    /// <summary>The scope, the history to send first, and the id to resume after (null: start at the stream's end).</summary>
    public async Task<(LiveLogScope Scope, int History, StreamId? After)> ResolveAsync(ApiCaller caller, FollowLogRequest request, CancellationToken cancellationToken)
    {
        if (request.History is < 0 or > MaxEvents)
        {
            throw new InvalidInputException("history", $"history is 0–{MaxEvents}.");
        }
        StreamId? after = request.AfterId.Length > 0 ? StreamId.Parse(request.AfterId, "after_id") : null;
        return (await ScopeAsync(caller, request.Filter, cancellationToken), request.History, after);
    }

    /// <summary>
    /// As every portal call: another tenant, or a client the key may not read, is NotFound. A
    /// tenant key is always bound to its tenant, so it never sees installation-wide events.
    /// </summary>
    private async Task<LiveLogScope> ScopeAsync(ApiCaller caller, LogFilter? filter, CancellationToken cancellationToken)
    {
        filter ??= new LogFilter();
        var level = LiveLogLevels.MinimumOf((int)filter.MinLevel)
            ?? throw new InvalidInputException("filter.min_level", "min_level is LOG_LEVEL_DEBUG, INFO, WARNING or ERROR (unspecified: INFO).");
        var tenantId = RequestId.ParseOptional(filter.TenantId, "filter.tenant_id");
        if (tenantId is { } named) caller.EnsureCanRead(named, "The tenant");
        if (filter.ClientId.Length > 0)
        {
            var client = await readable.FindAsync(filter.ClientId, "filter.client_id", caller, cancellationToken);
            // A client of another tenant than the one named is not found in it.
            if (tenantId is { } other && other != client.TenantId) throw new NotFoundException("The client was not found.");
            return new LiveLogScope(client.TenantId, client.Id, level);
        }
        return new LiveLogScope(tenantId ?? (caller.IsGlobalAdmin ? null : caller.TenantId!.Value), null, level);
    }
}
