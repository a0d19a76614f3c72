using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.DedupIndex.Data.Migrations
{
    /// <summary>
    /// chunk_refs name their chunk by its row's number (<c>chunks.id</c>, new) instead of tenant
    /// and chunk ID: 8 bytes instead of 48 in every row and key entry, and one key (chunk row,
    /// client) instead of a key by client and an index by chunk. Written by hand, because
    /// the scaffolded steps would drop the references: the existing rows are copied into the new
    /// table through a join with <c>chunks</c> (the old foreign key guarantees every one matches),
    /// in key order, so the new table and its key start compact.
    /// </summary>
    public partial class ChunkRefsByChunkRow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Adding an identity column numbers the existing rows.
            migrationBuilder.Sql("""
                ALTER TABLE dedup.chunks ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
                ALTER TABLE dedup.chunks ADD CONSTRAINT ak_chunks_id UNIQUE (id);

                ALTER TABLE dedup.chunk_refs RENAME TO chunk_refs_by_chunk_id;
                ALTER TABLE dedup.chunk_refs_by_chunk_id RENAME CONSTRAINT pk_chunk_refs TO pk_chunk_refs_by_chunk_id;
                CREATE TABLE dedup.chunk_refs (
                    chunk_row_id bigint NOT NULL,
                    client_id uuid NOT NULL,
                    touched_at timestamp with time zone NOT NULL DEFAULT now());
                INSERT INTO dedup.chunk_refs (chunk_row_id, client_id, touched_at)
                SELECT c.id, o.client_id, o.touched_at FROM dedup.chunk_refs_by_chunk_id o
                JOIN dedup.chunks c ON c.tenant_id = o.tenant_id AND c.chunk_id = o.chunk_id
                ORDER BY c.id, o.client_id;
                DROP TABLE dedup.chunk_refs_by_chunk_id;
                ALTER TABLE dedup.chunk_refs ADD CONSTRAINT pk_chunk_refs PRIMARY KEY (chunk_row_id, client_id);
                ALTER TABLE dedup.chunk_refs ADD CONSTRAINT fk_chunk_refs_chunks_chunk_row_id
                    FOREIGN KEY (chunk_row_id) REFERENCES dedup.chunks (id) ON DELETE RESTRICT;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE dedup.chunk_refs RENAME TO chunk_refs_by_row;
                ALTER TABLE dedup.chunk_refs_by_row RENAME CONSTRAINT pk_chunk_refs TO pk_chunk_refs_by_row;
                CREATE TABLE dedup.chunk_refs (
                    tenant_id uuid NOT NULL,
                    client_id uuid NOT NULL,
                    chunk_id bytea NOT NULL,
                    touched_at timestamp with time zone NOT NULL DEFAULT now());
                INSERT INTO dedup.chunk_refs (tenant_id, client_id, chunk_id, touched_at)
                SELECT c.tenant_id, r.client_id, c.chunk_id, r.touched_at FROM dedup.chunk_refs_by_row r
                JOIN dedup.chunks c ON c.id = r.chunk_row_id;
                DROP TABLE dedup.chunk_refs_by_row;
                ALTER TABLE dedup.chunk_refs ADD CONSTRAINT pk_chunk_refs PRIMARY KEY (tenant_id, client_id, chunk_id);
                CREATE INDEX ix_chunk_refs_tenant_id_chunk_id ON dedup.chunk_refs (tenant_id, chunk_id);
                ALTER TABLE dedup.chunk_refs ADD CONSTRAINT fk_chunk_refs_chunks_tenant_id_chunk_id
                    FOREIGN KEY (tenant_id, chunk_id) REFERENCES dedup.chunks (tenant_id, chunk_id) ON DELETE RESTRICT;

                ALTER TABLE dedup.chunks DROP CONSTRAINT ak_chunks_id;
                ALTER TABLE dedup.chunks DROP COLUMN id;
                """);
        }
    }
}
