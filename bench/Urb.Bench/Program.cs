using Urb.Bench;

// urb-bench storage --storage URL --data DIR [--bytes N] [--streams N] [--batch-mib N] [--precompress 0|1]
// urb-bench index   --index URL --redis CONFIG [--count N] [--batch N]
// urb-bench chunking --data DIR [--mutated DIR] [--runs N] [--random-mib N]
var options = BenchArguments.Parse(args.Skip(1).ToArray());
return args.FirstOrDefault() switch
{
    "storage" => await StorageBenchmark.RunAsync(options),
    "index" => await IndexBenchmark.RunAsync(options),
    "chunking" => ChunkingBenchmark.Run(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: urb-bench storage --storage URL --data DIR [--bytes N] [--streams N] [--batch-mib N] [--precompress 0|1]");
    Console.Error.WriteLine("       urb-bench index --index URL --redis CONFIG [--count N] [--batch N]");
    Console.Error.WriteLine("       urb-bench chunking --data DIR [--mutated DIR] [--runs N] [--random-mib N]");
    return 2;
}
