using Grpc.Core;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.Contracts.Snapshots;

/// <summary>
/// Whose snapshots an internal call to Urb.Ingest is about: a tenant and one of its clients,
/// carried in two request headers by the caller that authenticated them (the gateway for an
/// agent, the API for a portal), so an agent's own messages are forwarded without rewriting.
/// </summary>
public readonly record struct SnapshotOwner(Guid TenantId, Guid ClientId)
{
    public const string TenantHeader = "urb-tenant-id";
    public const string ClientHeader = "urb-client-id";

    public Metadata ToHeaders() => new() { { TenantHeader, TenantId.ToString() }, { ClientHeader, ClientId.ToString() } };

    /// <summary>The owner named by a call's headers; <see cref="InvalidInputException"/> when one is missing or malformed.</summary>
    public static SnapshotOwner FromHeaders(Metadata headers) =>
        new(RequestId.Parse(headers.GetValue(TenantHeader), TenantHeader), RequestId.Parse(headers.GetValue(ClientHeader), ClientHeader));
}
