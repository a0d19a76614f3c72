namespace Urb.Domain.Releases;

/// <summary>
/// The files at the top level of an agent release archive by which the signer and the installing
/// agent know it. The agent as ./urb builds it is a native executable; a build for the .NET
/// runtime (a plain `dotnet build`, or a platform without a native build) is an assembly.
/// </summary>
public static class ReleaseFiles
{
    /// <summary>The native agent (Native AOT).</summary>
    public const string NativeExecutable = "Urb.Agent";

    /// <summary>The native agent's version (one line, as in its assembly), written at publish: a native binary has no assembly to read it from.</summary>
    public const string NativeVersion = "Urb.Agent.version";

    /// <summary>The agent built for the .NET runtime, run with dotnet; its assembly version is the release's.</summary>
    public const string RuntimeAssembly = "Urb.Agent.dll";
}
