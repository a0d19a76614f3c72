using Grpc.Core;
using Urb.Contracts.Agent.V1;
using Urb.Domain.Errors;

namespace Urb.Api.Rest;

/// <summary>
/// Urb.Ingest's Restore stream read entry by entry: <see cref="NextEntryAsync"/> gives the next entry,
/// <see cref="Content"/> the bytes of the current file as a stream that ends where the next entry begins.
/// </summary>
public sealed class RestoreReader(IAsyncStreamReader<RestoreResponse> responses)
{
    private RestoreEntry? _pending;
    private ReadOnlyMemory<byte> _data;
    private long _remaining;

    /// <summary>The next entry (the rest of the current file's content is skipped); null at the end.</summary>
    public async Task<RestoreEntry?> NextEntryAsync(CancellationToken cancellationToken)
    {
        while (_pending is null)
        {
            if (!await responses.MoveNext(cancellationToken)) return null;
            if (responses.Current.KindCase == RestoreResponse.KindOneofCase.Entry) _pending = responses.Current.Entry;
        }
        var entry = _pending;
        _pending = null;
        _data = ReadOnlyMemory<byte>.Empty;
        _remaining = entry.Node.Type == Contracts.Snapshot.V1.NodeType.File ? entry.Node.Size : 0;
        return entry;
    }

    /// <summary>The current file's content; exactly its size, or a DataLossException if Ingest sends otherwise.</summary>
    public Stream Content() => new ContentStream(this, _remaining);

    private async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_data.IsEmpty)
        {
            if (_remaining == 0) return 0;
            if (_pending is not null || !await responses.MoveNext(cancellationToken))
            {
                throw new DataLossException($"The restore stream ended {_remaining} bytes before the end of a file.");
            }
            var response = responses.Current;
            if (response.KindCase == RestoreResponse.KindOneofCase.Entry) _pending = response.Entry;
            else _data = response.Data.Memory;
        }
        var n = (int)Math.Min(Math.Min(buffer.Length, _data.Length), _remaining);
        if (n == 0 && _remaining == 0) throw new DataLossException("The restore stream sent more bytes than the file's size.");
        _data[..n].CopyTo(buffer);
        _data = _data[n..];
        _remaining -= n;
        return n;
    }

    /// <summary>
    /// Read-only and forward-only; Length is the file's size so that TarWriter writes the header
    /// first and copies the content without buffering it.
    /// </summary>
    private sealed class ContentStream(RestoreReader owner, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await owner.ReadAsync(buffer, cancellationToken);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The restore content is read asynchronously.");

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };
            return target == _position ? _position : throw new NotSupportedException("The restore content is read forward only.");
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
