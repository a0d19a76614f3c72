using Urb.Api.Grpc;
using Urb.Domain.Identity;

namespace Urb.Api.Activities;

/// <summary>The scope a caller asks for: a tenant key is bound to its tenant; a named client must be one it may read (else NotFound).</summary>
public sealed class ActivityScopes(ReadableClients readable)
{
    public async Task<ActivityScope> ResolveAsync(ApiCaller caller, string? clientId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(clientId))
        {
            var client = await readable.FindAsync(clientId, "client_id", caller, cancellationToken);
            return new ActivityScope(client.TenantId, client.Id);
        }
        return caller.IsGlobalAdmin ? new ActivityScope(null, null) : new ActivityScope(caller.TenantId!.Value, null);
    }
}
