namespace Urb.Storage.Packs;

/// <summary>
/// The storage seam: where pack files live. A pack is written once, front to back, made durable
/// in steps (<see cref="IPackAppender.FlushDurableAsync"/>), sealed, and from then on only read
/// or deleted. The filesystem provider appends in place; an object-store provider stages the
/// open pack on local disk and uploads it when sealed. Every provider passes the same contract
/// tests (tests/Urb.Storage.Tests/PackStoreContract.cs).
/// </summary>
public interface IPackStore
{
    /// <summary>Starts a new, empty pack.</summary>
    Task<IPackAppender> CreateAsync(PackName pack, CancellationToken cancellationToken);

    /// <summary>Reopens a pack that was never sealed (after a crash), cut to <paramref name="validLength"/> bytes, to finish it.</summary>
    Task<IPackAppender> ResumeAsync(PackName pack, long validLength, CancellationToken cancellationToken);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; <see cref="PackNotFoundException"/> or <see cref="EndOfStreamException"/> otherwise.</summary>
    Task ReadAsync(PackName pack, long offset, Memory<byte> destination, CancellationToken cancellationToken);

    Task<long> GetLengthAsync(PackName pack, CancellationToken cancellationToken);

    /// <summary>
    /// For many reads of a few packs (a restore's chunks): reads as <see cref="ReadAsync"/> does,
    /// but keeps what it opened for a pack until it is disposed. A pack deleted meanwhile may still
    /// read from it; hold one only for the length of a request.
    /// </summary>
    IPackReader OpenReader();

    /// <summary>Every pack, sealed or not.</summary>
    IAsyncEnumerable<StoredPack> ListAsync(CancellationToken cancellationToken);

    Task DeleteAsync(PackName pack, CancellationToken cancellationToken);
}

/// <summary>Reads of packs that share what they open (<see cref="IPackStore.OpenReader"/>); safe for concurrent reads.</summary>
public interface IPackReader : IDisposable
{
    /// <summary>As <see cref="IPackStore.ReadAsync"/>.</summary>
    Task ReadAsync(PackName pack, long offset, Memory<byte> destination, CancellationToken cancellationToken);
}

/// <summary>A pack as listed: whether it was sealed, and its length.</summary>
public sealed record StoredPack(PackName Name, bool Sealed, long Length);

/// <summary>Writes one pack front to back.</summary>
public interface IPackAppender : IAsyncDisposable
{
    PackName Pack { get; }

    long Length { get; }

    Task AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Returns once every byte appended so far survives a crash (fsync).</summary>
    Task FlushDurableAsync(CancellationToken cancellationToken);

    /// <summary>Makes the pack durable and immutable; nothing may be appended afterwards.</summary>
    Task SealAsync(CancellationToken cancellationToken);
}

public sealed class PackNotFoundException(PackName pack) : IOException($"Pack {pack} does not exist.")
{
    public PackName Pack { get; } = pack;
}
