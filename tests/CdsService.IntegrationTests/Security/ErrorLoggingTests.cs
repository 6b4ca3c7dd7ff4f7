using System.Collections.Immutable;
using System.Net;
using CdsService.Api.Errors;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// A fault deep in the data layer can carry request values in its message (the fuzz tests found a Firely
/// "integer 245 is not the right type of literal for a code"): the 500 is logged with the exception's type and stack
/// trace, and neither the log nor the answer holds the message.
/// </summary>
public sealed class ErrorLoggingTests
{
    private const string Echoed = "Rafael-Q7x";
    private const string EchoedValue = $"Patient.gender '{Echoed}' is not a code";

    [Fact]
    public async Task GivenExceptionQuotingRequestData_WhenItBecomesA500_ThenTheLogHasItsTypeAndStackButNotItsMessage()
    {
        await using var app = new CdsApiFactory(configureServices: s => s.AddSingleton<IPatientDataSource, EchoingDataSource>());
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.InternalServerError);
        var logged = Assert.Single(app.Logs.Named("UnhandledException"));
        var redacted = Assert.IsType<RedactedException>(logged.Exception);
        Assert.Equal(typeof(FormatException).FullName, redacted.OriginalType);
        Assert.Equal(typeof(ArgumentException).FullName, Assert.IsType<RedactedException>(redacted.InnerException).OriginalType);
        Assert.Contains(nameof(EchoingDataSource), redacted.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain(Echoed, app.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Echoed, CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    private sealed class EchoingDataSource : IPatientDataSource
    {
        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken)
        {
            try
            {
                throw new ArgumentException(EchoedValue);
            }
            catch (ArgumentException inner)
            {
                throw new FormatException(EchoedValue, inner);
            }
        }
    }
}
