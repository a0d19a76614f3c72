using Microsoft.EntityFrameworkCore.Design;
using Urb.ServiceDefaults.Data;

namespace Urb.Api.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class ApiDbContextFactory : IDesignTimeDbContextFactory<ApiDbContext>
{
    public ApiDbContext CreateDbContext(string[] args) => new(UrbDbContextOptions.ForDesignTime<ApiDbContext>(ApiDbContext.Schema));
}
