namespace Urb.ServiceDefaults;

/// <summary>Health check tags: "live" checks say the process works, "ready" ones that its dependencies do.</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
