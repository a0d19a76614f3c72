using System.Runtime.InteropServices;
using Urb.Domain.Content;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// How often a restore's files name each chunk, for a restore that sends each distinct chunk once
/// (<see cref="Contracts.Agent.V1.RestoreRequest.ChunksOnce"/>): the chunks to read from storage,
/// in the order they first come, and at each place a file names one whether it goes now (and how
/// many more times it is needed) or went already. One entry per distinct chunk, its counts held
/// in the dictionary itself (no object per chunk).
/// </summary>
public sealed class ChunkUses
{
    private readonly Dictionary<byte[], Uses> uses = new(ChunkIdComparer.Instance);

    /// <param name="contentIds">Every chunk of every file of the restore, in the order they come.</param>
    public ChunkUses(IEnumerable<byte[]> contentIds)
    {
        foreach (var id in contentIds)
        {
            ref var chunk = ref CollectionsMarshal.GetValueRefOrAddDefault(uses, id, out var known);
            chunk.Left++;
            if (!known) Distinct.Add(id);
        }
    }

    /// <summary>Each chunk once, where it first comes.</summary>
    public List<byte[]> Distinct { get; } = [];

    /// <summary>
    /// One more place that names <paramref name="id"/>: true at its first, with the number of
    /// places after it; false at every later one (the chunk went already), with the plaintext
    /// length the first recorded (<see cref="Sent"/>).
    /// </summary>
    public bool TakeFirst(byte[] id, out int laterUses, out long plainLength)
    {
        ref var chunk = ref CollectionsMarshal.GetValueRefOrNullRef(uses, id);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref chunk)) throw new ArgumentException("The chunk is not one of the restore's.", nameof(id));
        plainLength = chunk.PlainLength;
        laterUses = --chunk.Left;
        if (chunk.Taken) return false;
        chunk.Taken = true;
        return true;
    }

    /// <summary>The plaintext length of a chunk sent (for the restore's progress at its later places).</summary>
    public void Sent(byte[] id, long plainLength) => CollectionsMarshal.GetValueRefOrNullRef(uses, id).PlainLength = plainLength;

    private struct Uses
    {
        public int Left;
        public bool Taken;
        public long PlainLength;
    }
}
