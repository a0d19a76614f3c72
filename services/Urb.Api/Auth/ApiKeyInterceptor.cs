using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Urb.Api.Auth;

/// <summary>
/// Authenticates every call of the portal-facing services and leaves the caller in the call's
/// user state, where <see cref="CallerContext.Caller"/> reads it.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyAuthenticator authenticator) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        await continuation(request, responseStream, context);
    }

    private async Task AuthenticateAsync(ServerCallContext context)
    {
        var caller = await authenticator.AuthenticateAsync(context.RequestHeaders.GetValue("authorization"), context.CancellationToken);
        context.UserState[CallerContext.Key] = caller;
    }
}
