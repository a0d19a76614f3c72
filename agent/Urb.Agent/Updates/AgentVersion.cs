using System.Reflection;
using System.Runtime.InteropServices;
using Urb.Domain.Releases;

namespace Urb.Agent.Updates;

/// <summary>The running agent's version and platform, as updates compare them.</summary>
public static class AgentVersion
{
    /// <summary>The informational version (<c>0.1.0+commit</c>), as <c>--version</c> prints it.</summary>
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>MAJOR.MINOR.PATCH of this build; 0.0.0 when the build's version is not of that form.</summary>
    public static ReleaseVersion Current { get; } = ReleaseVersion.TryParseBuild(Text, out var version) ? version : default;

    /// <summary>The runtime identifier releases are made for, like linux-x64.</summary>
    public static string Platform => RuntimeInformation.RuntimeIdentifier;
}
