using System.Diagnostics;

namespace Urb.Ingest.Backups;

/// <summary>
/// How long each step of a commit took, for the log: waiting for the last uploads to be durable,
/// checking that everything the snapshot names is stored, recording the client's references,
/// and completing the catalog's record. A slow commit says which of them to look at.
/// </summary>
internal sealed class CommitSteps
{
    private readonly long start = Stopwatch.GetTimestamp();
    private long last;
    private double flush, check, references, catalog;

    public CommitSteps() => last = start;

    public void Flushed() => flush = Lap();

    public void Checked() => check = Lap();

    public void Referenced() => references = Lap();

    public void Cataloged() => catalog = Lap();

    public override string ToString() =>
        FormattableString.Invariant($"{Stopwatch.GetElapsedTime(start, last).TotalMilliseconds:0} ms (uploads {flush:0}, check {check:0}, references {references:0}, catalog {catalog:0})");

    private double Lap()
    {
        var now = Stopwatch.GetTimestamp();
        var lap = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
        last = now;
        return lap;
    }
}
