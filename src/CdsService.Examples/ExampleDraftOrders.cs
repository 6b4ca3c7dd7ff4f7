using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CdsService.Examples;

/// <summary>
/// The draft orders the preview page and the command-line client can place in <c>context.draftOrders</c>: the
/// <c>draftOrder</c> values of <c>fhir-profiles/examples/scenarios.json</c> (wire code = kebab-case member name).
/// </summary>
public enum ExampleDraftOrder
{
    TestosteroneCypionate,
    TestosteroneGel,
    Clomiphene,
    Enclomiphene,
    Hcg,
    Anastrozole,
    NandroloneDecanoate,
    FollitropinAlfa,
}

/// <summary>
/// Builds each <see cref="ExampleDraftOrder"/> as a real R4 MedicationRequest (Firely POCO, serialised by Firely), the
/// shape an EHR sends for a drafted prescription: status draft, intent order, the patient, the prescriber, a dose.
/// RxNorm codes are taken from the project's own ValueSets (<c>fhir-profiles/terminology/ValueSet-medication-*.json</c>),
/// so the drafts exercise the code match; enclomiphene has no RxNorm concept there and hCG's entries are product
/// kits, so those two are sent as text only and exercise the drug-name match (fhir-profiles/README.md §Examples).
/// </summary>
public static class ExampleDraftOrders
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    public static IReadOnlyList<ExampleDraftOrder> All { get; } = Enum.GetValues<ExampleDraftOrder>();

    /// <summary>The wire code ("testosterone-cypionate", "hcg"…), as in scenarios.json.</summary>
    public static string ToCode(this ExampleDraftOrder order) => order switch
    {
        ExampleDraftOrder.TestosteroneCypionate => "testosterone-cypionate",
        ExampleDraftOrder.TestosteroneGel => "testosterone-gel",
        ExampleDraftOrder.Clomiphene => "clomiphene",
        ExampleDraftOrder.Enclomiphene => "enclomiphene",
        ExampleDraftOrder.Hcg => "hcg",
        ExampleDraftOrder.Anastrozole => "anastrozole",
        ExampleDraftOrder.NandroloneDecanoate => "nandrolone-decanoate",
        ExampleDraftOrder.FollitropinAlfa => "follitropin-alfa",
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, null),
    };

    public static bool TryParse(string? code, out ExampleDraftOrder order)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToCode(), code, StringComparison.Ordinal))
            {
                order = candidate;
                return true;
            }
        }

        order = default;
        return false;
    }

    /// <summary>What a prescriber would read in the order list.</summary>
    public static string Label(this ExampleDraftOrder order) => Definition(order).Text;

    /// <summary>The draft's logical id inside <c>draftOrders</c> (order-select's <c>selections</c> names it).</summary>
    public static string ResourceId(this ExampleDraftOrder order) => "draft-" + order.ToCode();

    /// <summary>The MedicationRequest for <paramref name="order"/>, as R4 JSON.</summary>
    /// <param name="order">Which drug.</param>
    /// <param name="patientId">Patient.id the order is for.</param>
    /// <param name="userId">The prescriber as <c>Practitioner/id</c> (the hook's userId).</param>
    /// <param name="authoredOn">When the draft was written (the evaluation time).</param>
    public static JsonObject Create(ExampleDraftOrder order, string patientId, string userId, DateTimeOffset authoredOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var definition = Definition(order);
        var medication = definition.RxNorm is { } rx
            ? new CodeableConcept(CodeSystems.RxNorm, rx.Code, rx.Display, definition.Text)
            : new CodeableConcept { Text = definition.Text };

        var request = new MedicationRequest
        {
            Id = order.ResourceId(),
            Status = MedicationRequest.MedicationrequestStatus.Draft,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Category =
            [
                new CodeableConcept(CodeSystems.MedicationRequestCategory, "outpatient", "Outpatient", null),
            ],
            Medication = medication,
            Subject = new ResourceReference($"Patient/{patientId}"),
            AuthoredOn = new FhirDateTime(authoredOn).ToString(),
            Requester = new ResourceReference(userId),
            DosageInstruction =
            [
                new Dosage
                {
                    Text = definition.Dosage,
                    Route = new CodeableConcept(CodeSystems.Snomed, definition.Route.Code, definition.Route.Display, null),
                },
            ],
        };

        return JsonSerializer.SerializeToNode(request, FhirJson)?.AsObject()
            ?? throw new InvalidOperationException("Firely serialised a MedicationRequest to JSON null.");
    }

    private sealed record DraftDefinition(string Text, (string Code, string Display)? RxNorm, string Dosage, (string Code, string Display) Route);

    // Routes: SNOMED CT 78421000 "Intramuscular route", 45890007 "Transdermal route", 26643006 "Oral route",
    // 34206005 "Subcutaneous route" (FHIR R4 ValueSet route-codes examples).
    private static DraftDefinition Definition(ExampleDraftOrder order) => order switch
    {
        ExampleDraftOrder.TestosteroneCypionate => new(
            "Testosterone cypionate 200 mg/mL injection",
            ("835840", "testosterone cypionate 200 MG/ML Injectable Solution"),
            "100 mg intramuscularly once a week",
            ("78421000", "Intramuscular route")),
        ExampleDraftOrder.TestosteroneGel => new(
            "Testosterone 1.62% gel (20.25 mg per pump actuation)",
            ("1597076", "testosterone 20.25 MG/ACTUAT Topical Gel (60 ACTUAT)"),
            "40.5 mg (2 pump actuations) to the shoulders once daily",
            ("45890007", "Transdermal route")),
        ExampleDraftOrder.Clomiphene => new(
            "Clomiphene citrate 50 mg tablet",
            ("1093060", "clomiphene citrate 50 MG Oral Tablet"),
            "25 mg (half a tablet) by mouth once daily",
            ("26643006", "Oral route")),
        ExampleDraftOrder.Enclomiphene => new(
            "Enclomiphene citrate 12.5 mg capsule",
            null,
            "12.5 mg by mouth once daily",
            ("26643006", "Oral route")),
        ExampleDraftOrder.Hcg => new(
            "Human chorionic gonadotropin (hCG) 10,000 units for injection",
            null,
            "1,500 units subcutaneously three times a week",
            ("34206005", "Subcutaneous route")),

        // Text only, like enclomiphene and hCG: the project's ValueSets list anastrozole's RxNorm ingredient (not a
        // product) and no RxNorm code for nandrolone or follitropin, so these drafts exercise the drug-name match.
        ExampleDraftOrder.Anastrozole => new(
            "Anastrozole 1 mg tablet",
            null,
            "0.5 mg (half a tablet) by mouth twice a week",
            ("26643006", "Oral route")),
        ExampleDraftOrder.NandroloneDecanoate => new(
            "Nandrolone decanoate 200 mg/mL injection",
            null,
            "100 mg intramuscularly every 2 weeks",
            ("78421000", "Intramuscular route")),
        ExampleDraftOrder.FollitropinAlfa => new(
            "Follitropin alfa 75 IU for injection",
            null,
            "150 IU subcutaneously three times a week, with hCG",
            ("34206005", "Subcutaneous route")),
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, null),
    };
}
