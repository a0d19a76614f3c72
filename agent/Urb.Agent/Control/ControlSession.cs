using System.Threading.Channels;
using Grpc.Core;
using Urb.Agent.Backup;
using Urb.Agent.Commands;
using Urb.Agent.Connection;
using Urb.Agent.State;
using Urb.Agent.Updates;
using Urb.Contracts.Agent.V1;
using Urb.Contracts.Backups;

namespace Urb.Agent.Control;

/// <summary>
/// One connection of the agent daemon's control stream: hello, heartbeats, the server's commands
/// carried out one backup at a time, and the update checks of <paramref name="updates"/> (never
/// during a backup). Ends when the stream ends or fails, or once a new version is installed.
/// </summary>
public sealed class ControlSession(StateDirectory state, GatewayConnection connection, Action<string> log, UpdateSchedule? updates = null) : IDisposable
{
    // One piece of work at a time: a backup, or an update check.
    private readonly SemaphoreSlim work = new(1, 1);

    /// <summary>Set once the server has welcomed this session (the daemon's backoff starts over).</summary>
    public bool Welcomed { get; private set; }

    /// <summary>Set when this session installed a new version; the session has ended so that it can start.</summary>
    public InstalledRelease? Installed { get; private set; }

    public void Dispose() => work.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = new AgentControl.AgentControlClient(connection.Channel).Connect(cancellationToken: ended.Token);
        using var sending = new SemaphoreSlim(1, 1);
        async Task SendAsync(AgentMessage message)
        {
            await sending.WaitAsync(ended.Token);
            try
            {
                await call.RequestStream.WriteAsync(message, ended.Token);
            }
            finally
            {
                sending.Release();
            }
        }

        await SendAsync(new AgentMessage { Hello = new AgentHello { AgentVersion = AgentVersion.Text, Hostname = Environment.MachineName } });
        if (!await call.ResponseStream.MoveNext(ended.Token) || call.ResponseStream.Current.KindCase != ServerCommand.KindOneofCase.Welcome)
        {
            throw new InvalidDataException("the server did not welcome the control stream");
        }
        Welcomed = true;
        var heartbeat = TimeSpan.FromSeconds(Math.Max(1, call.ResponseStream.Current.Welcome.HeartbeatSeconds));
        log($"connected to {state.LoadState().Server}; waiting for commands");

