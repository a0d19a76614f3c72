using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Urb.ServiceDefaults.Grpc;

/// <summary>
/// The one place where exceptions become gRPC statuses, for every call of every service.
/// Expected failures keep their message; anything else is logged with its stack trace and
/// answered with a generic message (the details stay in the server log outside Development).
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, IHostEnvironment environment) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        if (ErrorStatus.TryMapExpected(e, context.CancellationToken) is { } expected)
        {
            if (expected.StatusCode == StatusCode.Unavailable) LogUnavailable(logger, context.Method, expected.Status.Detail);
            return expected;
        }
        LogUnexpected(logger, e, context.Method);
        var detail = environment.IsDevelopment()
            ? e.Message
            : $"Internal error; see the {environment.ApplicationName} log (trace {System.Diagnostics.Activity.Current?.TraceId.ToString() ?? "none"}).";
        return new RpcException(new Status(StatusCode.Internal, detail));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: dependency unavailable: {Detail}")]
    private static partial void LogUnavailable(ILogger logger, string method, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method}: unexpected failure")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
