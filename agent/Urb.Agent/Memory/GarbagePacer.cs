using System.Runtime;

namespace Urb.Agent.Memory;

/// <summary>
/// Keeps the garbage of a backup or a restore small: collects the young generations whenever <see cref="BudgetBytes"/>
/// were allocated since the last collection, the old one whenever it grew by as much since it
/// was last collected, and everything (returning the memory) when a phase of the backup ends.
/// After each full collection the C heap's free pages go back too (<see cref="NativeHeap"/>).
/// </summary>
/// <remarks>
/// The runtime sizes the first generation from the CPU's last-level cache: where a machine
/// reports a large one (the benchmark VM: 300 MiB of L3) the agent allocated 100 MiB and more
/// before its first collection, all of it resident. The knob that bounds it (GCgen0size) is read
/// from the environment only, not from the runtime's configuration built into the agent, and the
/// agent is started by its service, by hand and by the daemon, so it paces itself. Server GC with
/// dynamic adaptation bounded it less. Measurements: docs/architecture.md, "The agent's memory".
/// </remarks>
public sealed class GarbagePacer : IDisposable
{
    /// <summary>
    /// Garbage allowed between two collections, in the young generations and in the old. Each
    /// collection copies what survives it (the plan, the state database's rows while planning),
    /// so a small budget costs pauses: with 4 MiB a backup without changes of the benchmark tree
    /// made 8–10 collections that paused it for 190–260 ms of its 0.6 s, with 16 MiB 3–4 and a
    /// peak 7 MiB higher. With 16 MiB the one that remained took 65–75 ms (a young collection
    /// that found 11 of its 16 MiB alive: the plan being built); with 32 MiB there is none, and
    /// the peaks of an initial backup and a restore stayed within their spread
    /// (docs/architecture.md, "The agent's memory").
    /// </summary>
    public const long BudgetBytes = 32 * 1024 * 1024;

    /// <summary>How often allocation is looked at: the plan allocates ~150 MiB/s, reading ~15 MiB/s.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    private static readonly Lock RegionGate = new();

    private readonly Timer timer;
    private readonly Lock gate = new();
    private long allocatedAtCollection = GC.GetTotalAllocatedBytes();
    private int youngCollectionsSeen = GC.CollectionCount(0);
    private int fullCollectionsSeen = GC.CollectionCount(GC.MaxGeneration);
    private long oldBytesAfterFullCollection = OldGenerationBytes();

    private readonly bool trimAfterPacedCollections;

    private GarbagePacer(bool trimAfterPacedCollections)
    {
        this.trimAfterPacedCollections = trimAfterPacedCollections;
        timer = new Timer(_ => Pace(), null, Interval, Interval);
    }

    /// <summary>
    /// Starts pacing: a collection whenever <see cref="BudgetBytes"/> were allocated (or the old
    /// generation grew by as much); with <paramref name="trimNativeHeap"/> each of its full
    /// collections also returns the C heap's free pages (phase ends always do).
    /// </summary>
    /// <remarks>
    /// A restore does not trim: it allocates a 1 MiB message for every MiB that arrives, mostly on
    /// the large-object heap, which only a full collection frees, and trimming after those doubled
    /// the agent's system time in the benchmark's restores (0.8 to 1.5 s; bench/RESULTS.md, 2026-11-27).
    /// </remarks>
    public static GarbagePacer Start(bool trimNativeHeap = true) => new(trimNativeHeap);

    /// <summary>
    /// A phase ended whose data is now garbage (the walk's, the read buffers): a full compacting
    /// collection that also returns the freed memory to the system, so the next phase starts low.
    /// </summary>
    public void PhaseEnded()
    {
        lock (gate)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Collected(fullCollection: true, trim: true);
        }
    }

    /// <summary>
    /// No collection at all while the returned hold is open, for up to <paramref name="allowanceBytes"/>
    /// of allocation (the runtime's no-GC region). For a phase whose objects nearly all survive it,
    /// such as planning (the state database's rows and the plan being built), where every
    /// collection only copies them once more. Allocating beyond the allowance ends the hold early
    /// with one collection and pacing goes on from there, so the heap stays bounded by the
    /// allowance. Where the runtime cannot reserve that much, the phase is paced as usual.
    /// </summary>
    /// <remarks>What the hold allowed does not count against the next budget: the phase that
    /// follows gets a budget of its own (and one that reads ends with <see cref="PhaseEnded"/>).</remarks>
    public IDisposable HoldCollections(long allowanceBytes)
    {
        lock (gate)
        {
            return new Hold(this, TryStartNoCollectionRegion(allowanceBytes));
        }
    }

    public void Dispose() => timer.Dispose();

    private static bool TryStartNoCollectionRegion(long allowanceBytes)
    {
        // The region is the process's: a second start while one is open fails and ends the open
        // one as well, so a hold of another run (a backup beside a backup) is left alone instead.
        lock (RegionGate)
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return false;
            try
            {
                return GC.TryStartNoGCRegion(allowanceBytes);
            }
            catch (ArgumentOutOfRangeException)
            {
                // More than this runtime can reserve at once.
                return false;
            }
        }
    }

    private void EndHold(bool started)
    {
        lock (gate)
        {
            if (!started) return;
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // The phase allocated more than its allowance: the runtime collected and ended the region then.
            }
            Collected(fullCollection: GC.CollectionCount(GC.MaxGeneration) != fullCollectionsSeen, trim: false);
        }
    }

    private void Pace()
    {
        // A timer callback may overlap the previous one on a busy machine; one at a time decides.
        if (!gate.TryEnter()) return;
        try
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return;
            if (GC.CollectionCount(0) != youngCollectionsSeen)
            {
                // The runtime collected on its own meanwhile: count the budget from now.
                Collected(fullCollection: GC.CollectionCount(GC.MaxGeneration) != fullCollectionsSeen, trim: false);
                return;
            }
            if (GC.GetTotalAllocatedBytes() - allocatedAtCollection < BudgetBytes) return;
            // What survives a young collection moves to the old generation and often dies there
            // (a message in flight, a file's chunk list being built): that is collected too.
            var full = OldGenerationBytes() - oldBytesAfterFullCollection >= BudgetBytes;
            GC.Collect(full ? GC.MaxGeneration : 1, GCCollectionMode.Forced, blocking: true, compacting: true);
            Collected(full, trim: trimAfterPacedCollections);
        }
        finally
        {
            gate.Exit();
        }
    }

    private void Collected(bool fullCollection, bool trim)
    {
        youngCollectionsSeen = GC.CollectionCount(0);
        allocatedAtCollection = GC.GetTotalAllocatedBytes();
        if (!fullCollection) return;
        fullCollectionsSeen = GC.CollectionCount(GC.MaxGeneration);
        oldBytesAfterFullCollection = OldGenerationBytes();
        if (trim) NativeHeap.Trim();
    }

    /// <summary>The old generation and the large-object heap, as the last collection left them.</summary>
    private static long OldGenerationBytes()
    {
        var generations = GC.GetGCMemoryInfo().GenerationInfo;
        return generations[2].SizeAfterBytes + generations[3].SizeAfterBytes;
    }

    private sealed class Hold(GarbagePacer pacer, bool started) : IDisposable
    {
        private int ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0) pacer.EndHold(started);
        }
    }
}
