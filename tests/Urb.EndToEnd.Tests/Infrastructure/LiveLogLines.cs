namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Live log lines written straight into the stack's stream, as a service would publish them (empty tenant or client: none).</summary>
internal static class LiveLogLines
{
    public static async Task AddAsync(UrbStack stack, string tenant, string client, string level, string message)
    {
        await using var redis = await DedupIndexRedisProbe.ConnectAsync(stack.Redis);
        await redis.CommandAsync("XADD", "urb:livelog", "*", "tenant", tenant, "client", client, "level", level,
            "service", "test", "time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "message", message);
    }
}
