using Microsoft.EntityFrameworkCore.Design;
using Urb.ServiceDefaults.Data;

namespace Urb.Storage.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class StorageDbContextFactory : IDesignTimeDbContextFactory<StorageDbContext>
{
    public StorageDbContext CreateDbContext(string[] args) => new(UrbDbContextOptions.ForDesignTime<StorageDbContext>(StorageDbContext.Schema));
}
