using System.CommandLine;
using Urb.Agent.Commands;
using Urb.Agent.Connection;
using Urb.Agent.State;

// Before any TLS: the agent trusts only its pinned CA, and loading the machine's roots cost every command 35-40 ms.
SystemTrustStore.KeepOut();

var stateDirectory = new Option<string>("--state-dir")
{
    Description = "The agent's state directory (its identity); default $URB_AGENT_STATE_DIR, /var/lib/urb-agent for root, else $XDG_STATE_HOME/urb-agent or ~/.local/state/urb-agent",
    Recursive = true,
    DefaultValueFactory = _ => StateDirectory.DefaultPath(),
};

var root = new RootCommand("Urb agent: backs this machine up to an Urb server")
{
    stateDirectory,
    EnrollCommand.Create(stateDirectory),
    StatusCommand.Create(stateDirectory),
    RenewCommand.Create(stateDirectory),
    RunCommand.Create(stateDirectory),
    UpdateCommand.Create(stateDirectory),
    BackupCommand.Create(stateDirectory),
    BackupsCommand.Create(stateDirectory),
    LsCommand.Create(stateDirectory),
    RestoreCommand.Create(stateDirectory),
    RestoreImageCommand.Create(stateDirectory),
    LogCommand.Create(stateDirectory),
    PauseCommand.CreatePause(stateDirectory),
    PauseCommand.CreateResume(stateDirectory),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"urb-agent: {error.Message}");
    return Urb.Agent.ExitCodes.Usage;
}
return await parsed.InvokeAsync();
