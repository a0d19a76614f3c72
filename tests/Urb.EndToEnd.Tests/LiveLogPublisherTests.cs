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
        var events = await EventsAsync(redis, e => e["message"].Contains(created.Info.Id, StringComparison.Ordinal), expected: 2);

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

    [Fact]
    public async Task AgentEnrolled_IsInTheStream_WithTenantAndClient()
    {
        var tenant = await Stack.CreateTenantAsync("livelog-enrol-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);

        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        var events = await EventsAsync(redis, e => e["client"] == agent.ClientId && e["message"].Contains("enrolled", StringComparison.Ordinal), expected: 1);

        var enrolled = Assert.Single(events);
        Assert.Equal(tenant, enrolled["tenant"]);
        Assert.Equal("info", enrolled["level"]);
        Assert.Equal("Urb.AgentGateway", enrolled["service"]);
    }

    [Fact]
    public async Task ClientCreatedAndDeleted_AreInTheStream_WithTenantAndClient()
    {
        var tenant = await Stack.CreateTenantAsync("livelog-client-" + Guid.NewGuid().ToString("N")[..8]);
        var created = await Stack.ApiClients.CreateClientAsync(new CreateClientRequest { Name = "livelog-pc", TenantId = tenant }, Stack.AdminHeaders);
        await Stack.ApiClients.DeleteClientAsync(new DeleteClientRequest { Id = created.Client.Id }, Stack.AdminHeaders);

        await using var redis = await DedupIndexRedisProbe.ConnectAsync(Stack.Redis);
        var events = await EventsAsync(redis, e => e["client"] == created.Client.Id, expected: 2);

        Assert.All(events, e => Assert.Equal(tenant, e["tenant"]));
        Assert.Equal("info", Assert.Single(events, e => e["message"] == "Client livelog-pc created")["level"]);
        Assert.Equal("warning", Assert.Single(events, e => e["message"] == "Client livelog-pc deleted")["level"]);
    }

    [Fact]
    public async Task RedisDown_ApiKeyCreationStillSucceeds_Quickly()
    {
        var tenant = await Stack.CreateTenantAsync("livelog-down-" + Guid.NewGuid().ToString("N")[..8]);
        await Stack.Redis.StopAsync();
        try
        {
            var timer = System.Diagnostics.Stopwatch.StartNew();
            var created = await Stack.ApiKeys.CreateApiKeyAsync(
                new CreateApiKeyRequest { Name = "while redis is down", Role = ApiKeyRole.TenantReader, TenantId = tenant }, Stack.AdminHeaders);
            var revoked = await Stack.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Info.Id }, Stack.AdminHeaders);

            Assert.False(string.IsNullOrEmpty(created.Key));
            Assert.NotNull(revoked.RevokedAt);
            // Publishing is fire-and-forget: the calls do not wait for Redis' timeouts.
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(4), $"calls without Redis took {timer.Elapsed}");
        }
        finally
        {
            await Stack.Redis.StartAgainAsync();
        }
    }

    /// <summary>The stream's events that match; waits briefly, as publishing is fire-and-forget.</summary>
    private static async Task<List<Dictionary<string, string>>> EventsAsync(DedupIndexRedisProbe redis, Func<Dictionary<string, string>, bool> match, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var entries = (RedisResult[])(await redis.CommandAsync("XRANGE", "urb:livelog", "-", "+"))!;
            var events = entries
                .Select(entry => (RedisResult[])entry!)
                .Select(entry => ((RedisResult[])entry[1]!).Select(f => (string)f!).Chunk(2).ToDictionary(p => p[0], p => p[1]))
                .Where(match)
                .ToList();
            if (events.Count >= expected || DateTime.UtcNow > deadline) return events;
            await Task.Delay(100);
        }
    }
}
