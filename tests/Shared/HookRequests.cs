using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Protocol;

namespace CdsService.Testing;

/// <summary>
/// The one place tests, benchmarks and the load tool build CDS Hooks request bodies. This part, linked into every test
/// project from tests/Shared, turns a patient Bundle into the call an EHR would send through the same
/// <see cref="ExampleRequestBuilder"/> the preview page and the CLI use:
/// <c>HookRequests.For(bundle).Hook(HookKind.OrderSign, draft).At(now).FetchFrom(server, token).Build()</c>.
/// The integration tests add the synthetic bodies and HTTP helpers in their own part.
/// </summary>
internal static partial class HookRequests
{
    /// <summary>A call for <paramref name="bundle"/>'s patient; order-sign with no draft and the current time until told otherwise.</summary>
    public static HookRequestBuilder For(JsonObject bundle) => new(bundle);

    /// <summary>The call fhir-profiles/examples/scenarios.json gives for <paramref name="scenario"/> (its hook and draft order).</summary>
    public static HookRequestBuilder For(ExampleScenario scenario, JsonObject bundle)
    {
        var (hook, draft) = ScenarioCall(scenario);
        return For(bundle).Hook(hook, draft);
    }

    /// <summary>The hook and draft order scenarios.json gives for <paramref name="scenario"/>; an unknown code fails loudly.</summary>
    public static (HookKind Hook, ExampleDraftOrder? Draft) ScenarioCall(ExampleScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!WireCodes.TryParse<HookKind>(scenario.Hook, out var hook))
        {
            throw new InvalidDataException($"{scenario.Id}: unknown hook '{scenario.Hook}' in scenarios.json.");
        }

        ExampleDraftOrder? draft = null;
        if (scenario.DraftOrder is { } code)
        {
            draft = ExampleDraftOrders.TryParse(code, out var parsed)
                ? parsed
                : throw new InvalidDataException($"{scenario.Id}: unknown draftOrder '{code}' in scenarios.json.");
        }

        return (hook, draft);
    }
}

/// <summary>Fluent settings of one hook call; see <see cref="HookRequests.For(JsonObject)"/>.</summary>
internal sealed class HookRequestBuilder(JsonObject bundle)
{
    private ExampleRequestOptions _options = new() { Now = TimeProvider.System.GetUtcNow() };
    private string? _hookInstance;

    public HookRequestBuilder Hook(HookKind hook, ExampleDraftOrder? draft = null)
    {
        _options = _options with { Hook = hook, DraftOrder = draft };
        return this;
    }

    /// <summary>
    /// Evaluated at <paramref name="now"/>; with <paramref name="shiftDates"/> the example's dates move with it (the
    /// preview's behaviour), without it they stay as written (golden files, benchmarks).
    /// </summary>
    public HookRequestBuilder At(DateTimeOffset now, bool shiftDates = true)
    {
        _options = _options with { Now = now, ShiftDates = shiftDates };
        return this;
    }

    /// <summary>No prefetch: the service must fetch everything from <paramref name="fhirServer"/> (with the bearer token, if any).</summary>
    public HookRequestBuilder FetchFrom(Uri? fhirServer, string? accessToken = null)
    {
        _options = _options with { FhirServer = fhirServer, FhirAccessToken = accessToken };
        return this;
    }

    public HookRequestBuilder WithHookInstance(string hookInstance)
    {
        _hookInstance = hookInstance;
        return this;
    }

    public ExampleRequest Build()
    {
        var request = ExampleRequestBuilder.Build(bundle, _options);
        if (_hookInstance is not null)
        {
            request.Body["hookInstance"] = _hookInstance;
        }

        return request;
    }
}
