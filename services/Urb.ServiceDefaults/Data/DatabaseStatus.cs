using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Urb.ServiceDefaults.Data;

/// <summary>
/// Whether the service's schema can be used: the database answers and every migration the
/// service knows is applied. One check shared by the readiness probe and the startup monitor.
/// </summary>
public sealed class DatabaseStatus<TContext>(IServiceScopeFactory scopes, MigrationTarget target) where TContext : DbContext
{
    public async Task<(bool Ready, string Reason)> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? (true, $"schema '{target.Schema}' is migrated")
                : (false, $"schema '{target.Schema}' is not migrated ({pending.Count} pending migration{(pending.Count == 1 ? "" : "s")}, the first {pending[0]}); run 'urb migrate' or the service's 'migrate' command");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return (false, $"PostgreSQL is unreachable for schema '{target.Schema}': {OneLine(e)}");
        }
    }

    private static string OneLine(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        var message = innermost == e ? e.Message : $"{e.Message} ({innermost.Message})";
        return message.ReplaceLineEndings(" ");
    }
}
