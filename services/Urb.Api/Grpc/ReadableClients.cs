using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Api.Grpc;

/// <summary>Finds a live client the caller may read; another tenant's client is "not found", like one that does not exist.</summary>
public sealed class ReadableClients(ApiDbContext db)
{
    public Task<Client> FindAsync(string id, string field, ServerCallContext context) =>
        FindAsync(id, field, context.Caller(), context.CancellationToken);

    public async Task<Client> FindAsync(string id, string field, ApiCaller caller, CancellationToken cancellationToken)
    {
        var clientId = RequestId.Parse(id, field);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId && c.DeletedAt == null, cancellationToken)
            ?? throw new NotFoundException("The client was not found.");
        caller.EnsureCanRead(client.TenantId, "The client");
        return client;
    }
}
