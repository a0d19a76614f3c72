using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.DedupIndex.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "dedup");

            migrationBuilder.CreateTable(
                name: "chunks",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk_id = table.Column<byte[]>(type: "bytea", nullable: false),
                    pack = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    offset = table.Column<long>(type: "bigint", nullable: false),
                    length = table.Column<int>(type: "integer", nullable: false),
                    plain_length = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chunks", x => new { x.tenant_id, x.chunk_id });
                });

            migrationBuilder.CreateTable(
                name: "file_entries",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    chunk_ids = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_file_entries", x => new { x.tenant_id, x.file_hash });
                });

            migrationBuilder.CreateTable(
                name: "chunk_refs",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk_id = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chunk_refs", x => new { x.tenant_id, x.client_id, x.chunk_id });
                    table.ForeignKey(
                        name: "fk_chunk_refs_chunks_tenant_id_chunk_id",
                        columns: x => new { x.tenant_id, x.chunk_id },
                        principalSchema: "dedup",
                        principalTable: "chunks",
                        principalColumns: new[] { "tenant_id", "chunk_id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_chunk_refs_tenant_id_chunk_id",
                schema: "dedup",
                table: "chunk_refs",
                columns: new[] { "tenant_id", "chunk_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chunk_refs",
                schema: "dedup");

            migrationBuilder.DropTable(
                name: "file_entries",
                schema: "dedup");

            migrationBuilder.DropTable(
                name: "chunks",
                schema: "dedup");
        }
    }
}
