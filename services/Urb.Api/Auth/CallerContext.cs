using Grpc.Core;
using Urb.Domain.Identity;

namespace Urb.Api.Auth;

public static class CallerContext
{
    internal const string Key = "urb.caller";

    /// <summary>The authenticated caller of a portal call (set by <see cref="ApiKeyInterceptor"/>).</summary>
    public static ApiCaller Caller(this ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var caller) && caller is ApiCaller c
            ? c
            : throw new InvalidOperationException("The call was not authenticated: ApiKeyInterceptor is not registered for this service.");
}
