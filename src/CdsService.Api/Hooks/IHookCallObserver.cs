using CdsService.Protocol;

namespace CdsService.Api.Hooks;

/// <summary>
/// Is told what each hook call asked and what it produced (cards or the 412 reason), by <see cref="HookPipeline"/>,
/// the one place that sees both, so the endpoint knows nothing of auditing or the issued-card map. Registered with
/// <see cref="HookObserverRegistration.AddHookCallObserver{TObserver}"/>; every registered observer is told, in
/// registration order. An observer must not throw: it runs inside the hook call.
/// </summary>
public interface IHookCallObserver
{
    /// <summary>The validated request reached the pipeline.</summary>
    void OnRequest(HookRequest request);

    /// <summary>The pipeline produced its outcome (not called when it threw).</summary>
    void OnOutcome(HookRequest request, HookOutcome outcome);
}

public static class HookObserverRegistration
{
    /// <summary>
    /// Lets <typeparamref name="TObserver"/>, registered by its own feature with its own lifetime, observe hook calls;
    /// it is resolved from the call's scope, so a scoped observer is the one the rest of that request sees.
    /// </summary>
    public static IServiceCollection AddHookCallObserver<TObserver>(this IServiceCollection services)
        where TObserver : class, IHookCallObserver
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IHookCallObserver>(sp => sp.GetRequiredService<TObserver>());
        return services;
    }
}
