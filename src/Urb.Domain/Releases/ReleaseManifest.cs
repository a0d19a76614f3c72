using System.Globalization;
using System.Text;

namespace Urb.Domain.Releases;

/// <summary>
/// What a release's signer vouches for: this version, for this platform, is the archive of this
/// name, size and SHA-256. Its text (the statement) is what the Ed25519 signature covers, byte for
/// byte, so nobody has to agree on a canonical form:
/// <code>
/// urb-agent-release 1
/// version 0.2.0
/// platform linux-x64
/// archive urb-agent-0.2.0-linux-x64.tar.gz
/// size 48213504
/// sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
/// key 3a7bd3e2360a3d29
/// </code>
/// The first line names the format, so a signature over anything else is never taken for one
/// over a release. <c>key</c> names the signing key (the first 8 bytes of the SHA-256 of its raw
/// public key, in hex) only so that a refusal can say "signed by another key"; trust comes from
/// the signature alone.
/// </summary>
public sealed record ReleaseManifest(ReleaseVersion Version, string Platform, string Archive, long Size, string Sha256, string KeyId)
{
    public const string Header = "urb-agent-release 1";

    private static readonly string[] Fields = ["version", "platform", "archive", "size", "sha256", "key"];

    /// <summary>The exact bytes that are signed (UTF-8, LF line ends, a final LF).</summary>
    public byte[] Statement() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{Header}\nversion {Version}\nplatform {Platform}\narchive {Archive}\nsize {Size}\nsha256 {Sha256}\nkey {KeyId}\n"));

    /// <summary>Checks each field's form; throws <see cref="FormatException"/> naming the first bad one.</summary>
    public ReleaseManifest Validated()
    {
        if (!IsName(Platform, allowDots: false)) throw new FormatException($"platform '{Platform}' must be letters, digits and '-' (like linux-x64).");
        if (!IsName(Archive, allowDots: true) || Archive.StartsWith('.')) throw new FormatException($"archive '{Archive}' must be a plain file name: letters, digits, '.', '-', '_', not starting with '.'.");
        if (Size <= 0) throw new FormatException("size must be positive.");
        if (!IsLowerHex(Sha256, 64)) throw new FormatException("sha256 must be 64 lower-case hex digits.");
        if (!IsLowerHex(KeyId, 16)) throw new FormatException("key must be 16 lower-case hex digits.");
        return this;
    }

    /// <summary>
    /// Reads a statement strictly: the header, then every field once, in order, and nothing else.
    /// An agent calls this only on bytes whose signature it has checked.
    /// </summary>
    public static ReleaseManifest ParseStatement(ReadOnlySpan<byte> statement)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(statement);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("the manifest is not UTF-8 text.");
        }
        if (!text.EndsWith('\n')) throw new FormatException("the manifest must end with a line end.");
        var lines = text[..^1].Split('\n');
        if (lines[0] != Header) throw new FormatException($"the manifest must begin with '{Header}'.");
        if (lines.Length != Fields.Length + 1) throw new FormatException($"the manifest must hold exactly the fields {string.Join(", ", Fields)}.");
        var values = new string[Fields.Length];
        for (var i = 0; i < Fields.Length; i++)
        {
            var prefix = Fields[i] + " ";
            if (!lines[i + 1].StartsWith(prefix, StringComparison.Ordinal)) throw new FormatException($"line {i + 2} of the manifest must be '{Fields[i]} …'.");
            values[i] = lines[i + 1][prefix.Length..];
        }
        if (!ReleaseVersion.TryParse(values[0], out var version)) throw new FormatException($"version '{values[0]}' is not MAJOR.MINOR.PATCH.");
        if (values[3].Length is 0 or > 18 || !values[3].All(char.IsAsciiDigit)) throw new FormatException($"size '{values[3]}' is not a number of bytes.");
        return new ReleaseManifest(version, values[1], values[2], long.Parse(values[3], CultureInfo.InvariantCulture), values[4], values[5]).Validated();
    }

    /// <summary>The key ID of a raw 32-byte Ed25519 public key: 8 bytes of its SHA-256, hex.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey)[..8]);

    private static bool IsLowerHex(string value, int length) =>
        value.Length == length && value.All(char.IsAsciiHexDigitLower);

    private static bool IsName(string value, bool allowDots) =>
        value.Length is > 0 and <= 128
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || (allowDots && c is '.' or '_'));
}
