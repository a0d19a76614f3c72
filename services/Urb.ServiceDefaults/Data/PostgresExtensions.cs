using System.Data.Common;
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
    /// <param name="repeatedStatements">
    /// True for a service whose requests run a few statements very many times and that keeps no
    /// session state on a connection (no SET, no session locks, temporary tables only ON COMMIT
    /// DROP): its connections prepare those statements and are not reset when they go back to the
    /// pool (<see cref="ForRepeatedStatements"/>).
    /// </param>
    public static IHostApplicationBuilder AddUrbPostgres<TContext>(this IHostApplicationBuilder builder, string schema, bool repeatedStatements = false)
        where TContext : DbContext
    {
        builder.Services.AddOptions<PostgresOptions>()
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config.GetConnectionString("postgres"))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString),
                "ConnectionStrings:postgres is not set (environment variable ConnectionStrings__postgres, an Npgsql connection string)")
            .Validate(o => IsWellFormed(o.ConnectionString), "ConnectionStrings:postgres is not a valid Npgsql connection string")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString!;
            return new NpgsqlDataSourceBuilder(repeatedStatements ? ForRepeatedStatements(connectionString) : connectionString).Build();
        });
        builder.Services.AddDbContextPool<TContext>((sp, options) =>
            UrbDbContextOptions.Configure(options, sp.GetRequiredService<NpgsqlDataSource>(), schema));

        var target = new MigrationTarget(typeof(TContext), schema);
        builder.Services.AddSingleton(target);
        builder.Services.AddSingleton<DatabaseStatus<TContext>>();
        builder.Services.AddHostedService<DatabaseStatusMonitor<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck<TContext>>($"postgres:{schema}", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary>
    /// The connection string with statements prepared once per connection after a few uses
    /// (<c>Max Auto Prepare</c> 32) and no reset when a connection goes back to the pool
    /// (<c>No Reset On Close</c>), unless the operator's string sets either itself (for example
    /// <c>Max Auto Prepare=0</c> behind a pooler that cannot keep prepared statements).
    /// </summary>
    /// <remarks>
    /// Measured on the index (bench/RESULTS.md, 2026-11-28): PostgreSQL spent about a fifth less CPU
    /// on an initial backup, which it had spent parsing and planning the same statements again and
    /// resetting each connection (<c>DISCARD ALL</c>) after every request.
    /// </remarks>
    public static string ForRepeatedStatements(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's builder answers ContainsKey for every keyword it knows; what the operator wrote
        // is in the plain parse, keys as written ("Max Auto Prepare" or "MaxAutoPrepare").
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!written.Contains("maxautoprepare")) settings.MaxAutoPrepare = RepeatedStatementsPrepared;
        if (!written.Contains("noresetonclose")) settings.NoResetOnClose = true;
        return settings.ConnectionString;
    }

    /// <summary>How many statements a connection of such a service keeps prepared: the index runs about a dozen.</summary>
    private const int RepeatedStatementsPrepared = 32;

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
