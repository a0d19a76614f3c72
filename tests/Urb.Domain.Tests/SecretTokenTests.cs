using System.Buffers.Text;
using Urb.Domain.Identity;

namespace Urb.Domain.Tests;

public sealed class SecretTokenTests
{
    [Fact]
    public void Hash_SameSecret_IsDeterministicAnd32Bytes()
    {
        var first = SecretToken.Hash("correct horse battery staple");
        var second = SecretToken.Hash("correct horse battery staple");

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Hash_KnownInput_IsSha256OfUtf8()
    {
        // SHA-256("abc"), FIPS 180-2 test vector.
        Assert.Equal(
            Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            SecretToken.Hash("abc"));
    }

    [Fact]
    public void Hash_DifferentSecrets_Differ()
    {
        Assert.NotEqual(SecretToken.Hash("secret-a"), SecretToken.Hash("secret-b"));
    }

    [Fact]
    public void Matches_RightSecret_ReturnsTrue()
    {
        var secret = SecretToken.NewPart(32);
        var stored = SecretToken.Hash(secret);

        Assert.True(SecretToken.Matches(secret, stored));
    }

    [Fact]
    public void Matches_OtherSecret_ReturnsFalse()
    {
        var stored = SecretToken.Hash(SecretToken.NewPart(32));

        Assert.False(SecretToken.Matches(SecretToken.NewPart(32), stored));
    }

    [Fact]
    public void Matches_StoredHashOfWrongLength_ReturnsFalse()
    {
        var secret = SecretToken.NewPart(32);
        var truncated = SecretToken.Hash(secret)[..16];

        Assert.False(SecretToken.Matches(secret, truncated));
        Assert.False(SecretToken.Matches(secret, []));
    }

    [Theory]
    [InlineData(12, 16)]
    [InlineData(16, 22)]
    [InlineData(32, 43)]
    public void NewPart_Bytes_HasUnpaddedBase64UrlLength(int bytes, int expectedChars)
    {
        var part = SecretToken.NewPart(bytes);

        Assert.Equal(expectedChars, part.Length);
        Assert.All(part, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"unexpected '{c}'"));
    }

    [Fact]
    public void NewPart_CalledTwice_Differs()
    {
        Assert.NotEqual(SecretToken.NewPart(32), SecretToken.NewPart(32));
    }

    [Fact]
    public void TryDecodePart_NewPart_DecodesToExpectedBytes()
    {
        var bytes = new byte[] { 0xfb, 0xff, 0xbf, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
        var part = Base64Url.EncodeToString(bytes);

        Assert.Equal(bytes, SecretToken.TryDecodePart(part, bytes.Length));
    }

    [Fact]
    public void TryDecodePart_UrlSafeAlphabet_IsAccepted()
    {
        // 0xfb 0xff 0xbf encodes to "-_-_" in base64url ("+/+/" in standard base64).
        Assert.Equal(new byte[] { 0xfb, 0xff, 0xbf }, SecretToken.TryDecodePart("-_-_", 3));
    }

    [Theory]
    [InlineData("", 16)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA", 16)]      // 21 chars
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA", 16)]    // 23 chars
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", 16)]   // padded
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA", 32)]     // a 16-byte part where 32 bytes are expected
    public void TryDecodePart_WrongLength_ReturnsNull(string part, int expectedBytes)
    {
        Assert.Null(SecretToken.TryDecodePart(part, expectedBytes));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAA+A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA/A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA!A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA.A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA=A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA==")]           // padded 15 bytes in the length of 16
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")]           // non-zero trailing bits (non-canonical)
    [InlineData("AAAAAAAAAAAAAAAAAAAA A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA\nA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAéA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA\0A")]
    public void TryDecodePart_BadCharacter_ReturnsNull(string part)
    {
        Assert.Equal(22, part.Length);
        Assert.Null(SecretToken.TryDecodePart(part, 16));
    }
}
