using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Ingest.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "ingest");

            migrationBuilder.CreateTable(
                name: "backups",
                schema: "ingest",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    paths = table.Column<string[]>(type: "text[]", nullable: false),
                    agent_version = table.Column<string>(type: "text", nullable: true),
                    root_ids = table.Column<byte[]>(type: "bytea", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failure = table.Column<string>(type: "text", nullable: true),
                    warnings_json = table.Column<string>(type: "jsonb", nullable: true),
                    warnings = table.Column<int>(type: "integer", nullable: false),
                    files_new = table.Column<long>(type: "bigint", nullable: false),
                    files_changed = table.Column<long>(type: "bigint", nullable: false),
                    files_unchanged = table.Column<long>(type: "bigint", nullable: false),
                    directories = table.Column<long>(type: "bigint", nullable: false),
                    total_bytes = table.Column<long>(type: "bigint", nullable: false),
                    bytes_read = table.Column<long>(type: "bigint", nullable: false),
                    bytes_new = table.Column<long>(type: "bigint", nullable: false),
                    bytes_sent = table.Column<long>(type: "bigint", nullable: false),
                    chunks_new = table.Column<long>(type: "bigint", nullable: false),
                    chunks_known = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backups", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backups_heartbeat_at",
                schema: "ingest",
                table: "backups",
                column: "heartbeat_at",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_backups_tenant_id_client_id_started_at",
                schema: "ingest",
                table: "backups",
                columns: new[] { "tenant_id", "client_id", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backups",
                schema: "ingest");
        }
    }
}
