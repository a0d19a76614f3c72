using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;

namespace Urb.ServiceDefaults.Hosting;

/// <summary>
/// Kestrel's buffers in blocks of <see cref="BlockBytes"/> instead of its 4 KiB. The socket
/// transport receives into the free part of the current block, at least half a block, so with
/// 4 KiB blocks a relayed chunk stream costs a receive call (and a pipe hand-off) per 2–4 KiB:
/// about 155,000 calls per service for the 303 MB of the initial benchmark backup. With 64 KiB
/// blocks that backup took 13.0 instead of 13.8 CPU-s across the stack, and a restore 5.3 instead
/// of 5.9 (docs/architecture.md, "Runtime"); 32 and 128 KiB measured the same as 64 within the noise.
/// Blocks are pinned (the socket pins every buffer it receives into) and kept for reuse up to
/// <see cref="RetainedBlocks"/>; beyond that a returned block is left to the collector.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockBytes = 64 * 1024;
    public const int RetainedBlocks = 128;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockBytes;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockBytes);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
        }
        else
        {
            block = new Block(this);
        }
        block.MarkRented();
        return block;
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= RetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        while (_free.TryDequeue(out _)) { }
        _freeCount = 0;
    }

    /// <summary>
    /// One pinned array. Pinning it for a socket is taking its address (no GC handle), and a second
    /// dispose of one rental is ignored, so a block is never handed to two renters at once.
    /// </summary>
    private sealed unsafe class Block(LargeBlockMemoryPool pool) : MemoryManager<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);
        private int _rented;

        public void MarkRented() => Volatile.Write(ref _rented, 1);

        public override Span<byte> GetSpan() => _array;

        public override MemoryHandle Pin(int elementIndex = 0) =>
            new((byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + elementIndex);

        public override void Unpin() { }

        // Kestrel's socket sender hands blocks to the socket as array segments.
        protected override bool TryGetArray(out ArraySegment<byte> segment)
        {
            segment = _array;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1) pool.Return(this);
        }
    }
}

/// <summary>Hands Kestrel <see cref="LargeBlockMemoryPool"/>s (it asks the container for a pool factory).</summary>
public sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
