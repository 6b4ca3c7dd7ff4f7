using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CdsService.Clinical.Model;
using CdsService.Protocol;
using Hl7.Fhir.Serialization;
using static CdsService.UnitTests.Cards.CardScenarios;

namespace CdsService.UnitTests.Cards;

/// <summary>The response as JSON: CDS Hooks 2.0 says optional members without a value SHALL be omitted, never null or [].</summary>
public sealed class CardWireFormatTests
{
    private static readonly JsonSerializerOptions Wire = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [Theory]
    [InlineData(HookKind.OrderSign, Classification.Secondary, FertilityIntent.Desired)]
    [InlineData(HookKind.OrderSign, Classification.InsufficientData, FertilityIntent.Unknown)]
    [InlineData(HookKind.OrderSign, Classification.Primary, FertilityIntent.NotDesired)]
    [InlineData(HookKind.PatientView, Classification.Eugonadal, FertilityIntent.NotDesired)]
    public void GivenResponse_WhenSerialised_ThenNoNullsAndNoEmptyArrays(HookKind hook, Classification classification, FertilityIntent intent)
    {
        var assessment = Assessment(classification, intent, TherapyKind.TestosteroneReplacement, [.. HematocritAndPsa]);
        var response = Composer().Compose(Request(hook, assessment, Snapshot(TestosteroneDraft(), ClomipheneDraft())));

        var json = JsonNode.Parse(JsonSerializer.Serialize(response, Wire))!;

        Assert.NotEmpty(json["cards"]!.AsArray());
        AssertNoEmptyMembers(json, "$");
        Assert.Equal("info", JsonNode.Parse(JsonSerializer.Serialize(CardIndicator.Info, Wire))!.GetValue<string>());
    }

    [Fact]
    public void GivenResourceMissingRequiredElements_WhenParsedStrictly_ThenRejected()
    {
        // Proves the R4 check used by CardAssertions can fail: MedicationRequest.status and .intent are 1..1.
        var invalid = JsonNode.Parse("""{"resourceType":"MedicationRequest","subject":{"reference":"Patient/x"},"medicationCodeableConcept":{"text":"x"}}""")!;

        Assert.ThrowsAny<DeserializationFailedException>(() => CardAssertions.ParseR4(invalid));
    }

    private static void AssertNoEmptyMembers(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Assert.True(value is not null, $"{path}.{name} is null");
                    AssertNoEmptyMembers(value!, $"{path}.{name}");
                }

                break;
            case JsonArray array:
                Assert.True(array.Count > 0 || path == "$.cards", $"{path} is an empty array");
                for (var i = 0; i < array.Count; i++)
                {
                    AssertNoEmptyMembers(array[i]!, $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.False(string.IsNullOrEmpty(value.GetValue<string>()), $"{path} is an empty string");
                break;
        }
    }
}
