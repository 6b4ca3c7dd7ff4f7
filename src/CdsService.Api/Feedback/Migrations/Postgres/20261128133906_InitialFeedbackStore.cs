using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CdsService.Api.Feedback.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialFeedbackStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "feedback_item",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    service_id = table.Column<string>(type: "text", nullable: false),
                    card_uuid = table.Column<string>(type: "text", nullable: false),
                    card_topic = table.Column<string>(type: "text", nullable: true),
                    outcome = table.Column<string>(type: "text", nullable: false),
                    accepted_suggestion_ids = table.Column<string>(type: "text", nullable: false),
                    override_reason_system = table.Column<string>(type: "text", nullable: true),
                    override_reason_code = table.Column<string>(type: "text", nullable: true),
                    user_comment = table.Column<string>(type: "text", nullable: true),
                    outcome_timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    client_issuer = table.Column<string>(type: "text", nullable: false),
                    client_tenant = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_item", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "issued_card",
                columns: table => new
                {
                    card_uuid = table.Column<string>(type: "text", nullable: false),
                    service_id = table.Column<string>(type: "text", nullable: false),
                    topic = table.Column<string>(type: "text", nullable: false),
                    indicator = table.Column<string>(type: "text", nullable: false),
                    issued_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issued_card", x => x.card_uuid);
                });

            migrationBuilder.CreateIndex(
                name: "ix_feedback_item_card_uuid",
                table: "feedback_item",
                column: "card_uuid");

            migrationBuilder.CreateIndex(
                name: "ix_feedback_item_received_at",
                table: "feedback_item",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_feedback_item_service_id",
                table: "feedback_item",
                columns: new[] { "service_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_issued_card_issued_at",
                table: "issued_card",
                column: "issued_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feedback_item");

            migrationBuilder.DropTable(
                name: "issued_card");
        }
    }
}
