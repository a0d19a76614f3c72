using StackExchange.Redis;
using Urb.Contracts.Api.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The live log publisher: an operation's event lands in the capped stream <c>urb:livelog</c>
/// with its tenant, level, service and message, as the reader will parse it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LiveLogPublisherTests(StackFixture fixture)
{
    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task ApiKeyCreatedAndRevoked_AreInTheStream_WithTenantLevelAndService()
    {
        var tenant = await Stack.CreateTenantAsync("livelog-" + Guid.NewGuid().ToString("N")[..8]);
        var created = await Stack.ApiKeys.CreateApiKeyAsync(
            new CreateApiKeyRequest { Name = "livelog reader", Role = ApiKeyRole.TenantReader, TenantId = tenant }, Stack.AdminHeaders);
        await Stack.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Info.Id }, Stack.AdminHeaders);

        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        var events = await EventsAboutAsync(redis, created.Info.Id, expected: 2);

        var createdEvent = Assert.Single(events, e => e["message"].Contains("created", StringComparison.Ordinal));
        Assert.Equal(tenant, createdEvent["tenant"]);
        Assert.Equal("", createdEvent["client"]);
        Assert.Equal("info", createdEvent["level"]);
        Assert.Equal("Urb.Api", createdEvent["service"]);
        Assert.InRange(long.Parse(createdEvent["time"]), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var revokedEvent = Assert.Single(events, e => e["message"].Contains("revoked", StringComparison.Ordinal));
        Assert.Equal(tenant, revokedEvent["tenant"]);
        Assert.Equal("warning", revokedEvent["level"]);
    }

    /// <summary>The stream's events whose message names <paramref name="needle"/>; waits briefly, as publishing is fire-and-forget.</summary>
    private static async Task<List<Dictionary<string, string>>> EventsAboutAsync(DedupIndexRedisProbe redis, string needle, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var entries = (RedisResult[])(await redis.CommandAsync("XRANGE", "urb:livelog", "-", "+"))!;
            var events = entries
                .Select(entry => (RedisResult[])entry!)
                .Select(entry => ((RedisResult[])entry[1]!).Select(f => (string)f!).Chunk(2).ToDictionary(p => p[0], p => p[1]))
                .Where(e => e["message"].Contains(needle, StringComparison.Ordinal))
                .ToList();
            if (events.Count >= expected || DateTime.UtcNow > deadline) return events;
            await Task.Delay(100);
        }
    }
}
