using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Scheduler.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddUsageDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_days",
                schema: "scheduler",
                columns: table => new
                {
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stored_bytes = table.Column<long>(type: "bigint", nullable: false),
                    plain_bytes = table.Column<long>(type: "bigint", nullable: false),
                    logical_bytes = table.Column<long>(type: "bigint", nullable: false),
                    latest_backup_bytes = table.Column<long>(type: "bigint", nullable: false),
                    incremental_backups = table.Column<int>(type: "integer", nullable: false),
                    full_backups = table.Column<int>(type: "integer", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_days", x => new { x.client_id, x.day });
                });

            migrationBuilder.CreateIndex(
                name: "ix_usage_days_day",
                schema: "scheduler",
                table: "usage_days",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_usage_days_tenant_id_day",
                schema: "scheduler",
                table: "usage_days",
                columns: new[] { "tenant_id", "day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_days",
                schema: "scheduler");
        }
    }
}
