using System.Net;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// A service whose database is missing, unmigrated or unreachable says so in one clear line
/// and is not ready; a missing connection string is one line and a configuration exit code.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DatabaseReadinessTests(StackFixture fixture)
{
    private const int ConfigurationErrorExitCode = 78;

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task UnmigratedDatabase_ServiceIsNotReady_AndBecomesReadyAfterMigrate()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ports = ServicePorts.Allocate();
        var overrides = new Dictionary<string, string?> { ["ConnectionStrings__postgres"] = database.ConnectionString };
        await using var api = await Stack.StartServiceAsync(UrbStack.Api, ports, overrides, waitUntilReady: false);

        await ServiceHealthTests.WaitForReadinessAsync(ports, HttpStatusCode.ServiceUnavailable);
        await WaitForOutputAsync(api, "Database not ready: schema 'api' is not migrated");
        AssertNoStackTrace(api.Output);

        (await Stack.RunCommandAsync(UrbStack.Api, ["migrate"], overrides)).EnsureSuccess();
        await ServiceHealthTests.WaitForReadinessAsync(ports, HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnreachableDatabase_ServiceIsNotReady_AndSaysSoInOneLine()
    {
        var closedPort = FreePort.Next();
        var ports = ServicePorts.Allocate();
        var overrides = new Dictionary<string, string?>
        {
            ["ConnectionStrings__postgres"] = $"Host=127.0.0.1;Port={closedPort};Username=urb;Password=x;Database=urb;Timeout=2",
        };
        await using var gateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports, overrides, waitUntilReady: false);

        await ServiceHealthTests.WaitForReadinessAsync(ports, HttpStatusCode.ServiceUnavailable);
        await WaitForOutputAsync(gateway, "Database not ready: PostgreSQL is unreachable");
        AssertNoStackTrace(gateway.Output);
    }

    [Fact]
    public async Task MissingConnectionString_ServiceExitsWithOneClearLine()
    {
        var overrides = new Dictionary<string, string?> { ["ConnectionStrings__postgres"] = null };
        await using var api = await Stack.StartServiceAsync(UrbStack.Api, ServicePorts.Allocate(), overrides, waitUntilReady: false);

        var exitCode = await api.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ConfigurationErrorExitCode, exitCode);
        Assert.Contains("configuration error: ConnectionStrings:postgres is not set", api.Output);
        AssertNoStackTrace(api.Output);
    }

    [Fact]
    public async Task Migrate_WithoutConnectionString_FailsWithOneClearLine()
    {
        var run = await ChildProcess.RunDotnetAsync(RepositoryPaths.Program(UrbStack.Api), ["migrate"],
            Stack.EnvironmentFor(UrbStack.Api, overrides: new Dictionary<string, string?> { ["ConnectionStrings__postgres"] = null }),
            TimeSpan.FromMinutes(1));

        Assert.Equal(ConfigurationErrorExitCode, run.ExitCode);
        Assert.Contains("ConnectionStrings:postgres is not set", run.StandardError);
        AssertNoStackTrace(run.StandardOutput + run.StandardError);
    }

    [Fact]
    public async Task Migrate_TwiceOnTheSameDatabase_IsHarmless()
    {
        var again = (await Stack.RunCommandAsync(UrbStack.Api, ["migrate"])).EnsureSuccess();

        Assert.Contains("schema api: up to date", again.StandardOutput);
    }

    private static async Task WaitForOutputAsync(ChildProcess process, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never appeared in the output of {process.Name}:\n{process.Output}");
            await Task.Delay(100);
        }
    }

    private static void AssertNoStackTrace(string output) =>
        Assert.DoesNotContain(output.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && line.Contains('('));
}
