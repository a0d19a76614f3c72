using Urb.Domain.Content;
using Urb.Domain.Content.Chunking;

namespace Urb.Agent.Backup;

/// <summary>
/// Trains this client's compression dictionary from a sample of the small files a backup reads
/// (docs/architecture.md, "Compression dictionaries"): a file below the chunker's minimum is one
/// object compressed alone, where a dictionary of what such files share saves about a fifth. The
/// sample is every n-th small file of the plan, so it spans the whole tree, about
/// <see cref="SampleBytes"/> in all; training it takes about 0.2 CPU-s.
/// </summary>
public static class DictionaryTraining
{
    /// <summary>Files below this are samples: the chunker cuts nothing smaller, so each is one object compressed alone.</summary>
    public static readonly int SmallBelowBytes = ChunkerParameters.Default.MinSize;

    /// <summary>
    /// Objects below this are compressed with the dictionary. A dictionary of small files still
    /// helps objects up to a few times their size: on the benchmark's data it saved 7 % of files of
    /// 64–128 KiB, 3 % of 128–256 KiB and 1.5 % of larger ones (bench/RESULTS.md, 2026-11-29).
    /// </summary>
    public const int CompressBelowBytes = 256 * 1024;

    /// <summary>Below this much in small files a dictionary (about 110 KiB, sent once) does not pay for itself.</summary>
    public const long MinSmallBytes = 8L << 20;

    public const int MinSmallFiles = 200;

    /// <summary>Measured on the benchmark's data: 2 MiB of samples saved 20.3 %, 4 MiB 20.7 %, 8 MiB (twice the training time) no more (bench/RESULTS.md).</summary>
    public const long SampleBytes = 4L << 20;

    /// <summary>zstd's own default size; 256 KiB saved 2.5 points more for 20 % more compression CPU.</summary>
    public const int Capacity = 112_640;

    /// <summary>A dictionary with the given ID from the files' small ones; null when they are too few or too little to be worth one.</summary>
    public static ZstdDict? Train(IReadOnlyList<FileItem> files, uint id, CancellationToken cancellationToken)
    {
        var small = files.Where(f => f.Node.Size > 0 && f.Node.Size < SmallBelowBytes).ToList();
        var smallBytes = small.Sum(f => f.Node.Size);
        if (small.Count < MinSmallFiles || smallBytes < MinSmallBytes) return null;
        var step = (int)Math.Max(1, smallBytes / SampleBytes);
        var samples = new List<ReadOnlyMemory<byte>>();
        long taken = 0;
        for (var i = 0; i < small.Count && taken < SampleBytes; i += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var content = File.ReadAllBytes(small[i].AbsolutePath);
                if (content.Length == 0 || content.Length >= SmallBelowBytes) continue;
                samples.Add(content);
                taken += content.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The backup's own read reports it; the sample does without it.
            }
        }
        return ZstdDict.Train(samples, Capacity, id);
    }
}
