using System.Text.Json;
using Grpc.Core;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Settings through the API with UrBackup's precedence, and the client permissions and internet
/// restrictions among them enforced by the server on the agent's own calls.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ClientSettingsTests(StackFixture fixture)
{
    private const int Refused = 4;

    private UrbStack Stack => fixture.Stack;

    private Contracts.Api.V1.Settings.SettingsClient Settings => new(Stack.Channel(Stack.Ports[UrbStack.Api].GrpcAddress));

    [Fact]
    public async Task Effective_ClientOverridesTenantOverridesGlobal_AndClearingInheritsAgain()
    {
        var tenant = await Stack.CreateTenantAsync("settings-" + Guid.NewGuid().ToString("N")[..8]);
        var client = (await Stack.CreateClientAsync("precedence", tenantId: tenant)).Client.Id;
        await SetAsync(new SettingsScope { TenantId = tenant }, ("bandwidth_limit", "30"), ("allow_restore", "false"));
        await SetAsync(new SettingsScope { ClientId = client }, ("bandwidth_limit", "40"));
        await SetListAsync(new SettingsScope { TenantId = tenant }, "exclude", ["*.tmp"], merge: false);
        await SetListAsync(new SettingsScope { ClientId = client }, "exclude", ["/cache"], merge: true);

        var effective = await EffectiveAsync(client);

        Assert.Equal(("40", SettingSource.Client), (effective["bandwidth_limit"].Value.Text, effective["bandwidth_limit"].Source));
        Assert.Equal(("false", SettingSource.Tenant), (effective["allow_restore"].Value.Text, effective["allow_restore"].Source));
        Assert.Equal(("true", SettingSource.Default), (effective["allow_change_paths"].Value.Text, effective["allow_change_paths"].Source));
        Assert.Equal(["*.tmp", "/cache"], effective["exclude"].Value.Items);

        await Settings.UpdateSettingsAsync(new UpdateSettingsRequest { Scope = new SettingsScope { ClientId = client }, Clear = { "bandwidth_limit" } }, Stack.AdminHeaders);
        Assert.Equal("30", (await EffectiveAsync(client))["bandwidth_limit"].Value.Text);
    }

    [Fact]
    public async Task Update_OneInvalidValue_ChangesNothing()
    {
        var client = (await Stack.CreateClientAsync("invalid-" + Guid.NewGuid().ToString("N")[..6])).Client.Id;
        var scope = new SettingsScope { ClientId = client };

        var error = await Assert.ThrowsAsync<RpcException>(() => SetAsync(scope, ("allow_restore", "false"), ("bandwidth_limit", "10;5@8-19/1-5")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("bandwidth_limit", error.Status.Detail);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => SetAsync(scope, ("allow_everything", "true")));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        var globalOnly = await Assert.ThrowsAsync<RpcException>(() => SetAsync(scope, ("global_bandwidth_limit", "10")));
        Assert.Equal(StatusCode.InvalidArgument, globalOnly.StatusCode);

        var layer = await Settings.GetSettingsAsync(new GetSettingsRequest { Scope = scope }, Stack.AdminHeaders);
        Assert.Empty(layer.Settings);
    }

    [Fact]
    public async Task TenantKeys_CannotChangeTheGlobalLayer_NorAnotherTenantsClients()
    {
        var tenantA = await Stack.CreateTenantAsync("settings-a-" + Guid.NewGuid().ToString("N")[..6]);
        var tenantB = await Stack.CreateTenantAsync("settings-b-" + Guid.NewGuid().ToString("N")[..6]);
        var adminA = UrbStack.KeyHeaders(await Stack.CreateKeyAsync(tenantA, ApiKeyRole.TenantAdmin));
        var clientB = (await Stack.CreateClientAsync("victim", tenantId: tenantB)).Client.Id;

        var global = await Assert.ThrowsAsync<RpcException>(() => Settings.UpdateSettingsAsync(Update(new SettingsScope { Global = true }, ("global_bandwidth_limit", "1")), adminA).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, global.StatusCode);
        var foreign = await Assert.ThrowsAsync<RpcException>(() => Settings.UpdateSettingsAsync(Update(new SettingsScope { ClientId = clientB }, ("allow_restore", "false")), adminA).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        var read = await Assert.ThrowsAsync<RpcException>(() => Settings.GetEffectiveSettingsAsync(new GetEffectiveSettingsRequest { ClientId = clientB }, adminA).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, read.StatusCode);
        Assert.Equal("true", (await EffectiveAsync(clientB))["allow_restore"].Value.Text);
    }

    [Fact]
    public async Task AllowedIncrementalButNotFull_FullIsRefusedByTheServer()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("perm-full");
        await SetAsync(new SettingsScope { ClientId = agent.ClientId }, ("allow_start_full_file_backup", "false"));

        await agent.BackupAsync([source]);
        var full = await agent.RunAsync("backup", "--full", "--path", source);

        Assert.Equal(Refused, full.ExitCode);
        Assert.Contains("allow_start_full_file_backup", full.StandardError);
    }

    [Fact]
    public async Task RestoreNotAllowed_BrowseAndRestoreAreRefused()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("perm-restore");
        await agent.BackupAsync([source]);
        await SetAsync(new SettingsScope { ClientId = agent.ClientId }, ("allow_restore", "false"));

        var ls = await agent.RunAsync("ls", "--backup", "latest");
        var restore = await agent.RestoreAsync("latest", Path.GetFileName(source), Path.Combine(Stack.Directory, "denied-" + Guid.NewGuid().ToString("N")[..6]));

        Assert.Equal(Refused, ls.ExitCode);
        Assert.Equal(Refused, restore.ExitCode);
        Assert.Contains("allow_restore", restore.StandardError);
    }

    [Fact]
    public async Task ConfiguredPathsAndExcludes_AreTheAgentsDefault_OtherPathsNeedAllowChangePaths()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("configured");
        await File.WriteAllTextAsync(Path.Combine(source, "scratch.tmp"), "left out");
        var scope = new SettingsScope { ClientId = agent.ClientId };
        await SetAsync(scope, ("allow_change_paths", "false"));
        await SetListAsync(scope, "backup_paths", [source], merge: false);
        await SetListAsync(scope, "exclude", ["*.tmp"], merge: false);

        var run = await agent.RunAsync("backup", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("files_new").GetInt64());
        var listed = await agent.RunAsync("ls", "--backup", "latest", Path.GetFileName(source));
        Assert.Contains("kept.txt", listed.StandardOutput);
        Assert.DoesNotContain("scratch.tmp", listed.StandardOutput);

        var other = await agent.RunAsync("backup", "--path", NewSource("elsewhere"));
        Assert.Equal(Refused, other.ExitCode);
        Assert.Contains("allow_change_paths", other.StandardError);
    }

    [Fact]
    public async Task InternetClient_FullBackupIsRefused_UnlessAllowed()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("internet");
        // A second gateway for which loopback is not a local network: every agent is an internet client there.
        var ports = ServicePorts.Allocate();
        await using var internetGateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports,
            new Dictionary<string, string?> { ["Gateway__LocalNetworks__0"] = "10.255.255.0/24" });
        var viaInternet = agent.ThroughGateway(ports.AgentAddress);

        var refused = await viaInternet.RunAsync("backup", "--full", "--path", source);
        Assert.Equal(Refused, refused.ExitCode);
        Assert.Contains("internet", refused.StandardError);
        await viaInternet.BackupAsync([source]);

        await SetAsync(new SettingsScope { ClientId = agent.ClientId }, ("internet_full_file_backups", "true"));
        await viaInternet.BackupAsync([source], full: true);
    }

    [Fact]
    public async Task BandwidthLimit_SlowsTheClientsUploadToTheLimit()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        var source = NewSource("throttled");
        var data = new byte[3_000_000];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(source, "random.bin"), data);
        await SetAsync(new SettingsScope { ClientId = agent.ClientId }, ("bandwidth_limit", "8"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await agent.BackupAsync([source]);

        // 8 Mbit/s is 1 MB/s: 3 MB of incompressible data can not pass in less than about 2.7 s
        // (a quarter of a second's worth, at least 256 KiB, may go at once). A lower bound only.
        Assert.True(summary.GetProperty("bytes_sent").GetInt64() >= data.Length);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"the upload took {clock.Elapsed.TotalSeconds:0.00} s");
    }

    private string NewSource(string name)
    {
        var source = Directory.CreateDirectory(Path.Combine(Stack.Directory, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)], name)).FullName;
        File.WriteAllText(Path.Combine(source, "kept.txt"), "kept");
        return source;
    }

    private async Task<Dictionary<string, EffectiveSetting>> EffectiveAsync(string clientId) =>
        (await Settings.GetEffectiveSettingsAsync(new GetEffectiveSettingsRequest { ClientId = clientId }, Stack.AdminHeaders)).Settings.ToDictionary(s => s.Key);

    private async Task SetAsync(SettingsScope scope, params (string Key, string Text)[] values) =>
        await Settings.UpdateSettingsAsync(Update(scope, values), Stack.AdminHeaders);

    private async Task SetListAsync(SettingsScope scope, string key, string[] items, bool merge) =>
        await Settings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = scope,
            Set = { new Setting { Key = key, Value = new SettingValue { Items = { items }, Merge = merge } } },
        }, Stack.AdminHeaders);

    private static UpdateSettingsRequest Update(SettingsScope scope, params (string Key, string Text)[] values) => new()
    {
        Scope = scope,
        Set = { values.Select(v => new Setting { Key = v.Key, Value = new SettingValue { Text = v.Text } }) },
    };
}
