using Google.Protobuf;
using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.DedupIndex.Data;
using Urb.Domain.Content;
using Urb.Domain.Errors;
using Urb.Domain.Identity;

namespace Urb.DedupIndex.Grpc;

/// <summary>Checks and converts request fields; a malformed one is an <see cref="InvalidInputException"/> naming it.</summary>
internal static class RequestFields
{
    private const int MaxPackNameLength = 64;

    public static Guid Id(string text, string field) => RequestId.Parse(text, field);

    /// <summary>A packed list of chunk IDs as separate 32-byte arrays.</summary>
    public static byte[][] ChunkIds(ByteString packed, string field, int max)
    {
        var count = ChunkId.CountPacked(packed.Span, field, max);
        var ids = new byte[count][];
        for (var i = 0; i < count; i++) ids[i] = packed.Span.Slice(i * ChunkId.Size, ChunkId.Size).ToArray();
        return ids;
    }

    public static byte[] Hash(ByteString hash, string field) =>
        hash.Length == ChunkId.Size
            ? hash.ToByteArray()
            : throw new InvalidInputException(field, $"A hash is {ChunkId.Size} bytes; got {hash.Length}.");

    public static void Count(int count, string field, int max)
    {
        if (count > max) throw new InvalidInputException(field, $"At most {max} per call; got {count}.");
    }

    public static ChunkPlacement Placement(ChunkLocation location, string field)
    {
        var id = Hash(location.ChunkId, $"{field}.chunk_id");
        PackName(location.Pack, $"{field}.pack");
        if (location.Offset < 0) throw new InvalidInputException($"{field}.offset", $"An offset is not negative; got {location.Offset}.");
        if (location.Length <= 0) throw new InvalidInputException($"{field}.length", $"A stored chunk has a positive length; got {location.Length}.");
        if (location.PlainLength < 0) throw new InvalidInputException($"{field}.plain_length", $"A plain length is not negative; got {location.PlainLength}.");
        return new ChunkPlacement(id, location.Pack, location.Offset, location.Length, location.PlainLength, location.Tree);
    }

    public static DictionaryEntry Dictionary(DictionaryInfo? dictionary, string field)
    {
        if (dictionary is null) throw new InvalidInputException(field, "Give the dictionary.");
        if (dictionary.DictionaryId is < ZstdDict.FirstId or > ZstdDict.LastId)
        {
            throw new InvalidInputException($"{field}.dictionary_id", $"A dictionary ID is {ZstdDict.FirstId} to {ZstdDict.LastId}; got {dictionary.DictionaryId}.");
        }
        return new DictionaryEntry(dictionary.DictionaryId, Hash(dictionary.ChunkId, $"{field}.chunk_id"), Id(dictionary.ClientId, $"{field}.client_id"));
    }

    public static string PackName(string pack, string field) =>
        pack.Length is 0 or > MaxPackNameLength || !pack.All(char.IsAsciiHexDigitLower)
            ? throw new InvalidInputException(field, $"A pack name is 1 to {MaxPackNameLength} lowercase hex characters; got '{Shorten(pack)}'.")
            : pack;

    /// <summary>A point in time that must be given.</summary>
    public static DateTimeOffset Time(Google.Protobuf.WellKnownTypes.Timestamp? time, string field) =>
        time is null ? throw new InvalidInputException(field, "Give a time.") : time.ToDateTimeOffset();

    public static FileContent Entry(Contracts.Index.V1.FileEntry entry, string field)
    {
        var hash = Hash(entry.FileHash, $"{field}.file_hash");
        if (entry.Size < 0) throw new InvalidInputException($"{field}.size", $"A size is not negative; got {entry.Size}.");
        // The list's length is bounded by the message size; only its shape is checked here.
        ChunkId.CountPacked(entry.ChunkIds.Span, $"{field}.chunk_ids", int.MaxValue);
        return new FileContent(hash, entry.Size, entry.ChunkIds.ToByteArray());
    }

    private static string Shorten(string text) => text.Length <= MaxPackNameLength ? text : text[..MaxPackNameLength] + "…";
}
