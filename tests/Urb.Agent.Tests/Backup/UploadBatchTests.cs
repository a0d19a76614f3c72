using Urb.Agent.Backup;

namespace Urb.Agent.Tests.Backup;

public sealed class UploadBatchTests
{
    [Fact]
    public void Keep_ChunksReadIntoTheBuffer_DataIsEachKeptChunkInPlace()
    {
        var batch = new UploadBatch(capacityBytes: 16, maxChunks: 4);
        Read(batch, [1, 2, 3, 4, 5, 6]);

        batch.Keep(Id(1), 2);
        batch.Skip(1);
        batch.Keep(Id(2), 3);

        Assert.Equal(2, batch.Count);
        Assert.Equal([Id(1), Id(2)], batch.Ids);
        Assert.Equal([1, 2], batch.Data(0).ToArray());
        Assert.Equal([4, 5, 6], batch.Data(1).ToArray());
        Assert.Equal(0, batch.PendingLength);
    }

    [Fact]
    public void Compact_NothingKept_MovesPendingToTheFront()
    {
        var batch = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        Read(batch, [1, 2, 3, 4, 5, 6, 7, 8]);
        batch.Skip(5);

        batch.Compact();

        Assert.Equal([6, 7, 8], batch.Pending.ToArray());
        Assert.Equal(5, batch.Unfilled.Length);
    }

    [Fact]
    public void Compact_ChunksKept_Throws()
    {
        var batch = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        Read(batch, [1, 2, 3]);
        batch.Keep(Id(1), 1);

        Assert.Throws<InvalidOperationException>(batch.Compact);
    }

    [Fact]
    public void TakePendingFrom_FlushedBatch_MovesOnlyTheReadAheadBytes()
    {
        var flushed = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        var next = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        Read(flushed, [1, 2, 3, 4, 5]);
        flushed.Keep(Id(1), 3);

        next.TakePendingFrom(flushed);

        Assert.Equal([4, 5], next.Pending.ToArray());
        Assert.Equal(0, flushed.PendingLength);
        Assert.Equal([1, 2, 3], flushed.Data(0).ToArray());
    }

    [Fact]
    public void IsFull_AtMaxChunks_True()
    {
        var batch = new UploadBatch(capacityBytes: 8, maxChunks: 2);
        Read(batch, [1, 2, 3]);

        batch.Keep(Id(1), 1);
        Assert.False(batch.IsFull);
        batch.Keep(Id(2), 1);

        Assert.True(batch.IsFull);
    }

    [Fact]
    public void Clear_AfterUpload_WholeBufferFreeAgain()
    {
        var batch = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        Read(batch, [1, 2, 3, 4]);
        batch.Keep(Id(1), 2);

        batch.Clear();

        Assert.True(batch.IsEmpty);
        Assert.Equal(0, batch.PendingLength);
        Assert.Equal(8, batch.Unfilled.Length);
    }

    [Fact]
    public void DropPending_AfterAFailedRead_KeptChunksStay()
    {
        var batch = new UploadBatch(capacityBytes: 8, maxChunks: 4);
        Read(batch, [1, 2, 3, 4]);
        batch.Keep(Id(1), 2);

        batch.DropPending();

        Assert.Equal(0, batch.PendingLength);
        Assert.Equal([1, 2], batch.Data(0).ToArray());
        Assert.Equal(6, batch.Unfilled.Length);
    }

    private static void Read(UploadBatch batch, byte[] bytes)
    {
        bytes.CopyTo(batch.Unfilled);
        batch.Filled(bytes.Length);
    }

    private static byte[] Id(byte n) => Enumerable.Repeat(n, 32).ToArray();
}
