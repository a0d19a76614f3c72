using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// One trace per backup: the trace context goes along every gRPC call a backup makes (agent →
/// gateway → ingest → index and storage, storage → index), so an operator's collector shows it
/// whole. The four services run here as processes of this test, exporting to a loopback collector.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TraceTests(StackFixture fixture)
{
    private static readonly string[] Traced = [UrbStack.Gateway, "Urb.Ingest", UrbStack.DedupIndex, UrbStack.Storage];

    [Fact]
    public async Task Backup_ThroughGatewayIngestIndexAndStorage_IsOneTrace()
    {
        var stack = fixture.Stack;
        await using var collector = new OtlpCollector();
        var ports = Traced.ToDictionary(s => s, _ => ServicePorts.Allocate());
        // Each service talks to the others of this test, so every hop of the backup exports here.
        var upstreams = new Dictionary<string, string?>(collector.Environment)
        {
            ["Upstreams__Ingest"] = ports["Urb.Ingest"].GrpcAddress.ToString(),
            ["Upstreams__DedupIndex"] = ports[UrbStack.DedupIndex].GrpcAddress.ToString(),
            ["Upstreams__Storage"] = ports[UrbStack.Storage].GrpcAddress.ToString(),
            // Packs of their own: the stack's storage keeps writing to its folder meanwhile.
            ["Storage__Directory"] = Path.Combine(stack.Directory, "traced-packs"),
        };
        var processes = new List<ChildProcess>();
        try
        {
            foreach (var service in Traced)
            {
                processes.Add(await stack.StartServiceAsync(service, ports[service], upstreams));
            }
            // A tenant of its own: nothing it backs up is stored yet, so ingest uploads to storage.
            var agent = (await BackupAgent.EnrollAsync(stack, await stack.CreateTenantAsync("traced-" + Guid.NewGuid().ToString("N")[..8])))
                .ThroughGateway(ports[UrbStack.Gateway].AgentAddress);
            var source = stack.NewSourceDirectory("traced");
            await File.WriteAllTextAsync(Path.Combine(source, "file.txt"), "traced " + Guid.NewGuid());
            var backupId = (await agent.BackupAsync([source])).GetProperty("backup_id").GetString();

            var trace = await WaitForTraceAsync(collector, backupId!);

            var backup = Assert.Single(trace, s => s.Service == "Urb.Ingest" && s.Name == "backup");
            Assert.Equal("completed", backup.Attributes.GetValueOrDefault("urb.backup.outcome"));
            Assert.Equal(agent.ClientId, backup.Attributes.GetValueOrDefault("urb.client.id"));
            Assert.All(Traced, service => Assert.Contains(trace, s => s.Service == service));
            var ids = trace.Select(s => s.SpanId).ToHashSet();
            Assert.Single(trace, s => !ids.Contains(s.ParentSpanId));
            // What the index and storage did for the backup hangs below its span, storage's
            // writes (which outlive the agent's call) and their registrations in the index included.
            Assert.All(trace.Where(s => s.Service is UrbStack.DedupIndex or UrbStack.Storage),
                span => Assert.True(Descends(trace, span, backup), $"{span.Service} {span.Name} is not below the backup span"));
        }
        finally
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
    }

    private static bool Descends(List<OtlpSpan> trace, OtlpSpan span, OtlpSpan ancestor)
    {
        for (var parent = span; parent is not null; parent = trace.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            if (parent.SpanId == ancestor.SpanId) return true;
        }
        return false;
    }

    /// <summary>
    /// The spans of the trace that holds the backup's "backup" span, once it is whole (or 30
    /// seconds have passed).
    /// </summary>
    private static async Task<List<OtlpSpan>> WaitForTraceAsync(OtlpCollector collector, string backupId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<OtlpSpan> trace = [];
        while (DateTime.UtcNow < deadline)
        {
            var spans = collector.Bodies("/v1/traces").SelectMany(OtlpSpans.Decode).ToList();
            var backup = spans.FirstOrDefault(s => s.Name == "backup" && s.Attributes.GetValueOrDefault("urb.backup.id") == backupId);
            trace = backup is null ? [] : spans.Where(s => s.TraceId == backup.TraceId).ToList();
            var ids = trace.Select(s => s.SpanId).ToHashSet();
            // Each process exports on its own: the trace is whole once every service's spans are
            // there, each span's parent has come, and so has the last hop (storage's registration).
            if (Traced.All(service => trace.Any(s => s.Service == service)) && trace.Count(s => !ids.Contains(s.ParentSpanId)) == 1
                && trace.Any(s => s.Service == UrbStack.DedupIndex && s.Name.EndsWith("/RegisterChunks", StringComparison.Ordinal)))
            {
                return trace;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"No whole trace of backup {backupId} arrived; spans of its trace:\n" +
            string.Join("\n", trace.Select(s => $"{s.Service} {s.Name} {s.SpanId} parent {s.ParentSpanId}")));
        return trace;
    }
}
