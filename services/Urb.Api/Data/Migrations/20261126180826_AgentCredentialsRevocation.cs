using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentCredentialsRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "credentials_revoked_at",
                schema: "api",
                table: "clients",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "credentials_revoked_at",
                schema: "api",
                table: "clients");
        }
    }
}
