using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Ingest.Data.Migrations
{
    /// <inheritdoc />
    public partial class ArchiveAndDelete : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "archive_rule_id",
                schema: "ingest",
                table: "backups",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "archived_at",
                schema: "ingest",
                table: "backups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "archived_until",
                schema: "ingest",
                table: "backups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deleted_at",
                schema: "ingest",
                table: "backups",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "archive_rule_id",
                schema: "ingest",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "archived_at",
                schema: "ingest",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "archived_until",
                schema: "ingest",
                table: "backups");

            migrationBuilder.DropColumn(
                name: "deleted_at",
                schema: "ingest",
                table: "backups");
        }
    }
}
