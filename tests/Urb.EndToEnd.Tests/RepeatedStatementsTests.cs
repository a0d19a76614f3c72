using Npgsql;
using Urb.EndToEnd.Tests.Infrastructure;
using Urb.ServiceDefaults.Data;

namespace Urb.EndToEnd.Tests;

/// <summary>
/// The catalog connections of a service that runs the same statements very many times (the
/// index): against the real PostgreSQL a statement is prepared once a connection has run it a few
/// times, and stays prepared when the connection goes back to the pool and comes out again. An
/// operator's own setting in the connection string wins over either default.
/// </summary>
public sealed class RepeatedStatementsTests
{
    private const string Statement = "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname <> @name";

    [Fact]
    public async Task AStatementRunOften_IsPrepared_AndStaysPreparedAcrossThePool()
    {
        // One physical connection, so that the second open gets the same session back.
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresExtensions.ForRepeatedStatements(TestEnvironment.Postgres))
        {
            MaxPoolSize = 1,
        }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(0L, await PreparedCountAsync(connection));
            for (var i = 0; i < 6; i++) await RunAsync(connection);
            Assert.Equal(1L, await PreparedCountAsync(connection));
        }
        await using (var again = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(1L, await PreparedCountAsync(again));
            await RunAsync(again);
        }
    }

    [Fact]
    public async Task WithoutTheSetting_NothingIsPrepared()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < 6; i++) await RunAsync(connection);
        Assert.Equal(0L, await PreparedCountAsync(connection));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0")]
    [InlineData("MaxAutoPrepare=0")]
    [InlineData("max auto prepare=0")]
    public void TheOperatorsOwnPrepareSetting_IsKept(string setting)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresExtensions.ForRepeatedStatements($"Host=127.0.0.1;Username=urb;{setting}"));
        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
    }

    [Fact]
    public void TheOperatorsOwnResetSetting_IsKept()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresExtensions.ForRepeatedStatements("Host=127.0.0.1;Username=urb;No Reset On Close=false"));
        Assert.False(tuned.NoResetOnClose);
        Assert.True(tuned.MaxAutoPrepare > 0);
    }

    private static async Task RunAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(Statement, connection);
        command.Parameters.AddWithValue("name", "none");
        Assert.True((long)(await command.ExecuteScalarAsync())! > 0);
    }

    private static async Task<long> PreparedCountAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_catalog.pg_prepared_statements WHERE statement LIKE '%pg_namespace%nspname%' AND statement NOT LIKE '%pg_prepared_statements%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
