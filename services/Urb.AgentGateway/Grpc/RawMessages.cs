using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Core;

namespace Urb.AgentGateway.Grpc;

/// <summary>
/// gRPC methods whose messages stay bytes. The gateway relays an agent's backup messages to
/// Urb.Ingest unchanged (ingest's methods take the very same messages), so parsing each one and
/// serialising it again would only cost CPU and copies on the path every backed-up byte takes.
/// Ingest parses and checks them.
/// </summary>
internal static class RawMessages
{
    public static readonly Marshaller<byte[]> Marshaller = Marshallers.Create(
        static bytes => bytes,
        static bytes => bytes);

    /// <summary>The method <paramref name="name"/> of a service from the .proto files, with bytes for messages.</summary>
    public static Method<byte[], byte[]> Method(ServiceDescriptor service, string name)
    {
        var method = service.FindMethodByName(name)
            ?? throw new InvalidOperationException($"{service.FullName} has no method {name}");
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        return new Method<byte[], byte[]>(type, service.FullName, method.Name, Marshaller, Marshaller);
    }
}

/// <summary>Urb.Ingest's <c>Ingest</c> service, called with raw messages (see <see cref="RawMessages"/>).</summary>
public sealed class RawIngestClient : ClientBase<RawIngestClient>
{
    private static readonly ServiceDescriptor Service = Contracts.Ingest.V1.Ingest.Descriptor;
    internal static readonly Method<byte[], byte[]> RunBackup = RawMessages.Method(Service, "RunBackup");
    internal static readonly Method<byte[], byte[]> ListSnapshots = RawMessages.Method(Service, "ListSnapshots");
    internal static readonly Method<byte[], byte[]> ListEntries = RawMessages.Method(Service, "ListEntries");
    internal static readonly Method<byte[], byte[]> Restore = RawMessages.Method(Service, "Restore");

    public RawIngestClient(CallInvoker callInvoker) : base(callInvoker) { }

    private RawIngestClient(ClientBaseConfiguration configuration) : base(configuration) { }

    public CallInvoker Invoker => CallInvoker;

    protected override RawIngestClient NewInstance(ClientBaseConfiguration configuration) => new(configuration);
}
