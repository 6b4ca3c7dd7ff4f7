using System.Net;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdsService.IntegrationTests.Api;

/// <summary>
/// The host's logger factory hands out one logger per category (Serilog's own factory built one per call, and ASP.NET
/// Core asks per request), and loggers still write through the configured Serilog pipeline.
/// </summary>
public sealed class LoggerFactoryTests
{
    [Fact]
    public async Task GivenTheHost_WhenTheSameCategoryIsAskedForTwice_ThenOneLoggerWritesToTheConfiguredSinks()
    {
        await using var app = new CdsApiFactory();
        using (var client = app.CreateCdsClient())
        using (var response = await client.GetAsync(new Uri("/cds-services", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        var first = factory.CreateLogger("CdsService.Tests.Category");
        var second = factory.CreateLogger("CdsService.Tests.Category");
        CdsService.Api.Logging.Log.UnknownService(first);

        Assert.Same(first, second);
        Assert.NotSame(first, factory.CreateLogger("CdsService.Tests.Other"));
        Assert.Single(app.Logs.Named("UnknownService"));
    }
}
