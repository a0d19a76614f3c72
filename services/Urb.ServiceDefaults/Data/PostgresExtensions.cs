using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Urb.ServiceDefaults.Hosting;

namespace Urb.ServiceDefaults.Data;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers the service's own DbContext on the shared catalog database, in its own schema
    /// (with its own migrations history there), with a readiness check (reachable and migrated),
    /// a monitor that says in one line when that changes, and the <c>migrate</c> command.
    /// </summary>
    public static IHostApplicationBuilder AddUrbPostgres<TContext>(this IHostApplicationBuilder builder, string schema)
        where TContext : DbContext
    {
        builder.Services.AddOptions<PostgresOptions>()
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString("postgres"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                "ConnectionStrings:postgres is not set (environment variable ConnectionStrings__postgres, an Npgsql connection string)")
            .Validate(o => IsWellFormed(o.ConnectionString), "ConnectionStrings:postgres is not a valid Npgsql connection string")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
            new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString).Build());
        builder.Services.AddDbContextPool<TContext>((sp, options) =>
            UrbDbContextOptions.Configure(options, sp.GetRequiredService<NpgsqlDataSource>(), schema));

        var target = new MigrationTarget(typeof(TContext), schema);
        builder.Services.AddSingleton(target);
        builder.Services.AddSingleton<DatabaseStatus<TContext>>();
        builder.Services.AddHostedService<DatabaseStatusMonitor<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck<TContext>>($"postgres:{schema}", tags: [HealthTags.Ready]);
        return builder;
    }

    private static bool IsWellFormed(string? connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>A schema owned by this service, migrated by its <c>migrate</c> command.</summary>
public sealed record MigrationTarget(Type ContextType, string Schema);
