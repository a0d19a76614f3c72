using System.Text.Json;
using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The agent's <c>log</c> command (AgentLog.Follow on the gateway): an agent reads its own client's
/// live log lines only (not another client's of its tenant, not the tenant's or the installation's),
/// only while allow_view_log holds, and <c>--follow</c> prints lines published after it started.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AgentLogTests(StackFixture fixture)
{
    private const int Refused = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task Log_ShowsTheClientsOwnBackupLines_NotAnotherClientsOfItsTenant_NorTenantOrInstallationLines()
    {
        var tenant = await Stack.CreateTenantAsync("agent-log-" + Guid.NewGuid().ToString("N")[..8]);
        var agent = await BackupAgent.EnrollAsync(Stack, tenant);
        var neighbour = await BackupAgent.EnrollAsync(Stack, tenant);
        var tenantLine = "tenant line " + Guid.NewGuid();
        var installationLine = "installation line " + Guid.NewGuid();
        await LiveLogLines.AddAsync(Stack, tenant, "", "info", tenantLine);
        await LiveLogLines.AddAsync(Stack, "", "", "info", installationLine);

        var backups = await Task.WhenAll(
            agent.BackupAsync([AgentDaemons.NewSource(Stack, "agent-log")]),
            neighbour.BackupAsync([AgentDaemons.NewSource(Stack, "agent-log-other")]));
        var own = backups[0].GetProperty("backup_id").GetString();
        var other = backups[1].GetProperty("backup_id").GetString();
        // The neighbour's lines are in the live log (the portal sees them), so their absence below is the filter's doing.
        await WaitForAsync(neighbour, $"Backup {other} completed");

        var lines = await WaitForAsync(agent, $"Backup {own} completed");
        Assert.Contains(lines, l => l.GetProperty("message").GetString() == $"Backup {own} started (incremental, 1 path)"
            && l.GetProperty("service").GetString() == "Urb.Ingest" && l.GetProperty("level").GetString() == "info");
        var messages = lines.Select(l => l.GetProperty("message").GetString()!).ToList();
        Assert.DoesNotContain(messages, m => m.Contains(other!, StringComparison.Ordinal));
        Assert.DoesNotContain(tenantLine, messages);
        Assert.DoesNotContain(installationLine, messages);

        var text = (await agent.RunAsync("log")).EnsureSuccess().StandardOutput;
        Assert.Matches($@"(?m)^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ info Urb\.Ingest: Backup {own} started \(incremental, 1 path\)$", text);
        var errors = (await agent.RunAsync("log", "--level", "error", "--json")).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain($"Backup {own}", errors);
    }

    [Fact]
    public async Task ViewLogOff_IsRefusedWithTheRefusalExitCode_NamingTheSetting()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = agent.ClientId },
            Set = { new Setting { Key = "allow_view_log", Value = new SettingValue { Text = "false" } } },
        }, Stack.AdminHeaders);

        foreach (var arguments in new[] { new[] { "log" }, ["log", "--follow"] })
        {
            var run = await agent.RunAsync(arguments);
            Assert.Equal(Refused, run.ExitCode);
            Assert.Contains("allow_view_log", run.StandardError);
            Assert.Equal("", run.StandardOutput);
        }
    }

    [Fact]
    public async Task Follow_PrintsTheLinesOfABackupStartedAfterIt()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await using var follow = AgentProgram.Start("agent log --follow", ["--state-dir", agent.StateDirectory, "log", "--follow"], new Dictionary<string, string?>());
        // The history (the client's enrolment) is printed once the call is open; from then on the tail is read.
        await WaitUntilAsync(follow, " enrolled from ");

        var summary = await agent.BackupAsync([AgentDaemons.NewSource(Stack, "agent-log-follow")]);
        var backupId = summary.GetProperty("backup_id").GetString();

        await WaitUntilAsync(follow, $"Urb.Ingest: Backup {backupId} completed: ");
        Assert.Contains($"Urb.Ingest: Backup {backupId} started ", follow.Output);
    }

    [Theory]
    [InlineData(1001, AgentLogLevel.Info, "history")]
    [InlineData(-1, AgentLogLevel.Info, "history")]
    [InlineData(10, (AgentLogLevel)9, "min_level")]
    public async Task BadRequest_IsInvalidArgumentNamingTheField(int history, AgentLogLevel level, string field)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        using var call = new AgentLog.AgentLogClient(agent.RawChannel()).Follow(new FollowAgentLogRequest { History = history, MinLevel = level });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal((StatusCode.InvalidArgument, field), (error.StatusCode, ErrorDetails.FieldOf(error)));
    }

    private static Task WaitUntilAsync(ChildProcess follow, string text) =>
        AgentDaemons.WaitUntilAsync(() => Task.FromResult(follow.Output.Contains(text, StringComparison.Ordinal)), follow, $"log --follow printed '{text}'");

    /// <summary>The agent's <c>log --json</c> lines once one contains <paramref name="text"/> (publishing is fire-and-forget).</summary>
    private static async Task<List<JsonElement>> WaitForAsync(BackupAgent agent, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var output = (await agent.RunAsync("log", "--json", "--history", "1000", "--level", "debug")).EnsureSuccess().StandardOutput;
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            if (lines.Any(l => l.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal))) return lines;
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for '{text}' in the agent's log:\n{output}");
            await Task.Delay(200);
        }
    }
}
