using System.Buffers;
using Google.Protobuf;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Agent.Restore;

/// <summary>
/// One <see cref="RestoreResponse"/> as it comes off the wire, with its content in a pooled
/// buffer instead of a new array: a restore receives a message for every MiB, and as ByteStrings
/// those were the agent's garbage (mostly on the large-object heap), which took a restore's peak
/// memory to 130-210 MiB or, collected often, cost it system time. Entries are parsed as usual.
/// The owner returns the buffer (<see cref="Dispose"/>) or hands it on with <see cref="TakeBuffer"/>.
/// </summary>
public sealed class RestoreMessage : IDisposable
{
    private byte[]? _buffer;

    private RestoreMessage(RestoreResponse.KindOneofCase kind) => Kind = kind;

    /// <summary>Entry, Data (plaintext), Chunk (a piece of a stored chunk) or Batch (<see cref="Items"/>).</summary>
    public RestoreResponse.KindOneofCase Kind { get; }

    /// <summary>Batch: the responses it carries, in order (none of them a batch); each owns its buffer.</summary>
    public IReadOnlyList<RestoreMessage> Items { get; private init; } = [];

    public RestoreEntry? Entry { get; private init; }

    /// <summary>The piece's bytes (plaintext for Data; for Chunk as stored).</summary>
    public ReadOnlyMemory<byte> Data => _buffer is null ? default : _buffer.AsMemory(0, Length);

    public int Length { get; private set; }

    /// <summary>Chunk: the chunk's data is one zstd frame (set on the first piece).</summary>
    public bool Compressed { get; private set; }

    /// <summary>Chunk: the last piece of its chunk.</summary>
    public bool EndOfChunk { get; private set; }

    /// <summary>Chunk, first piece: how many more times the restore needs the chunk without sending it again (<see cref="RestoreRequest.ChunksOnce"/>).</summary>
    public uint LaterUses { get; private set; }

    /// <summary>Parses a serialized <see cref="RestoreResponse"/>; unknown fields are skipped, as protobuf does.</summary>
    /// <exception cref="InvalidInputException">The bytes are not a restore response, or a piece is over 1 MiB.</exception>
    public static RestoreMessage Parse(ReadOnlySequence<byte> payload) => Parse(payload, batchAllowed: true);

    private static RestoreMessage Parse(ReadOnlySequence<byte> payload, bool batchAllowed)
    {
        var reader = new SequenceReader<byte>(payload);
        RestoreMessage? message = null;
        try
        {
            while (!reader.End)
            {
                var (field, wireType) = ReadTag(ref reader);
                if (wireType != WireFormat.WireType.LengthDelimited || field is < 1 or > 4)
                {
                    Skip(ref reader, wireType);
                    continue;
                }
                var value = ReadLengthDelimited(ref reader);
                // A oneof: the last of its fields on the wire wins.
                message?.Dispose();
                message = field switch
                {
                    1 => new RestoreMessage(RestoreResponse.KindOneofCase.Entry) { Entry = RestoreEntry.Parser.ParseFrom(value) },
                    2 => WithData(new RestoreMessage(RestoreResponse.KindOneofCase.Data), value),
                    3 => ParseChunk(value),
                    _ when batchAllowed => ParseBatch(value),
                    _ => throw Malformed("a batch inside a batch"),
                };
            }
            return message ?? throw new InvalidInputException("kind", "A restore response carries no entry, data or chunk.");
        }
        catch (Exception e) when (e is InvalidProtocolBufferException)
        {
            message?.Dispose();
            throw new InvalidInputException("entry", $"A restore entry is not valid protobuf: {e.Message}");
        }
        catch
        {
            message?.Dispose();
            throw;
        }
    }

    /// <summary>The serialized <see cref="RestoreResponse"/> this message was parsed from (for the marshaller and tests).</summary>
    public RestoreResponse ToResponse() => Kind switch
    {
        RestoreResponse.KindOneofCase.Entry => new RestoreResponse { Entry = Entry },
        RestoreResponse.KindOneofCase.Batch => new RestoreResponse { Batch = new RestoreBatch { Items = { Items.Select(i => i.ToResponse()) } } },
        RestoreResponse.KindOneofCase.Data => new RestoreResponse { Data = ByteString.CopyFrom(Data.Span) },
        _ => new RestoreResponse
        {
            Chunk = new RestoreChunk { Data = ByteString.CopyFrom(Data.Span), Compressed = Compressed, EndOfChunk = EndOfChunk, LaterUses = LaterUses },
        },
    };

