using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Scheduler.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddImageBackupCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "full_image_backups",
                schema: "scheduler",
                table: "usage_days",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "incremental_image_backups",
                schema: "scheduler",
                table: "usage_days",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "full_image_backups",
                schema: "scheduler",
                table: "usage_days");

            migrationBuilder.DropColumn(
                name: "incremental_image_backups",
                schema: "scheduler",
                table: "usage_days");
        }
    }
}
