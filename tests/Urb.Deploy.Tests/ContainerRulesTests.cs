using k8s.Models;

namespace Urb.Deploy.Tests;

/// <summary>What every container of every rendered kustomization must have.</summary>
public class ContainerRulesTests
{
    private static readonly string[] ResourceNames = ["cpu", "memory"];

    public static TheoryData<string> Kustomizations() => new(RenderedManifests.All);

    private static IEnumerable<(string Owner, string Kind, V1PodSpec Pod, V1Container Container)> Containers(string kustomization) =>
        from t in RenderedManifests.PodTemplates(RenderedManifests.Of(kustomization))
        from c in t.Template.Spec.Containers.Concat(t.Template.Spec.InitContainers ?? [])
        select ($"{t.Kind}/{t.Name}/{c.Name}", t.Kind, t.Template.Spec, c);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_OfLongRunningWorkloads_HaveLivenessAndReadinessProbes(string kustomization)
    {
        // Jobs run to completion: no probes.
        Assert.All(Containers(kustomization).Where(c => c.Kind is not ("Job" or "CronJob")), c =>
        {
            Assert.True(c.Container.LivenessProbe is not null, $"{c.Owner}: no livenessProbe");
            Assert.True(c.Container.ReadinessProbe is not null, $"{c.Owner}: no readinessProbe");
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_UrbServices_ProbeTheHealthEndpoints(string kustomization)
    {
        var urb = Containers(kustomization).Where(c => c.Kind is not ("Job" or "CronJob")
            && c.Container.Image.Contains("/urb-", StringComparison.Ordinal)
            && !c.Container.Image.Contains("urb-postgres", StringComparison.Ordinal)
            && !c.Container.Image.Contains("urb-redis", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(urb);
        Assert.All(urb, c =>
        {
            Assert.Equal("/health/live", c.Container.LivenessProbe.HttpGet?.Path);
            Assert.Equal("/health/ready", c.Container.ReadinessProbe.HttpGet?.Path);
            Assert.Equal("http", c.Container.ReadinessProbe.HttpGet?.Port.Value);
            Assert.Contains(c.Container.Ports, p => p.Name == "http" && p.ContainerPort == 8080);
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_All_HaveCpuAndMemoryRequestsAndLimits(string kustomization)
    {
        Assert.All(Containers(kustomization), c =>
        {
            var resources = c.Container.Resources;
            Assert.True(resources?.Requests is not null && resources.Limits is not null, $"{c.Owner}: no requests or limits");
            foreach (var name in ResourceNames)
            {
                Assert.True(resources.Requests.ContainsKey(name), $"{c.Owner}: no {name} request");
                Assert.True(resources.Limits.ContainsKey(name), $"{c.Owner}: no {name} limit");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_All_RunAsNonRootWithoutPrivilegeEscalation(string kustomization)
    {
        Assert.All(Containers(kustomization), c =>
        {
            var nonRoot = c.Container.SecurityContext?.RunAsNonRoot ?? c.Pod.SecurityContext?.RunAsNonRoot;
            Assert.True(nonRoot == true, $"{c.Owner}: runAsNonRoot is not true");
            var user = c.Container.SecurityContext?.RunAsUser ?? c.Pod.SecurityContext?.RunAsUser;
            Assert.True(user is null or > 0, $"{c.Owner}: runs as user 0");
            Assert.True(c.Container.SecurityContext?.AllowPrivilegeEscalation == false, $"{c.Owner}: allowPrivilegeEscalation is not false");
            Assert.True(c.Container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{c.Owner}: root filesystem is writable");
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Containers_All_UseAnExplicitTagThatIsNotLatest(string kustomization)
    {
        Assert.All(Containers(kustomization), c =>
        {
            var image = c.Container.Image;
            var name = image.Split('@')[0];
            var lastSlash = name.LastIndexOf('/');
            var colon = name.LastIndexOf(':');
            Assert.True(colon > lastSlash, $"{c.Owner}: image '{image}' has no tag");
            Assert.NotEqual("latest", name[(colon + 1)..]);
        });
    }
}
