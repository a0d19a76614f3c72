using Microsoft.EntityFrameworkCore.Design;
using Urb.ServiceDefaults.Data;

namespace Urb.Ingest.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class IngestDbContextFactory : IDesignTimeDbContextFactory<IngestDbContext>
{
    public IngestDbContext CreateDbContext(string[] args) => new(UrbDbContextOptions.ForDesignTime<IngestDbContext>(IngestDbContext.Schema));
}
