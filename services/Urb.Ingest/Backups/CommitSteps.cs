using Urb.Domain.Timing;

namespace Urb.Ingest.Backups;

/// <summary>
/// How long each step of a commit took, for the log: waiting for the last uploads to be durable,
/// checking that everything the snapshot names is stored, recording the client's references,
/// and completing the catalog's record. A slow commit says which of them to look at.
/// </summary>
internal sealed class CommitSteps
{
    private readonly LapClock clock = new();
    private TimeSpan flush, check, references, catalog;

    public void Flushed() => flush = clock.Lap();

    public void Checked() => check = clock.Lap();

    public void Referenced() => references = clock.Lap();

    public void Cataloged() => catalog = clock.Lap();

    public override string ToString() => FormattableString.Invariant(
        $"{clock.Total.TotalMilliseconds:0} ms (uploads {flush.TotalMilliseconds:0}, check {check.TotalMilliseconds:0}, references {references.TotalMilliseconds:0}, catalog {catalog.TotalMilliseconds:0})");
}
