namespace Urb.Domain.Content;

/// <summary>Sizes every part of the data path agrees on.</summary>
public static class ChunkLimits
{
    /// <summary>The largest chunk (plaintext) anyone may send or store: 16 MiB, well above the chunker's maximum.</summary>
    public const int MaxChunkBytes = 16 * 1024 * 1024;

    /// <summary>The largest piece of data in one gRPC message: 1 MiB.</summary>
    public const int MaxFrameBytes = 1024 * 1024;
}
