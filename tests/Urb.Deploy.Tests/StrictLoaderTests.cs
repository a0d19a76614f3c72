namespace Urb.Deploy.Tests;

/// <summary>The loader the other tests rely on really refuses what Kubernetes would not know.</summary>
public class StrictLoaderTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          {0}: 1
          selector:
            matchLabels:
              app: x
          template:
            metadata:
              labels:
                app: x
            spec:
              containers:
                - name: x
                  image: example/x:1.0
        """;

    [Fact]
    public void LoadStrict_KnownFields_Loads()
    {
        var objects = RenderedManifests.LoadStrict(Deployment.Replace("{0}", "replicas", StringComparison.Ordinal));

        var deployment = Assert.IsType<k8s.Models.V1Deployment>(Assert.Single(objects));
        Assert.Equal(1, deployment.Spec.Replicas);
    }

    [Fact]
    public void LoadStrict_MisspelledField_Throws()
    {
        var misspelled = Deployment.Replace("{0}", "replica", StringComparison.Ordinal);

        var error = Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => RenderedManifests.LoadStrict(misspelled));
        Assert.Contains("replica", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadStrict_FieldAtTheWrongLevel_Throws()
    {
        // livenessProbe belongs to the container, not to the pod spec.
        var misplaced = Deployment.Replace("{0}", "replicas", StringComparison.Ordinal)
            + "\n      livenessProbe:\n        tcpSocket:\n          port: 1\n";

        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => RenderedManifests.LoadStrict(misplaced));
    }
}
