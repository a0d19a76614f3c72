using System.Text;
using Google.Protobuf;
using Urb.Api.Rest;
using Urb.Contracts.Api.V1;
using Urb.Domain.Errors;
using Urb.ServiceDefaults.LiveLogging;
using LogLevel = Urb.Contracts.Api.V1.LogLevel;

namespace Urb.Api.LiveLog;

/// <summary>
/// <c>GET /v1/log/events[?tenantId=&amp;clientId=&amp;minLevel=&amp;history=]</c>: Follow as Server-Sent
/// Events, one <c>log</c> event (a LogEvent in proto JSON) an event, its <c>id:</c> the stream id,
/// so a reconnecting client's <c>Last-Event-ID</c> resumes right after it.
/// </summary>
public static class LogEvents
{
    /// <summary>A comment this often while nothing matches, so proxies keep the connection and a gone client is noticed.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void MapLogEvents(this IEndpointRouteBuilder app) =>
        app.MapPortalRest().MapGet("/log/events", StreamAsync);

    private static async Task StreamAsync(
        HttpContext http, LogRequests requests, LiveLogReader reader, TimeProvider time,
        string? tenantId, string? clientId, string? minLevel, string? history)
    {
        var cancellationToken = http.RequestAborted;
        var request = new FollowLogRequest
        {
            Filter = new LogFilter { TenantId = tenantId ?? "", ClientId = clientId ?? "", MinLevel = Level(minLevel) },
            History = Count(history),
            AfterId = http.Request.Headers["Last-Event-ID"].ToString(),
        };
        var (scope, historyCount, after) = await requests.ResolveAsync(http.Caller(), request, cancellationToken);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        // Headers now: the client sees the stream open even while nothing matches.
        await http.Response.Body.FlushAsync(cancellationToken);
        var lastWrite = time.GetUtcNow();
        try
        {
            await foreach (var batch in reader.FollowAsync(scope, historyCount, after, cancellationToken))
            {
                var text = new StringBuilder();
                foreach (var e in batch) text.Append($"id: {e.Id}\nevent: log\ndata: {Json.Format(LogEventMessages.ToMessage(e))}\n\n");
                if (text.Length == 0 && time.GetUtcNow() - lastWrite >= KeepAlive) text.Append(": keep-alive\n\n");
                if (text.Length == 0) continue;
                await http.Response.WriteAsync(text.ToString(), Encoding.UTF8, cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                lastWrite = time.GetUtcNow();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the way every follow ends.
        }
    }

    /// <summary>A level as transcoding takes enums (<c>LOG_LEVEL_WARNING</c>, or its number), or just its name (<c>warning</c>).</summary>
    private static LogLevel Level(string? text)
    {
        if (string.IsNullOrEmpty(text)) return LogLevel.Unspecified;
        var name = text.StartsWith("LOG_LEVEL_", StringComparison.OrdinalIgnoreCase) ? text["LOG_LEVEL_".Length..] : text;
        return Enum.TryParse<LogLevel>(name, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new InvalidInputException("minLevel", $"minLevel '{text}' is not a level: debug, info, warning or error.");
    }

    private static int Count(string? text) =>
        string.IsNullOrEmpty(text) ? 0
        : int.TryParse(text, out var n) ? n
        : throw new InvalidInputException("history", $"history '{text}' is not a number (0–{LogRequests.MaxEvents}).");
}
