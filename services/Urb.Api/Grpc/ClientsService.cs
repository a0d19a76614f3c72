using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Urb.Api.Auth;
using Urb.Api.Data;
using Urb.Api.Enrollment;
using Urb.Api.Installers;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Backups;
using Urb.ServiceDefaults.Agents;
using Urb.ServiceDefaults.LiveLogging;
// The publisher; "LiveLog" alone is also the portal service (urb.api.v1.LiveLog) and its namespace here.
using LiveLogPublisher = Urb.ServiceDefaults.LiveLogging.LiveLog;
using Urb.Domain.Errors;
using Urb.Domain.Identity;
using EnrollmentToken = Urb.Contracts.Api.V1.EnrollmentToken;
using ClientRow = Urb.Api.Data.Client;
using ClientMessage = Urb.Contracts.Api.V1.Client;

namespace Urb.Api.Grpc;

/// <summary>Portal-facing client management; every call is authorised against the client's tenant.</summary>
public sealed class ClientsService(
    ApiDbContext db, ReadableClients readable, EnrollmentTokenIssuer tokens, AgentCutOffAnnouncer cutOff, AgentCommandBus commands,
    BackupPauses pauses, ClientInstallers installers, TimeProvider time, LiveLogPublisher liveLog) : Clients.ClientsBase
{
    public override async Task<CreateClientResponse> CreateClient(CreateClientRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var name = ClientName.Validate(request.Name);
        var tenantId = caller.ResolveTenant(RequestId.ParseOptional(request.TenantId, "tenant_id"), Data.Tenant.DefaultId);
        caller.EnsureCanManage(tenantId, "the tenant");
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, context.CancellationToken))
        {
            throw new NotFoundException("The tenant was not found.");
        }

        var client = new ClientRow { Id = Guid.NewGuid(), TenantId = tenantId, Name = name, CreatedAt = time.GetUtcNow() };
        db.Clients.Add(client);
        var (token, expiresAt) = tokens.Issue(client.Id, request.TokenValidFor?.ToTimeSpan(), "token_valid_for");
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new AlreadyExistsException($"A client named '{name}' exists already in this tenant.");
        }
        liveLog.Publish(LiveLogEvent.ForClient(tenantId, client.Id, LiveLogLevel.Info, $"Client {name} created"));
        return new CreateClientResponse { Client = ToMessage(client), Enrollment = ToMessage(token, expiresAt) };
    }

    public override async Task<ClientMessage> GetClient(GetClientRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.Id, "id", context);
        return ToMessage(client, await commands.IsConnectedAsync(client.Id));
    }

    public override async Task CreateInstaller(CreateInstallerRequest request, IServerStreamWriter<InstallerPart> responseStream, ServerCallContext context)
    {
        const int PartSize = 1024 * 1024;
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        var platform = request.Platform switch
        {
            Contracts.Api.V1.InstallerPlatform.Linux => Installers.InstallerPlatform.Linux,
            Contracts.Api.V1.InstallerPlatform.Windows => Installers.InstallerPlatform.Windows,
            _ => throw new InvalidInputException("platform", "Name the installer's platform: INSTALLER_PLATFORM_LINUX or INSTALLER_PLATFORM_WINDOWS."),
        };
        var (fileName, content, expiresAt) = await installers.CreateAsync(context.Caller(), client, platform, request.TokenValidFor?.ToTimeSpan(), context.CancellationToken);
        for (var offset = 0; offset < content.Length || offset == 0; offset += PartSize)
        {
            var part = new InstallerPart { Data = Google.Protobuf.ByteString.CopyFrom(content, offset, Math.Min(PartSize, content.Length - offset)) };
            if (offset == 0)
            {
                part.FileName = fileName;
                part.TokenExpiresAt = Timestamp.FromDateTimeOffset(expiresAt);
            }
            await responseStream.WriteAsync(part, context.CancellationToken);
        }
    }

    public override async Task<StartBackupResponse> StartBackup(StartBackupRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        var command = new ServerCommand
        {
            StartBackup = new StartBackupCommand { Kind = BackupKinds.Of(request.Image, request.Full) },
        };
        return new StartBackupResponse { CommandId = await commands.SendAsync(client.Id, command) };
    }

    /// <summary>An operator's pause: not subject to allow_pause, as backups the server starts are not subject to allow_*.</summary>
    public override async Task<BackupPause> PauseBackups(PauseBackupsRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        var until = await pauses.PauseAsync(client.TenantId, client.Id, client.Name, request.Duration?.ToTimeSpan(), ByOperator);
        return PauseMessage(until);
    }

    public override async Task<BackupPause> ResumeBackups(ResumeBackupsRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        await pauses.ResumeAsync(client.TenantId, client.Id, client.Name, ByOperator);
        return new BackupPause();
    }

    private const string ByOperator = "an operator";

    private static BackupPause PauseMessage(DateTimeOffset? until) =>
        until is { } at ? new BackupPause { PausedUntil = Timestamp.FromDateTimeOffset(at) } : new BackupPause();

    public override async Task<ListClientsResponse> ListClients(ListClientsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var query = db.Clients.AsNoTracking().Where(c => c.DeletedAt == null);
        if (RequestId.ParseOptional(request.TenantId, "tenant_id") is { } tenantId)
        {
            caller.EnsureCanRead(tenantId, "The tenant");
            query = query.Where(c => c.TenantId == tenantId);
        }
        else if (!caller.IsGlobalAdmin)
        {
            query = query.Where(c => c.TenantId == caller.TenantId);
        }
        var clients = await query.OrderBy(c => c.Name).ToListAsync(context.CancellationToken);
        var connected = await commands.ConnectedAmongAsync([.. clients.Select(c => c.Id)]);
        return new ListClientsResponse { Clients = { clients.Select(c => ToMessage(c, connected.Contains(c.Id))) } };
    }

    public override async Task<DeleteClientResponse> DeleteClient(DeleteClientRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.Id, "id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        client.DeletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(context.CancellationToken);
        await cutOff.AnnounceAsync(client.Id);
        liveLog.Publish(LiveLogEvent.ForClient(client.TenantId, client.Id, LiveLogLevel.Warning, $"Client {client.Name} deleted"));
        return new DeleteClientResponse();
    }

    public override async Task<ClientMessage> RevokeAgentCredentials(RevokeAgentCredentialsRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        client.CredentialsRevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(context.CancellationToken);
        await cutOff.AnnounceAsync(client.Id);
        liveLog.Publish(LiveLogEvent.ForClient(client.TenantId, client.Id, LiveLogLevel.Warning, $"Agent credentials of {client.Name} revoked; the agent is cut off"));
        return ToMessage(client);
    }

    public override async Task<EnrollmentToken> CreateEnrollmentToken(CreateEnrollmentTokenRequest request, ServerCallContext context)
    {
        var client = await readable.FindAsync(request.ClientId, "client_id", context);
        context.Caller().EnsureCanManage(client.TenantId, "the client");
        var (token, expiresAt) = tokens.Issue(client.Id, request.ValidFor?.ToTimeSpan(), "valid_for");
        await db.SaveChangesAsync(context.CancellationToken);
        return ToMessage(token, expiresAt);
    }

    private EnrollmentToken ToMessage(Domain.Identity.EnrollmentToken token, DateTimeOffset expiresAt) => new()
    {
        Token = token.ToString(),
        ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt),
        Server = tokens.ServerAddress,
    };

    private static ClientMessage ToMessage(ClientRow client, bool connected = false) => new()
    {
        Connected = connected,
        Id = client.Id.ToString(),
        TenantId = client.TenantId.ToString(),
        Name = client.Name,
        CreatedAt = Timestamp.FromDateTimeOffset(client.CreatedAt),
        EnrolledAt = client.EnrolledAt is { } enrolled ? Timestamp.FromDateTimeOffset(enrolled) : null,
        EnrolledHostname = client.EnrolledHostname ?? "",
        CredentialsRevokedAt = client.CredentialsRevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
    };
}
