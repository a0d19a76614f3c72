using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Urb.Deploy.Tests;

/// <summary>Light checks of docker-compose.yml: parsed (anchors merged), not run.</summary>
public partial class ComposeFileTests
{
    private static readonly string[] UrbServices = ["gateway", "ingest", "dedupindex", "storage", "scheduler", "api"];

    private static readonly YamlScalarNode MergeKey = new("<<");

    private static readonly Lazy<YamlMappingNode> Services = new(() =>
    {
        var yaml = new YamlStream();
        using var reader = File.OpenText(RepositoryPaths.ComposeFile);
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    });

    private static IEnumerable<(string Name, YamlMappingNode Service)> All() =>
        Services.Value.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value));

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services.Value[name];

    /// <summary>
    /// A key of a mapping as compose reads it: its own value, else the value from the mappings
    /// merged in with "&lt;&lt;: *anchor" (the file's own keys win, as YAML's merge key says).
    /// </summary>
    private static YamlNode? Get(YamlMappingNode node, string key)
    {
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }
        if (!node.Children.TryGetValue(MergeKey, out var merged))
        {
            return null;
        }
        var sources = merged is YamlSequenceNode many ? many.Children.Cast<YamlMappingNode>() : [(YamlMappingNode)merged];
        return sources.Select(m => Get(m, key)).FirstOrDefault(v => v is not null);
    }

    private static bool Has(YamlMappingNode node, string key) => Get(node, key) is not null;

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        (YamlMappingNode)(Get(node, key) ?? throw new Xunit.Sdk.XunitException($"no '{key}'"));

    private static string? Scalar(YamlMappingNode node, string key) => (Get(node, key) as YamlScalarNode)?.Value;

    /// <summary>${VAR:-default} becomes default, as compose does when VAR is unset.</summary>
    private static string WithDefaults(string text) => Variable().Replace(text, m => m.Groups["default"].Value);

    [GeneratedRegex(@"\$\{[A-Za-z_][A-Za-z0-9_]*(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();

    [Fact]
    public void Services_All_UseAnImageWithAnExplicitTagThatIsNotLatest()
    {
        Assert.All(All(), s =>
        {
            var image = WithDefaults(Scalar(s.Service, "image") ?? throw new Xunit.Sdk.XunitException($"{s.Name}: no image"));
            var colon = image.LastIndexOf(':');
            Assert.True(colon > image.LastIndexOf('/'), $"{s.Name}: image '{image}' has no tag");
            Assert.NotEqual("latest", image[(colon + 1)..]);
        });
    }

    [Fact]
    public void Services_LongRunning_HaveAHealthCheck()
    {
        var longRunning = All().Where(s => Scalar(s.Service, "restart") != "no").ToList();

        Assert.Equal(UrbServices.Length + 2, longRunning.Count); // and PostgreSQL, Redis
        Assert.All(longRunning, s => Assert.True(Has(s.Service, "healthcheck"), $"{s.Name}: no healthcheck"));
        Assert.All(UrbServices, name =>
        {
            Assert.Equal("/usr/local/bin/urb-healthcheck ready", Scalar(Mapping(Service(name), "healthcheck"), "test"));
        });
    }

    [Fact]
    public void Services_Urb_StartAfterTheirMigrationAndRunReadOnly()
    {
        Assert.All(UrbServices, name =>
        {
            var migrate = Service($"migrate-{name}");
            Assert.Equal("no", Scalar(migrate, "restart"));
            Assert.Equal(Scalar(Service(name), "image"), Scalar(migrate, "image"));
            var dependsOn = Mapping(Service(name), "depends_on");
            Assert.Equal("service_completed_successfully", Scalar(Mapping(dependsOn, $"migrate-{name}"), "condition"));
            Assert.Equal("true", Scalar(Service(name), "read_only"));
        });
        Assert.Equal("no", Scalar(Service("init"), "restart"));
    }

    [Fact]
    public void Services_GetEverySettingTheyNeed()
    {
        Assert.All(ServiceNeeds.Settings.Where(n => n.Value.Length > 0), need =>
        {
            var environment = Mapping(Service(need.Key), "environment").Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
            Assert.All(need.Value, setting => Assert.True(environment.Contains(setting), $"{need.Key} lacks {setting}"));
        });
    }

    [Fact]
    public void Secrets_ComeFromTheEnvironmentFile()
    {
        var text = File.ReadAllText(RepositoryPaths.ComposeFile);

        Assert.Contains("${URB_POSTGRES_PASSWORD:?", text, StringComparison.Ordinal);
        Assert.Contains("${URB_REDIS_PASSWORD:?", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"Password=[0-9a-f]{16,}", text);
    }

    [Fact]
    public void Ports_OnlyTheAgentPortIsOpenToOtherMachines()
    {
        var published = All().SelectMany(s => Get(s.Service, "ports") is YamlSequenceNode ports
            ? ports.Children.Select(p => (s.Name, Port: WithDefaults(((YamlScalarNode)p).Value!)))
            : []).ToList();

        Assert.Equal(
            new[] { ("gateway", "55415:55415"), ("api", "127.0.0.1:5000:5000"), ("api", "127.0.0.1:8080:8080") }.OrderBy(p => p.Item1),
            published.OrderBy(p => p.Name));
    }
}
