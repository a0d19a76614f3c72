using System.Reflection;
using NSec.Cryptography;
using Urb.Domain.Releases;

namespace Urb.Agent.Updates;

/// <summary>
/// The Ed25519 public key that releases must be signed with. It is built into the agent
/// (MSBuild property <c>UrbReleasePublicKey</c>, stored as assembly metadata), so only whoever
/// builds the agent chooses it; nothing at run time (no option, file or variable) can swap it.
/// An agent built without one installs no update.
/// </summary>
public sealed class ReleaseKey
{
    public const string MetadataName = "UrbReleasePublicKey";

#if URB_TEST_RELEASE_KEY
    /// <summary>
    /// Honoured only by the test build (tests/Urb.Agent.TestBuild defines URB_TEST_RELEASE_KEY):
    /// the end-to-end tests sign with a key pair they make on the fly. The agent that is built and
    /// shipped (agent/Urb.Agent) has no such code.
    /// </summary>
    public const string TestKeyVariable = "URB_TEST_RELEASE_PUBLIC_KEY";
#endif

    private ReleaseKey(PublicKey key, string id)
    {
        Key = key;
        Id = id;
    }

    public PublicKey Key { get; }

    /// <summary>The key's ID as manifests name it (<see cref="ReleaseManifest.KeyIdOf"/>).</summary>
    public string Id { get; }

    /// <summary>
    /// The key this agent trusts, or null when it was built without one. Throws
    /// <see cref="FormatException"/> when the built-in value is not a key.
    /// </summary>
    public static ReleaseKey? Trusted()
    {
#if URB_TEST_RELEASE_KEY
        if (Environment.GetEnvironmentVariable(TestKeyVariable) is { Length: > 0 } test)
        {
            Console.Error.WriteLine($"urb-agent: warning: test build: trusting the release key in {TestKeyVariable}.");
            return FromBase64(test);
        }
#endif
        var builtIn = typeof(ReleaseKey).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataName)?.Value;
        return string.IsNullOrWhiteSpace(builtIn) ? null : FromBase64(builtIn);
    }

    /// <summary>A raw 32-byte Ed25519 public key in base64 (what <c>release keygen</c> writes to release.pub).</summary>
    public static ReleaseKey FromBase64(string text)
    {
        var raw = new byte[32];
        if (!Convert.TryFromBase64String(text.Trim(), raw, out var written) || written != raw.Length
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new FormatException("the release public key is not a base64 Ed25519 public key of 32 bytes.");
        }
        return new ReleaseKey(key, ReleaseManifest.KeyIdOf(raw));
    }
}
