using k8s;
using k8s.Models;

namespace Urb.Deploy.Tests;

public class KustomizationTests
{
    public static TheoryData<string> Kustomizations() => new(RenderedManifests.All);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Render_EveryKustomization_LoadsStrictlyWithTheUrbWorkloads(string kustomization)
    {
        var objects = RenderedManifests.Of(kustomization);

        var deployments = objects.OfType<V1Deployment>().Select(d => d.Metadata.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "urb-gateway", "urb-ingest", "urb-dedupindex", "urb-scheduler", "urb-api" }, deployments);
        Assert.Contains(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "urb-storage");
        Assert.Contains(objects.OfType<V1Job>(), j => j.Metadata.Name == "urb-migrate");
    }

    [Theory]
    [InlineData("overlays/dev", "urb-dev")]
    [InlineData("overlays/production", "urb")]
    public void Render_Overlay_PutsEveryNamespacedObjectInItsNamespace(string overlay, string ns)
    {
        var objects = RenderedManifests.Of(overlay).Cast<IKubernetesObject<V1ObjectMeta>>();

        Assert.All(objects.Where(o => o is not V1Namespace), o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Render_Production_CommitsNoSecret()
    {
        // Production secrets are made with kubectl (docs/operations.md), never from files here.
        Assert.Empty(RenderedManifests.Of("overlays/production").OfType<V1Secret>());
    }

    [Fact]
    public void Render_Storage_KeepsPacksOnAVolumeClaimTemplate()
    {
        var storage = RenderedManifests.Of("overlays/production").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "urb-storage");

        Assert.Equal(1, storage.Spec.Replicas);
        var claim = Assert.Single(storage.Spec.VolumeClaimTemplates);
        var mount = storage.Spec.Template.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == claim.Metadata.Name);
        Assert.Equal("/var/lib/urb/packs", mount.MountPath);
    }

    [Fact]
    public void Render_Gateway_IsReachedByALoadBalancerOnTheAgentPort()
    {
        var objects = RenderedManifests.Of("overlays/production");

        var agents = objects.OfType<V1Service>().Single(s => s.Spec.Type == "LoadBalancer");
        Assert.Equal("urb-gateway", agents.Spec.Selector["app.kubernetes.io/name"]);
        var port = Assert.Single(agents.Spec.Ports);
        Assert.Equal("agent", port.TargetPort.Value);
        Assert.Equal("Local", agents.Spec.ExternalTrafficPolicy);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Render_GatewayAndIngest_HaveHorizontalPodAutoscalers(string kustomization)
    {
        var targets = RenderedManifests.Of(kustomization).OfType<V2HorizontalPodAutoscaler>()
            .Select(h => h.Spec.ScaleTargetRef.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "urb-gateway", "urb-ingest" }, targets);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Upstreams_NameServicesThatExposeTheirPorts(string kustomization)
    {
        var objects = RenderedManifests.Of(kustomization);
        var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith("urb-config", StringComparison.Ordinal));
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        var upstreams = config.Data.Where(d => d.Key.StartsWith("Upstreams__", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(upstreams);
        Assert.All(upstreams, u =>
        {
            // http://name:port, or dns:///name:port (client-side balancing over a headless Service).
            var clientSide = u.Value.StartsWith("dns:///", StringComparison.Ordinal);
            var address = new Uri(clientSide ? "http://" + u.Value["dns:///".Length..] : u.Value);
            Assert.True(services.TryGetValue(address.Host, out var service), $"{u.Key}: no Service '{address.Host}'");
            Assert.Contains(service.Spec.Ports, p => p.Port == address.Port);
            if (clientSide)
            {
                Assert.True(service.Spec.ClusterIP == "None", $"{u.Key}: Service {address.Host} is not headless");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Services_GetEverySettingTheyNeed(string kustomization)
    {
        var objects = RenderedManifests.Of(kustomization);
        var configMaps = objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);
        var templates = RenderedManifests.PodTemplates(objects).ToDictionary(t => t.Name, t => t.Template);

        Assert.All(ServiceNeeds.Settings, need =>
        {
            var container = templates[$"urb-{need.Key}"].Spec.Containers.Single();
            var names = (container.Env ?? []).Select(e => e.Name)
                .Concat((container.EnvFrom ?? []).Where(f => f.ConfigMapRef is not null)
                    .SelectMany(f => configMaps[f.ConfigMapRef.Name].Data.Keys))
                .ToHashSet();
            Assert.All(need.Value, setting => Assert.True(names.Contains(setting), $"urb-{need.Key} lacks {setting}"));
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void MigrationSelector_SelectsTheJobAndWhatItUses(string kustomization)
    {
        // docs/operations.md: kubectl apply -k … -l 'app.kubernetes.io/component in (shared,migrate)'
        var selected = RenderedManifests.Of(kustomization).Cast<IKubernetesObject<V1ObjectMeta>>()
            .Where(o => o.Metadata.Labels?.TryGetValue("app.kubernetes.io/component", out var c) == true && c is "shared" or "migrate")
            .ToList();

        var job = Assert.Single(selected.OfType<V1Job>());
        var pod = job.Spec.Template.Spec;
        Assert.Contains(selected.OfType<V1ServiceAccount>(), a => a.Metadata.Name == pod.ServiceAccountName);
        var configMaps = pod.InitContainers.Concat(pod.Containers)
            .SelectMany(c => c.EnvFrom ?? []).Where(e => e.ConfigMapRef is not null).Select(e => e.ConfigMapRef.Name).ToHashSet();
        Assert.NotEmpty(configMaps);
        Assert.All(configMaps, name => Assert.Contains(selected.OfType<V1ConfigMap>(), m => m.Metadata.Name == name));
    }
}
