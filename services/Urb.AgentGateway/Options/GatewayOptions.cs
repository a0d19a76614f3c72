namespace Urb.AgentGateway.Options;

/// <summary>The gateway's own settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The TLS port agents connect to (section <c>Urb:Listen:AgentPort</c>). Default 55415.</summary>
    public const string AgentPortKey = "Urb:Listen:AgentPort";
    public const int DefaultAgentPort = 55415;

    /// <summary>Folder with ca.crt, ca.key, gateway.crt, gateway.key (made by <c>init-pki</c>). Required.</summary>
    public string? PkiDirectory { get; set; }

    /// <summary>How long an agent's client certificate is valid. Default 90 days.</summary>
    public TimeSpan AgentCertificateLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Failed enrolments allowed from one address within <see cref="EnrollmentFailureWindow"/>. Default 20.</summary>
    public int MaxEnrollmentFailures { get; set; } = 20;

    /// <summary>Default 10 minutes.</summary>
    public TimeSpan EnrollmentFailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// New connections accepted on the agent port from one address (an IPv6 address counts as its
    /// /64) within any minute, per gateway process; beyond it a connection is closed before the TLS
    /// handshake. 0 turns the limit off (behind a proxy that hides the agents' addresses, every
    /// agent would share one). Default 300.
    /// </summary>
    public int MaxConnectionsPerMinutePerAddress { get; set; } = 300;

    /// <summary>How often an agent's control stream sends a heartbeat; a stream silent for three is closed. Default 30 s.</summary>
    public TimeSpan ControlHeartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Folder of agent releases offered to agents: archives, each with its signed manifest
    /// (<c>ARCHIVE.manifest</c>, made by <c>Urb.Admin release sign</c>). Read afresh on every call,
    /// so a release is offered as soon as both files are in place. Unset: no release is offered.
    /// </summary>
    public string? AgentReleasesDirectory { get; set; }

    /// <summary>
    /// Networks (CIDR) whose agents count as local; every other address is an internet client,
    /// subject to the internet restrictions (internet_full_file_backups, internet_image_backups).
    /// Unset: loopback and the private ranges (<see cref="DefaultLocalNetworks"/>).
    /// </summary>
    public string[]? LocalNetworks { get; set; }

    public static readonly string[] DefaultLocalNetworks =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>The local networks, parsed; throws <see cref="FormatException"/> for a malformed one.</summary>
    public IReadOnlyList<System.Net.IPNetwork> ParsedLocalNetworks() =>
        (LocalNetworks ?? DefaultLocalNetworks).Select(n => System.Net.IPNetwork.Parse(n.Trim())).ToArray();
}
