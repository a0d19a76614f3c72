using Urb.Contracts.Index.V1;
using Urb.Contracts.Storage.V1;
using Urb.Ingest.Backups;
using Urb.Ingest.Data;
using Urb.Ingest.Snapshots;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;

namespace Urb.Ingest;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddUrbPostgres<IngestDbContext>(IngestDbContext.Schema);
        builder.AddUrbGrpcClient<DedupIndex.DedupIndexClient>("DedupIndex");
        builder.AddUrbGrpcClient<Storage.StorageClient>("Storage");

        builder.Services.AddSingleton<ChunkIdKeys>();
        builder.Services.AddSingleton<ChunkSource>();
        builder.Services.AddSingleton<TreeStore>();
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<RestoreStreamer>();
        builder.Services.AddSingleton<ReferenceRecorder>();
        builder.Services.AddSingleton<RunningBackups>();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunningBackups>());
        builder.Services.AddScoped<BackupCatalog>();
        builder.Services.AddScoped<CatalogMaintenance>();
        builder.Services.AddScoped<BackupTotals>();
        builder.Services.AddTransient<BackupSession>();
    }
}
