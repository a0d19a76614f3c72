using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Urb.Domain.Identity;

/// <summary>
/// Shared helpers for bearer secrets (enrolment tokens, API keys): random parts encoded as
/// base64url, and the hash the server stores instead of the secret. The secrets carry 256 bits
/// of entropy, so a plain SHA-256 is enough: there is nothing to brute-force.
/// </summary>
public static class SecretToken
{
    public static string NewPart(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    /// <summary>Decodes one base64url part of an expected length, or null when it is not one.</summary>
    public static byte[]? TryDecodePart(string part, int expectedBytes)
    {
        if (part.Length != Base64Url.GetEncodedLength(expectedBytes)) return null;
        var buffer = new byte[expectedBytes];
        // DecodeFromChars reports bad characters and padding as a status (TryDecodeFromChars throws on them).
        return Base64Url.DecodeFromChars(part, buffer, out _, out var written) == OperationStatus.Done && written == expectedBytes
            ? buffer
            : null;
    }
}
