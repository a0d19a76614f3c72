using Urb.Domain.Content;

namespace Urb.Ingest.Snapshots;

/// <summary>
/// How often a restore's files name each chunk, for a restore that sends each distinct chunk once
/// (<see cref="Contracts.Agent.V1.RestoreRequest.ChunksOnce"/>): the chunks to read from storage,
/// in the order they first come, and at each place a file names one whether it goes now (and how
/// many more times it is needed) or went already.
/// </summary>
public sealed class ChunkUses
{
    private readonly Dictionary<byte[], Uses> uses = new(ChunkIdComparer.Instance);

    /// <param name="contentIds">Every chunk of every file of the restore, in the order they come.</param>
    public ChunkUses(IEnumerable<byte[]> contentIds)
    {
        foreach (var id in contentIds)
        {
            if (uses.TryGetValue(id, out var known))
            {
                known.Left++;
                continue;
            }
            uses[id] = new Uses();
            Distinct.Add(id);
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
        var chunk = uses[id];
        plainLength = chunk.PlainLength;
        laterUses = chunk.Left - 1;
        chunk.Left--;
        if (chunk.Taken) return false;
        chunk.Taken = true;
        return true;
    }

    /// <summary>The plaintext length of a chunk sent (for the restore's progress at its later places).</summary>
    public void Sent(byte[] id, long plainLength) => uses[id].PlainLength = plainLength;

    private sealed class Uses
    {
        public int Left = 1;
        public bool Taken;
        public long PlainLength;
    }
}
