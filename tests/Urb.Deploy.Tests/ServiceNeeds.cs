namespace Urb.Deploy.Tests;

/// <summary>
/// What each service needs from its deployment: the settings it refuses to start without, and
/// the services it calls (docs/architecture.md, "How the services talk"). Names as in compose;
/// the Kubernetes objects are these with the prefix "urb-".
/// </summary>
internal static class ServiceNeeds
{
    public static readonly IReadOnlyDictionary<string, string[]> Settings = new Dictionary<string, string[]>
    {
        ["gateway"] = ["ConnectionStrings__postgres", "ConnectionStrings__redis", "Upstreams__ApiDirectory", "Upstreams__Ingest", "Gateway__PkiDirectory"],
        ["api"] = ["ConnectionStrings__postgres", "ConnectionStrings__redis", "Upstreams__Ingest", "Upstreams__DedupIndex", "Upstreams__Scheduler", "Api__Enrollment__CaCertificatePath", "Api__Enrollment__ServerAddress"],
        ["ingest"] = ["ConnectionStrings__postgres", "Upstreams__DedupIndex", "Upstreams__Storage"],
        ["dedupindex"] = ["ConnectionStrings__postgres", "ConnectionStrings__redis"],
        ["storage"] = ["ConnectionStrings__postgres", "Upstreams__DedupIndex", "Storage__Directory"],
        ["scheduler"] = ["ConnectionStrings__postgres", "ConnectionStrings__redis", "Upstreams__ApiDirectory", "Upstreams__Ingest", "Upstreams__DedupIndex"],
    };

    /// <summary>Caller → the services it calls.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Calls = new Dictionary<string, string[]>
    {
        ["gateway"] = ["api", "ingest"],
        ["api"] = ["ingest", "dedupindex", "scheduler"],
        ["ingest"] = ["dedupindex", "storage"],
        ["storage"] = ["dedupindex"],
        ["dedupindex"] = [],
        ["scheduler"] = ["api", "ingest", "dedupindex"],
    };
}
