using k8s.Models;

namespace Urb.Deploy.Tests;

public class NetworkPolicyTests
{
    public static TheoryData<string> Kustomizations() => new(RenderedManifests.All);

    private static List<V1NetworkPolicy> Policies(string kustomization) =>
        RenderedManifests.Of(kustomization).OfType<V1NetworkPolicy>().ToList();

    private static IEnumerable<V1NetworkPolicy> For(string kustomization, string app) =>
        Policies(kustomization).Where(p =>
            p.Spec.PodSelector.MatchLabels?.TryGetValue("app.kubernetes.io/name", out var name) == true && name == app);

    private static IEnumerable<string> Sources(V1NetworkPolicyIngressRule rule) =>
        (rule.FromProperty ?? []).SelectMany(peer =>
            (peer.PodSelector?.MatchLabels?.Values ?? [])
            .Concat(peer.PodSelector?.MatchExpressions?.SelectMany(e => e.Values ?? []) ?? []));

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Policies_DenyAllIngressByDefault(string kustomization)
    {
        Assert.Contains(Policies(kustomization), p =>
            p.Spec.PodSelector.MatchLabels is null or { Count: 0 }
            && p.Spec.PodSelector.MatchExpressions is null or { Count: 0 }
            && p.Spec.PolicyTypes.Contains("Ingress")
            && p.Spec.Ingress is null or { Count: 0 });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Storage_IsReachableOnlyFromIngestAndTheIndex(string kustomization)
    {
        var policies = For(kustomization, "urb-storage").ToList();

        Assert.NotEmpty(policies);
        var rules = policies.SelectMany(p => p.Spec.Ingress ?? []).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, r =>
        {
            Assert.NotEmpty(r.FromProperty ?? []);
            Assert.Subset(new HashSet<string> { "urb-ingest", "urb-dedupindex" }, Sources(r).ToHashSet());
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Callers_MayReachEveryServiceTheyCall(string kustomization)
    {
        Assert.All(ServiceNeeds.Calls.SelectMany(c => c.Value.Select(callee => (Caller: c.Key, Callee: callee))), call =>
        {
            var sources = For(kustomization, $"urb-{call.Callee}").SelectMany(p => p.Spec.Ingress ?? []).SelectMany(Sources).ToHashSet();
            Assert.True(sources.Contains($"urb-{call.Caller}"), $"urb-{call.Caller} calls urb-{call.Callee}, whose policy does not admit it");
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Outside_ReachesOnlyTheAgentPortAndTheApi(string kustomization)
    {
        // A rule without "from" admits any source.
        var open = Policies(kustomization)
            .SelectMany(p => (p.Spec.Ingress ?? []).Where(r => r.FromProperty is null or { Count: 0 })
                .SelectMany(r => (r.Ports ?? []).Select(port => $"{p.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"]}:{port.Port.Value}")))
            .ToHashSet();

        Assert.Equal(new HashSet<string> { "urb-gateway:agent", "urb-api:grpc", "urb-api:http" }, open);
        // And never a rule without ports.
        Assert.DoesNotContain(Policies(kustomization).SelectMany(p => p.Spec.Ingress ?? []), r => r.Ports is null or { Count: 0 });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void ApiInternalPort_IsReachableOnlyFromUrbServices(string kustomization)
    {
        var rules = For(kustomization, "urb-api").SelectMany(p => p.Spec.Ingress ?? [])
            .Where(r => r.Ports.Any(port => port.Port.Value == "internal")).ToList();

        var rule = Assert.Single(rules);
        Assert.NotEmpty(rule.FromProperty);
        Assert.DoesNotContain("urb-api", Sources(rule));
        Assert.All(Sources(rule), s => Assert.StartsWith("urb-", s, StringComparison.Ordinal));
    }
}
