using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>
/// Reads the live log stream for a scope: the newest events (XREVRANGE, page by page, until
/// enough match), and a live tail that polls XRANGE after the last id seen. A blocking XREAD
/// would hold the process's one multiplexed Redis connection for every other call, so each
/// follower polls instead (see docs/architecture.md, "Telemetry and logs"). Pages continue from
/// an exclusive bound ("(id"), which needs Redis 6.2 or later; Urb runs Redis 7. Shared by the
/// portal's log (Urb.Api) and an agent's own log (Urb.AgentGateway), so both read alike.
/// </summary>
public sealed class LiveLogReader(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>How long a new event waits, at most, before a follower reads it.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Entries per read: a whole capped stream is about 20 pages.</summary>
    private const int Page = 500;

    /// <summary>The newest <paramref name="count"/> events in the scope, up to the id <paramref name="upTo"/> ("+": the stream's end), oldest first.</summary>
    public async Task<List<LiveLogEntry>> RecentAsync(LiveLogScope scope, int count, string upTo = "+")
    {
        var db = redis.GetDatabase();
        var found = new List<LiveLogEntry>();
        RedisValue max = upTo;
        while (found.Count < count)
        {
            var entries = await db.StreamRangeAsync(LiveLog.StreamKey, "-", max, Page, Order.Descending);
            found.AddRange(Matching(scope, entries).Take(count - found.Count));
            if (entries.Length < Page) break;
            max = "(" + entries[^1].Id;
        }
        found.Reverse();
        return found;
    }

    /// <summary>
    /// The history (the newest <paramref name="history"/> matching events), or everything after
    /// <paramref name="after"/>, then each poll's new matching events (often none), until cancelled.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<LiveLogEntry>> FollowAsync(
        LiveLogScope scope, int history, StreamId? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        string cursor;
        if (after is { } resume)
        {
            cursor = resume.ToString();
        }
        else
        {
            // The stream's end now divides the history from the tail: no event is sent twice or skipped.
            var last = await db.StreamRangeAsync(LiveLog.StreamKey, "-", "+", 1, Order.Descending);
            cursor = last.Length > 0 ? last[0].Id! : StreamId.Zero.ToString();
            if (history > 0) yield return await RecentAsync(scope, history, cursor);
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = await db.StreamRangeAsync(LiveLog.StreamKey, "(" + cursor, "+", Page);
            if (entries.Length > 0) cursor = entries[^1].Id!;
            yield return Matching(scope, entries).ToList();
            // A full page means more is waiting: read on at once.
            if (entries.Length < Page) await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private static IEnumerable<LiveLogEntry> Matching(LiveLogScope scope, StreamEntry[] entries) =>
        entries.Select(LiveLogEntry.TryRead).OfType<LiveLogEntry>().Where(scope.Includes);
}
