using System.Security.Cryptography;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Domain.Tests;

public sealed class ChunkIdTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Compute_SameKeyAndData_IsDeterministic() =>
        Assert.Equal(ChunkId.Compute(Key, "hello"u8), ChunkId.Compute(Key, "hello"u8));

    [Fact]
    public void Compute_AnotherTenantsKey_GivesAnUnrelatedId() =>
        Assert.NotEqual(ChunkId.Compute(Key, "hello"u8), ChunkId.Compute(RandomNumberGenerator.GetBytes(32), "hello"u8));

    [Fact]
    public void Compute_IsKeyedBlake3OfTheUnkeyedBlake3()
    {
        var inner = Blake3.Hasher.Hash("hello"u8).AsSpan().ToArray();
        using var keyed = Blake3.Hasher.NewKeyed(Key);
        keyed.Update(inner);

        Assert.Equal(keyed.Finalize().AsSpan().ToArray(), ChunkId.Compute(Key, "hello"u8));
    }

    [Fact]
    public void Matches_RightAndWrongContent()
    {
        var id = ChunkId.Compute(Key, "hello"u8);

        Assert.True(ChunkId.Matches(Key, "hello"u8, id));
        Assert.False(ChunkId.Matches(Key, "hellp"u8, id));
    }

    [Fact]
    public void Compute_KeyOfWrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => ChunkId.Compute(new byte[16], "x"u8));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(64, 2)]
    public void CountPacked_MultipleOf32_ReturnsCount(int bytes, int expected) =>
        Assert.Equal(expected, ChunkId.CountPacked(new byte[bytes], "ids", 10));

    [Fact]
    public void CountPacked_NotAMultipleOrTooMany_IsInvalidInput()
    {
        Assert.Equal("ids", Assert.Throws<InvalidInputException>(() => ChunkId.CountPacked(new byte[33], "ids", 10)).Field);
        Assert.Throws<InvalidInputException>(() => ChunkId.CountPacked(new byte[32 * 11], "ids", 10));
    }
}
