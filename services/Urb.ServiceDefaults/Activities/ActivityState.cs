using StackExchange.Redis;

namespace Urb.ServiceDefaults.Activities;

/// <summary>
/// The live state of one running backup or restore, as Urb.Ingest writes it to Redis and Urb.Api
/// reads it: a hash <c>urb:activity:&lt;id&gt;</c> with a short expiry that every update renews,
/// and its ID in the sorted set <c>urb:activities</c> scored by the last update (Unix ms), so a
/// reader skips and prunes the members whose hash expired after a crash.
/// </summary>
public sealed record ActivityState(
    Guid Id, Guid TenantId, Guid ClientId, string Kind, string CurrentPath,
    long FilesDone, long BytesDone, long FilesTotal, long BytesTotal, bool TotalsEstimated,
    long BytesPerSecond, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, bool ReportedByAgent)
{
    public const string Backup = "backup";
    public const string Restore = "restore";

    /// <summary>How long a state outlives its last update (updates come every second).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    public static RedisKey IndexKey { get; } = "urb:activities";

    public static RedisKey Key(Guid id) => $"urb:activity:{id:D}";

    public HashEntry[] ToHash() =>
    [
        new("tenant", TenantId.ToString("D")), new("client", ClientId.ToString("D")), new("kind", Kind),
        new("path", CurrentPath), new("files_done", FilesDone), new("bytes_done", BytesDone),
        new("files_total", FilesTotal), new("bytes_total", BytesTotal), new("estimated", TotalsEstimated ? 1 : 0),
        new("bps", BytesPerSecond), new("started", StartedAt.ToUnixTimeMilliseconds()),
        new("updated", UpdatedAt.ToUnixTimeMilliseconds()), new("agent", ReportedByAgent ? 1 : 0),
    ];

    /// <summary>The state in a hash; null when the hash is gone or not one of ours.</summary>
    public static ActivityState? FromHash(Guid id, HashEntry[] hash)
    {
        if (hash.Length == 0) return null;
        var fields = hash.ToDictionary(h => h.Name.ToString(), h => h.Value);
        if (!Guid.TryParse((string?)fields.GetValueOrDefault("tenant"), out var tenant) || !Guid.TryParse((string?)fields.GetValueOrDefault("client"), out var client))
        {
            return null;
        }
        long Number(string name) => fields.TryGetValue(name, out var v) && v.TryParse(out long n) ? n : 0;
        return new ActivityState(
            id, tenant, client, fields.GetValueOrDefault("kind").ToString(), fields.GetValueOrDefault("path").ToString(),
            Number("files_done"), Number("bytes_done"), Number("files_total"), Number("bytes_total"), Number("estimated") == 1,
            Number("bps"), DateTimeOffset.FromUnixTimeMilliseconds(Number("started")),
            DateTimeOffset.FromUnixTimeMilliseconds(Number("updated")), Number("agent") == 1);
    }
}
