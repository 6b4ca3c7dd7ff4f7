using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CdsService.Api.Feedback.Migrations.Sqlite
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    service_id = table.Column<string>(type: "TEXT", nullable: false),
                    card_uuid = table.Column<string>(type: "TEXT", nullable: false),
                    card_topic = table.Column<string>(type: "TEXT", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", nullable: false),
                    accepted_suggestion_ids = table.Column<string>(type: "TEXT", nullable: false),
                    override_reason_system = table.Column<string>(type: "TEXT", nullable: true),
                    override_reason_code = table.Column<string>(type: "TEXT", nullable: true),
                    user_comment = table.Column<string>(type: "TEXT", nullable: true),
                    outcome_timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    client_issuer = table.Column<string>(type: "TEXT", nullable: false),
                    client_tenant = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_item", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "issued_card",
                columns: table => new
                {
                    card_uuid = table.Column<string>(type: "TEXT", nullable: false),
                    service_id = table.Column<string>(type: "TEXT", nullable: false),
                    topic = table.Column<string>(type: "TEXT", nullable: false),
                    indicator = table.Column<string>(type: "TEXT", nullable: false),
                    issued_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
