using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Ingest.Activities;
using Urb.Ingest.Backups;
using Urb.Ingest.Data;
using Urb.Ingest.Garbage;
using Urb.Ingest.Options;
using Urb.Ingest.Snapshots;
using Urb.ServiceDefaults.Content;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Redis;

namespace Urb.Ingest;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddUrbPostgres<IngestDbContext>(IngestDbContext.Schema);
        builder.AddUrbGrpcClient<DedupIndex.DedupIndexClient>("DedupIndex");
        builder.AddUrbGrpcClient<Storage.StorageClient>("Storage");

        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.SectionName)
            .Validate(o => o.GarbageGrace >= TimeSpan.Zero, $"{IngestOptions.SectionName}:GarbageGrace must not be negative (e.g. 1.00:00:00)")
            .ValidateOnStart();

        // Only the live progress of running work and the live log are in Redis: without it
        // backups run unseen.
        builder.AddUrbRedis(cacheOnly: true);
        builder.Services.AddSingleton<IngestLiveLog>();
        builder.Services.AddSingleton<ActivityPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ActivityPublisher>());
        builder.Services.AddSingleton<ChunkIdKeys>();
        builder.Services.AddSingleton<ChunkSource>();
        builder.Services.AddSingleton<CompressionDictionaries>();
        builder.Services.AddSingleton<ClientDictionaries>();
        builder.Services.AddSingleton<TreeStore>();
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<RestoreStreamer>();
        builder.Services.AddSingleton<ReferenceRecorder>();
        builder.Services.AddSingleton<RunningBackups>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunningBackups>());
        builder.Services.AddScoped<BackupCatalog>();
        builder.Services.AddScoped<CatalogMaintenance>();
        builder.Services.AddSingleton<ObjectWalker>();
        builder.Services.AddScoped<GarbageCollector>();
        builder.Services.AddScoped<BackupTotals>();
        builder.Services.AddTransient<BackupSession>();
    }
}
