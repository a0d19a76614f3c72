using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Urb.Domain.Content.Chunking;

/// <summary>
/// FastCDC-style content-defined chunking with normalized chunking: a gear hash
/// <c>h = (h &lt;&lt; 1) + Gear[b]</c> rolled over the data, cut where the hash's top bits
/// selected by the current mask are zero. Boundaries depend only on the bytes near them, so an
/// insertion or deletion moves the cuts around it and leaves the others where they were.
/// Immutable and free of state between calls: one instance can serve any number of threads.
/// </summary>
/// <remarks>
/// The exact definition, which every agent must share (the golden test pins it): the hash
/// starts at zero at offset MinSize; byte <c>i</c> is rolled in and, if <c>hash &amp; mask</c> is
/// zero, the chunk ends after it (length <c>i + 1</c>), with the strict mask while
/// <c>i &lt; AverageSize</c> and the loose mask from there on; no match up to MaxSize cuts at
/// MaxSize. Since nothing is cut in the first MinSize bytes, the mean chunk on random data is
/// somewhat above AverageSize (about 1.14 times with MinSize = AverageSize / 4 and level 2).
/// </remarks>
public sealed class ContentDefinedChunker
{
    private readonly int minSize;
    private readonly int averageSize;
    private readonly int maxSize;
    private readonly ulong strictMask;
    private readonly ulong looseMask;

    public ContentDefinedChunker(ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        minSize = parameters.MinSize;
        averageSize = parameters.AverageSize;
        maxSize = parameters.MaxSize;
        strictMask = parameters.StrictMask;
        looseMask = parameters.LooseMask;
    }

    /// <summary>A chunker with <see cref="ChunkerParameters.Default"/>.</summary>
    public static ContentDefinedChunker Default { get; } = new(ChunkerParameters.Default);

    public ChunkerParameters Parameters { get; }

    /// <summary>
    /// The length of the chunk that starts at <paramref name="data"/>[0]: all of
    /// <paramref name="data"/> when it is at most MinSize long, otherwise between MinSize + 1
    /// and MaxSize. Pass at least MaxSize bytes, or all that is left of the stream: a shorter
    /// span that is not the end makes the last chunk end where the span ends.
    /// </summary>
    public int NextCut(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (length <= minSize) return length;
        var end = Math.Min(length, maxSize);
        var normal = Math.Min(end, averageSize);

        // The first MinSize bytes cannot hold a cut, so they are not hashed at all (FastCDC's
        // sub-minimum skipping); the hash starts from zero at MinSize.
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var gear = ref MemoryMarshal.GetArrayDataReference(GearTable.Table);
        ulong hash = 0;
        nint i = minSize;
        var mask = strictMask;
        nint stop = normal;
        while (true)
        {
            // Four bytes per step. Rolling byte by byte puts a shift and an add per byte on one
            // dependency chain, which bounds the loop; here the chain is one shift and one add
            // per four bytes, and the three hashes in between come off it:
            // h(i+k) = (h << k) + (g0 << k-1) + ... + g(k-1), exactly, in 64-bit wrapping arithmetic.
            for (; i + 4 <= stop; i += 4)
            {
                var g0 = Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
                var g1 = Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 1));
                var g2 = Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 2));
                var g3 = Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 3));
                var s1 = (g0 << 1) + g1;
                var s2 = (s1 << 1) + g2;
                var s3 = (s2 << 1) + g3;
                var h1 = (hash << 1) + g0;
                var h2 = (hash << 2) + s1;
                var h3 = (hash << 3) + s2;
                hash = (hash << 4) + s3;
                if ((h1 & mask) == 0) return (int)i + 1;
                if ((h2 & mask) == 0) return (int)i + 2;
                if ((h3 & mask) == 0) return (int)i + 3;
                if ((hash & mask) == 0) return (int)i + 4;
            }
            for (; i < stop; i++)
            {
                hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
                if ((hash & mask) == 0) return (int)i + 1;
            }
            if (stop == end) return end;
            // From the average size on, the looser mask makes a cut more likely.
            mask = looseMask;
            stop = end;
        }
    }

    /// <summary>The chunks of data that is all in memory, without allocating: <c>foreach (var chunk in chunker.Split(data))</c>.</summary>
    public ChunkEnumerator Split(ReadOnlySpan<byte> data) => new(this, data);

    /// <summary>Enumerates the chunks of a span; each chunk is a slice of it.</summary>
    [StructLayout(LayoutKind.Auto)]
    public ref struct ChunkEnumerator
    {
        private readonly ContentDefinedChunker chunker;
        private ReadOnlySpan<byte> rest;

        internal ChunkEnumerator(ContentDefinedChunker chunker, ReadOnlySpan<byte> data)
        {
            this.chunker = chunker;
            rest = data;
            Current = default;
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly ChunkEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (rest.IsEmpty) return false;
            var cut = chunker.NextCut(rest);
            Current = rest[..cut];
            rest = rest[cut..];
            return true;
        }
    }
}
