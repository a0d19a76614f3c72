using Grpc.Core;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Assertions on failed unary calls: the status, and for InvalidArgument the one field named in the BadRequest detail.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> StatusAsync<T>(StatusCode expected, Func<AsyncUnaryCall<T>> call)
    {
        using var started = call();
        var error = await Assert.ThrowsAsync<RpcException>(() => started.ResponseAsync);
        Assert.True(expected == error.StatusCode, $"expected {expected}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static async Task InvalidArgumentAsync<T>(string field, Func<AsyncUnaryCall<T>> call)
    {
        var error = await StatusAsync(StatusCode.InvalidArgument, call);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var violation = Assert.Single(status.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal(field, violation.Field);
    }
}
