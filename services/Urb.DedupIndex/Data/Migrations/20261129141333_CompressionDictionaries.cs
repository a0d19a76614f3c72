using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.DedupIndex.Data.Migrations
{
    /// <summary>Clients' zstd dictionaries (<c>dictionaries</c>) and the sequence of their IDs.</summary>
    public partial class CompressionDictionaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence<int>(
                name: "dictionary_ids",
                schema: "dedup",
                startValue: 32768L,
                maxValue: 2147483647L);

            migrationBuilder.CreateTable(
                name: "dictionaries",
                schema: "dedup",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dictionary_id = table.Column<int>(type: "integer", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk_row_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dictionaries", x => new { x.tenant_id, x.dictionary_id });
                    table.ForeignKey(
                        name: "fk_dictionaries_chunks_chunk_row_id",
                        column: x => x.chunk_row_id,
                        principalSchema: "dedup",
                        principalTable: "chunks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dictionaries_chunk_row_id",
                schema: "dedup",
                table: "dictionaries",
                column: "chunk_row_id");

            migrationBuilder.CreateIndex(
                name: "ix_dictionaries_tenant_id_client_id",
                schema: "dedup",
                table: "dictionaries",
                columns: new[] { "tenant_id", "client_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dictionaries",
                schema: "dedup");

            migrationBuilder.DropSequence(
                name: "dictionary_ids",
                schema: "dedup");
        }
    }
}
