using System.CommandLine;
using Urb.Agent.State;

namespace Urb.Agent.Commands;

/// <summary><c>renew</c>: a new key and certificate now, instead of when a third of the validity is left (every command renews then by itself).</summary>
public static class RenewCommand
{
    public static Command Create(Option<string> stateDirectory)
    {
        var command = new Command("renew", "Replace this agent's key and certificate now (done by itself when a third of the validity is left)");
        command.SetAction((result, _) =>
            EnrolledCall.RunAsync(new StateDirectory(result.GetValue(stateDirectory)!),
                (_, identity) =>
                {
                    Console.WriteLine($"Certificate valid until {identity.Certificate.NotAfter.ToUniversalTime():u}.");
                    return Task.FromResult(ExitCodes.Ok);
                },
                forceRenewal: true));
        return command;
    }
}
