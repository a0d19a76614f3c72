using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Scheduler.Data.Migrations
{
    /// <inheritdoc />
    public partial class CreateSchedulerSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "scheduler");

            migrationBuilder.CreateTable(
                name: "archival_rules",
                schema: "scheduler",
                columns: table => new
                {
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<string>(type: "text", nullable: false),
                    last_archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archival_rules", x => new { x.client_id, x.rule_id });
                });

            migrationBuilder.CreateTable(
                name: "cleanup_runs",
                schema: "scheduler",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    backups_archived = table.Column<int>(type: "integer", nullable: false),
                    backups_deleted = table.Column<int>(type: "integer", nullable: false),
                    summary = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cleanup_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                schema: "scheduler",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    outcome = table.Column<string>(type: "text", nullable: true),
                    command_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    backup_id = table.Column<Guid>(type: "uuid", nullable: true),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_jobs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cleanup_runs_started_at",
                schema: "scheduler",
                table: "cleanup_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_command_id",
                schema: "scheduler",
                table: "jobs",
                column: "command_id",
                filter: "command_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_one_active_per_client",
                schema: "scheduler",
                table: "jobs",
                column: "client_id",
                unique: true,
                filter: "status IN ('queued', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_tenant_id_client_id_queued_at",
                schema: "scheduler",
                table: "jobs",
                columns: new[] { "tenant_id", "client_id", "queued_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archival_rules",
                schema: "scheduler");

            migrationBuilder.DropTable(
                name: "cleanup_runs",
                schema: "scheduler");

            migrationBuilder.DropTable(
                name: "jobs",
                schema: "scheduler");
        }
    }
}
