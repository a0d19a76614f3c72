namespace Urb.Api.Options;

/// <summary>Per-client installers (section <c>Api:Installers</c>).</summary>
public sealed class InstallerOptions
{
    public const string SectionName = "Api:Installers";

    /// <summary>
    /// The agent's program files as a .tar.gz (the agent's publish output), embedded in every
    /// installer. Unset: no installers (CreateInstaller answers FailedPrecondition).
    /// </summary>
    public string? AgentArchive { get; set; }

    /// <summary>The agent version the archive holds (the install folder's name). Default: this server's version.</summary>
    public string? AgentVersion { get; set; }
}
