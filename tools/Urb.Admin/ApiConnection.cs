using Grpc.Core;
using Grpc.Net.Client;

namespace Urb.Admin;

/// <summary>A channel to Urb.Api and the API key every call carries.</summary>
public sealed class ApiConnection(Uri address, string apiKey) : IDisposable
{
    private readonly GrpcChannel channel = GrpcChannel.ForAddress(address);

    public CallInvoker Invoker => channel.CreateCallInvoker();

    public Metadata Headers => new() { { "authorization", $"Bearer {apiKey}" } };

    public static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    public static ApiConnection FromFiles(Uri address, string keyFile)
    {
        if (!File.Exists(keyFile)) throw new FileNotFoundException($"API key file {keyFile} does not exist.");
        return new ApiConnection(address, File.ReadAllText(keyFile).Trim());
    }

    public void Dispose() => channel.Dispose();
}
