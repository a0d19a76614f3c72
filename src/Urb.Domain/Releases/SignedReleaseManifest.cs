using System.Text;

namespace Urb.Domain.Releases;

/// <summary>
/// A manifest file as it is stored and sent: the statement (<see cref="ReleaseManifest"/>),
/// then one last line <c>signature BASE64</c> with the Ed25519 signature over the statement's
/// bytes. Splitting never interprets the statement, so an agent can check the signature over
/// exactly what it received before it reads a single field.
/// </summary>
public sealed class SignedReleaseManifest
{
    /// <summary>Manifests are a few hundred bytes; anything much larger is not one.</summary>
    public const int MaxFileSize = 4096;

    public const int SignatureLength = 64;

    private static readonly byte[] SignatureLine = "\nsignature "u8.ToArray();

    private SignedReleaseManifest(byte[] statement, string? signature)
    {
        Statement = statement;
        SignatureText = signature;
    }

    /// <summary>The signed bytes, up to and including the line end before the signature line.</summary>
    public byte[] Statement { get; }

    /// <summary>The text after <c>signature </c>, or null when the file has no signature line.</summary>
    public string? SignatureText { get; }

    /// <summary>The signature's bytes, or null when it is missing or not 64 bytes of base64.</summary>
    public byte[]? Signature
    {
        get
        {
            if (SignatureText is null) return null;
            var bytes = new byte[SignatureLength];
            return Convert.TryFromBase64String(SignatureText, bytes, out var written) && written == SignatureLength ? bytes : null;
        }
    }

    public static SignedReleaseManifest Split(ReadOnlySpan<byte> file)
    {
        if (file.Length > MaxFileSize) throw new FormatException($"the manifest is larger than {MaxFileSize} bytes.");
        var at = file.LastIndexOf(SignatureLine);
        if (at < 0 || !file.EndsWith("\n"u8)) return new SignedReleaseManifest(file.ToArray(), null);
        var signature = file[(at + SignatureLine.Length)..^1];
        if (signature.Contains((byte)'\n')) return new SignedReleaseManifest(file.ToArray(), null);
        return new SignedReleaseManifest(file[..(at + 1)].ToArray(), Encoding.ASCII.GetString(signature));
    }

    /// <summary>The file: the statement, then the signature line.</summary>
    public static byte[] Compose(ReadOnlySpan<byte> statement, ReadOnlySpan<byte> signature) =>
        [.. statement, .. Encoding.ASCII.GetBytes($"signature {Convert.ToBase64String(signature)}\n")];
}
