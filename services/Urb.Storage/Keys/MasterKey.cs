using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Urb.Storage.Options;

namespace Urb.Storage.Keys;

/// <summary>
/// The installation's master key: it only wraps and unwraps tenants' keys (AES-256-GCM), which
/// are stored wrapped in PostgreSQL. It never leaves this process and is never logged.
/// </summary>
public sealed class MasterKey
{
    public const int Size = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> key;

    public MasterKey(IOptions<StorageOptions> options) => key = new(() => Load(options.Value));

    /// <summary>nonce ‖ ciphertext ‖ tag, bound to <paramref name="purpose"/> (tenant and key kind) by the associated data.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> secret, string purpose)
    {
        var wrapped = new byte[NonceSize + secret.Length + TagSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagSize);
        aes.Encrypt(nonce, secret, wrapped.AsSpan(NonceSize, secret.Length), wrapped.AsSpan(NonceSize + secret.Length), Encoding.UTF8.GetBytes(purpose));
        return wrapped;
    }

    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, string purpose)
    {
        if (wrapped.Length < NonceSize + TagSize) throw new CryptographicException("A wrapped key is too short.");
        var secret = new byte[wrapped.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key.Value, TagSize);
        aes.Decrypt(wrapped[..NonceSize], wrapped.Slice(NonceSize, secret.Length), wrapped[^TagSize..], secret, Encoding.UTF8.GetBytes(purpose));
        return secret;
    }

    /// <summary>True when the options name a key that can be read (checked at start).</summary>
    public static bool IsConfigured(StorageOptions options)
    {
        try
        {
            return Load(options).Length == Size;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static byte[] Load(StorageOptions options)
    {
        var text = !string.IsNullOrWhiteSpace(options.MasterKey) ? options.MasterKey
            : !string.IsNullOrWhiteSpace(options.MasterKeyFile) ? File.ReadAllText(options.MasterKeyFile)
            : throw new InvalidOperationException("No master key configured.");
        var bytes = Convert.FromBase64String(text.Trim());
        return bytes.Length == Size ? bytes : throw new InvalidOperationException("The master key is not 32 bytes.");
    }
}
