using CdsService.Api.Hooks;
using CdsService.Api.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Audit;

public static class AuditExtensions
{
    /// <summary>
    /// The audit trail (docs/security.md §6.2, modelled on IHE BALP): <c>CdsHooks:Audit</c> validated at start,
    /// the patient-id hasher, and the per-call <see cref="HookAuditRecord"/>, which observes the hook pipeline so the
    /// audit sees what the call did.
    /// </summary>
    public static IHostApplicationBuilder AddCdsAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PatientIdHasher>();
        services.AddScoped<HookAuditRecord>();
        services.AddHostedService<AuditStartupLog>();
        services.AddHookCallObserver<HookAuditRecord>();
        return builder;
    }

    /// <summary>After authentication and authorization (only identified callers are audited), before rate limiting.</summary>
    public static IApplicationBuilder UseCdsAudit(this IApplicationBuilder app) => app.UseMiddleware<HookAuditMiddleware>();
}

/// <summary>Says at start which key hashes patient ids, and warns when it is a random per-process key.</summary>
public sealed class AuditStartupLog(PatientIdHasher hasher, IHostEnvironment environment, ILogger<AuditStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (hasher.IsEphemeral)
        {
            Log.AuditKeyEphemeral(logger, environment.EnvironmentName, hasher.KeyId);
        }
        else
        {
            Log.AuditReady(logger, hasher.KeyId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
