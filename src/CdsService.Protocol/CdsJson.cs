using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CdsService.Protocol;

/// <summary>
/// The one serializer configuration for everything the service writes. CDS Hooks 2.0 §Use of JSON: "elements SHALL NOT
/// be null or empty unless specified" and optional attributes without a value are omitted; the one specified exception
/// is <c>"cards": []</c>, which is why REQUIRED (C# <c>required</c>) collections are always written.
/// </summary>
public static class CdsJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Applies the same rules to another options instance (the minimal-API HTTP JSON options).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.TypeInfoResolver = CreateResolver();
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        options.MakeReadOnly();
        return options;
    }

    private static DefaultJsonTypeInfoResolver CreateResolver()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(OmitEmptyOptionalCollections);
        return resolver;
    }

    private static void OmitEmptyOptionalCollections(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.IsRequired || property.PropertyType == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                continue;
            }

            var inner = property.ShouldSerialize;
            property.ShouldSerialize = (owner, value) =>
                value is not null && !IsEmpty(value) && (inner is null || inner(owner, value));
        }
    }

    private static bool IsEmpty(object value) => value switch
    {
        ICollection collection => collection.Count == 0,
        IEnumerable enumerable => !enumerable.GetEnumerator().MoveNext(),
        _ => false,
    };
}