    /// <summary>Hands the pooled buffer to the caller, who returns it to <see cref="ArrayPool{T}.Shared"/>; the message keeps none.</summary>
    public byte[]? TakeBuffer()
    {
        var buffer = _buffer;
        _buffer = null;
        return buffer;
    }

    public void Dispose()
    {
        if (TakeBuffer() is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        foreach (var item in Items) item.Dispose();
    }

    /// <summary>A batch's items: each a response of its own (field 1, repeated).</summary>
    private static RestoreMessage ParseBatch(ReadOnlySequence<byte> batch)
    {
        var items = new List<RestoreMessage>();
        try
        {
            var reader = new SequenceReader<byte>(batch);
            while (!reader.End)
            {
                var (field, wireType) = ReadTag(ref reader);
                if (field == 1 && wireType == WireFormat.WireType.LengthDelimited)
                {
                    items.Add(Parse(ReadLengthDelimited(ref reader), batchAllowed: false));
                }
                else
                {
                    Skip(ref reader, wireType);
                }
            }
            return new RestoreMessage(RestoreResponse.KindOneofCase.Batch) { Items = items };
        }
        catch
        {
            foreach (var item in items) item.Dispose();
            throw;
        }
    }

    private static RestoreMessage ParseChunk(ReadOnlySequence<byte> chunk)
    {
        var message = new RestoreMessage(RestoreResponse.KindOneofCase.Chunk);
        try
        {
            var reader = new SequenceReader<byte>(chunk);
            while (!reader.End)
            {
                var (field, wireType) = ReadTag(ref reader);
                switch (field, wireType)
                {
                    case (1, WireFormat.WireType.LengthDelimited):
                        message.Dispose();
                        WithData(message, ReadLengthDelimited(ref reader));
                        break;
                    case (2, WireFormat.WireType.Varint):
                        message.Compressed = ReadVarint(ref reader) != 0;
                        break;
                    case (3, WireFormat.WireType.Varint):
                        message.EndOfChunk = ReadVarint(ref reader) != 0;
                        break;
                    case (4, WireFormat.WireType.Varint):
                        // A uint32 field: the low 32 bits, as protobuf reads it.
                        message.LaterUses = (uint)ReadVarint(ref reader);
                        break;
                    default:
                        Skip(ref reader, wireType);
                        break;
                }
            }
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private static RestoreMessage WithData(RestoreMessage message, ReadOnlySequence<byte> data)
    {
        if (data.Length > ChunkLimits.MaxFrameBytes)
        {
            throw new InvalidInputException("data", $"A restore piece carries at most {ChunkLimits.MaxFrameBytes} bytes; got {data.Length}.");
        }
        var length = (int)data.Length;
        message._buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        data.CopyTo(message._buffer);
        message.Length = length;
        return message;
    }

    private static (int Field, WireFormat.WireType WireType) ReadTag(ref SequenceReader<byte> reader)
    {
        var tag = ReadVarint(ref reader);
        var field = tag >> 3;
        if (field is 0 or > int.MaxValue) throw Malformed("a field number of 0 or out of range");
        return ((int)field, (WireFormat.WireType)(tag & 7));
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b)) throw Malformed("a varint cut short");
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Malformed("a varint longer than ten bytes");
    }

    private static ReadOnlySequence<byte> ReadLengthDelimited(ref SequenceReader<byte> reader)
    {
        var length = ReadVarint(ref reader);
        if (length > (ulong)reader.Remaining) throw Malformed("a length past the end of the message");
        var value = reader.UnreadSequence.Slice(0, (long)length);
        reader.Advance((long)length);
        return value;
    }

    private static void Skip(ref SequenceReader<byte> reader, WireFormat.WireType wireType)
    {
        switch (wireType)
        {
            case WireFormat.WireType.Varint:
                ReadVarint(ref reader);
                break;
            case WireFormat.WireType.Fixed64:
                if (reader.Remaining < 8) throw Malformed("a fixed64 cut short");
                reader.Advance(8);
                break;
            case WireFormat.WireType.LengthDelimited:
                ReadLengthDelimited(ref reader);
                break;
            case WireFormat.WireType.Fixed32:
                if (reader.Remaining < 4) throw Malformed("a fixed32 cut short");
                reader.Advance(4);
                break;
            default:
                throw Malformed($"wire type {(int)wireType}");
        }
    }

    private static InvalidInputException Malformed(string what) =>
        new("restore_response", $"The server's restore response is not valid protobuf: {what}.");
}
