using System.Collections.Concurrent;
using CdsService.Fhir.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Counts every request the service's FHIR HttpClient tries to send, whatever its destination, by sitting in that
/// client's handler chain in front of the real, redirect-free socket handler. Proves "no outbound request" for hosts no
/// test listener can stand in for (169.254.169.254, other host names).
/// </summary>
public sealed class OutboundRequestCounter
{
    private readonly ConcurrentQueue<Uri> sent = new();

    public IReadOnlyList<Uri> Sent => [.. sent];

    public void Reset() => sent.Clear();

    /// <summary>Adds the counter to the FHIR data layer's named HttpClient.</summary>
    public void Install(IServiceCollection services) =>
        services.AddHttpClient(FhirPatientDataSource.HttpClientName).AddHttpMessageHandler(() => new Handler(this));

    private sealed class Handler(OutboundRequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.sent.Enqueue(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
