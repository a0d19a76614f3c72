using System.Collections.Concurrent;
using System.Net;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An OTLP collector for tests: a plain HTTP listener on a free loopback port that keeps every
/// body posted to it (OTLP over HTTP/protobuf posts to /v1/traces, /v1/metrics and /v1/logs).
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> received = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task collecting;

    public OtlpCollector()
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        collecting = CollectAsync();
    }

    public int Port { get; }

    /// <summary>The variables that point a service's OTLP export here, flushing every 200 ms.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Port}",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
    };

    public IReadOnlyCollection<string> Paths => received.Select(r => r.Path).Distinct().ToList();

    /// <summary>The bodies posted to <paramref name="path"/> so far.</summary>
    public IEnumerable<byte[]> Bodies(string path) => received.Where(r => r.Path == path).Select(r => r.Body);

    private async Task CollectAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            var input = context.Request.Headers["Content-Encoding"] == "gzip"
                ? new System.IO.Compression.GZipStream(context.Request.InputStream, System.IO.Compression.CompressionMode.Decompress)
                : context.Request.InputStream;
            await input.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await collecting;
        listener.Close();
        stop.Dispose();
    }
}
