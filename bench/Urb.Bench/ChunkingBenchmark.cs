using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Urb.Domain.Content;
using Urb.Domain.Content.Chunking;

namespace Urb.Bench;

/// <summary>
/// Chooses the chunker's parameters: for each candidate set, the single-thread chunking rate over
/// the data set held in memory (only the chunking is timed) and over random data, the number and
/// mean size of the chunks, and, given a copy after one day of mutate.sh, the bytes of chunks the
/// copy has that the original lacks, against the bytes the day really wrote.
/// </summary>
public static class ChunkingBenchmark
{
    private const int KiB = 1024;

    public static int Run(BenchArguments arguments)
    {
        var runs = (int)arguments.Number("runs", 3);
        var original = FileTree.Load(arguments.Required("data"));
        var mutated = arguments.Optional("mutated") is { } mutatedDirectory ? FileTree.Load(mutatedDirectory) : null;
        var contents = original.Files.Select(f => f.Content).ToArray();
        var random = new byte[(int)arguments.Number("random-mib", 256) * 1024 * 1024];
        new Random(20261126).NextBytes(random);

        Print($"load average at start: {LoadAverage()}");
        Print($"data set: {original.Files.Count} files, {Measurement.MiB(original.Bytes)} MiB; random data: {Measurement.MiB(random.Length)} MiB; median of {runs} timed passes");
        var written = 0L;
        if (mutated is not null)
        {
            written = FileTree.BytesWritten(original, mutated);
            Print($"mutated copy: {mutated.Files.Count} files, {Measurement.MiB(mutated.Bytes)} MiB; bytes new or rewritten (compared file by file): {written:N0} ({Measurement.MiB(written)} MiB)");
        }
        Console.WriteLine("| min | avg | max | NC | data set MiB/s | random MiB/s | random mean KiB | chunks | mean KiB | at max % | distinct | distinct zstd-1 MiB |"
            + (mutated is null ? "" : " new MiB | new / written | new zstd-1 MiB | zstd / written |"));
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |" + (mutated is null ? "" : " --- | --- | --- | --- |"));
        foreach (var parameters in Candidates())
        {
            var chunker = new ContentDefinedChunker(parameters);
            var (chunks, atMax) = Count(chunker, original);
            var randomChunks = 0;
            foreach (var _ in chunker.Split(random)) randomChunks++;
            var dataSetRate = Median(runs, () => Rate(chunker, contents, original.Bytes));
            var randomRate = Median(runs, () => Rate(chunker, [random], random.Length));
            var known = new HashSet<UInt128>();
            var (_, stored) = NewChunkBytes(chunker, original, known);
            var row = string.Create(CultureInfo.InvariantCulture,
                $"| {parameters.MinSize / KiB} | {parameters.AverageSize / KiB} | {parameters.MaxSize / KiB} | {parameters.NormalizationLevel} | {dataSetRate:F0} | {randomRate:F0} | {random.Length / (double)randomChunks / KiB:F1} | {chunks} | {original.Bytes / (double)chunks / KiB:F1} | {100.0 * atMax / chunks:F1} | {known.Count} | {Measurement.MiB(stored)} |");
            if (mutated is not null)
            {
                var (newBytes, newCompressed) = NewChunkBytes(chunker, mutated, known);
                row += string.Create(CultureInfo.InvariantCulture,
                    $" {Measurement.MiB(newBytes)} | {newBytes / (double)written:F3} | {Measurement.MiB(newCompressed)} | {newCompressed / (double)written:F3} |");
            }
            Console.WriteLine(row);
        }
        Print($"load average at end: {LoadAverage()}");
        return 0;
    }

    private static IEnumerable<ChunkerParameters> Candidates()
    {
        foreach (var average in new[] { 16 * KiB, 32 * KiB, 64 * KiB, 128 * KiB, 256 * KiB, 1024 * KiB })
        {
            foreach (var maxFactor in new[] { 4, 8 })
            {
                for (var level = 1; level <= 2; level++) yield return new ChunkerParameters(average / 4, average, average * maxFactor, level);
            }
        }
    }

