using Microsoft.EntityFrameworkCore.Design;
using Urb.ServiceDefaults.Data;

namespace Urb.Scheduler.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class SchedulerDbContextFactory : IDesignTimeDbContextFactory<SchedulerDbContext>
{
    public SchedulerDbContext CreateDbContext(string[] args) => new(UrbDbContextOptions.ForDesignTime<SchedulerDbContext>(SchedulerDbContext.Schema));
}
