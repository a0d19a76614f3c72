using System.Diagnostics.Metrics;
using Urb.AgentGateway.Control;

namespace Urb.AgentGateway;

/// <summary>Urb.AgentGateway's own instruments (meter "Urb.AgentGateway"), scraped at /metrics like every meter.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Urb.AgentGateway";

    public GatewayMetrics(IMeterFactory meters, ControlStreams streams)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("urb.gateway.control_streams", () => streams.Count, description: "Agents' control streams this replica holds");
        CommandsDelivered = meter.CreateCounter<long>("urb.gateway.commands.delivered", description: "Commands written to agents' control streams, by kind");
        BytesRelayed = meter.CreateCounter<long>("urb.gateway.upload.bytes", "By", "Bytes of backup messages relayed from agents to ingest");
        ThrottledSeconds = meter.CreateCounter<double>("urb.gateway.upload.throttled", "s", "Time uploads waited for bandwidth limits");
    }

    public Counter<long> CommandsDelivered { get; }
    public Counter<long> BytesRelayed { get; }
    public Counter<double> ThrottledSeconds { get; }
}
