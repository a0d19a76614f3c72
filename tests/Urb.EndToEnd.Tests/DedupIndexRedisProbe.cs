using StackExchange.Redis;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Raw Redis commands for the dedup cache tests, to flush, inspect and tamper with the stack's Redis.</summary>
internal sealed class DedupIndexRedisProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer redis;

    private DedupIndexRedisProbe(ConnectionMultiplexer redis) => this.redis = redis;

    public static async Task<DedupIndexRedisProbe> ConnectAsync(TestRedis redis) =>
        new(await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true"));

    /// <summary>Sends one command (arguments are strings or raw bytes) and returns the reply.</summary>
    public async Task<RedisResult> CommandAsync(string command, params object[] arguments) =>
        await redis.GetDatabase().ExecuteAsync(command, arguments);

    public async Task<long> IntegerAsync(string command, params object[] arguments) => (long)await CommandAsync(command, arguments);

    public ValueTask DisposeAsync() => redis.DisposeAsync();
}
