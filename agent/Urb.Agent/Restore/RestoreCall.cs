using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;

namespace Urb.Agent.Restore;

/// <summary>
/// <c>Backups.Restore</c> with its responses read as <see cref="RestoreMessage"/>s (content in
/// pooled buffers) instead of generated <see cref="RestoreResponse"/>s: the same method and the
/// same bytes on the wire, only another way to read them.
/// </summary>
public static class RestoreCall
{
    private static readonly Method<RestoreRequest, RestoreMessage> Method = new(
        MethodType.ServerStreaming,
        Backups.Descriptor.FullName,
        "Restore",
        Marshallers.Create(static (RestoreRequest request) => request.ToByteArray(), RestoreRequest.Parser.ParseFrom),
        new Marshaller<RestoreMessage>(
            static (message, context) => context.Complete(message.ToResponse().ToByteArray()),
            static context => RestoreMessage.Parse(context.PayloadAsReadOnlySequence())));

    /// <summary>
    /// Starts the call; sets <see cref="RestoreRequest.AcceptsBatches"/> on <paramref name="request"/>,
    /// since <see cref="RestoreMessage"/> reads batches, and with <see cref="RestoreRequest.AsChunks"/>
    /// <see cref="RestoreRequest.ChunksOnce"/>, since <see cref="RestoreResponses"/> keeps chunks needed again,
    /// and <see cref="RestoreRequest.AcceptsDictionaries"/>, since it decompresses with the client's dictionaries.
    /// </summary>
    public static AsyncServerStreamingCall<RestoreMessage> Start(ChannelBase channel, RestoreRequest request, CancellationToken cancellationToken)
    {
        request.AcceptsBatches = true;
        request.ChunksOnce = request.AsChunks;
        request.AcceptsDictionaries = request.AsChunks;
        return channel.CreateCallInvoker().AsyncServerStreamingCall(Method, null, new CallOptions(cancellationToken: cancellationToken), request);
    }
}
