using Google.Protobuf;
using Grpc.Core;
using Urb.Contracts.Agent.V1;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Driving a backup stream (Backups.Run) by hand, as a damaged or hostile agent would.</summary>
public static class BackupStreams
{
    /// <summary>
    /// Sends <paramref name="request"/>, which the server refuses as it arrives, and returns the
    /// refusal. The response is read beside the write, as the agent reads it: the call may end
    /// before the write, and a client whose write failed first can lose the status it had not read yet.
    /// </summary>
    public static async Task<RpcException> RefusedAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, BackupRequest request)
    {
        var outcome = call.ResponseStream.MoveNext();
        try
        {
            await call.RequestStream.WriteAsync(request);
        }
        catch (RpcException)
        {
            // The server ended the call first; the response stream carries why.
        }
        return await Assert.ThrowsAsync<RpcException>(() => outcome);
    }

    /// <summary>Commits <paramref name="root"/> after an upload the server refuses as it arrives, and returns the refusal.</summary>
    public static Task<RpcException> CommitRefusedAsync(AsyncDuplexStreamingCall<BackupRequest, BackupResponse> call, byte[] root) =>
        RefusedAsync(call, new BackupRequest { Commit = new BackupCommit { RootIds = ByteString.CopyFrom(root) } });
}
