using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Contracts.Api.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using TenantRow = Urb.Api.Data.Tenant;
using TenantMessage = Urb.Contracts.Api.V1.Tenant;

namespace Urb.Api.Grpc;

/// <summary>Tenants: made by global admins; a tenant key sees its own tenant only.</summary>
public sealed class TenantsService(ApiDbContext db, TimeProvider time) : Tenants.TenantsBase
{
    public override async Task<TenantMessage> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        context.Caller().EnsureGlobalAdmin("Making a tenant");
        var tenant = new TenantRow { Id = Guid.CreateVersion7(), Name = DisplayName.Validate(request.Name, "name", "A tenant name"), CreatedAt = time.GetUtcNow() };
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new AlreadyExistsException($"A tenant named '{tenant.Name}' exists already.");
        }
        return ToMessage(tenant);
    }

    public override async Task<TenantMessage> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var id = RequestId.Parse(request.Id, "id");
        context.Caller().EnsureCanRead(id, "The tenant");
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, context.CancellationToken)
            ?? throw new NotFoundException("The tenant was not found.");
        return ToMessage(tenant);
    }

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var query = db.Tenants.AsNoTracking();
        if (!caller.IsGlobalAdmin) query = query.Where(t => t.Id == caller.TenantId);
        var tenants = await query.OrderBy(t => t.Name).ToListAsync(context.CancellationToken);
        return new ListTenantsResponse { Tenants = { tenants.Select(ToMessage) } };
    }

    private static TenantMessage ToMessage(TenantRow tenant) => new()
    {
        Id = tenant.Id.ToString(),
        Name = tenant.Name,
        CreatedAt = Timestamp.FromDateTimeOffset(tenant.CreatedAt),
    };
}
