using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// A full disk is a clear ResourceExhausted and loses nothing already stored. The pack directory
/// is a small tmpfs of the test's own (mounting needs root, as './urb test' runs in CI).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class StorageDiskFullTests(StackFixture fixture)
{
    [Fact]
    public async Task Write_WhenThePackDiskIsFull_IsResourceExhaustedAndEarlierChunksStillRead()
    {
        var stack = fixture.Stack;
        var directory = Path.Combine(stack.Directory, "small-disk-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(directory);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", directory);
        try
        {
            var ports = ServicePorts.Allocate();
            await using var storage = await stack.StartServiceAsync(UrbStack.Storage, ports,
                new Dictionary<string, string?> { ["Storage__Directory"] = directory });
            var calls = new StorageCalls(new Storage.StorageClient(stack.Channel(ports.GrpcAddress)));
            var tenant = Guid.NewGuid();
            var key = await calls.IdKeyAsync(tenant);
            var first = RandomNumberGenerator.GetBytes(1_000_000);
            var firstLocation = await calls.WriteAsync(tenant, [(ChunkId.Compute(key, first), first)]);

            var tooMuch = Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetBytes(1_000_000)).Select(d => (ChunkId.Compute(key, d), d)).ToList();
            var e = await Assert.ThrowsAsync<RpcException>(() => calls.WriteAsync(tenant, tooMuch));

            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Contains("full", e.Status.Detail);
            Assert.Equal(first, (await calls.ReadAsync(tenant, firstLocation)).Single().Data);
        }
        finally
        {
            await RunAsync("umount", "-l", directory);
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
    }
}
