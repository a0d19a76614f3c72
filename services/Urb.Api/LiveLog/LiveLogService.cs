using Grpc.Core;
using Urb.Api.Auth;
using Urb.Contracts.Api.V1;
using Urb.ServiceDefaults.LiveLogging;

namespace Urb.Api.LiveLog;

/// <summary>The live log for operators and portals (see live_log.proto).</summary>
public sealed class LiveLogService(LogRequests requests, LiveLogReader reader) : Contracts.Api.V1.LiveLog.LiveLogBase
{
    public override async Task<ListRecentLogResponse> ListRecent(ListRecentLogRequest request, ServerCallContext context)
    {
        var (scope, limit) = await requests.ResolveAsync(context.Caller(), request, context.CancellationToken);
        return new ListRecentLogResponse { Events = { (await reader.RecentAsync(scope, limit)).Select(LogEventMessages.ToMessage) } };
    }

    public override async Task Follow(FollowLogRequest request, IServerStreamWriter<LogEvent> responseStream, ServerCallContext context)
    {
        var (scope, history, after) = await requests.ResolveAsync(context.Caller(), request, context.CancellationToken);
        await foreach (var batch in reader.FollowAsync(scope, history, after, context.CancellationToken))
        {
            foreach (var e in batch) await responseStream.WriteAsync(LogEventMessages.ToMessage(e), context.CancellationToken);
        }
    }
}
