using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Api.Audit;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// An audit event per hook call (docs/security.md §6.2): exactly one HookCallAudited event (category CdsService.Audit) for every
/// authenticated hook call whatever its status, none for a refused token (401) or for discovery and feedback, with the
/// BALP-style fields a SIEM needs and a keyed hash in place of the patient id.
/// </summary>
public sealed class AuditTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
    private static readonly string KeyBase64 = Convert.ToBase64String(Key);

    public static TheoryData<string, int> Statuses => new()
    {
        { "200 with cards", 200 },
        { "400 invalid request", 400 },
        { "404 unknown service", 404 },
        { "412 prefetch missing", 412 },
        { "413 body too large", 413 },
        { "500 data layer threw", 500 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task GivenAuthenticatedHookCall_WhenAnswered_ThenExactlyOneAuditEventWithThatStatus(string scenario, int status)
    {
        await using var app = AuditedApp(status == 500 ? s => s.AddSingleton<IPatientDataSource, ThrowingDataSource>() : null);
        using var client = app.CreateCdsClient(out var tokens);
        var (serviceId, body) = Call(scenario);

        using var response = await client.PostAsync(new Uri($"/cds-services/{serviceId}", UriKind.Relative), HookRequests.Raw(body), TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        var audit = Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal(HookAuditMiddleware.Category, CollectingSink.Property(audit, "SourceContext"));
        Assert.Equal(LogEventLevel.Information, audit.Level);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), CollectingSink.Property(audit, "StatusCode"));
        Assert.Equal(status switch { 200 => "0", 500 => "8", _ => "4" }, CollectingSink.Property(audit, "AuditOutcome"));
        Assert.Equal(CdsApiFactory.Issuer, CollectingSink.Property(audit, "ClientIssuer"));
        Assert.Equal(TokenId(Assert.Single(tokens.IssuedTokens)), CollectingSink.Property(audit, "ClientJti"));
        Assert.False(string.IsNullOrEmpty(CollectingSink.Property(audit, "CorrelationId")));
        Assert.True(double.Parse(CollectingSink.Property(audit, "LatencyMs")!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        if (status == 404)
        {
            Assert.Equal("unknown", CollectingSink.Property(audit, "ServiceId"));
        }
        else
        {
            Assert.Equal(serviceId, CollectingSink.Property(audit, "ServiceId"));
        }
    }

    [Fact]
    public async Task GivenHookCallWithCards_WhenAudited_ThenWhoWhatPatientHashCardsAndHookInstanceAreRecorded()
    {
        await using var app = AuditedApp();
        using var client = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        var call = ExampleCalls.Build("primary-desired");

        using var response = await client.PostHookAsync(call.ServiceId, call.Body);

        using var body = await CdsAssert.CdsResponseAsync(response);
        var indicators = body.RootElement.GetProperty("cards").EnumerateArray().Select(c => c.GetProperty("indicator").GetString()).ToList();
        Assert.NotEmpty(indicators);
        var audit = Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal("tenant-a", CollectingSink.Property(audit, "ClientTenant"));
        Assert.Equal(call.ServiceId, CollectingSink.Property(audit, "ServiceId"));
        Assert.Equal((string?)call.Body["hook"], CollectingSink.Property(audit, "Hook"));
        Assert.Equal((string?)call.Body["hookInstance"], CollectingSink.Property(audit, "HookInstance"));
        Assert.Equal(string.Join(',', indicators), CollectingSink.Property(audit, "CardIndicators"));
        Assert.Equal(ExpectedReference(call.PatientId), CollectingSink.Property(audit, "PatientRef"));
        Assert.DoesNotContain(call.PatientId, app.Logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTwoCallsForOnePatientAndOneForAnother_WhenAudited_ThenTheSamePatientHasTheSameReference()
    {
        await using var app = AuditedApp();
        using var client = app.CreateCdsClient();
        var first = HookRequests.PatientView();
        var second = HookRequests.PatientView();
        var other = HookRequests.PatientView();
        other["context"]!["patientId"] = "another-patient";
        other["prefetch"]!["patient"]!["id"] = "another-patient";

        foreach (var request in new[] { first, second, other })
        {
            using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var references = app.Logs.Named("HookCallAudited").Select(e => CollectingSink.Property(e, "PatientRef")).ToList();
        Assert.Equal(3, references.Count);
        Assert.Equal(references[0], references[1]);
        Assert.NotEqual(references[0], references[2]);
        Assert.Equal(ExpectedReference("another-patient"), references[2]);
    }

    [Fact]
    public async Task GivenDataUnavailable_WhenAudited_ThenTheFailureKindIsRecordedAndThePatientHashed()
    {
        await using var app = AuditedApp();
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request.Remove("prefetch");

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var audit = Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal(nameof(PatientDataFailureKind.MissingPrefetch), CollectingSink.Property(audit, "FailureKind"));
        Assert.Equal(ExpectedReference(HookRequests.PatientId), CollectingSink.Property(audit, "PatientRef"));
        Assert.Equal("(none)", CollectingSink.Property(audit, "CardIndicators"));
    }

    [Fact]
    public async Task GivenRefusedToken_WhenHookCalled_ThenNoAuditEventButOneClientTrustEvent()
    {
        // A 401 has no authenticated "who"; the client-trust event records it with its reason (the token matrix of ClientTokenMatrixTests).
        await using var app = AuditedApp();
        using var client = app.CreateCdsClient(t => t with { CorruptSignature = true });

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(app.Logs.Named("HookCallAudited"));
        Assert.Single(app.Logs.Named("ClientAuthenticationFailed"));
    }

    [Fact]
    public async Task GivenDiscoveryAndFeedback_WhenCalled_ThenNotAuditedAsHookCalls()
    {
        await using var app = AuditedApp();
        using var client = app.CreateCdsClient();

        using var discovery = await client.GetDiscoveryAsync();
        using var feedback = await client.PostFeedbackAsync(HookRequests.PatientViewService, new JsonObject { ["feedback"] = new JsonArray() });

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Empty(app.Logs.Named("HookCallAudited"));
    }

    [Fact]
    public async Task GivenNoAuditKey_WhenHostStarts_ThenAWarningAndAPerProcessKey()
    {
        await using var first = new CdsApiFactory();
        await using var second = new CdsApiFactory();
        using var a = first.CreateCdsClient();
        using var b = second.CreateCdsClient();

        using var r1 = await a.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());
        using var r2 = await b.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        var warning = Assert.Single(first.Logs.Named("AuditKeyEphemeral"));
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        var ref1 = CollectingSink.Property(Assert.Single(first.Logs.Named("HookCallAudited")), "PatientRef");
        var ref2 = CollectingSink.Property(Assert.Single(second.Logs.Named("HookCallAudited")), "PatientRef");
        Assert.StartsWith($"{PatientIdHasher.Scheme}:{CollectingSink.Property(warning, "KeyId")}:", ref1, StringComparison.Ordinal);
        Assert.NotEqual(ref1, ref2);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")]
    public async Task GivenWeakOrMalformedAuditKey_WhenHostStarts_ThenStartupFailsNamingTheSetting(string key)
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Audit:PatientIdHashKey"] = key });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateCdsClient());

        Assert.Contains("PatientIdHashKey", error.ToString(), StringComparison.Ordinal);
    }

    private static CdsApiFactory AuditedApp(Action<IServiceCollection>? services = null) => new(
        settings: new Dictionary<string, string?> { ["CdsHooks:Audit:PatientIdHashKey"] = KeyBase64, ["CdsHooks:Limits:MaxRequestBodyBytes"] = "65536" },
        configureServices: services);

    private static string ExpectedReference(string patientId)
    {
        var keyId = Convert.ToHexStringLower(SHA256.HashData(Key))[..8];
        return $"hmac-sha256:{keyId}:{Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(patientId)))}";
    }

    private static string TokenId(string jwt) =>
        (string)JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(jwt.Split('.')[1]))!["jti"]!;

    private static (string ServiceId, string Body) Call(string scenario) => scenario switch
    {
        "200 with cards" => ExampleCalls.Build("primary-desired") is var call ? (call.ServiceId, call.Body.ToJsonString()) : default,
        "400 invalid request" => (HookRequests.PatientViewService, """{"hook":"patient-view"}"""),
        "404 unknown service" => ("no-such-service", HookRequests.PatientView().ToJsonString()),
        "412 prefetch missing" => (HookRequests.PatientViewService, HookRequests.Without(HookRequests.PatientView(), "prefetch")),
        "413 body too large" => (HookRequests.PatientViewService, HookRequests.With(HookRequests.PatientView(), r => r["padding"] = new string('x', 100_000))),
        "500 data layer threw" => (HookRequests.PatientViewService, HookRequests.PatientView().ToJsonString()),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    private sealed class ThrowingDataSource : IPatientDataSource
    {
        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A bug in the data layer.");
    }
}