        var backups = Channel.CreateBounded<ServerCommand>(1);
        var beating = HeartbeatAsync(heartbeat, SendAsync, ended.Token);
        var working = RunBackupsAsync(backups.Reader, SendAsync, ended.Token);
        var updating = updates is null ? Task.CompletedTask : UpdatesAsync(updates, ended);
        try
        {
            await foreach (var command in call.ResponseStream.ReadAllAsync(ended.Token))
            {
                switch (command.KindCase)
                {
                    case ServerCommand.KindOneofCase.StartBackup when !backups.Writer.TryWrite(command):
                        await SendAsync(Outcome(command, false, "a backup is running already"));
                        break;
                    case ServerCommand.KindOneofCase.RefreshSettings:
                        var settings = await BackupCommand.WithServerSettingsAsync(connection, new BackupOptions([], false), ended.Token);
                        log($"settings refreshed: paths {string.Join(", ", settings.Paths)}; {settings.Excludes.Count} exclude pattern(s)");
                        break;
                }
            }
            log("the server closed the control stream");
        }
        catch (Exception e) when (Installed is not null && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ended on purpose: the new version is to start.
        }
        finally
        {
            backups.Writer.TryComplete();
            await ended.CancelAsync();
            await Task.WhenAll(Quietly(beating), Quietly(working), Quietly(updating));
        }
    }

    /// <summary>Asks for a newer release when due; installs it and ends the session, or logs why not and carries on with this version.</summary>
    private async Task UpdatesAsync(UpdateSchedule schedule, CancellationTokenSource ended)
    {
        var cancellationToken = ended.Token;
        while (true)
        {
            await Task.Delay(schedule.UntilNextCheck(), cancellationToken);
            await work.WaitAsync(cancellationToken);
            try
            {
                schedule.Checked();
                var installed = await AgentUpdater.ForRunningAgent(connection).RunAsync(cancellationToken);
                if (installed is null) continue;
                Installed = installed;
                log($"installed agent {installed.To} (was {installed.From}) in {installed.Directory}; stopping so that it starts");
                await ended.CancelAsync();
                return;
            }
            catch (ReleaseRefusedException e)
            {
                log($"update refused, nothing was replaced: {e.Message}");
            }
            catch (UpdateFailedException e)
            {
                log($"update failed, nothing was switched: {e.Message}");
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                log($"update check failed: {e.Status.Detail}");
            }
            catch (Exception e) when (e is not (OperationCanceledException or RpcException))
            {
                // Whatever else went wrong, the daemon keeps its version and its backups running.
                log($"update failed, nothing was switched: {e.Message}");
            }
            finally
            {
                work.Release();
            }
        }
    }

    private static async Task HeartbeatAsync(TimeSpan interval, Func<AgentMessage, Task> send, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await send(new AgentMessage { Heartbeat = new AgentHeartbeat() });
        }
    }

    /// <summary>The backups the server asks for, one at a time (and never during an update check).</summary>
    private async Task RunBackupsAsync(ChannelReader<ServerCommand> commands, Func<AgentMessage, Task> send, CancellationToken cancellationToken)
    {
        await foreach (var command in commands.ReadAllAsync(cancellationToken))
        {
            await work.WaitAsync(cancellationToken);
            try
            {
                await RunBackupAsync(command, send, cancellationToken);
            }
            finally
            {
                work.Release();
            }
        }
    }

    /// <summary>One backup the server asked for, answered with its outcome.</summary>
    private async Task RunBackupAsync(ServerCommand command, Func<AgentMessage, Task> send, CancellationToken cancellationToken)
    {
        var kind = command.StartBackup.Kind;
        if (!kind.IsKnown())
        {
            log($"the server asked for a backup of unknown kind {(int)kind} ({command.CommandId})");
            await send(Outcome(command, false, $"this agent does not know backups of kind {(int)kind}; update it"));
            return;
        }
        log($"the server started a {kind.DisplayName()} backup ({command.CommandId})");
        try
        {
            var requested = new BackupOptions([], kind.IsFull()) { Image = kind.IsImage(), CommandId = command.CommandId };
            var options = await BackupCommand.WithServerSettingsAsync(connection, requested, cancellationToken);
            if (options.Paths.Count == 0)
            {
                var reason = BackupCommand.NothingToBackUp(options);
                log(reason);
                await send(Outcome(command, false, reason));
                return;
            }
            var outcome = await new BackupRun(new Backups.BackupsClient(connection.Channel), state.Path, options).RunAsync(cancellationToken);
            foreach (var note in options.Image ? outcome.Notes : []) log($"note: {note}");
            log($"backup {outcome.Snapshot.BackupId} completed{(outcome.CompletedWithWarnings ? " with warnings" : "")}");
            await send(Outcome(command, true, outcome.CompletedWithWarnings ? "completed with warnings" : "completed", outcome.Snapshot.BackupId));
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidDataException or Domain.Errors.InvalidInputException)
        {
            var reason = e is RpcException rpc ? rpc.Status.Detail : e.Message;
            log($"backup failed: {reason}");
            await send(Outcome(command, false, reason));
        }
    }

    private static AgentMessage Outcome(ServerCommand command, bool succeeded, string message, string backupId = "") => new()
    {
        Outcome = new CommandOutcome { CommandId = command.CommandId, Succeeded = succeeded, Message = message, BackupId = backupId },
    };

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or IOException)
        {
            // The session is over; its helpers end with it.
        }
    }
}
