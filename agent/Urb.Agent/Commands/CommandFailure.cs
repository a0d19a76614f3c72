using Grpc.Core;
using Urb.Agent.Connection;
using Urb.Domain.Errors;

namespace Urb.Agent.Commands;

/// <summary>Turns what went wrong in a command into one clear line on stderr and an exit code.</summary>
public static class CommandFailure
{
    public static int Report(Exception e, GatewayTrust? trust, Uri? server)
    {
        var (code, message) = e switch
        {
            _ when trust?.RefusalReason is { } reason =>
                (ExitCodes.Unreachable, $"refusing to talk to {server}: {reason}. If the server was reinstalled, enrol this agent again."),
            RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.ResourceExhausted } rpc =>
                (ExitCodes.Refused, $"the server refused: {rpc.Status.Detail}"),
            RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } rpc =>
                (ExitCodes.Unreachable, $"cannot reach the server at {server}: {rpc.Status.Detail}"),
            RpcException rpc => (ExitCodes.Failed, $"the server answered {rpc.StatusCode}: {rpc.Status.Detail}"),
            InvalidInputException invalid => (ExitCodes.Usage, invalid.Message),
            Updates.ReleaseRefusedException refused => (ExitCodes.UpdateRefused, $"update refused, nothing was replaced: {refused.Message}"),
            Updates.UpdateFailedException failed => (ExitCodes.Failed, $"update failed, nothing was switched: {failed.Message}"),
            _ => (ExitCodes.Failed, e.Message),
        };
        Console.Error.WriteLine($"urb-agent: {message}");
        return code;
    }
}
