using System.Collections.Concurrent;
using Urb.Domain.Errors;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// The agents' calls open on this gateway right now, by client, so that cutting a client off
/// (credentials revoked, client deleted) ends its open streams at once instead of when they finish.
/// </summary>
public sealed class LiveAgentCalls
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<LiveAgentCall, byte>> byClient = new();

    /// <summary>Registers a call; dispose the result when the call ends.</summary>
    public LiveAgentCall Track(Guid clientId, CancellationToken callCancelled)
    {
        var call = new LiveAgentCall(this, clientId, callCancelled);
        byClient.GetOrAdd(clientId, static _ => new ConcurrentDictionary<LiveAgentCall, byte>()).TryAdd(call, 0);
        return call;
    }

    /// <summary>Ends every open call of the client; answers how many there were.</summary>
    public int CutOff(Guid clientId)
    {
        if (!byClient.TryGetValue(clientId, out var calls)) return 0;
        var count = 0;
        foreach (var call in calls.Keys)
        {
            call.CutOff();
            count++;
        }
        return count;
    }

    internal void Remove(LiveAgentCall call)
    {
        if (byClient.TryGetValue(call.ClientId, out var calls))
        {
            calls.TryRemove(call, out _);
        }
    }
}

/// <summary>One open call of an agent: <see cref="Token"/> ends when the caller goes away or the client is cut off.</summary>
public sealed class LiveAgentCall : IDisposable
{
    private readonly LiveAgentCalls owner;
    private readonly CancellationTokenSource ended;
    private volatile bool cutOff;

    internal LiveAgentCall(LiveAgentCalls owner, Guid clientId, CancellationToken callCancelled)
    {
        this.owner = owner;
        ClientId = clientId;
        ended = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
    }

    public Guid ClientId { get; }

    public CancellationToken Token => ended.Token;

    public bool IsCutOff => cutOff;

    internal void CutOff()
    {
        cutOff = true;
        try
        {
            ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended meanwhile.
        }
    }

    /// <summary>The error a call ended by a cut-off answers with, instead of a bare cancellation.</summary>
    public static UnauthenticatedException CutOffError() =>
        new("This agent was cut off while the call was open: its credentials were revoked or its client deleted; enrol the agent again.");

    public void Dispose()
    {
        owner.Remove(this);
        ended.Dispose();
    }
}
