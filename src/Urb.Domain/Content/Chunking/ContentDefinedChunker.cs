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
        var strict = strictMask;
        var loose = looseMask;
        ulong hash = 0;
        nint i = minSize;
        // Unrolled by four: the loop's own compare and branch would otherwise cost as much as
        // the hash step, which is one LEA on the dependency chain.
        for (; i + 4 <= normal; i += 4)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
            if ((hash & strict) == 0) return (int)i + 1;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 1));
            if ((hash & strict) == 0) return (int)i + 2;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 2));
            if ((hash & strict) == 0) return (int)i + 3;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 3));
            if ((hash & strict) == 0) return (int)i + 4;
        }
        for (; i < normal; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
            if ((hash & strict) == 0) return (int)i + 1;
        }
        for (; i + 4 <= end; i += 4)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
            if ((hash & loose) == 0) return (int)i + 1;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 1));
            if ((hash & loose) == 0) return (int)i + 2;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 2));
            if ((hash & loose) == 0) return (int)i + 3;
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i + 3));
            if ((hash & loose) == 0) return (int)i + 4;
        }
        for (; i < end; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, (nint)Unsafe.Add(ref bytes, i));
            if ((hash & loose) == 0) return (int)i + 1;
        }
        return end;
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
