using System.Globalization;
using System.Text.RegularExpressions;
using CdsService.Api.Feedback;
using CdsService.Api.Logging;
using CdsService.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Admin;

/// <summary>
/// The governance endpoints under <c>/admin</c>: authenticated only by the separately configured admin client
/// (<see cref="AdminOptions"/>), through its own JwtBearer scheme and policy, so a CDS client token (even a valid one)
/// is a 401 there.
/// </summary>
public static partial class AdminApi
{
    public const string Scheme = "CdsAdmin";
    public const string Policy = "CdsAdmin";
    public const string SummaryPath = "/admin/feedback/summary";

    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminKeys>();
        services.AddScoped<AdminTokenEvents>();
        services.AddHostedService<AdminStartupLog>();

        // A second JwtBearer scheme; the default scheme stays the CDS clients' one.
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddOptions<JwtBearerOptions>(Scheme)
            .Configure<IOptions<AdminOptions>, AdminKeys, TimeProvider>((jwt, admin, keys, time) =>
            {
                jwt.MapInboundClaims = false;
                jwt.IncludeErrorDetails = false;
                jwt.SaveToken = false;
                jwt.RefreshOnIssuerKeyNotFound = false;
                jwt.EventsType = typeof(AdminTokenEvents);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuers = admin.Value.IsConfigured ? [admin.Value.Issuer!] : [],

                    // aud = the exact admin URL invoked, which needs the request: AdminTokenEvents checks it.
                    ValidateAudience = false,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = Security.ClientTokenRules.ClockSkew,
                    LifetimeValidator = (notBefore, expires, _, _) => Security.ClientTokenRules.ValidateLifetime(notBefore, expires, time),
                    RequireSignedTokens = true,
                    ValidAlgorithms = Security.ClientTokenRules.AllowedAlgorithms,
                    TypeValidator = (type, _, _) => Security.ClientTokenRules.ValidateType(type),
                    TryAllIssuerSigningKeys = false,
                    IssuerSigningKeyResolver = (_, token, kid, _) => keys.Find((token as JsonWebToken)?.Issuer, kid),
                };
            });

        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser());
        return builder;
    }

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin")
            .RequireAuthorization(Policy)
            .ExcludeFromDescription();
        group.MapGet("/feedback/summary", GetFeedbackSummaryAsync).WithName("FeedbackSummary");
        return group;
    }

    /// <param name="since">Optional RFC 3339 date-time: count only feedback received from then on.</param>
    /// <param name="serviceId">Optional: count only feedback for this CDS service.</param>
    /// <param name="httpContext">The request (for the admin issuer, logged).</param>
    /// <param name="store">The feedback store.</param>
    /// <param name="writer">This instance's issued-card writer, flushed first so its own recent cards are mapped.</param>
    /// <param name="time">Clock for generatedAt.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public static async Task<Results<Ok<FeedbackSummary>, ProblemHttpResult>> GetFeedbackSummaryAsync(
        string? since,
        string? serviceId,
        HttpContext httpContext,
        IFeedbackStore store,
        IssuedCardWriter writer,
        TimeProvider time,
        ILogger<FeedbackSummary> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        DateTimeOffset? from = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!Rfc3339().IsMatch(since)
                || !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return TypedResults.Problem(
                    detail: "'since' must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            from = parsed;
        }

        if (!string.IsNullOrEmpty(serviceId) && !CdsServiceCatalog.TryGet(serviceId, out _))
        {
            return TypedResults.Problem(
                detail: "'serviceId' must be one of the ids listed by GET /cds-services.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var query = new FeedbackSummaryQuery(from, string.IsNullOrEmpty(serviceId) ? null : serviceId);
        await writer.FlushAsync(cancellationToken);
        var summary = FeedbackSummary.From(await store.CountAsync(query, cancellationToken), time.GetUtcNow(), query);
        Log.FeedbackSummaryServed(logger, httpContext.User.FindFirst(JwtRegisteredClaimNames.Iss)?.Value ?? "(unknown)", summary.Total.Feedback);
        return TypedResults.Ok(summary);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc3339();
}

/// <summary>Says at start whether the admin endpoints can be used at all.</summary>
public sealed class AdminStartupLog(IOptions<AdminOptions> admin, ILogger<AdminStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log.AdminApiState(logger, admin.Value.IsConfigured ? "admin client configured" : "no admin client configured (CdsHooks:Admin), every call is 401");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
