using CdsService.Api.Hooks;
using CdsService.Api.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Audit;

public static class AuditExtensions
{
    /// <summary>
    /// The audit trail (issue 6 "Logs and audit"): <c>CdsHooks:Audit</c> validated at start, the patient-id hasher, and
    /// the hook pipeline wrapped so the audit sees what the call did. Call after <c>AddCdsHooks</c>.
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
        DecorateHookPipeline(services);
        return builder;
    }

    /// <summary>After authentication and authorization (only identified callers are audited), before rate limiting.</summary>
    public static IApplicationBuilder UseCdsAudit(this IApplicationBuilder app) => app.UseMiddleware<HookAuditMiddleware>();

    private static void DecorateHookPipeline(IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(IHookPipeline))
            ?? throw new InvalidOperationException("AddCdsAudit must be called after AddCdsHooks (no IHookPipeline is registered).");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(
            typeof(IHookPipeline),
            provider => new AuditingHookPipeline(Create(provider, inner), provider.GetRequiredService<HookAuditRecord>()),
            inner.Lifetime == ServiceLifetime.Singleton ? ServiceLifetime.Scoped : inner.Lifetime));
    }

    private static IHookPipeline Create(IServiceProvider provider, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: IHookPipeline instance } => instance,
        { ImplementationFactory: { } factory } => (IHookPipeline)factory(provider),
        { ImplementationType: { } type } => (IHookPipeline)ActivatorUtilities.CreateInstance(provider, type),
        _ => throw new InvalidOperationException("Unsupported IHookPipeline registration."),
    };
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
