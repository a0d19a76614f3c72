using Google.Protobuf.WellKnownTypes;
using Urb.Contracts.Api.V1;
using Urb.ServiceDefaults.LiveLogging;
using LogLevel = Urb.Contracts.Api.V1.LogLevel;

namespace Urb.Api.LiveLog;

/// <summary>Live log entries as the portal's contract has them (live_log.proto).</summary>
public static class LogEventMessages
{
    public static LogEvent ToMessage(LiveLogEntry e) => new()
    {
        Id = e.Id,
        Time = Timestamp.FromDateTimeOffset(e.Time),
        TenantId = e.TenantId?.ToString() ?? "",
        ClientId = e.ClientId?.ToString() ?? "",
        // The contract numbers its levels as the publisher does (debug 1 … error 4).
        Level = (LogLevel)(int)e.Level,
        Service = e.Service,
        Message = e.Message,
    };
}
