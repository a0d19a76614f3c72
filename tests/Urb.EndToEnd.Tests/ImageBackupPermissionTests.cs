using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Api.V1;
using Urb.Contracts.Settings.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The gateway's permissions on image backups an agent starts itself, driven with a raw
/// BackupStart over the agent's mutual-TLS connection: allow_start_*_image_backup, the internet
/// restriction (internet_image_backups) and unknown kinds. A start the gateway lets through goes
/// on to Urb.Ingest; these tests look only at whether the gateway refused it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ImageBackupPermissionTests(StackFixture fixture)
{
    private static readonly string[] Volumes = ["/dev/urb-test-volume"];

    private UrbStack Stack => fixture.Stack;

    [Fact]
    public async Task IncrementalImageNotAllowed_AgentsOwnStartIsPermissionDenied_TheFullImageIsNot()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        await SetAsync(agent.ClientId, ("allow_start_incremental_image_backup", "false"));

        var incremental = await StartAsync(agent.RawClient(), BackupKind.ImageIncremental);
        var full = await StartAsync(agent.RawClient(), BackupKind.ImageFull);

        Assert.Equal(StatusCode.PermissionDenied, incremental?.StatusCode);
        Assert.Contains("allow_start_incremental_image_backup", incremental!.Status.Detail);
        Assert.NotEqual(StatusCode.PermissionDenied, full?.StatusCode);
    }

    [Fact]
    public async Task InternetClient_ImageBackupsAreRefused_UnlessInternetImageBackups()
    {
        var agent = await BackupAgent.EnrollAsync(Stack);
        // A second gateway for which loopback is not a local network: every agent is an internet client there.
        var ports = ServicePorts.Allocate();
        await using var internetGateway = await Stack.StartServiceAsync(UrbStack.Gateway, ports,
            new Dictionary<string, string?> { ["Gateway__LocalNetworks__0"] = "10.255.255.0/24" });
        var viaInternet = agent.RawClient(ports.AgentAddress);

        var image = await StartAsync(viaInternet, BackupKind.ImageIncremental);
        var local = await StartAsync(agent.RawClient(), BackupKind.ImageIncremental);
        var files = await StartAsync(viaInternet, BackupKind.Incremental);

        Assert.Equal(StatusCode.PermissionDenied, image?.StatusCode);
        Assert.Contains("internet_image_backups", image!.Status.Detail);
        Assert.NotEqual(StatusCode.PermissionDenied, local?.StatusCode);
        Assert.NotEqual(StatusCode.PermissionDenied, files?.StatusCode);

        await SetAsync(agent.ClientId, ("internet_image_backups", "true"));
        Assert.NotEqual(StatusCode.PermissionDenied, (await StartAsync(viaInternet, BackupKind.ImageFull))?.StatusCode);
    }

    [Theory]
    [InlineData(BackupKind.Unspecified)]
    [InlineData((BackupKind)9)]
    public async Task UnknownKind_IsInvalidArgumentNamingTheKind(BackupKind kind)
    {
        var agent = await BackupAgent.EnrollAsync(Stack);

        var error = await StartAsync(agent.RawClient(), kind);

        Assert.Equal(StatusCode.InvalidArgument, error?.StatusCode);
        var violation = Assert.Single(error!.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations);
        Assert.Equal("start.kind", violation.Field);
    }

    /// <summary>Sends a backup's start and reads the first answer: the error it ended with, or null when the backup started.</summary>
    private static async Task<RpcException?> StartAsync(Backups.BackupsClient client, BackupKind kind)
    {
        using var call = client.Run();
        try
        {
            await call.RequestStream.WriteAsync(new BackupRequest { Start = new BackupStart { Kind = kind, Paths = { Volumes } } });
            await call.ResponseStream.MoveNext();
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    private async Task SetAsync(string clientId, params (string Key, string Text)[] values) =>
        await Stack.ApiSettings.UpdateSettingsAsync(new UpdateSettingsRequest
        {
            Scope = new SettingsScope { ClientId = clientId },
            Set = { values.Select(v => new Setting { Key = v.Key, Value = new SettingValue { Text = v.Text } }) },
        }, Stack.AdminHeaders);
}
