namespace Urb.Bench;

/// <summary>--name value pairs from the command line.</summary>
public sealed class BenchArguments(Dictionary<string, string> values)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        return new BenchArguments(values);
    }

    public string Required(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    public string? Optional(string name) => values.GetValueOrDefault(name);

    public long Number(string name, long fallback) => values.TryGetValue(name, out var value) ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
