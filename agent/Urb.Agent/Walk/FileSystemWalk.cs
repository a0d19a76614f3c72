namespace Urb.Agent.Walk;

/// <summary>
/// One walk: the entries, produced lazily as <see cref="Entries"/> is enumerated, and the
/// warnings met so far. Enumerate once; a second walk needs a new <see cref="FileSystemWalker.Walk"/>.
/// </summary>
/// <remarks>
/// Warnings are kept beside the entries rather than in the same sequence so that a consumer
/// that only stores entries cannot lose one by accident; a consumer that wants to log them as
/// they happen can look at <see cref="Warnings"/> after each entry. Enumeration is synchronous on
/// purpose: each step is a few syscalls on local metadata, and the consumer (hashing, upload)
/// decides its own concurrency. Disposing the enumerator early closes every directory it holds.
/// </remarks>
public sealed class FileSystemWalk
{
    private readonly Func<List<WalkWarning>, IEnumerable<WalkEntry>> _walk;
    private readonly List<WalkWarning> _warnings = [];
    private bool _started;

    internal FileSystemWalk(Func<List<WalkWarning>, IEnumerable<WalkEntry>> walk)
    {
        _walk = walk;
        Entries = EnumerateOnce();
    }

    /// <summary>The entries in walk order. <see cref="OperationCanceledException"/> when the token is cancelled.</summary>
    public IEnumerable<WalkEntry> Entries { get; }

    /// <summary>Per-path problems, in the order met; complete once <see cref="Entries"/> has been enumerated to its end.</summary>
    public IReadOnlyList<WalkWarning> Warnings => _warnings;

    /// <summary>The walk left something out that it should have backed up: the backup "completed with warnings".</summary>
    public bool CompletedWithWarnings => _warnings.Count > 0;

    private IEnumerable<WalkEntry> EnumerateOnce()
    {
        if (_started) throw new InvalidOperationException("A walk can be enumerated once; start a new one.");
        _started = true;
        foreach (var entry in _walk(_warnings)) yield return entry;
    }
}
