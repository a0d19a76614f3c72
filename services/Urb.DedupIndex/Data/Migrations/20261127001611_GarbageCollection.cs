using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.DedupIndex.Data.Migrations
{
    /// <inheritdoc />
    public partial class GarbageCollection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "condemned_at",
                schema: "dedup",
                table: "chunks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_tree",
                schema: "dedup",
                table: "chunks",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "touched_at",
                schema: "dedup",
                table: "chunk_refs",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.CreateTable(
                name: "cache_generations",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    generation = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cache_generations", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "gc_marks",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk_id = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gc_marks", x => new { x.tenant_id, x.run_id, x.chunk_id, x.client_id });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cache_generations",
                schema: "dedup");

            migrationBuilder.DropTable(
                name: "gc_marks",
                schema: "dedup");

            migrationBuilder.DropColumn(
                name: "condemned_at",
                schema: "dedup",
                table: "chunks");

            migrationBuilder.DropColumn(
                name: "is_tree",
                schema: "dedup",
                table: "chunks");

            migrationBuilder.DropColumn(
                name: "touched_at",
                schema: "dedup",
                table: "chunk_refs");
        }
    }
}
