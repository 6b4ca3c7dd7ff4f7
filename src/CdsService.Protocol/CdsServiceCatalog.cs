using System.Collections.Frozen;
using CdsService.Clinical.Model;

namespace CdsService.Protocol;

/// <summary>One CDS service this host offers: one id, one hook (CDS Hooks 2.0 §Discovery).</summary>
public sealed record CdsServiceDefinition(string Id, HookKind Hook, string Title, string Description, string UsageRequirements)
{
    /// <summary>The hook name on the wire ("patient-view", "order-select", "order-sign").</summary>
    public string HookName => Hook.ToCode();
}

/// <summary>
/// The three services this host offers. Their prefetch templates are handed to <see cref="CreateDiscovery"/> by the host
/// from the FHIR layer's prefetch catalogue, the same definitions it queries with when a key is absent, so discovery and
/// fallback queries cannot drift.
/// </summary>
public static class CdsServiceCatalog
{
    // Constants, so telemetry can name the services without depending on this class's static initialisation.
    public const string PatientViewId = "hypogonadism-patient-view";
    public const string OrderSelectId = "hypogonadism-order-select";
    public const string OrderSignId = "hypogonadism-order-sign";

    private const string Usage =
        "Adult men (18 years or older) being assessed or treated for low testosterone. Needs the prefetch keys below, " +
        "or a fhirServer (with fhirAuthorization) allowlisted for the calling client; without either the service answers 412.";

    public static IReadOnlyList<CdsServiceDefinition> All { get; } =
    [
        new(PatientViewId, HookKind.PatientView,
            "Male hypogonadism assessment",
            "Classifies male hypogonadism (primary, secondary, compensated, eugonadal, exogenous androgen) from recent morning " +
            "testosterone, LH, FSH and related labs, and shows the monitoring that is due for men on testosterone or " +
            "fertility-preserving therapy.",
            Usage),
        new(OrderSelectId, HookKind.OrderSelect,
            "Testosterone and fertility-preserving therapy selection",
            "When testosterone, clomiphene, enclomiphene or hCG is selected, checks the diagnosis is confirmed, flags " +
            "contraindications and fertility intent, and suggests a fertility-preserving alternative where it fits.",
            Usage),
        new(OrderSignId, HookKind.OrderSign,
            "Testosterone prescription safety check at signing",
            "Before a testosterone or fertility-preserving order is signed, re-checks contraindications (hematocrit, PSA, " +
            "fertility intent) and proposes the baseline and follow-up monitoring plan.",
            Usage),
    ];

    private static readonly FrozenDictionary<string, CdsServiceDefinition> ById =
        All.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);

    /// <summary>Service ids are case-sensitive, as in Firely Server and the spec's URL form.</summary>
    public static bool TryGet(string id, out CdsServiceDefinition service) => ById.TryGetValue(id, out service!);

    /// <summary>The discovery document (spec 2.0 §Discovery): every service declares the same prefetch templates.</summary>
    public static DiscoveryResponse CreateDiscovery(IReadOnlyList<PrefetchQuery> prefetch) => new()
    {
        Services = All.Select(s => new CdsServiceDescriptor
        {
            Hook = s.HookName,
            Title = s.Title,
            Description = s.Description,
            Id = s.Id,
            Prefetch = prefetch.ToDictionary(q => q.Key, q => q.QueryTemplate, StringComparer.Ordinal),
            UsageRequirements = s.UsageRequirements,
        }).ToList(),
    };
}
