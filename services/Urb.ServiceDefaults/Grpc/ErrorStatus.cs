using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Npgsql;
using StackExchange.Redis;
using Urb.Domain.Errors;
using RpcStatus = Google.Rpc.Status;

namespace Urb.ServiceDefaults.Grpc;

/// <summary>The mapping of expected failures to gRPC statuses (used by <see cref="ErrorMappingInterceptor"/>).</summary>
public static class ErrorStatus
{
    public static RpcException? TryMapExpected(Exception e, CancellationToken callCancelled) => e switch
    {
        InvalidInputException invalid => InvalidArgument(invalid.Field, invalid.Message),
        NotFoundException => Simple(StatusCode.NotFound, e.Message),
        AlreadyExistsException => Simple(StatusCode.AlreadyExists, e.Message),
        PermissionDeniedException => Simple(StatusCode.PermissionDenied, e.Message),
        UnauthenticatedException => Simple(StatusCode.Unauthenticated, e.Message),
        FailedPreconditionException => Simple(StatusCode.FailedPrecondition, e.Message),
        ResourceExhaustedException => Simple(StatusCode.ResourceExhausted, e.Message),
        DataLossException => Simple(StatusCode.DataLoss, e.Message),
        // A request message that does not parse (a damaged or hostile caller): the caller's fault.
        _ when FindInChain<Google.Protobuf.InvalidProtocolBufferException>(e) is { } malformed =>
            Simple(StatusCode.InvalidArgument, $"A request message is not valid protobuf: {malformed.Message}"),
        OperationCanceledException when callCancelled.IsCancellationRequested => Simple(StatusCode.Cancelled, "The call was cancelled."),
        _ when IsTransientDependencyFailure(e) => Simple(StatusCode.Unavailable, $"A dependency is unavailable, retry later: {Describe(e)}"),
        _ => null,
    };

    /// <summary>InvalidArgument with a <c>google.rpc.BadRequest</c> naming the field, for clients that read rich errors.</summary>
    public static RpcException InvalidArgument(string field, string message)
    {
        var status = new RpcStatus
        {
            Code = (int)StatusCode.InvalidArgument,
            Message = message,
            Details =
            {
                Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } } }),
            },
        };
        return status.ToRpcException();
    }

    private static RpcException Simple(StatusCode code, string message) => new(new global::Grpc.Core.Status(code, message));

    /// <summary>
    /// Failures worth a retry: a database that is unreachable or answered with a transient error
    /// (deadlock, serialization failure, shutdown), a cache that is down, a timeout. A bad query
    /// or a violated constraint is a bug, not something to retry.
    /// </summary>
    private static T? FindInChain<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }

    private static bool IsTransientDependencyFailure(Exception e) => e switch
    {
        NpgsqlException npgsql => npgsql.IsTransient,
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        _ => e.InnerException is not null && IsTransientDependencyFailure(e.InnerException),
    };

    private static string Describe(Exception e) => e switch
    {
        NpgsqlException => "the catalog database (PostgreSQL)",
        RedisException => "the cache (Redis)",
        _ when e.InnerException is not null => Describe(e.InnerException),
        _ => "a timeout",
    };
}
