using System.Globalization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CdsService.Api.Logging;

public static class LoggingExtensions
{
    /// <summary>Console logger used until the host's own pipeline exists (reports configuration failures at start).</summary>
    public static Serilog.Core.Logger CreateBootstrapLogger() =>
        new LoggerConfiguration().WriteTo.Console(formatProvider: CultureInfo.InvariantCulture).CreateLogger();

    /// <summary>
    /// Serilog for the host: levels from configuration ("Serilog" section), sinks registered in DI (tests add a
    /// collecting sink this way), compact JSON on the console in Production (for log shippers), text elsewhere.
    /// The static logger is preserved so parallel hosts (integration tests) do not overwrite each other's pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddCdsLogging(this IHostApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        builder.Services.AddSerilog(
            (services, configuration) =>
            {
                configuration
                    .ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Destructure.With<RedactingDestructuringPolicy>()
                    .Enrich.FromLogContext()
                    .Enrich.With<ControlCharacterEscapingEnricher>();     // last: escapes what the others added
                if (production)
                {
                    configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    configuration.WriteTo.Console(formatProvider: CultureInfo.InvariantCulture);
                }
            },
            preserveStaticLogger: true);
        builder.Services.Decorate<ILoggerFactory>((_, serilog) => new CachingLoggerFactory(serilog));
        return builder;
    }

    /// <summary>
    /// One event per request: method, path without query string (a query can carry PHI: ?patient=…), status, time,
    /// correlation id. No bodies, no headers.
    /// </summary>
    public static IApplicationBuilder UseCdsRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's own logger (configured levels, sinks, redaction). Left null, the middleware writes to the
            // static Serilog.Log, which AddSerilog(preserveStaticLogger: true) leaves as the bootstrap console logger:
            // every request was then logged at Information in plain text, whatever "Serilog" configured. With the host's
            // logger, at Warning the request event is skipped before it is built (docs/performance.md).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.IncludeQueryInRequestPath = false;
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, http) =>
                diagnostics.Set("CorrelationId", CorrelationId.Of(http));
        });
}
