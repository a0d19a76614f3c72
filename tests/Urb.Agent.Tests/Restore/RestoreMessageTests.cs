using System.Buffers;
using Google.Protobuf;
using Urb.Agent.Restore;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using WireEntry = Urb.Contracts.Agent.V1.RestoreEntry;

namespace Urb.Agent.Tests.Restore;

/// <summary>Reading restore responses off the wire into pooled buffers, as protobuf would read them.</summary>
public class RestoreMessageTests
{
    [Fact]
    public void Parse_EachKind_GivesWhatTheGeneratedParserGives()
    {
        var entry = new RestoreResponse { Entry = new WireEntry { Path = "a/b", BackupId = "x", Node = Nodes.File("content") } };
        var data = new RestoreResponse { Data = ByteString.CopyFromUtf8("plain bytes") };
        var chunk = new RestoreResponse { Chunk = new RestoreChunk { Data = ByteString.CopyFromUtf8("frame"), Compressed = true, EndOfChunk = true } };

        foreach (var response in new[] { entry, data, chunk })
        {
            using var message = RestoreMessage.Parse(new ReadOnlySequence<byte>(response.ToByteArray()));
            Assert.Equal(response.KindCase, message.Kind);
            Assert.Equal(response, message.ToResponse());
        }
    }

    [Fact]
    public void Parse_Batch_GivesItsItemsInOrderEachWithItsOwnBuffer()
    {
        var entry = new RestoreResponse { Entry = new WireEntry { Path = "a/b", Node = Nodes.File("content") } };
        var chunk = new RestoreResponse { Chunk = new RestoreChunk { Data = ByteString.CopyFromUtf8("frame"), Compressed = true } };
        var data = new RestoreResponse { Data = ByteString.CopyFromUtf8("plain bytes") };
        var batch = new RestoreResponse { Batch = new RestoreBatch { Items = { entry, chunk, data } } };

        using var message = RestoreMessage.Parse(Segments(batch.ToByteArray(), 7));

        Assert.Equal(RestoreResponse.KindOneofCase.Batch, message.Kind);
        Assert.Equal([entry, chunk, data], message.Items.Select(i => i.ToResponse()));
        Assert.Equal(batch, message.ToResponse());
    }

    [Fact]
    public void Parse_BatchInsideABatch_IsRefused()
    {
        var inner = new RestoreResponse { Batch = new RestoreBatch { Items = { new RestoreResponse { Data = ByteString.CopyFromUtf8("x") } } } };
        var outer = new RestoreResponse { Batch = new RestoreBatch { Items = { inner } } };

        var error = Assert.Throws<InvalidInputException>(() => RestoreMessage.Parse(new ReadOnlySequence<byte>(outer.ToByteArray())));

        Assert.Contains("batch inside a batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PayloadInManySegments_JoinsTheData()
    {
        var bytes = RandomBytes(300_000);
        var serialized = new RestoreResponse { Chunk = new RestoreChunk { Data = ByteString.CopyFrom(bytes), EndOfChunk = true } }.ToByteArray();

        using var message = RestoreMessage.Parse(Segments(serialized, 4096));

        Assert.Equal(bytes, message.Data.ToArray());
        Assert.True(message.EndOfChunk);
        Assert.False(message.Compressed);
    }

    [Fact]
    public void Parse_UnknownFieldsOfEveryWireType_AreSkipped()
    {
        var known = new RestoreResponse { Chunk = new RestoreChunk { Data = ByteString.CopyFromUtf8("x"), EndOfChunk = true } }.ToByteArray();
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(9, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        output.WriteTag(10, WireFormat.WireType.Fixed64);
        output.WriteFixed64(7);
        output.WriteTag(11, WireFormat.WireType.Fixed32);
        output.WriteFixed32(7);
        output.WriteTag(12, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8("a later field"));
        output.Flush();
        stream.Write(known);

        using var message = RestoreMessage.Parse(new ReadOnlySequence<byte>(stream.ToArray()));

        Assert.Equal(RestoreResponse.KindOneofCase.Chunk, message.Kind);
        Assert.Equal("x"u8.ToArray(), message.Data.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x1a, 0x05, 0x0a })]             // chunk: a length past the end
    [InlineData(new byte[] { 0x12, 0xff, 0xff, 0xff })]       // data: a varint cut short
    [InlineData(new byte[] { 0x0d, 0x01 })]                   // field 1 as fixed32, cut short
    [InlineData(new byte[] { 0x0f })]                         // wire type 7
    [InlineData(new byte[] { })]                              // nothing at all
    public void Parse_Malformed_IsInvalidInput(byte[] payload)
    {
        Assert.Throws<InvalidInputException>(() => RestoreMessage.Parse(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void Parse_PieceOverOneMiB_IsInvalidInput()
    {
        var serialized = new RestoreResponse { Data = ByteString.CopyFrom(new byte[ChunkLimits.MaxFrameBytes + 1]) }.ToByteArray();

        var error = Assert.Throws<InvalidInputException>(() => RestoreMessage.Parse(new ReadOnlySequence<byte>(serialized)));

        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TakeBuffer_HandsTheBufferOnce()
    {
        using var message = RestoreMessage.Parse(new ReadOnlySequence<byte>(new RestoreResponse { Data = ByteString.CopyFromUtf8("abc") }.ToByteArray()));

        var buffer = message.TakeBuffer();

        Assert.NotNull(buffer);
        Assert.Equal("abc"u8.ToArray(), buffer.AsSpan(0, 3).ToArray());
        Assert.Null(message.TakeBuffer());
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var segment = new Segment(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), last);
            first ??= segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}
