using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.DedupIndex.Data.Migrations
{
    /// <summary>
    /// chunk_refs keyed (tenant_id, chunk_id, client_id) instead of (tenant_id, client_id, chunk_id),
    /// without the separate (tenant_id, chunk_id) index that the new key makes redundant. The rows
    /// stay as they are; PostgreSQL builds the new key from them (and refuses it only if they were
    /// not unique, which the old key already guaranteed).
    /// </summary>
    public partial class ChunkRefsKeyedByChunk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_chunk_refs",
                schema: "dedup",
                table: "chunk_refs");

            migrationBuilder.DropIndex(
                name: "ix_chunk_refs_tenant_id_chunk_id",
                schema: "dedup",
                table: "chunk_refs");

            migrationBuilder.AddPrimaryKey(
                name: "pk_chunk_refs",
                schema: "dedup",
                table: "chunk_refs",
                columns: new[] { "tenant_id", "chunk_id", "client_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_chunk_refs",
                schema: "dedup",
                table: "chunk_refs");

            migrationBuilder.AddPrimaryKey(
                name: "pk_chunk_refs",
                schema: "dedup",
                table: "chunk_refs",
                columns: new[] { "tenant_id", "client_id", "chunk_id" });

            migrationBuilder.CreateIndex(
                name: "ix_chunk_refs_tenant_id_chunk_id",
                schema: "dedup",
                table: "chunk_refs",
                columns: new[] { "tenant_id", "chunk_id" });
        }
    }
}
