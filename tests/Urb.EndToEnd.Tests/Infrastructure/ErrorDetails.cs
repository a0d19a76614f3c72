using Grpc.Core;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>The rich error details of a failed call.</summary>
public static class ErrorDetails
{
    /// <summary>The field of the call's single <c>BadRequest</c> field violation, or null when there is not exactly one.</summary>
    public static string? FieldOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations is { Count: 1 } violations ? violations[0].Field : null;
}
