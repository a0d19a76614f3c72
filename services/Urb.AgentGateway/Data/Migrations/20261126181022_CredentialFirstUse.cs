using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Urb.AgentGateway.Data.Migrations
{
    /// <inheritdoc />
    public partial class CredentialFirstUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_used_at",
                schema: "gateway",
                table: "agent_credentials",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_used_at",
                schema: "gateway",
                table: "agent_credentials");
        }
    }
}
