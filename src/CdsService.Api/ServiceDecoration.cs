namespace CdsService.Api;

public static class ServiceDecoration
{
    /// <summary>
    /// Wraps the registered <typeparamref name="TService"/> with <paramref name="decorate"/>, keeping its lifetime. The
    /// wrapped registration stays in the container (as <see cref="Decorated{TService}"/>), so the container still
    /// creates and disposes it as it would have without the wrapper; a registered instance is never disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">No <typeparamref name="TService"/> is registered yet.</exception>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(TService),
            sp => decorate(sp, sp.GetRequiredService<Decorated<TService>>().Inner),
            inner.Lifetime);
        services.Add(ServiceDescriptor.Describe(typeof(Decorated<TService>), sp => Decorated<TService>.Create(sp, inner), inner.Lifetime));
        return services;
    }
}

/// <summary>The registration a decorator wraps; disposes it with the container unless it was a given instance.</summary>
public sealed class Decorated<TService> : IDisposable, IAsyncDisposable
    where TService : class
{
    private readonly bool owned;

    private Decorated(TService inner, bool owned)
    {
        Inner = inner;
        this.owned = owned;
    }

    public TService Inner { get; }

    internal static Decorated<TService> Create(IServiceProvider provider, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: TService instance } => new(instance, owned: false),
        { ImplementationFactory: { } factory } => new((TService)factory(provider), owned: true),
        { ImplementationType: { } type } => new((TService)ActivatorUtilities.CreateInstance(provider, type), owned: true),
        _ => throw new InvalidOperationException($"Unsupported {typeof(TService).Name} registration."),
    };

    public void Dispose()
    {
        if (owned && Inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!owned)
        {
            return ValueTask.CompletedTask;
        }

        if (Inner is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        Dispose();
        return ValueTask.CompletedTask;
    }
}
