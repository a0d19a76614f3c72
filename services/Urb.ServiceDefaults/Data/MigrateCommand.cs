using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.Extensions.Hosting;
using Urb.ServiceDefaults.Hosting;

namespace Urb.ServiceDefaults.Data;

/// <summary><c>migrate</c>: applies this service's migrations to its schemas, then exits.</summary>
internal sealed class MigrateCommand(IServiceScopeFactory scopes, IEnumerable<MigrationTarget> targets, IHostEnvironment environment)
    : IServiceCommand
{
    public string Name => "migrate";

    public string Usage => "migrate    apply this service's database migrations and exit";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (!targets.Any())
        {
            Console.WriteLine($"{environment.ApplicationName}: owns no database tables, nothing to migrate");
            return 0;
        }
        foreach (var target in targets)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(target.ContextType);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await db.Database.MigrateAsync(cancellationToken);
                Console.WriteLine(pending.Count == 0
                    ? $"schema {target.Schema}: up to date"
                    : $"schema {target.Schema}: applied {string.Join(", ", pending)}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"schema {target.Schema}: cannot migrate: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        }
        return 0;
    }
}
