using System.Text;
using Google.Protobuf;
using Urb.Api.Rest;

namespace Urb.Api.Activities;

/// <summary>
/// <c>GET /v1/activities/events[?client_id=…]</c>: the activities as Server-Sent Events, one
/// <c>activities</c> event (a ListActivitiesResponse in proto JSON) a snapshot, as WatchActivities sends them.
/// </summary>
public static class ActivityEvents
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void MapActivityEvents(this IEndpointRouteBuilder app) =>
        app.MapPortalRest().MapGet("/activities/events", StreamAsync);

    private static async Task StreamAsync(HttpContext http, ActivityScopes scopes, ActivityBoard board, string? client_id)
    {
        var cancellationToken = http.RequestAborted;
        var scope = await scopes.ResolveAsync(http.Caller(), client_id, cancellationToken);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await foreach (var snapshot in board.WatchAsync(scope, cancellationToken))
        {
            await http.Response.WriteAsync($"event: activities\ndata: {Json.Format(snapshot)}\n\n", Encoding.UTF8, cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
        }
    }
}
