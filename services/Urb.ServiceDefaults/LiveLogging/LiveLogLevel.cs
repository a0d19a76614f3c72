namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>How much a live log line matters; ordered, so a minimum level filters by comparison.</summary>
public enum LiveLogLevel
{
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
}

/// <summary>Levels as the contracts number them (the portal's LogLevel, the agent's AgentLogLevel): as <see cref="LiveLogLevel"/>, 0 being "unspecified".</summary>
public static class LiveLogLevels
{
    /// <summary>A requested minimum level: unspecified (0) is info; null for a number that is no level.</summary>
    public static LiveLogLevel? MinimumOf(int number) =>
        number == 0 ? LiveLogLevel.Info : Enum.IsDefined((LiveLogLevel)number) ? (LiveLogLevel)number : null;
}
