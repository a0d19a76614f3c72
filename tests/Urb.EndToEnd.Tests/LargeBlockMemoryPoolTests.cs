using System.Runtime.InteropServices;
using Urb.ServiceDefaults.Hosting;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The buffer pool the services' Kestrel receives and sends with: whole blocks, array-backed (the
/// socket sender needs the array), reused after a return, and never handed to two renters at once.
/// The services' end-to-end tests run every call through it.
/// </summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_GivesAWholeArrayBackedBlock_WhateverTheHint()
    {
        using var pool = new LargeBlockMemoryPool();
        foreach (var hint in new[] { -1, 0, 1, 2048, LargeBlockMemoryPool.BlockBytes })
        {
            using var owner = pool.Rent(hint);
            Assert.Equal(LargeBlockMemoryPool.BlockBytes, owner.Memory.Length);
            Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment), "Kestrel's socket sender takes blocks as arrays");
            Assert.Equal(LargeBlockMemoryPool.BlockBytes, segment.Count);
        }
    }

    [Fact]
    public void Rent_MoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockBytes + 1));
    }

    [Fact]
    public void AReturnedBlock_IsReused()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        var array = ArrayOf(first.Memory);
        first.Dispose();

        using var second = pool.Rent();
        Assert.Same(array, ArrayOf(second.Memory));
    }

    [Fact]
    public void DisposingARentalTwice_ReturnsTheBlockOnce()
    {
        using var pool = new LargeBlockMemoryPool();
        var owner = pool.Rent();
        owner.Dispose();
        owner.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.NotSame(ArrayOf(a.Memory), ArrayOf(b.Memory));
    }

    [Fact]
    public void ManyReturns_KeepAtMostTheRetainedNumberOfBlocks()
    {
        using var pool = new LargeBlockMemoryPool();
        var rented = Enumerable.Range(0, LargeBlockMemoryPool.RetainedBlocks + 10).Select(_ => pool.Rent()).ToList();
        var arrays = rented.Select(o => ArrayOf(o.Memory)).ToHashSet(ReferenceEqualityComparer.Instance);
        rented.ForEach(o => o.Dispose());

        var again = Enumerable.Range(0, LargeBlockMemoryPool.RetainedBlocks + 10).Select(_ => pool.Rent()).ToList();
        var reused = again.Count(o => arrays.Contains(ArrayOf(o.Memory)));
        again.ForEach(o => o.Dispose());

        Assert.Equal(LargeBlockMemoryPool.RetainedBlocks, reused);
    }

    [Fact]
    public void Pin_PointsAtTheBlocksBytes()
    {
        using var pool = new LargeBlockMemoryPool();
        using var owner = pool.Rent();
        owner.Memory.Span[100] = 42;
        unsafe
        {
            using var pin = owner.Memory.Pin();
            Assert.Equal(42, ((byte*)pin.Pointer)[100]);
        }
    }

    private static byte[] ArrayOf(Memory<byte> memory) =>
        MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
