using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Cli;
using CdsService.Examples;
using CdsService.Protocol;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.UnitTests.Cli;

/// <summary>The command-line client: tokens the service accepts, the request it sends, and what it prints.</summary>
public sealed class CliTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 28, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GivenNoKey_WhenSigning_ThenTheTokenVerifiesWithTheSandboxKeySetTheServiceTrustsInDevelopment()
    {
        var audience = "http://localhost:5080/cds-services/hypogonadism-order-sign";
        var token = ClientTokenSigner.Sandbox().Sign(audience, Time.GetUtcNow());

        var keySet = new JsonWebKeySet(File.ReadAllText(RepositoryPaths.Of("src/CdsService.Api/Security/DevOnly/cds-hooks-sandbox.jwks.json")));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = ClientTokenSigner.SandboxIssuer,
            ValidAudience = audience,
            IssuerSigningKeys = keySet.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha384],
            ValidTypes = ["JWT"],
            ValidateLifetime = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = new JsonWebToken(token);
        Assert.Equal(ClientTokenSigner.SandboxKid, jwt.Kid);
        Assert.Equal(300, (jwt.ValidTo - jwt.IssuedAt).TotalSeconds);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
    }

    [Fact]
    public void GivenAnRsaPemAndKid_WhenSigning_ThenRs384WithThatKid()
    {
        using var rsa = RSA.Create(2048);
        var path = TempFile(rsa.ExportPkcs8PrivateKeyPem());

        var signer = ClientTokenSigner.FromFile(path, "https://ehr.example.org", "k1");
        var jwt = new JsonWebToken(signer.Sign("https://cds.example.org/cds-services/x", Time.GetUtcNow(), tenant: "t1"));

        Assert.Equal(SecurityAlgorithms.RsaSha384, jwt.Alg);
        Assert.Equal("k1", jwt.Kid);
        Assert.Equal("t1", jwt.GetPayloadValue<string>("tenant"));
        Assert.Equal("https://ehr.example.org", jwt.Issuer);
    }

    [Fact]
    public void GivenAPrivateJwkSet_WhenSigning_ThenItsKidIsUsed()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ec) { KeyId = "ec-1" });
        var path = TempFile($$"""{"keys":[{{System.Text.Json.JsonSerializer.Serialize(jwk)}}]}""");

        var jwt = new JsonWebToken(ClientTokenSigner.FromFile(path, "https://ehr.example.org", kid: null).Sign("https://a/b", Time.GetUtcNow()));

        Assert.Equal("ec-1", jwt.Kid);
        Assert.Equal(SecurityAlgorithms.EcdsaSha384, jwt.Alg);
    }

    [Fact]
    public void GivenAPemWithoutKid_WhenLoading_ThenRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => ClientTokenSigner.FromPem(ec.ExportPkcs8PrivateKeyPem(), "iss", kid: null));
    }

    [Fact]
    public async Task GivenAnExample_WhenCalled_ThenTheTokenAudienceIsTheExactUrlAndTheCardsArePrinted()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """
            {"cards":[{"summary":"Testosterone will suppress sperm production","indicator":"critical","source":{"label":"Hypogonadism CDS"},
              "detail":"**Why** see [rules](https://cds.example.org/docs) \\(AUA\\)",
              "selectionBehavior":"at-most-one",
              "suggestions":[{"label":"Replace with clomiphene","isRecommended":true,"actions":[{"type":"delete","description":"Remove the draft","resourceId":"MedicationRequest/draft-testosterone-cypionate"}]}],
              "overrideReasons":[{"code":"patient-preference","display":"Patient prefers an alternative"}]}],
             "extension":{"org.hypogonadism-cds.assessment":{"classification":"secondary","trtContraindications":["fertility-desired"]}}}
            """);
        var output = new StringWriter();
        var settings = new HookCallSettings { Hook = HookKind.OrderSign, Example = "secondary-desired", ServiceUrl = new Uri("http://localhost:5080/") };

        var exit = await new HookCall(handler, Time, output, new StringWriter()).RunAsync(settings, TestContext.Current.CancellationToken);

        Assert.Equal(HookCall.Ok, exit);
        Assert.Equal("http://localhost:5080/cds-services/hypogonadism-order-sign", handler.Request!.RequestUri!.AbsoluteUri);
        var jwt = new JsonWebToken(handler.Request.Headers.Authorization!.Parameter!);
        Assert.Equal([handler.Request.RequestUri.AbsoluteUri], jwt.Audiences);
        var body = JsonNode.Parse(handler.Body!)!;
        Assert.Equal("order-sign", (string?)body["hook"]);
        Assert.Equal("draft-testosterone-cypionate", (string?)body["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["id"]);

        var text = output.ToString();
        Assert.Contains("[CRITICAL] Testosterone will suppress sperm production", text, StringComparison.Ordinal);
        Assert.Contains("-> Replace with clomiphene (recommended)", text, StringComparison.Ordinal);
        Assert.Contains("Why see rules <https://cds.example.org/docs> (AUA)", text, StringComparison.Ordinal);
        Assert.Contains("Override reasons: Patient prefers an alternative", text, StringComparison.Ordinal);
        Assert.Contains("classification: secondary", text, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Request.Headers.Authorization.Parameter!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenA412_WhenCalled_ThenExitCodeTwoAndTheIssueIsPrinted()
    {
        var handler = new RecordingHandler(HttpStatusCode.PreconditionFailed, """
            {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"Required prefetch is missing","expression":["prefetch.hormoneLabs"]}]}
            """);
        var error = new StringWriter();
        var settings = new HookCallSettings { Hook = HookKind.PatientView, FhirServer = new Uri("https://fhir.example.org/r4"), PatientId = "p1" };

        var exit = await new HookCall(handler, Time, new StringWriter(), error).RunAsync(settings, TestContext.Current.CancellationToken);

        Assert.Equal(HookCall.ServiceRefused, exit);
        Assert.Contains("HTTP 412", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("error/processing: Required prefetch is missing [prefetch.hormoneLabs]", error.ToString(), StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(handler.Body!)!["prefetch"]);
    }

    [Theory]
    [InlineData("no-such-example", null)]
    [InlineData("secondary-desired", "aspirin")]
    public async Task GivenBadInput_WhenCalled_ThenExitCodeOneAndNothingIsSent(string example, string? order)
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"cards":[]}""");
        var settings = new HookCallSettings { Hook = HookKind.OrderSign, Example = example, DraftOrder = order };

        var exit = await new HookCall(handler, Time, new StringWriter(), new StringWriter()).RunAsync(settings, TestContext.Current.CancellationToken);

        Assert.Equal(HookCall.BadInput, exit);
        Assert.Null(handler.Request);
    }

    [Fact]
    public async Task GivenDryRun_WhenCalled_ThenTheRequestIsPrintedAndNothingIsSent()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"cards":[]}""");
        var output = new StringWriter();
        var settings = new HookCallSettings { Hook = HookKind.PatientView, Example = "eugonadal", DryRun = true };

        var exit = await new HookCall(handler, Time, output, new StringWriter()).RunAsync(settings, TestContext.Current.CancellationToken);

        Assert.Equal(HookCall.Ok, exit);
        Assert.Null(handler.Request);
        Assert.Equal("eugonadal", (string?)JsonNode.Parse(output.ToString())!["context"]!["patientId"]);
    }

    [Theory]
    [InlineData("http://localhost:5080", "http://localhost:5080/cds-services/s")]
    [InlineData("https://cds.example.org/base/cds-services/", "https://cds.example.org/base/cds-services/s")]
    public void GivenABaseUrl_WhenTheEndpointIsBuilt_ThenCdsServicesIsAddedOnce(string baseUrl, string expected) =>
        Assert.Equal(expected, HookCall.ServiceEndpoint(new Uri(baseUrl), "s").AbsoluteUri);

    [Fact]
    public void GivenAnEmbeddedExampleLibrary_WhenListed_ThenItMatchesTheRepositoryScenarios()
    {
        var embedded = ExampleLibrary.FromAssembly(typeof(HookCall).Assembly, "examples/");
        Assert.Equal(ExampleRequestBuilderTests.Library().Scenarios.Select(s => s.Id), embedded.Scenarios.Select(s => s.Id));
    }

    private static string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "cds-cli-tests-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }


    private sealed class RecordingHandler(HttpStatusCode status, string response) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(response, Encoding.UTF8, "application/json") };
        }
    }
}
