using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Storage.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetiredPacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "retired_packs",
                schema: "storage",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pack = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retired_packs", x => new { x.tenant_id, x.pack });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "retired_packs",
                schema: "storage");
        }
    }
}
