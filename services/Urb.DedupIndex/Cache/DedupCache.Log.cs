namespace Urb.DedupIndex.Cache;

public sealed partial class DedupCache
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cache unavailable, answering from PostgreSQL (slower, still correct): {Reason}")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis cache available again")]
    private static partial void LogCacheBack(ILogger logger);
}
