using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Urb.Agent.Restore;
using Urb.Contracts.Agent.V1;
using WireEntry = Urb.Contracts.Agent.V1.RestoreEntry;
using Urb.Contracts.Snapshot.V1;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Agent.Tests.Restore;

/// <summary>Reading a restore stream: stored chunks decoded and checked, in order, plaintext passed on.</summary>
public class RestoreResponsesTests
{
    private static readonly byte[] IdKey = RandomNumberGenerator.GetBytes(ChunkId.KeySize);

    [Fact]
    public async Task ReadAsync_CompressedRawAndMultiPieceChunks_HandsOutEntriesAndPlaintextInOrder()
    {
        var (responses, text, random, large) = MixedResponses();

        var items = await ReadAllAsync(responses);

        Assert.Equal(["", "a", "text", "random", "b", "large", "d"], items.Select(i => i.Entry?.Path ?? Describe(i.Content, text, random, large)));
    }

    [Fact]
    public async Task ReadAsync_ResponsesInBatches_HandsOutWhatTheSameResponsesAloneGive()
    {
        var (alone, text, random, large) = MixedResponses();
        // Batches of two, three and the rest: a chunk's pieces and a file's entry and content fall into different batches.
        var batched = new List<RestoreResponse> { Batch(alone[..2]), Batch(alone[2..5]), Batch(alone[5..]) };

        var expected = await ReadAllAsync(alone);
        var items = await ReadAllAsync(batched);

        Assert.Equal(expected.Select(i => i.Entry?.Path ?? Describe(i.Content, text, random, large)), items.Select(i => i.Entry?.Path ?? Describe(i.Content, text, random, large)));
    }

    [Fact]
    public async Task ReadAsync_BadChunkInsideABatch_IsDataLossAndTheRestOfTheBatchIsNotHandedOut()
    {
        var good = Text(1000);
        var bad = Text(2000);
        var responses = new List<RestoreResponse> { Entry("f", FileOf(good, good, good), key: IdKey) };
        responses.AddRange(Pieces(Compress(good), compressed: true));
        responses.AddRange(Pieces(Compress(bad), compressed: true));
        responses.AddRange(Pieces(Compress(good), compressed: true));

        var handedOut = new List<int>();
        var error = await Assert.ThrowsAsync<DataLossException>(async () =>
        {
            await foreach (var item in RestoreResponses.ReadAsync(new Replay([Batch(responses)]), Path.GetTempPath(), CancellationToken.None)) handedOut.Add(item.Content.Length);
        });

        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
        Assert.Equal([0, good.Length], handedOut);
    }

    [Fact]
    public async Task ReadAsync_ChunkNotMatchingItsId_IsDataLossNamingTheFileBeforeItsBytes()
    {
        var good = Text(1000);
        var bad = Text(2000);
        var node = FileOf(good, good);
        var responses = new List<RestoreResponse> { Entry("f", node, key: IdKey) };
        responses.AddRange(Pieces(Compress(good), compressed: true));
        responses.AddRange(Pieces(Compress(bad), compressed: true));

        var handedOut = new List<int>();
        var error = await Assert.ThrowsAsync<DataLossException>(async () =>
        {
            await foreach (var item in RestoreResponses.ReadAsync(new Replay(responses), Path.GetTempPath(), CancellationToken.None)) handedOut.Add(item.Content.Length);
        });

        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
        Assert.Equal([0, good.Length], handedOut);
    }

    [Fact]
    public async Task ReadAsync_ChunksWithoutTheKey_AreRefused()
    {
        var data = Text(100);
        RestoreResponse[] responses = [Entry("f", FileOf(data)), .. Pieces(data, compressed: false)];

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ReadAllAsync(responses));

        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MoreChunksThanTheEntryNames_AreRefused()
    {
        var data = Text(100);
        RestoreResponse[] responses = [Entry("f", FileOf(data), key: IdKey), .. Pieces(data, compressed: false), .. Pieces(data, compressed: false)];

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ReadAllAsync(responses));