    private static (long Chunks, long AtMax) Count(ContentDefinedChunker chunker, FileTree tree)
    {
        long chunks = 0, atMax = 0;
        foreach (var chunk in Chunks(chunker, tree))
        {
            chunks++;
            if (chunk.Length == chunker.Parameters.MaxSize) atMax++;
        }
        return (chunks, atMax);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(ContentDefinedChunker chunker, FileTree tree)
    {
        foreach (var file in tree.Files)
        {
            var rest = file.Content.AsMemory();
            while (!rest.IsEmpty)
            {
                var cut = chunker.NextCut(rest.Span);
                yield return rest[..cut];
                rest = rest[cut..];
            }
        }
    }

    /// <summary>MiB/s of cutting every buffer completely; nothing but the cutting is timed.</summary>
    private static double Rate(ContentDefinedChunker chunker, byte[][] contents, long bytes)
    {
        var cuts = 0L;
        var clock = Stopwatch.StartNew();
        foreach (var content in contents)
        {
            var rest = (ReadOnlySpan<byte>)content;
            while (!rest.IsEmpty)
            {
                rest = rest[chunker.NextCut(rest)..];
                cuts++;
            }
        }
        clock.Stop();
        GC.KeepAlive(cuts);
        return bytes / 1048576.0 / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Bytes (plain and after zstd level 1, stored raw when that is smaller) of the distinct chunks of a tree not yet in <paramref name="known"/>, which gains them.</summary>
    private static (long Plain, long Compressed) NewChunkBytes(ContentDefinedChunker chunker, FileTree tree, HashSet<UInt128> known)
    {
        var frame = new byte[Zstd.CompressBound(chunker.Parameters.MaxSize)];
        long plain = 0, compressed = 0;
        foreach (var chunk in Chunks(chunker, tree))
        {
            if (!known.Add(Identify(chunk.Span))) continue;
            plain += chunk.Length;
            compressed += Math.Min(chunk.Length, Zstd.Compress(chunk.Span, frame, 1));
        }
        return (plain, compressed);
    }

    /// <summary>128 bits of an unkeyed BLAKE3: enough to tell chunks apart in a measurement.</summary>
    private static UInt128 Identify(ReadOnlySpan<byte> chunk)
    {
        Span<byte> digest = stackalloc byte[32];
        Blake3.Hasher.Hash(chunk, digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private static double Median(int runs, Func<double> measure)
    {
        var values = new double[runs];
        for (var i = 0; i < runs; i++) values[i] = measure();
        Array.Sort(values);
        return values[runs / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private readonly record struct TreeFile(string Path, byte[] Content);

    /// <summary>Every regular file under a directory (symbolic links skipped), in memory, in ordinal path order.</summary>
    private sealed class FileTree(IReadOnlyList<TreeFile> files)
    {
        public IReadOnlyList<TreeFile> Files { get; } = files;

        public long Bytes { get; } = files.Sum(f => (long)f.Content.Length);

        public static FileTree Load(string root)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            var paths = Directory.EnumerateFiles(root, "*", options).Order(StringComparer.Ordinal).ToList();
            return new FileTree(paths.Select(p => new TreeFile(Path.GetRelativePath(root, p), File.ReadAllBytes(p))).ToList());
        }

        /// <summary>
        /// What a day of changes really wrote: whole new files, and in a file present in both the
        /// span between the common prefix and the common suffix (a rewrite in the middle) or the
        /// appended tail. Deletions write nothing.
        /// </summary>
        public static long BytesWritten(FileTree before, FileTree after)
        {
            var old = before.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
            var written = 0L;
            foreach (var file in after.Files)
            {
                if (!old.TryGetValue(file.Path, out var previous))
                {
                    written += file.Content.Length;
                    continue;
                }
                var prefix = previous.AsSpan().CommonPrefixLength(file.Content);
                ReadOnlySpan<byte> was = previous.AsSpan(prefix), now = file.Content.AsSpan(prefix);
                var suffix = 0;
                while (suffix < was.Length && suffix < now.Length && was[^(suffix + 1)] == now[^(suffix + 1)]) suffix++;
                written += file.Content.Length - prefix - suffix;
            }
            return written;
        }
    }
}
