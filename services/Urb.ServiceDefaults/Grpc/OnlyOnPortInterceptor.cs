using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Urb.ServiceDefaults.Grpc;

/// <summary>
/// Serves a gRPC service only on one listening port (by the connection's local port, which a
/// caller cannot forge, unlike the Host header): internal services stay off public ports and
/// agent services off the internal ones. <c>alsoServes</c> admits other calls by their HTTP
/// request (Urb.Api: REST calls transcoded on its HTTP port).
/// </summary>
public sealed class OnlyOnPortInterceptor(int port, string endpointName, Func<HttpContext, bool> alsoServes) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Ensure(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Ensure(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.Connection.LocalPort != port && !alsoServes(http))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"{context.Method} is served only on the {endpointName} port."));
        }
    }
}

public static class OnlyOnPortExtensions
{
    /// <summary>Restricts <typeparamref name="TService"/> to one port; see <see cref="OnlyOnPortInterceptor"/>.</summary>
    public static IGrpcServerBuilder ServeOnlyOnPort<TService>(this IGrpcServerBuilder grpc, int port, string endpointName) where TService : class =>
        grpc.ServeOnlyOnPort<TService>(port, endpointName, static _ => false);

    /// <summary>Restricts <typeparamref name="TService"/> to one port and the requests <paramref name="alsoServes"/> admits.</summary>
    public static IGrpcServerBuilder ServeOnlyOnPort<TService>(this IGrpcServerBuilder grpc, int port, string endpointName, Func<HttpContext, bool> alsoServes) where TService : class =>
        grpc.AddServiceOptions<TService>(o => o.Interceptors.Add<OnlyOnPortInterceptor>(port, endpointName, alsoServes));
}
