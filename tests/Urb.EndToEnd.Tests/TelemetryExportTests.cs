using System.Collections.Concurrent;
using System.Net;
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

        Assert.Matches("urb_ingest_backups_total\\{[^}]*outcome=\"completed\"[^}]*\\} [1-9]", ingest);
        Assert.Matches("urb_ingest_objects_received_total(\\{[^}]*\\})? [1-9]", ingest);
        Assert.Contains("urb_ingest_lookup_duration_seconds_bucket", ingest);
        Assert.Matches("urb_gateway_upload_bytes_total(\\{[^}]*\\})? [1-9]", gateway);
        Assert.Contains("urb_storage_chunks_written_total", storage);
    }

    [Fact]
    public async Task OtlpEndpointSet_Service_ExportsTracesMetricsAndLogs()
    {
        var collectorPort = FreePort.Next();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{collectorPort}/");
        collector.Start();
        var received = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var collecting = CollectAsync(collector, received, stop.Token);

        var ports = ServicePorts.Allocate();
        await using var service = await fixture.Stack.StartServiceAsync("Urb.Ingest", ports, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{collectorPort}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        });
        var health = new Health.HealthClient(fixture.Stack.Channel(ports.GrpcAddress));
        await health.CheckAsync(new HealthCheckRequest());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] signals = ["/v1/traces", "/v1/metrics", "/v1/logs"];
        while (!signals.All(received.ContainsKey) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        await stop.CancelAsync();
        collector.Stop();
        await collecting;

        Assert.All(signals, signal => Assert.True(received.ContainsKey(signal), $"nothing was exported to {signal}; got {string.Join(", ", received.Keys)}"));
    }

    private static async Task CollectAsync(HttpListener collector, ConcurrentDictionary<string, int> received, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await collector.GetContextAsync().WaitAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            received.AddOrUpdate(context.Request.Url!.AbsolutePath, 1, (_, n) => n + 1);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
