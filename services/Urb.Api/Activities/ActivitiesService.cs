using Grpc.Core;
using Urb.Api.Auth;
using Urb.Contracts.Api.V1;

namespace Urb.Api.Activities;

/// <summary>Running backups and restores and queued jobs for portals (see activities.proto).</summary>
public sealed class ActivitiesService(ActivityScopes scopes, ActivityBoard board) : Contracts.Api.V1.Activities.ActivitiesBase
{
    public override async Task<ListActivitiesResponse> ListActivities(ListActivitiesRequest request, ServerCallContext context)
    {
        var scope = await scopes.ResolveAsync(context.Caller(), request.ClientId, context.CancellationToken);
        return await board.ListAsync(scope, context.CancellationToken);
    }

    public override async Task WatchActivities(ListActivitiesRequest request, IServerStreamWriter<ListActivitiesResponse> responseStream, ServerCallContext context)
    {
        var scope = await scopes.ResolveAsync(context.Caller(), request.ClientId, context.CancellationToken);
        await foreach (var snapshot in board.WatchAsync(scope, context.CancellationToken))
        {
            await responseStream.WriteAsync(snapshot, context.CancellationToken);
        }
    }
}
