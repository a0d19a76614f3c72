using Grpc.Health.V1;
using Urb.EndToEnd.Tests.Infrastructure;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// Setting OTEL_EXPORTER_OTLP_ENDPOINT switches on the OTLP export of traces, metrics and logs.
/// The collector here is a plain HTTP listener on loopback that records what arrives
/// (OTLP over HTTP/protobuf posts to /v1/traces, /v1/metrics and /v1/logs).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TelemetryExportTests(StackFixture fixture)
{
    [Fact]
    public async Task Metrics_AfterABackup_AreScrapedByPrometheusFromEveryService()
    {
        var agent = await BackupAgent.EnrollAsync(fixture.Stack);
        var source = Directory.CreateDirectory(Path.Combine(fixture.Stack.Directory, "metrics-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "counted.txt"), "counted");
        await agent.BackupAsync([source]);
        using var http = new HttpClient();

        var ingest = await http.GetStringAsync($"http://127.0.0.1:{fixture.Stack.Ports["Urb.Ingest"].Http}/metrics");
        var gateway = await http.GetStringAsync($"http://127.0.0.1:{fixture.Stack.Ports[UrbStack.Gateway].Http}/metrics");
        var storage = await http.GetStringAsync($"http://127.0.0.1:{fixture.Stack.Ports[UrbStack.Storage].Http}/metrics");
        var index = await http.GetStringAsync($"http://127.0.0.1:{fixture.Stack.Ports[UrbStack.DedupIndex].Http}/metrics");
        var scheduler = await http.GetStringAsync($"http://127.0.0.1:{fixture.Stack.Ports[UrbStack.Scheduler].Http}/metrics");

        Assert.Matches("urb_ingest_backups_total\\{[^}]*outcome=\"completed\"[^}]*\\} [1-9]", ingest);
        Assert.Matches("urb_ingest_objects_received_total(\\{[^}]*\\})? [1-9]", ingest);
        Assert.Matches("urb_ingest_bytes_received_bytes_total(\\{[^}]*\\})? [1-9]", ingest);
        Assert.Matches("urb_ingest_chunks_new_total(\\{[^}]*\\})? [1-9]", ingest);
        Assert.Contains("urb_ingest_chunks_known_total", ingest);
        Assert.Contains("urb_ingest_lookup_duration_seconds_bucket", ingest);
        Assert.Matches("urb_gateway_upload_bytes_total(\\{[^}]*\\})? [1-9]", gateway);
        Assert.Contains("urb_storage_chunks_written_total", storage);
        Assert.Contains("urb_dedup_lookup_duration_seconds_bucket", index);
        Assert.Matches("urb_dedup_lookups_total(\\{[^}]*\\})? [1-9]", index);
        // The stack's scheduler does not tick (see UrbStack), so the queue is still at its start.
        Assert.Matches("urb_scheduler_jobs_queued(\\{[^}]*\\})? [0-9]", scheduler);
        Assert.Matches("urb_scheduler_jobs_running(\\{[^}]*\\})? [0-9]", scheduler);
    }

    [Fact]
    public async Task OtlpEndpointSet_Service_ExportsTracesMetricsAndLogs()
    {
        await using var collector = new OtlpCollector();
        var ports = ServicePorts.Allocate();
        await using var service = await fixture.Stack.StartServiceAsync("Urb.Ingest", ports, collector.Environment);
        var health = new Health.HealthClient(fixture.Stack.Channel(ports.GrpcAddress));
        await health.CheckAsync(new HealthCheckRequest());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] signals = ["/v1/traces", "/v1/metrics", "/v1/logs"];
        while (!signals.All(collector.Paths.Contains) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.All(signals, signal => Assert.True(collector.Paths.Contains(signal), $"nothing was exported to {signal}; got {string.Join(", ", collector.Paths)}"));
    }
}
