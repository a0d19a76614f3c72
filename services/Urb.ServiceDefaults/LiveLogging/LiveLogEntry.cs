using System.Collections.Frozen;
using StackExchange.Redis;

namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>
/// One event as read back from the stream, with its stream id. The publisher writes the fields
/// named in <see cref="Field"/> and the reader parses the same names, so the two cannot drift.
/// </summary>
public sealed record LiveLogEntry(
    string Id, DateTimeOffset Time, Guid? TenantId, Guid? ClientId, LiveLogLevel Level, string Service, string Message)
{
    /// <summary>The levels by the names the publisher writes ("warning"); names only, as Enum.TryParse would also take "7".</summary>
    private static readonly FrozenDictionary<string, LiveLogLevel> Levels =
        Enum.GetValues<LiveLogLevel>().ToFrozenDictionary(l => l.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The stream entry's field names.</summary>
    public static class Field
    {
        public const string Tenant = "tenant";
        public const string Client = "client";
        public const string Level = "level";
        public const string Service = "service";
        public const string Time = "time";
        public const string Message = "message";
    }

    /// <summary>
    /// The event, or null for an entry that is not one (written by something else, or damaged):
    /// such an entry is skipped rather than shown, as its tenant cannot be trusted.
    /// </summary>
    public static LiveLogEntry? TryRead(StreamEntry entry)
    {
        string? tenant = null, client = null, level = null, service = null, time = null, message = null;
        foreach (var value in entry.Values)
        {
            switch ((string?)value.Name)
            {
                case Field.Tenant: tenant = value.Value; break;
                case Field.Client: client = value.Value; break;
                case Field.Level: level = value.Value; break;
                case Field.Service: service = value.Value; break;
                case Field.Time: time = value.Value; break;
                case Field.Message: message = value.Value; break;
            }
        }
        if (!TryId(tenant, out var tenantId) || !TryId(client, out var clientId)) return null;
        if (!long.TryParse(time, out var ms) || ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return null;
        if (level is null || !Levels.TryGetValue(level, out var parsedLevel)) return null;
        return new LiveLogEntry(entry.Id!, DateTimeOffset.FromUnixTimeMilliseconds(ms), tenantId, clientId, parsedLevel, service ?? "", message ?? "");
    }

    /// <summary>Empty is "none"; anything else must be a UUID.</summary>
    private static bool TryId(string? text, out Guid? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text)) return text is not null;
        if (!Guid.TryParse(text, out var parsed)) return false;
        id = parsed;
        return true;
    }
}
