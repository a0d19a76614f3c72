using Google.Protobuf;
using Urb.Contracts.Storage.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Storage.Tests;

public sealed class ChunkAssemblerTests
{
    private readonly ChunkAssembler<bool> assembler = new("frame");

    private AssembledChunk<bool>? Add(ChunkFrame frame) => assembler.Add(frame.ChunkId.Span, frame.Data.Memory, frame.EndOfChunk, frame.Compressed);

    [Fact]
    public void Add_WholeChunkInOneFrame_ReturnsItWithItsFlag()
    {
        var id = NewId();
        var data = TestKeys.RandomBytes(5000);

        var chunk = Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(data), EndOfChunk = true, Compressed = true });

        Assert.NotNull(chunk);
        Assert.Equal(id, chunk.Value.Id);
        Bytes.Equal(data, chunk.Value.Data.ToArray());
        Assert.True(chunk.Value.Info);
        assembler.EnsureComplete();
    }

    [Fact]
    public void Add_ChunkInSeveralFrames_ReturnsTheFramesJoinedOnTheLast()
    {
        var id = NewId();
        var data = TestKeys.RandomBytes((3 * ChunkLimits.MaxFrameBytes) + 12345);
        var frames = Frames(id, data, ChunkLimits.MaxFrameBytes);
        frames[1].ChunkId = ByteString.CopyFrom(id); // repeating the ID on a later frame is allowed

        var chunk = AddAll(frames);

        Assert.Equal(4, frames.Count);
        Assert.NotNull(chunk);
        Assert.Equal(id, chunk.Value.Id);
        Bytes.Equal(data, chunk.Value.Data.ToArray());
        Assert.False(chunk.Value.Info);
        assembler.EnsureComplete();
    }

    [Fact]
    public void Add_ChunksOneAfterAnother_ReturnsEachIntactAndIndependent()
    {
        var firstId = NewId();
        var first = TestKeys.RandomBytes(300_000);
        var secondId = NewId();
        var second = TestKeys.RandomBytes(1000);

        var one = AddAll(Frames(firstId, first, 100_000, compressed: true));
        var two = AddAll(Frames(secondId, second, 400));

        Assert.NotNull(one);
        Assert.NotNull(two);
        Assert.Equal(firstId, one.Value.Id);
        Assert.True(one.Value.Info);
        Bytes.Equal(first, one.Value.Data.ToArray());
        Assert.Equal(secondId, two.Value.Id);
        Assert.False(two.Value.Info);
        Bytes.Equal(second, two.Value.Data.ToArray());
    }

    [Fact]
    public void Add_EmptyChunk_ReturnsNoData()
    {
        var chunk = Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(NewId()), EndOfChunk = true });

        Assert.NotNull(chunk);
        Assert.Equal(0, chunk.Value.Data.Length);
    }

    [Fact]
    public void Add_ChunkOfExactlyMaxChunkBytes_IsAccepted()
    {
        var data = new byte[ChunkLimits.MaxChunkBytes];
        data[^1] = 7;

        var chunk = AddAll(Frames(NewId(), data, ChunkLimits.MaxFrameBytes));

        Assert.NotNull(chunk);
        Assert.Equal(ChunkLimits.MaxChunkBytes, chunk.Value.Data.Length);
        Assert.Equal(7, chunk.Value.Data.Span[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ChunkId.Size - 1)]
    [InlineData(ChunkId.Size + 1)]
    public void Add_FirstFrameWithoutAValidId_ThrowsInvalidInput(int idLength)
    {
        var frame = new ChunkFrame { ChunkId = ByteString.CopyFrom(new byte[idLength]), Data = ByteString.CopyFrom(1, 2, 3), EndOfChunk = true };

        var e = Assert.Throws<InvalidInputException>(() => Add(frame));

        Assert.Equal("frame.id", e.Field);
    }

    [Fact]
    public void Add_FrameOverOneMebibyte_ThrowsInvalidInput()
    {
        var frame = new ChunkFrame { ChunkId = ByteString.CopyFrom(NewId()), Data = ByteString.CopyFrom(new byte[ChunkLimits.MaxFrameBytes + 1]) };

        var e = Assert.Throws<InvalidInputException>(() => Add(frame));

        Assert.Equal("frame.data", e.Field);
    }

    [Fact]
    public void Add_ChunkOverMaxChunkBytes_ThrowsInvalidInputOnTheFrameThatCrossesIt()
    {
        var id = NewId();
        var fullFrame = ByteString.CopyFrom(new byte[ChunkLimits.MaxFrameBytes]);
        var framesAtLimit = ChunkLimits.MaxChunkBytes / ChunkLimits.MaxFrameBytes;
        Assert.Null(Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(id), Data = fullFrame }));
        for (var i = 1; i < framesAtLimit; i++) Assert.Null(Add(new ChunkFrame { Data = fullFrame }));

        var e = Assert.Throws<InvalidInputException>(() => Add(new ChunkFrame { Data = ByteString.CopyFrom(0), EndOfChunk = true }));

        Assert.Equal("frame.data", e.Field);
    }

    [Fact]
    public void Add_FrameNamingAnotherChunkMidChunk_ThrowsInvalidInput()
    {
        Assert.Null(Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(NewId()), Data = ByteString.CopyFrom(1, 2, 3) }));

        var e = Assert.Throws<InvalidInputException>(() => Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(NewId()), Data = ByteString.CopyFrom(4), EndOfChunk = true }));

        Assert.Equal("frame.id", e.Field);
    }

    [Fact]
    public void EnsureComplete_MidChunk_ThrowsInvalidInput()
    {
        var id = NewId();
        Assert.Null(Add(new ChunkFrame { ChunkId = ByteString.CopyFrom(id), Data = ByteString.CopyFrom(1, 2, 3) }));

        var e = Assert.Throws<InvalidInputException>(assembler.EnsureComplete);

        Assert.Equal("frame.end_of_chunk", e.Field);
        Assert.Contains(ChunkId.ToHex(id), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureComplete_NoFramesYet_DoesNotThrow()
    {
        var e = Record.Exception(assembler.EnsureComplete);

        Assert.Null(e);
    }

    /// <summary>Adds every frame; only the last may end the chunk.</summary>
    private AssembledChunk<bool>? AddAll(List<ChunkFrame> frames)
    {
        for (var i = 0; i < frames.Count - 1; i++) Assert.Null(Add(frames[i]));
        return Add(frames[^1]);
    }

    private static byte[] NewId() => TestKeys.RandomBytes(ChunkId.Size);

    /// <summary>The frames a client sends for one chunk: the ID (and flag) on the first, end-of-chunk on the last.</summary>
    private static List<ChunkFrame> Frames(byte[] id, byte[] data, int frameSize, bool compressed = false)
    {
        var frames = new List<ChunkFrame>();
        for (var at = 0; at < data.Length; at += frameSize)
        {
            frames.Add(new ChunkFrame { Data = ByteString.CopyFrom(data, at, Math.Min(frameSize, data.Length - at)) });
        }
        frames[0].ChunkId = ByteString.CopyFrom(id);
        frames[0].Compressed = compressed;
        frames[^1].EndOfChunk = true;
        return frames;
    }
}
