using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Urb.Deploy.Tests;

/// <summary>
/// The objects of a rendered kustomization, loaded strictly: a field the Kubernetes models do
/// not know (a misspelling, a wrong indentation) fails the load instead of being dropped.
/// Each kustomization is rendered once per test run.
/// </summary>
internal static class RenderedManifests
{
    /// <summary>Every kustomization in k8s/ that can be applied or built on.</summary>
    public static readonly string[] All = ["base", "overlays/dev", "overlays/production"];

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<object>>> Cache = new();

    public static IReadOnlyList<object> Of(string kustomization) =>
        Cache.GetOrAdd(kustomization, k => new Lazy<IReadOnlyList<object>>(() => LoadStrict(Kustomize.Render(k)))).Value;

    /// <summary>
    /// Strict loading. KubernetesYaml.LoadAllFromFileAsync and LoadAllFromStreamAsync do not pass
    /// <c>strict</c> on (KubernetesClient 21.0.8), so the text is loaded with LoadAllFromString.
    /// </summary>
    public static IReadOnlyList<object> LoadStrict(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);

    /// <summary>Every pod template with its owner's kind and name.</summary>
    public static IEnumerable<(string Kind, string Name, V1PodTemplateSpec Template)> PodTemplates(IEnumerable<object> objects)
    {
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1Deployment d:
                    yield return ("Deployment", d.Metadata.Name, d.Spec.Template);
                    break;
                case V1StatefulSet s:
                    yield return ("StatefulSet", s.Metadata.Name, s.Spec.Template);
                    break;
                case V1DaemonSet ds:
                    yield return ("DaemonSet", ds.Metadata.Name, ds.Spec.Template);
                    break;
                case V1Job j:
                    yield return ("Job", j.Metadata.Name, j.Spec.Template);
                    break;
                case V1CronJob c:
                    yield return ("CronJob", c.Metadata.Name, c.Spec.JobTemplate.Spec.Template);
                    break;
            }
        }
    }
}
