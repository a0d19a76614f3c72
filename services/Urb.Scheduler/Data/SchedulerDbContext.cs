using Microsoft.EntityFrameworkCore;

namespace Urb.Scheduler.Data;

/// <summary>Urb.Scheduler's tables in schema <c>scheduler</c>: jobs, archival rule state, cleanup runs, usage history.</summary>
public sealed class SchedulerDbContext(DbContextOptions<SchedulerDbContext> options) : DbContext(options)
{
    public const string Schema = "scheduler";

    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<ArchivalRuleState> ArchivalRules => Set<ArchivalRuleState>();

    public DbSet<CleanupRunRecord> CleanupRuns => Set<CleanupRunRecord>();

    public DbSet<UsageDayRecord> UsageDays => Set<UsageDayRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<JobRecord>(b =>
        {
            b.ToTable("jobs");
            b.HasKey(x => x.Id);
            b.Property(x => x.Status).HasMaxLength(16);
            b.Property(x => x.CommandId).HasMaxLength(64);
            b.Ignore(x => x.IsActive);
            // One job per client at a time, whichever replica or tick tries to queue a second one.
            b.HasIndex(x => x.ClientId).IsUnique().HasFilter("status IN ('queued', 'running')").HasDatabaseName("ix_jobs_one_active_per_client");
            b.HasIndex(x => x.CommandId).HasFilter("command_id IS NOT NULL");
            b.HasIndex(x => new { x.TenantId, x.ClientId, x.QueuedAt });
        });
        modelBuilder.Entity<ArchivalRuleState>(b =>
        {
            b.ToTable("archival_rules");
            b.HasKey(x => new { x.ClientId, x.RuleId });
        });
        modelBuilder.Entity<CleanupRunRecord>(b =>
        {
            b.ToTable("cleanup_runs");
            b.HasKey(x => x.Id);
            b.Property(x => x.Status).HasMaxLength(16);
            b.HasIndex(x => x.StartedAt);
        });
        modelBuilder.Entity<UsageDayRecord>(b =>
        {
            b.ToTable("usage_days");
            b.HasKey(x => new { x.ClientId, x.Day });
            // A tenant's history sums its clients' rows per day; the loop asks whether today has a row.
            b.HasIndex(x => new { x.TenantId, x.Day });
            b.HasIndex(x => x.Day);
        });
    }
}
