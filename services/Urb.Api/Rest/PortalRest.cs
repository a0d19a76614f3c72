using Grpc.Core;
using Urb.Api.Auth;
using Urb.Domain.Identity;
using Urb.ServiceDefaults.Grpc;

namespace Urb.Api.Rest;

/// <summary>
/// The plain REST endpoints for portals (downloads, Server-Sent Events): under <c>/v1</c> on
/// Urb.Api's HTTP port, each authenticated with an API key (<c>Authorization: Bearer …</c>), and
/// failures answered as gRPC JSON transcoding answers them (<see cref="RestErrors"/>), so a portal
/// reads one error format from every REST call.
/// </summary>
public static class PortalRest
{
    private const string CallerKey = "urb.caller";

    /// <summary>The group new portal endpoints are added to.</summary>
    public static RouteGroupBuilder MapPortalRest(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1").AddEndpointFilter(AuthenticateAsync);

    /// <summary>The authenticated caller of a portal endpoint.</summary>
    public static ApiCaller Caller(this HttpContext http) =>
        http.Items[CallerKey] as ApiCaller
        ?? throw new InvalidOperationException("The endpoint is not in the portal REST group: its caller was not authenticated.");

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            var authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
            http.Items[CallerKey] = await authenticator.AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
            return await next(context);
        }
        catch (Exception e) when (!http.Response.HasStarted && RestErrors.TryMap(e, http.RequestAborted) is { } error)
        {
            return error;
        }
    }
}

/// <summary>Failures of REST calls as gRPC JSON transcoding answers them: the HTTP status of the gRPC code, and a google.rpc.Status body.</summary>
public static class RestErrors
{
    /// <summary>The answer for an expected failure (our errors, or an upstream call's status); null for a bug, which the host logs as a 500.</summary>
    public static IResult? TryMap(Exception e, CancellationToken requestAborted)
    {
        var status = e is RpcException rpc ? rpc.Status : ErrorStatus.TryMapExpected(e, requestAborted)?.Status;
        return status is { } s ? For(s.StatusCode, s.Detail) : null;
    }

    public static IResult For(StatusCode code, string message) =>
        Results.Json(new { code = (int)code, message, details = Array.Empty<object>() }, statusCode: HttpStatus(code));

    /// <summary>google/api/http.proto's mapping of gRPC codes to HTTP statuses.</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        StatusCode.DeadlineExceeded => 504,
        _ => 500,
    };
}
