using System.Buffers.Binary;

namespace Urb.Domain.Content;

/// <summary>What a zstd frame's header says, read without decompressing (RFC 8878, 3.1.1).</summary>
public static class ZstdFrame
{
    private const uint Magic = 0xFD2FB528;

    /// <summary>The dictionary a frame needs, or 0 when it needs none (or is not a zstd frame at all).</summary>
    public static uint DictionaryId(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 5 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic) return 0;
        var descriptor = frame[4];
        var singleSegment = (descriptor & 0x20) != 0;
        var idField = frame[(singleSegment ? 5 : 6)..];
        return (descriptor & 0x03) switch
        {
            1 when idField.Length >= 1 => idField[0],
            2 when idField.Length >= 2 => BinaryPrimitives.ReadUInt16LittleEndian(idField),
            3 when idField.Length >= 4 => BinaryPrimitives.ReadUInt32LittleEndian(idField),
            _ => 0,
        };
    }
}
