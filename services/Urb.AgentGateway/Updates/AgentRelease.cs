using Urb.Domain.Releases;

namespace Urb.AgentGateway.Updates;

/// <summary>One release in the releases directory: its manifest as read (not verified: agents do that) and its archive.</summary>
public sealed record AgentRelease(ReleaseManifest Manifest, byte[] ManifestFile, string ArchivePath);
