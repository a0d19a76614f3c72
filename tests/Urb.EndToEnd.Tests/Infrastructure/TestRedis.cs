using System.Security.Cryptography;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A Redis server of its own for one stack (so tests that stop or flush Redis, or count keys,
/// never disturb another stack), on a free loopback port, with a password, without persistence.
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    private ChildProcess? process;

    private TestRedis(int port, string password) => (Port, Password) = (port, password);

    public int Port { get; }

    public string Password { get; }

    /// <summary>The StackExchange.Redis configuration string for the services.</summary>
    public string Configuration => $"127.0.0.1:{Port},password={Password}";

    public static async Task<TestRedis> StartAsync()
    {
        var redis = new TestRedis(FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var server = Environment.GetEnvironmentVariable("URB_TEST_REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server";
        process = ChildProcess.Start("redis", server,
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--requirepass", Password, "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            new Dictionary<string, string?>());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!process.Output.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}:\n{process.Output}");
            }
            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        if (process is not null) await process.DisposeAsync();
        process = null;
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing is answered, as with a hung or swapping Redis.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Lets a paused server go on (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var id = process?.Id ?? throw new InvalidOperationException("redis-server is not running");
        (await ChildProcess.RunAsync("kill", [$"-{signal}", id.ToString()], new Dictionary<string, string?>(), TimeSpan.FromSeconds(10))).EnsureSuccess();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
