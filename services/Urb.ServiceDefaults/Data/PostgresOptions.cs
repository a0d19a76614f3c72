namespace Urb.ServiceDefaults.Data;

/// <summary>The catalog database, from <c>ConnectionStrings:postgres</c> (an Npgsql connection string).</summary>
public sealed class PostgresOptions
{
    public string? ConnectionString { get; set; }
}
