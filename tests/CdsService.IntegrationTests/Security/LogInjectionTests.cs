using System.Net;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Log injection (docs/security.md §6, CWE-117): no value a caller controls can put a line break into a log event, so
/// the text logs cannot be given forged lines; hookInstance, logged and audited on every call, must be a UUID.
/// </summary>
public sealed class LogInjectionTests
{
    private const string Forged = "\r\n[12:00:00 ERR] Client token refused: forged";

    public static TheoryData<string> BadHookInstances => new()
    {
        "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea" + Forged,
        "not-a-uuid",
        new string('a', 256),
        "d1577c69dfbe44adba6d3e05e953b2ea",
        "{d1577c69-dfbe-44ad-ba6d-3e05e953b2ea}",
    };

    [TestedAttack("hookInstance that is not a UUID (CR/LF and a forged log line, 256 characters of anything)", "400 OperationOutcome naming hookInstance; no log event carries a line break")]
    [Theory]
    [MemberData(nameof(BadHookInstances))]
    public async Task GivenHookInstanceThatIsNotAUuid_WhenHookCalled_Then400AndNoLineBreakInTheLogs(string hookInstance)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request["hookInstance"] = hookInstance;

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("hookInstance", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        AssertNoLineBreakInAnyLoggedValue(app.Logs);
    }

    [Fact]
    public async Task GivenUpperCaseUuidHookInstance_WhenHookCalled_ThenAnswered()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request["hookInstance"] = "D1577C69-DFBE-44AD-BA6D-3E05E953B2EA";

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [TestedAttack("CR/LF (percent-encoded) in the request path, to forge a line in the text request log", "the request log shows \\r\\n escaped; no log event carries a line break")]
    [Fact]
    public async Task GivenLineBreakInTheRequestPath_WhenLogged_ThenEscaped()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri("/cds-services%0D%0A[12:00:00%20ERR]%20forged", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains(app.Logs.Events, e => (CollectingSink.Property(e, "RequestPath") ?? string.Empty)
            .Contains("\\r\\n[12:00:00 ERR] forged", StringComparison.Ordinal));
        AssertNoLineBreakInAnyLoggedValue(app.Logs);
    }

    private static void AssertNoLineBreakInAnyLoggedValue(CollectingSink logs)
    {
        foreach (var logEvent in logs.Events)
        {
            var text = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)
                + string.Concat(logEvent.Properties.Values.Select(v => v.ToString()));
            Assert.False(text.Contains('\r') || text.Contains('\n'), $"{CollectingSink.EventName(logEvent)}: {text}");
        }
    }
}
