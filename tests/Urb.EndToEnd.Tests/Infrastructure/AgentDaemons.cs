using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>The agent daemon (<c>agent run</c>) and the client settings tests give it.</summary>
public static class AgentDaemons
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    /// <summary>Starts <c>agent run</c> for the agent; the test disposes it (and so stops it).</summary>
    public static ChildProcess Start(BackupAgent agent) =>
        AgentProgram.Start("agent run", ["--state-dir", agent.StateDirectory, "run", "--max-backoff", "2"], new Dictionary<string, string?>());

    /// <summary>Whether the client's agent holds a control stream, as the API reports it.</summary>
    public static async Task<bool> ConnectedAsync(UrbStack stack, string clientId) =>
        (await stack.ApiClients.GetClientAsync(new GetClientRequest { Id = clientId }, stack.AdminHeaders)).Connected;

    /// <summary>Sets the client's backup path and further text settings through the API.</summary>
    public static async Task ConfigureAsync(UrbStack stack, string clientId, string path, params (string Key, string Text)[] values)
    {
        var request = new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = clientId },
            Set = { new Setting { Key = "backup_paths", Value = new SettingValue { Items = { path } } } },
        };
        request.Set.AddRange(values.Select(v => new Setting { Key = v.Key, Value = new SettingValue { Text = v.Text } }));
        await stack.ApiSettings.UpdateSettingsAsync(request, stack.AdminHeaders);
    }

    /// <summary>A new folder with one small file, to back up.</summary>
    public static string NewSource(UrbStack stack, string name)
    {
        var source = Directory.CreateDirectory(Path.Combine(stack.Directory, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)], name)).FullName;
        File.WriteAllText(Path.Combine(source, "file.txt"), name);
        return source;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with the daemon's output when it does not in time or the daemon exits.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, ChildProcess daemon, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}; the daemon said:\n{daemon.Output}");
            Assert.False(daemon.HasExited, $"the daemon exited while waiting until {what}:\n{daemon.Output}");
            await Task.Delay(200);
        }
    }
}
