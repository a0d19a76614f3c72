using Microsoft.EntityFrameworkCore.Design;
using Urb.ServiceDefaults.Data;

namespace Urb.DedupIndex.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DedupDbContextFactory : IDesignTimeDbContextFactory<DedupDbContext>
{
    public DedupDbContext CreateDbContext(string[] args) => new(UrbDbContextOptions.ForDesignTime<DedupDbContext>(DedupDbContext.Schema));
}
