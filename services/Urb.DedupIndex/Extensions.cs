using Urb.DedupIndex.Cache;
using Urb.DedupIndex.Data;
using Urb.DedupIndex.Index;
using Urb.DedupIndex.Options;
using Urb.DedupIndex.Telemetry;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Redis;

namespace Urb.DedupIndex;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        // The index runs a dozen statements for every backup and keeps no session state on a connection.
        builder.AddUrbPostgres<DedupDbContext>(DedupDbContext.Schema, repeatedStatements: true);
        // Redis is only a cache here: without it every answer is still right, just slower.
        builder.AddUrbRedis(cacheOnly: true);

        builder.Services.AddOptions<DedupIndexOptions>()
            .BindConfiguration(DedupIndexOptions.SectionName)
            .Validate(o => o.FileEntryCacheTtl > TimeSpan.Zero, $"{DedupIndexOptions.SectionName}:FileEntryCacheTtl must be positive (e.g. 7.00:00:00)")
            .Validate(o => o.ChunkSetCacheTtl > TimeSpan.Zero, $"{DedupIndexOptions.SectionName}:ChunkSetCacheTtl must be positive (e.g. 30.00:00:00)")
            .Validate(o => o.CacheTimeout > TimeSpan.Zero && o.CacheTimeout <= TimeSpan.FromMinutes(1),
                $"{DedupIndexOptions.SectionName}:CacheTimeout must be more than zero and at most a minute (e.g. 00:00:01)")
            .ValidateOnStart();

        // All stateless over the shared NpgsqlDataSource and multiplexer: one instance each.
        builder.Services.AddSingleton<DedupIndexMetrics>();
        builder.Services.AddSingleton<DedupCache>();
        builder.Services.AddSingleton<ChunkTable>();
        builder.Services.AddSingleton<FileEntryTable>();
        builder.Services.AddSingleton<ReferenceTable>();
        builder.Services.AddSingleton<UsageQuery>();
        builder.Services.AddSingleton<CacheGenerationTable>();
        builder.Services.AddSingleton<GarbageTable>();
        builder.Services.AddSingleton<PackPlacementTable>();
        builder.Services.AddSingleton<DictionaryTable>();
        builder.Services.AddSingleton<ChunkIndex>();
        builder.Services.AddSingleton<FileEntryIndex>();
    }
}
