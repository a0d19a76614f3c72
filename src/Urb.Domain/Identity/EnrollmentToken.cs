using System.Buffers.Text;
using Urb.Domain.Errors;

namespace Urb.Domain.Identity;

/// <summary>
/// A one-time enrolment token: <c>urbE1.&lt;id&gt;.&lt;secret&gt;.&lt;ca-pin&gt;</c>. The id finds the
/// server's record, the secret proves the holder may spend it (the server keeps only its hash),
/// and the CA pin (SHA-256 of the installation CA's public key) lets the agent check the
/// gateway on its very first connection, so enrolment is never trust-on-first-use.
/// </summary>
public sealed record EnrollmentToken(string Id, string Secret, byte[] CaPin)
{
    private const string Prefix = "urbE1";
    private const int IdBytes = 16;
    private const int SecretBytes = 32;
    private const int PinBytes = 32;

    public static EnrollmentToken Create(byte[] caPin)
    {
        if (caPin.Length != PinBytes) throw new ArgumentException("A CA pin is a SHA-256 digest.", nameof(caPin));
        return new EnrollmentToken(SecretToken.NewPart(IdBytes), SecretToken.NewPart(SecretBytes), caPin);
    }

    public override string ToString() => $"{Prefix}.{Id}.{Secret}.{Base64Url.EncodeToString(CaPin)}";

    /// <summary>Parses a token as typed by a person; throws <see cref="InvalidInputException"/> on anything else.</summary>
    public static EnrollmentToken Parse(string? text, string field = "token")
    {
        var parts = (text ?? "").Trim().Split('.');
        if (parts.Length != 4 || parts[0] != Prefix
            || SecretToken.TryDecodePart(parts[1], IdBytes) is null
            || SecretToken.TryDecodePart(parts[2], SecretBytes) is null
            || SecretToken.TryDecodePart(parts[3], PinBytes) is not { } pin)
        {
            throw new InvalidInputException(field, "This is not an Urb enrolment token (expected urbE1.<id>.<secret>.<pin>, as printed by 'urb client add').");
        }
        return new EnrollmentToken(parts[1], parts[2], pin);
    }
}
