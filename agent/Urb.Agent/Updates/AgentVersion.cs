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

    /// <summary>
    /// Which build of the agent this is: a native one names the instruction sets it was compiled
    /// for (<c>x86-64-v3</c>, <c>x86-64-v4</c>; <c>baseline</c> for the compiler's default), so
    /// that an operator can see which one the wrapper started; <c>runtime</c> for a build that
    /// runs on the .NET runtime, whose compiler uses whatever the CPU has.
    /// </summary>
    public static string Build { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "UrbInstructionSet")?.Value is { Length: > 0 } set
            ? set
            : System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "runtime" : "baseline";

    /// <summary>The runtime identifier releases are made for, like linux-x64.</summary>
    public static string Platform => RuntimeInformation.RuntimeIdentifier;
}
