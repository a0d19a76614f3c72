using Grpc.Core;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>gRPC calls with the request as raw bytes, for messages no generated client would send (not protobuf, too large).</summary>
public static class RawCalls
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static (byte[] b) => b, static b => b);

    /// <summary>A field header announcing 2 GiB of bytes that never come: no protobuf parser accepts it.</summary>
    public static readonly byte[] NotProtobuf = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01];

    public static Method<byte[], byte[]> Method(MethodType type, Google.Protobuf.Reflection.ServiceDescriptor service, string name) =>
        new(type, service.FullName, name, Bytes, Bytes);

    /// <summary>Long enough for any answer here; a call that hangs fails the test instead of the run.</summary>
    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public static async Task<RpcException> UnaryFailureAsync(CallInvoker invoker, Google.Protobuf.Reflection.ServiceDescriptor service, string name, byte[] request, Metadata? headers = null)
    {
        var method = Method(MethodType.Unary, service, name);
        return await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, new CallOptions(headers, Deadline), request).ResponseAsync);
    }
}
