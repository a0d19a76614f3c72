using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Pausing a client's backups: the agent's own pause (allow_pause) and the operator's, held
/// relays in the gateway, and pauses that end by themselves.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PauseTests(StackFixture fixture)
{
    private const int Usage = 2;
    private const int Refused = 4;

    private UrbStack Stack => fixture.Stack;

    private Clients.ClientsClient Clients => new(Stack.Channel(Stack.Ports[UrbStack.Api].GrpcAddress));

    [Fact]
    public async Task AgentPause_HoldsABackupStartedMeanwhile_UntilResumed()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("paused");
        await File.WriteAllBytesAsync(Path.Combine(source, "data.bin"), RandomNumberGenerator.GetBytes(200_000));

        (await agent.RunAsync("pause", "--for", "10m")).EnsureSuccess();
        Assert.Contains("paused until", (await agent.RunAsync("status")).EnsureSuccess().StandardOutput);

        var backup = agent.BackupAsync([source]);
        // Held, not refused: the backup neither fails nor finishes while the client is paused.
        Assert.NotSame(backup, await Task.WhenAny(backup, Task.Delay(TimeSpan.FromSeconds(4))));

        (await agent.RunAsync("resume")).EnsureSuccess();
        var summary = await backup.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(summary.GetProperty("bytes_sent").GetInt64() >= 200_000);
        Assert.Contains("not paused", (await agent.RunAsync("status")).EnsureSuccess().StandardOutput);
    }

    [Fact]
    public async Task AllowPauseOff_RefusesTheAgentsPause_ButNotTheTenantAdminsOverRest()
    {
        var tenant = await Stack.CreateTenantAsync("pause-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await Stack.CreateKeyAsync(tenant, ApiKeyRole.TenantAdmin);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        await new Contracts.Api.V1.Settings.SettingsClient(Stack.Channel(Stack.Ports[UrbStack.Api].GrpcAddress)).UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = agent.ClientId },
            Set = { new Setting { Key = "allow_pause", Value = new SettingValue { Text = "false" } } },
        }, UrbStack.KeyHeaders(key));

        var refused = await agent.RunAsync("pause");
        Assert.Equal(Refused, refused.ExitCode);
        Assert.Contains("allow_pause", refused.StandardError);
        Assert.Equal(Refused, (await agent.RunAsync("resume")).ExitCode);

        using var rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.Ports[UrbStack.Api].Http}") };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var paused = await PostAsync(rest, $"/v1/clients/{agent.ClientId}:pauseBackups", """{"duration": "300s"}""");
        Assert.InRange(paused.PausedUntil.ToDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        Assert.Contains("paused until", (await agent.RunAsync("status")).EnsureSuccess().StandardOutput);

        var resumed = await PostAsync(rest, $"/v1/clients/{agent.ClientId}:resumeBackups", "{}");
        Assert.Null(resumed.PausedUntil);
        Assert.Contains("not paused", (await agent.RunAsync("status")).EnsureSuccess().StandardOutput);
    }

    [Fact]
    public async Task InvalidDuration_IsRefused_ByTheAgentTheGatewayAndTheApi()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);

        Assert.Equal(Usage, (await agent.RunAsync("pause", "--for", "25h")).ExitCode);
        var gateway = new AgentPause.AgentPauseClient(agent.RawChannel());
        await RpcAssert.InvalidArgumentAsync("duration",
            () => gateway.PauseAsync(new PauseRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)) }));
        await RpcAssert.InvalidArgumentAsync("duration", () => Clients.PauseBackupsAsync(
            new PauseBackupsRequest { ClientId = agent.ClientId, Duration = Duration.FromTimeSpan(TimeSpan.FromHours(25)) }, Stack.AdminHeaders));
        Assert.Null((await gateway.GetPauseAsync(new GetPauseRequest())).PausedUntil);
    }

    [Fact]
    public async Task Pause_EndsByItself()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var gateway = new AgentPause.AgentPauseClient(agent.RawChannel());

        var paused = await gateway.PauseAsync(new PauseRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });
        Assert.NotNull(paused.PausedUntil);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Null((await gateway.GetPauseAsync(new GetPauseRequest())).PausedUntil);
        await agent.BackupAsync([Stack.NewSourceDirectory("after-pause")]);
    }

    private static async Task<BackupPause> PostAsync(HttpClient rest, string path, string json)
    {
        using var response = await rest.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonParser.Default.Parse<BackupPause>(body);
    }
}
