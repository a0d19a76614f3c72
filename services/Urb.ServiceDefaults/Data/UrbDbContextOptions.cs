using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Urb.ServiceDefaults.Data;

/// <summary>
/// The one configuration of a service's DbContext (schema-local migrations history, snake_case
/// names), shared by the running service and the design-time factory that makes migrations.
/// </summary>
public static class UrbDbContextOptions
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string schema) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__migrations", schema)).UseSnakeCaseNamingConvention();

    /// <summary>Options for tools (<c>dotnet ef migrations add</c>), which need the model but no database.</summary>
    public static DbContextOptions<TContext> ForDesignTime<TContext>(string schema) where TContext : DbContext =>
        (DbContextOptions<TContext>)Configure(new DbContextOptionsBuilder<TContext>(), NpgsqlDataSource.Create("Host=localhost"), schema).Options;
}
