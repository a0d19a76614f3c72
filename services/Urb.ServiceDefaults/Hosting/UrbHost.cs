using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Urb.ServiceDefaults.Hosting;

public static class UrbHost
{
    /// <summary>Exit code for a configuration error (sysexits' EX_CONFIG).</summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>
    /// Runs the service, or the one-shot command named by the first argument. A configuration
    /// mistake (a missing connection string, say) ends the process with one clear line on
    /// stderr instead of a stack trace.
    /// </summary>
    public static async Task<int> RunUrbAsync(this WebApplication app, string[] args)
    {
        var name = app.Environment.ApplicationName;
        try
        {
            if (args.Length == 0)
            {
                // Validate before the host starts, so a bad setting is one line, not a logged crash.
                ValidateOptionsNow(app.Services);
                await app.RunAsync();
                return 0;
            }
            var commands = app.Services.GetServices<IServiceCommand>().ToList();
            var command = commands.FirstOrDefault(c => c.Name == args[0]);
            if (command is null)
            {
                await Console.Error.WriteLineAsync($"{name}: unknown command '{args[0]}'. Commands:\n"
                    + string.Join('\n', commands.Select(c => "  " + c.Usage)));
                return 64;
            }
            // A command checks only the settings it uses (when it resolves them), so that e.g.
            // 'migrate' needs the database and nothing else.
            using var stopping = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
            return await command.RunAsync(args[1..], stopping.Token);
        }
        catch (Exception e) when (ValidationFailures(e) is { Count: > 0 } failures)
        {
            await Console.Error.WriteLineAsync($"{name}: configuration error: {string.Join("; ", failures)}");
            return ConfigurationErrorExitCode;
        }
    }

    /// <summary>The failures of one options validation, or of several (the start validator throws them together).</summary>
    private static List<string> ValidationFailures(Exception e) => e switch
    {
        OptionsValidationException single => single.Failures.ToList(),
        AggregateException many when many.InnerExceptions.All(i => i is OptionsValidationException) =>
            many.InnerExceptions.SelectMany(i => ((OptionsValidationException)i).Failures).ToList(),
        _ => [],
    };

    /// <summary>Commands do not start the host, so the options validated at start are checked here.</summary>
    private static void ValidateOptionsNow(IServiceProvider services)
    {
        var validator = services.GetService<IStartupValidator>();
        validator?.Validate();
    }
}
