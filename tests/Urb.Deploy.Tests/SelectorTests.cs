using k8s.Models;

namespace Urb.Deploy.Tests;

public class SelectorTests
{
    public static TheoryData<string> Kustomizations() => new(RenderedManifests.All);

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null
        && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Workloads_Selector_MatchesTheirTemplateLabels(string kustomization)
    {
        var workloads = RenderedManifests.Of(kustomization).SelectMany(o => o switch
        {
            V1Deployment d => [(d.Metadata.Name, d.Spec.Selector, d.Spec.Template.Metadata.Labels)],
            V1StatefulSet s => new[] { (s.Metadata.Name, s.Spec.Selector, s.Spec.Template.Metadata.Labels) },
            _ => [],
        }).ToList();

        Assert.NotEmpty(workloads);
        Assert.All(workloads, w =>
        {
            Assert.True(w.Selector.MatchExpressions is null or { Count: 0 }, $"{w.Name}: use matchLabels only");
            Assert.True(Selects(w.Selector.MatchLabels, w.Labels), $"{w.Name}: selector does not match the template labels");
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Services_Selector_SelectsSomeWorkload(string kustomization)
    {
        var objects = RenderedManifests.Of(kustomization);
        var templates = RenderedManifests.PodTemplates(objects).Where(t => t.Kind is not ("Job" or "CronJob")).ToList();

        Assert.All(objects.OfType<V1Service>(), s =>
        {
            var target = templates.Where(t => Selects(s.Spec.Selector, t.Template.Metadata.Labels)).ToList();
            Assert.True(target.Count > 0, $"Service {s.Metadata.Name} selects no workload");
            // Every port the Service names must exist in the pods it selects.
            foreach (var port in s.Spec.Ports.Where(p => p.TargetPort is not null))
            {
                Assert.True(target.Any(t => t.Template.Spec.Containers.Any(c => c.Ports?.Any(p =>
                    p.Name == port.TargetPort.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.TargetPort.Value) == true)),
                    $"Service {s.Metadata.Name}: no container port '{port.TargetPort.Value}'");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void PodDisruptionBudgets_Selector_SelectsAWorkload(string kustomization)
    {
        var objects = RenderedManifests.Of(kustomization);
        var templates = RenderedManifests.PodTemplates(objects).ToList();
        var budgets = objects.OfType<V1PodDisruptionBudget>().ToList();

        Assert.NotEmpty(budgets);
        Assert.All(budgets, b => Assert.True(
            templates.Any(t => Selects(b.Spec.Selector.MatchLabels, t.Template.Metadata.Labels)),
            $"PodDisruptionBudget {b.Metadata.Name} selects no workload"));
        // Every long-running workload has one.
        Assert.All(templates.Where(t => t.Kind is "Deployment" or "StatefulSet"), t => Assert.True(
            budgets.Any(b => Selects(b.Spec.Selector.MatchLabels, t.Template.Metadata.Labels)),
            $"{t.Kind} {t.Name} has no PodDisruptionBudget"));
    }
}
