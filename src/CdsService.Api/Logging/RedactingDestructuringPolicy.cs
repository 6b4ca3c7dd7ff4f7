using System.Diagnostics.CodeAnalysis;
using Serilog.Core;
using Serilog.Events;

namespace CdsService.Api.Logging;

/// <summary>
/// Belt and braces behind the catalogue (style anchor §4.1): should anyone ever log a request, a FHIR resource, a
/// clinical snapshot, a JSON payload or a token with <c>{@Value}</c>, it renders as "&lt;Type&gt; (redacted)" instead
/// of its content. Matched by namespace so the Api needs no reference to the FHIR SDK.
/// </summary>
public sealed class RedactingDestructuringPolicy : IDestructuringPolicy
{
    private static readonly string[] ProtectedNamespaces =
    [
        "Hl7.Fhir",
        "CdsService.Clinical",
        "CdsService.Fhir",
        "System.Text.Json",
        "Microsoft.IdentityModel",
        "System.IdentityModel",
        "System.Security.Claims",
    ];

    public bool TryDestructure(object value, ILogEventPropertyValueFactory propertyValueFactory, [NotNullWhen(true)] out LogEventPropertyValue? result)
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetType();
        var ns = type.Namespace ?? string.Empty;
        if (Array.Exists(ProtectedNamespaces, p => ns.StartsWith(p, StringComparison.Ordinal)))
        {
            result = new ScalarValue($"<{type.Name}> (redacted)");
            return true;
        }

        result = null;
        return false;
    }
}
