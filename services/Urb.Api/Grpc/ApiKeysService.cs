using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Contracts.Api.V1;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using Urb.ServiceDefaults.LiveLogging;
// The publisher; "LiveLog" alone is also the portal service (urb.api.v1.LiveLog) and its namespace here.
using LiveLogPublisher = Urb.ServiceDefaults.LiveLogging.LiveLog;

namespace Urb.Api.Grpc;

/// <summary>API keys: shown once, stored hashed, scoped to a tenant unless global.</summary>
public sealed class ApiKeysService(ApiDbContext db, ApiKeyIssuer issuer, TimeProvider time, LiveLogPublisher liveLog) : ApiKeys.ApiKeysBase
{
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var role = ToRole(request.Role);
        var requestedTenant = RequestId.ParseOptional(request.TenantId, "tenant_id");
        var tenantId = role == ApiRole.GlobalAdmin ? requestedTenant : caller.ResolveTenant(requestedTenant, Data.Tenant.DefaultId);
        caller.EnsureCanIssue(role, tenantId);
        if (tenantId is { } tenant && !await db.Tenants.AnyAsync(t => t.Id == tenant, context.CancellationToken))
        {
            throw new NotFoundException("The tenant was not found.");
        }
        var (key, record) = issuer.Issue(request.Name, role, tenantId);
        await db.SaveChangesAsync(context.CancellationToken);
        liveLog.Publish(new LiveLogEvent(tenantId, null, LiveLogLevel.Info, $"API key {record.Id} ({record.Name}, {role}) created"));
        return new CreateApiKeyResponse { Key = key.ToString(), Info = ToMessage(record) };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var query = db.ApiKeys.AsNoTracking();
        if (RequestId.ParseOptional(request.TenantId, "tenant_id") is { } tenantId)
        {
            caller.EnsureCanRead(tenantId, "The tenant");
            query = query.Where(k => k.TenantId == tenantId);
        }
        else if (!caller.IsGlobalAdmin)
        {
            query = query.Where(k => k.TenantId == caller.TenantId);
        }
        var keys = await query.OrderBy(k => k.CreatedAt).ToListAsync(context.CancellationToken);
        return new ListApiKeysResponse { Keys = { keys.Select(ToMessage) } };
    }

    public override async Task<ApiKeyInfo> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var id = (request.Id ?? "").Trim();
        var record = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, context.CancellationToken)
            ?? throw new NotFoundException("The API key was not found.");
        caller.EnsureCanReadKey(record.TenantId);
        if (record.TenantId is { } tenant) caller.EnsureCanManage(tenant, "the tenant's API keys");
        else caller.EnsureGlobalAdmin("Revoking a global admin key");
        record.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(context.CancellationToken);
        liveLog.Publish(new LiveLogEvent(record.TenantId, null, LiveLogLevel.Warning, $"API key {record.Id} ({record.Name}) revoked"));
        return ToMessage(record);
    }

    private static ApiRole ToRole(ApiKeyRole role) => role switch
    {
        ApiKeyRole.GlobalAdmin => ApiRole.GlobalAdmin,
        ApiKeyRole.TenantAdmin => ApiRole.TenantAdmin,
        ApiKeyRole.TenantReader => ApiRole.TenantReader,
        _ => throw new InvalidInputException("role", "Name the key's role: API_KEY_ROLE_GLOBAL_ADMIN, API_KEY_ROLE_TENANT_ADMIN or API_KEY_ROLE_TENANT_READER."),
    };

    private static ApiKeyRole ToMessage(ApiRole role) => role switch
    {
        ApiRole.GlobalAdmin => ApiKeyRole.GlobalAdmin,
        ApiRole.TenantAdmin => ApiKeyRole.TenantAdmin,
        ApiRole.TenantReader => ApiKeyRole.TenantReader,
        _ => ApiKeyRole.Unspecified,
    };

    private static ApiKeyInfo ToMessage(ApiKeyRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Role = ToMessage(record.Role),
        TenantId = record.TenantId?.ToString() ?? "",
        CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
        RevokedAt = record.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };
}
