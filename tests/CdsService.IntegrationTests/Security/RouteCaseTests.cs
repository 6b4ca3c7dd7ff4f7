using System.Collections.Immutable;
using System.Net;
using CdsService.Api.Errors;
using CdsService.Api.Telemetry;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Routing matches paths ignoring case, so <c>/CDS-SERVICES/{id}</c> is the hook endpoint: it must be audited, measured,
/// answered with an OperationOutcome and redacted exactly like <c>/cds-services/{id}</c> (every part of the host asks
/// which endpoint matched, not what the path spells).
/// </summary>
public sealed class RouteCaseTests
{
    private const string Echoed = "Rafael-Q7x";

    public static TheoryData<string> Spellings => ["CDS-SERVICES", "Cds-Services"];

    [TestedAttack("POST /CDS-SERVICES/{id} or /Cds-Services/{id} (the base path in another case)", "answered, audited and measured like any hook call")]
    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task GivenBasePathInAnotherCase_WhenHookCalled_ThenAuditedAndMeasuredLikeAnyHookCall(string basePath)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        using var durations = new MetricCollector<double>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CdsTelemetry.SourceName, "cds.hook.duration");

        using var response = await client.PostAsync(
            new Uri($"/{basePath}/{HookRequests.PatientViewService}", UriKind.Relative), HookRequests.Json(HookRequests.PatientView()), TestContext.Current.CancellationToken);

        using var body = await CdsAssert.CdsResponseAsync(response);
        var audit = Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal(HookRequests.PatientViewService, CollectingSink.Property(audit, "ServiceId"));
        Assert.Equal("200", CollectingSink.Property(audit, "StatusCode"));
        var measured = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(HookRequests.PatientViewService, measured.Tags[CdsTelemetry.ServiceIdTag]);
        Assert.Equal(200, measured.Tags[CdsTelemetry.StatusCodeTag]);
    }

    [TestedAttack("Hook call in another path case that makes the service throw an exception quoting request data", "500 OperationOutcome; the log has the exception type and stack, never its message")]
    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task GivenBasePathInAnotherCase_WhenTheCallFails_ThenOperationOutcomeAndTheMessageIsNotLogged(string basePath)
    {
        await using var app = new CdsApiFactory(configureServices: s => s.AddSingleton<IPatientDataSource, EchoingDataSource>());
        using var client = app.CreateCdsClient();

        using var response = await client.PostAsync(
            new Uri($"/{basePath}/{HookRequests.PatientViewService}", UriKind.Relative), HookRequests.Json(HookRequests.PatientView()), TestContext.Current.CancellationToken);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.InternalServerError);
        Assert.IsType<RedactedException>(Assert.Single(app.Logs.Named("UnhandledException")).Exception);
        Assert.DoesNotContain(Echoed, app.Logs.AllText(), StringComparison.Ordinal);
        Assert.Equal("500", CollectingSink.Property(Assert.Single(app.Logs.Named("HookCallAudited")), "StatusCode"));
    }

    [Theory]
    [InlineData("/CDS-SERVICES/a/b/c")]
    [InlineData("/Cds-Services/hypogonadism-order-sign/FEEDBACK/x")]
    public async Task GivenUnknownPathUnderTheBasePathInAnotherCase_WhenCalled_ThenNotFoundAsOperationOutcome(string path)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), HookRequests.Json(HookRequests.PatientView()), TestContext.Current.CancellationToken);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound);
    }

    private sealed class EchoingDataSource : IPatientDataSource
    {
        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken) =>
            throw new FormatException($"Patient.gender '{Echoed}' is not a code");
    }
}
