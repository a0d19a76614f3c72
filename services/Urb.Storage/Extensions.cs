using Microsoft.Extensions.Options;
using Urb.Contracts.Index.V1;
using Urb.ServiceDefaults.Data;
using Urb.ServiceDefaults.Grpc;
using Urb.ServiceDefaults.Hosting;
using Urb.ServiceDefaults.Content;
using Urb.Storage.Commands;
using Urb.Storage.Data;
using Urb.Storage.Keys;
using Urb.Storage.Options;
using Urb.Storage.Packs;

namespace Urb.Storage;

internal static class Extensions
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddUrbPostgres<StorageDbContext>(StorageDbContext.Schema);
        builder.AddUrbGrpcClient<DedupIndex.DedupIndexClient>("DedupIndex");

        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), $"{StorageOptions.SectionName}:Directory must name the directory for pack files")
            .Validate(MasterKey.IsConfigured,
                $"{StorageOptions.SectionName}:MasterKeyFile (or MasterKey) must give the 32-byte master key, base64 (e.g. head -c 32 /dev/urandom | base64)")
            .Validate(o => o.PackTargetBytes is >= 1024 * 1024 and <= 1024L * 1024 * 1024, $"{StorageOptions.SectionName}:PackTargetBytes must be 1 MiB to 1 GiB")
            .Validate(o => o.CompressionLevel is >= 1 and <= 19, $"{StorageOptions.SectionName}:CompressionLevel must be 1 to 19")
            .Validate(o => o.RetiredPackGrace >= TimeSpan.Zero, $"{StorageOptions.SectionName}:RetiredPackGrace must not be negative (e.g. 01:00:00)")
            .ValidateOnStart();

        builder.Services.AddSingleton<MasterKey>();
        builder.Services.AddSingleton<TenantKeyRing>();
        builder.Services.AddSingleton(sp => new ChunkCodec(sp.GetRequiredService<IOptions<StorageOptions>>().Value.CompressionLevel));
        builder.Services.AddSingleton<IPackStore>(sp => new FileSystemPackStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Directory!));
        builder.Services.AddSingleton<PackIndexReader>();
        builder.Services.AddSingleton<PackWriter>();
        builder.Services.AddSingleton<ChunkReader>();
        builder.Services.AddSingleton<CompressionDictionaries>();
        builder.Services.AddSingleton<PackReclaimer>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHostedService<PackRecovery>();
        builder.Services.AddSingleton<IServiceCommand, RebuildIndexCommand>();
    }
}
