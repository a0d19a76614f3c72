namespace Urb.ServiceDefaults.LiveLogging;

/// <summary>How much a live log line matters; ordered, so a minimum level filters by comparison.</summary>
public enum LiveLogLevel
{
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
}