        Assert.Contains("more chunks than its entry names", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StreamEndingInsideAChunk_IsRefused()
    {
        var data = RandomNumberGenerator.GetBytes(ChunkLimits.MaxFrameBytes + 10);
        RestoreResponse[] responses = [Entry("f", FileOf(data), key: IdKey), Pieces(data, compressed: false)[0]];

        await Assert.ThrowsAsync<InvalidInputException>(() => ReadAllAsync(responses));
    }

    [Fact]
    public async Task ReadAsync_DamagedZstdFrame_IsRefused()
    {
        var data = Text(10_000);
        var frame = Compress(data);
        frame[frame.Length / 2] ^= 0xff;
        RestoreResponse[] responses = [Entry("f", FileOf(data), key: IdKey), .. Pieces(frame, compressed: true)];

        var error = await Record.ExceptionAsync(() => ReadAllAsync(responses));

        Assert.True(error is InvalidInputException or DataLossException, $"got {error?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public async Task ReadAsync_ChunksSentOnce_AreHandedOutAtEveryPlaceTheFilesNameThem()
    {
        // "text" (compressed) and "large" (two pieces) come once, each saying how often the files
        // after it name it again: "a" names text twice, "b" names large and text, "c" only large.
        var text = Text(300_000);
        var random = RandomNumberGenerator.GetBytes(50_000);
        var large = RandomNumberGenerator.GetBytes(ChunkLimits.MaxFrameBytes + 1000);
        var responses = new List<RestoreResponse> { Entry("", Nodes.Directory(), key: IdKey), Entry("a", FileOf(text, random, text)) };
        responses.AddRange(Pieces(Compress(text), compressed: true, laterUses: 2));
        responses.AddRange(Pieces(random, compressed: false));
        responses.Add(Entry("b", FileOf(large, text)));
        responses.AddRange(Pieces(large, compressed: false, laterUses: 1));
        responses.Add(Entry("c", FileOf(large)));
        responses.Add(Entry("d", Nodes.Directory()));

        var items = await ReadAllAsync([Batch(responses[..3]), Batch(responses[3..])]);

        Assert.Equal(
            ["", "a", "text", "random", "text", "b", "large", "text", "c", "large", "d"],
            items.Select(i => i.Entry?.Path ?? Describe(i.Content, text, random, large)));
    }

    [Fact]
    public async Task ReadAsync_ServerLeavingOutAChunkItDidNotSayWasKept_IsDataLoss()
    {
        // The server skips the second "x" of the file though it announced no later use: the next
        // chunk on the wire would be taken for it, and does not match its ID.
        var x = Text(1000);
        var y = Text(2000);
        var responses = new List<RestoreResponse> { Entry("f", FileOf(x, x, y), key: IdKey) };
        responses.AddRange(Pieces(Compress(x), compressed: true));
        responses.AddRange(Pieces(Compress(y), compressed: true));

        var error = await Assert.ThrowsAsync<DataLossException>(() => ReadAllAsync(responses));

        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_PlaintextData_PassesAsItCame()
    {
        RestoreResponse[] responses =
        [
            Entry("f", Nodes.File("hello world")),
            new() { Data = ByteString.CopyFromUtf8("hello ") },
            new() { Data = ByteString.CopyFromUtf8("world") },
        ];

        var items = await ReadAllAsync(responses);

        Assert.Equal("hello world", string.Concat(items.Skip(1).Select(i => System.Text.Encoding.UTF8.GetString(i.Content))));
    }

    private static async Task<List<(WireEntry? Entry, byte[] Content)>> ReadAllAsync(IReadOnlyList<RestoreResponse> responses)
    {
        var items = new List<(WireEntry?, byte[])>();
        // The content is only valid until the next item: copied here, as a writer would use it.
        await foreach (var item in RestoreResponses.ReadAsync(new Replay(responses), Path.GetTempPath(), CancellationToken.None)) items.Add((item.Entry, item.Content.ToArray()));
        return items;
    }

    private static string Describe(byte[] content, byte[] text, byte[] random, byte[] large) =>
        content.AsSpan().SequenceEqual(text) ? "text" : content.AsSpan().SequenceEqual(random) ? "random" : content.AsSpan().SequenceEqual(large) ? "large" : $"{content.Length} other bytes";

    /// <summary>A directory, a file of a compressed and a raw chunk, a file of one chunk in two pieces, an empty directory.</summary>
    private static (List<RestoreResponse> Responses, byte[] Text, byte[] Random, byte[] Large) MixedResponses()
    {
        var text = Text(300_000);
        var random = RandomNumberGenerator.GetBytes(50_000);
        var large = RandomNumberGenerator.GetBytes(ChunkLimits.MaxFrameBytes + 1000);
        var responses = new List<RestoreResponse> { Entry("", Nodes.Directory(), key: IdKey), Entry("a", FileOf(text, random)) };
        responses.AddRange(Pieces(Compress(text), compressed: true));
        responses.AddRange(Pieces(random, compressed: false));
        responses.Add(Entry("b", FileOf(large)));
        responses.AddRange(Pieces(large, compressed: false));
        responses.Add(Entry("d", Nodes.Directory()));
        return (responses, text, random, large);
    }

    private static RestoreResponse Batch(IEnumerable<RestoreResponse> items) => new() { Batch = new RestoreBatch { Items = { items } } };

    private static RestoreResponse Entry(string path, Node node, byte[]? key = null)
    {
        var entry = new WireEntry { Path = path, Node = node };
        if (key is not null) entry.ChunkIdKey = ByteString.CopyFrom(key);
        return new RestoreResponse { Entry = entry };
    }

    private static Node FileOf(params byte[][] chunks)
    {
        var node = Nodes.File(chunks.SelectMany(c => c).ToArray());
        node.ChunkIds = ByteString.CopyFrom(ChunkId.Pack(chunks.Select(c => ChunkId.Compute(IdKey, c)).ToList()));
        return node;
    }

    private static List<RestoreResponse> Pieces(byte[] data, bool compressed, uint laterUses = 0)
    {
        var pieces = new List<RestoreResponse>();
        for (var at = 0; at < data.Length || at == 0; at += ChunkLimits.MaxFrameBytes)
        {
            var size = Math.Min(ChunkLimits.MaxFrameBytes, data.Length - at);
            pieces.Add(new RestoreResponse
            {
                Chunk = new RestoreChunk
                {
                    Data = ByteString.CopyFrom(data, at, size),
                    Compressed = compressed && at == 0,
                    EndOfChunk = at + size >= data.Length,
                    LaterUses = at == 0 ? laterUses : 0,
                },
            });
            if (data.Length == 0) break;
        }
        return pieces;
    }

    private static byte[] Compress(byte[] data)
    {
        var frame = new byte[Zstd.CompressBound(data.Length)];
        return frame.AsSpan(0, Zstd.Compress(data, frame, 3)).ToArray();
    }

    private static byte[] Text(int length) => System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a restore reads stored chunks; ", length / 31 + 1)))[..length];

    /// <summary>A server's responses, replayed in order as the agent reads them off the wire.</summary>
    private sealed class Replay(IReadOnlyList<RestoreResponse> responses) : IAsyncStreamReader<RestoreMessage>
    {
        private int _next = -1;

        public RestoreMessage Current { get; private set; } = null!;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (++_next >= responses.Count) return Task.FromResult(false);
            Current = RestoreMessage.Parse(new System.Buffers.ReadOnlySequence<byte>(responses[_next].ToByteArray()));
            return Task.FromResult(true);
        }
    }
}
