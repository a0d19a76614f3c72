namespace Urb.Ingest.Options;

/// <summary>Urb.Ingest's settings (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>
    /// How old unreferenced content must be before garbage collection condemns it, and how long
    /// after its condemnation it is deleted at the earliest (a backup started since may still
    /// need it). A request's own grace overrides it. Default 1 day.
    /// </summary>
    public TimeSpan GarbageGrace { get; set; } = TimeSpan.FromDays(1);
}
