namespace Urb.Domain.Content;

/// <summary>Sizes every part of the data path agrees on.</summary>
public static class ChunkLimits
{
    /// <summary>The largest chunk (plaintext) anyone may send or store: 16 MiB, well above the chunker's maximum.</summary>
    public const int MaxChunkBytes = 16 * 1024 * 1024;

    /// <summary>The largest piece of data in one gRPC message: 1 MiB.</summary>
    public const int MaxFrameBytes = 1024 * 1024;

    /// <summary>
    /// How an object of <paramref name="length"/> bytes is cut into frames of at most
    /// <see cref="MaxFrameBytes"/>: (offset, length) of each, in order; one empty frame for an
    /// empty object (it still needs a first and last frame).
    /// </summary>
    public static IEnumerable<(int Offset, int Length)> Frames(int length)
    {
        var offset = 0;
        do
        {
            var frame = Math.Min(MaxFrameBytes, length - offset);
            yield return (offset, frame);
            offset += frame;
        }
        while (offset < length);
    }
}
