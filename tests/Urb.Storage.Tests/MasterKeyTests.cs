using System.Security.Cryptography;
using Urb.Storage.Keys;
using Urb.Storage.Options;

namespace Urb.Storage.Tests;

public sealed class MasterKeyTests : IDisposable
{
    private const string Purpose = "urb-tenant-key/data/00000000-0000-0000-0000-000000000001";
    private readonly TempDirectory directory = new();
    private readonly MasterKey master = NewMasterKey();

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1000)]
    public void Unwrap_WhatWrapMade_ReturnsTheSecret(int secretLength)
    {
        var secret = RandomNumberGenerator.GetBytes(secretLength);

        var wrapped = master.Wrap(secret, Purpose);

        Assert.Equal(12 + secretLength + 16, wrapped.Length);
        Assert.Equal(secret, master.Unwrap(wrapped, Purpose));
    }

    [Fact]
    public void Wrap_SameSecretTwice_GivesDifferentBytes()
    {
        var secret = RandomNumberGenerator.GetBytes(32);

        Assert.NotEqual(master.Wrap(secret, Purpose), master.Wrap(secret, Purpose));
    }

    [Fact]
    public void Unwrap_DifferentPurpose_ThrowsCryptographic()
    {
        var wrapped = master.Wrap(RandomNumberGenerator.GetBytes(32), Purpose);

        Assert.ThrowsAny<CryptographicException>(() => master.Unwrap(wrapped, "urb-tenant-key/id/00000000-0000-0000-0000-000000000001"));
        Assert.ThrowsAny<CryptographicException>(() => master.Unwrap(wrapped, Purpose + " "));
    }

    [Fact]
    public void Unwrap_AnyTamperedByte_ThrowsCryptographic()
    {
        var wrapped = master.Wrap(RandomNumberGenerator.GetBytes(32), Purpose);

        foreach (var at in (int[])[0, 11, 12, 12 + 31, wrapped.Length - 16, wrapped.Length - 1])
        {
            var tampered = wrapped.ToArray();
            tampered[at] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => master.Unwrap(tampered, Purpose));
        }
    }

    [Fact]
    public void Unwrap_TooShort_ThrowsCryptographic()
    {
        Assert.ThrowsAny<CryptographicException>(() => master.Unwrap(new byte[27], Purpose));
    }

    [Fact]
    public void Unwrap_UnderAnotherMasterKey_ThrowsCryptographic()
    {
        var wrapped = master.Wrap(RandomNumberGenerator.GetBytes(32), Purpose);

        Assert.ThrowsAny<CryptographicException>(() => NewMasterKey().Unwrap(wrapped, Purpose));
    }

    [Fact]
    public void Wrap_KeyFromFile_UnwrapsWithAnInstanceReadingTheSameFile()
    {
        var file = WriteKeyFile(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)) + "\n");
        var options = new StorageOptions { MasterKeyFile = file };
        var secret = RandomNumberGenerator.GetBytes(32);

        var wrapped = new MasterKey(Microsoft.Extensions.Options.Options.Create(options)).Wrap(secret, Purpose);

        Assert.Equal(secret, new MasterKey(Microsoft.Extensions.Options.Options.Create(options)).Unwrap(wrapped, Purpose));
    }

    [Fact]
    public void IsConfigured_GoodKeyFile_ReturnsTrue()
    {
        var file = WriteKeyFile(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)) + "\n");

        Assert.True(MasterKey.IsConfigured(new StorageOptions { MasterKeyFile = file }));
    }

    [Fact]
    public void IsConfigured_InlineKey_ReturnsTrue()
    {
        Assert.True(MasterKey.IsConfigured(new StorageOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)) }));
    }

    [Fact]
    public void IsConfigured_MissingFile_ReturnsFalse()
    {
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKeyFile = Path.Combine(directory.Path, "absent.key") }));
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKeyFile = Path.Combine(directory.Path, "no-such-dir", "master.key") }));
    }

    [Fact]
    public void IsConfigured_BadBase64_ReturnsFalse()
    {
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKeyFile = WriteKeyFile("this is not base64!") }));
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKey = "%%%%" }));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void IsConfigured_WrongLength_ReturnsFalse(int length)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length));

        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKeyFile = WriteKeyFile(key) }));
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKey = key }));
    }

    [Fact]
    public void IsConfigured_NothingConfigured_ReturnsFalse()
    {
        Assert.False(MasterKey.IsConfigured(new StorageOptions()));
        Assert.False(MasterKey.IsConfigured(new StorageOptions { MasterKey = "  ", MasterKeyFile = "" }));
    }

    [Fact]
    public void IsConfigured_InlineKeyBesideBadFile_UsesTheInlineKey()
    {
        var options = new StorageOptions
        {
            MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)),
            MasterKeyFile = Path.Combine(directory.Path, "absent.key"),
        };

        Assert.True(MasterKey.IsConfigured(options));
    }

    public void Dispose() => directory.Dispose();

    private static MasterKey NewMasterKey() =>
        new(Microsoft.Extensions.Options.Options.Create(new StorageOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)) }));

    private string WriteKeyFile(string text)
    {
        var path = Path.Combine(directory.Path, Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, text);
        return path;
    }
}
