using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Urb.Contracts.Ingest.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>Malformed BackupCatalog requests are InvalidArgument naming the field, and change nothing: the real backup they also name stays as it was.</summary>
[Collection(StackCollection.Name)]
public sealed class BackupCatalogValidationTests(StackFixture fixture) : IAsyncLifetime
{
    private UrbStack Stack => fixture.Stack;

    private BackupAgent agent = null!;
    private string backup = "";

    public async Task InitializeAsync()
    {
        agent = await BackupAgent.EnrollAsync(Stack);
        var source = Stack.NewSourceDirectory("valid");
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "a");
        backup = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("tenant_id", "not-a-uuid", null)]
    [InlineData("tenant_id", "00000000-0000-0000-0000-000000000000", null)]
    [InlineData("client_id", null, "")]
    [InlineData("client_id", null, "laptop")]
    public async Task Calls_OwnerNotAUuid_AreInvalidArgument(string field, string? tenant, string? client)
    {
        var (tenantId, clientId) = (tenant ?? agent.TenantId, client ?? agent.ClientId);
        var catalog = Stack.IngestCatalog;

        await RpcAssert.InvalidArgumentAsync(field, () => catalog.ListClientBackupsAsync(new ListClientBackupsRequest { TenantId = tenantId, ClientId = clientId }));
        await RpcAssert.InvalidArgumentAsync(field, () => catalog.SetArchiveAsync(new SetArchiveRequest
        {
            TenantId = tenantId, ClientId = clientId, BackupIds = { backup }, Archive = Manual(DateTimeOffset.UtcNow),
        }));
        await RpcAssert.InvalidArgumentAsync(field, () => catalog.DeleteBackupsAsync(new DeleteBackupsRequest
        {
            TenantId = tenantId, ClientId = clientId, BackupIds = { backup }, IncludeArchived = true,
        }));
        if (field == "tenant_id")
        {
            await RpcAssert.InvalidArgumentAsync(field, () => catalog.GetLastBackupsAsync(new GetLastBackupsRequest { TenantId = tenantId }));
        }
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task DeleteBackups_AnIdNotAUuid_IsInvalidArgumentNamingItsPosition()
    {
        await RpcAssert.InvalidArgumentAsync("backup_ids[1]", () => Stack.IngestCatalog.DeleteBackupsAsync(new DeleteBackupsRequest
        {
            TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { backup, "latest" }, IncludeArchived = true,
        }));
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task SetArchiveAndDelete_MoreThan10000Ids_AreInvalidArgument()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid().ToString()).Append(backup).ToArray();

        await RpcAssert.InvalidArgumentAsync("backup_ids", () => Stack.IngestCatalog.DeleteBackupsAsync(new DeleteBackupsRequest
        {
            TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { ids }, IncludeArchived = true,
        }));
        await RpcAssert.InvalidArgumentAsync("backup_ids", () => Stack.IngestCatalog.SetArchiveAsync(new SetArchiveRequest
        {
            TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { ids }, Archive = Manual(DateTimeOffset.UtcNow),
        }));
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task SetArchive_BadMarks_AreInvalidArgumentNamingTheField()
    {
        var now = DateTimeOffset.UtcNow;
        var endsBeforeItStarts = new ArchiveState { RuleId = "every 7d keep 7d", ArchivedAt = Timestamp.FromDateTimeOffset(now), Until = Timestamp.FromDateTimeOffset(now.AddSeconds(-1)) };
        var noStart = new ArchiveState { RuleId = "every 7d keep 7d" };
        var manualWithEnd = new ArchiveState { ArchivedAt = Timestamp.FromDateTimeOffset(now), Until = Timestamp.FromDateTimeOffset(now.AddDays(1)) };
        var blankRule = new ArchiveState { RuleId = "   ", ArchivedAt = Timestamp.FromDateTimeOffset(now) };

        await AssertSetArchiveInvalidAsync("archive.until", endsBeforeItStarts);
        await AssertSetArchiveInvalidAsync("archive.archived_at", noStart);
        await AssertSetArchiveInvalidAsync("archive.until", manualWithEnd);
        await AssertSetArchiveInvalidAsync("archive.rule_id", blankRule);
        await AssertUnchangedAsync();
    }

    private Task AssertSetArchiveInvalidAsync(string field, ArchiveState mark) =>
        RpcAssert.InvalidArgumentAsync(field, () => Stack.IngestCatalog.SetArchiveAsync(new SetArchiveRequest
        {
            TenantId = agent.TenantId, ClientId = agent.ClientId, BackupIds = { backup }, Archive = mark,
        }));

    private static ArchiveState Manual(DateTimeOffset at) => new() { ArchivedAt = Timestamp.FromDateTimeOffset(at) };

    /// <summary>The backup named in every refused call is still a snapshot, and not archived.</summary>
    private async Task AssertUnchangedAsync()
    {
        var listed = await Stack.IngestCatalog.ListClientBackupsAsync(new ListClientBackupsRequest { TenantId = agent.TenantId, ClientId = agent.ClientId });
        var only = Assert.Single(listed.Backups);
        Assert.Equal(backup, only.BackupId);
        Assert.Null(only.Archive);
    }
}
