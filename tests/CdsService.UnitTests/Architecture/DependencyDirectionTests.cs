using CdsService.Clinical.Model;

namespace CdsService.UnitTests.Architecture;

/// <summary>
/// The clinical rules are the part that carries clinical risk; keeping them free of FHIR and web types keeps them
/// reviewable and testable as plain decision tables (README §Repository layout).
/// </summary>
public sealed class DependencyDirectionTests
{
    [Fact]
    public void GivenClinicalAssembly_WhenReferencesInspected_ThenNoFhirOrAspNetCore()
    {
        var clinical = typeof(PatientSnapshot).Assembly;

        var forbidden = clinical.GetReferencedAssemblies()
            .Select(reference => reference.Name ?? string.Empty)
            .Where(name => name.StartsWith("Hl7.", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || name.StartsWith("Firely", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void GivenClinicalAssembly_WhenReferencesInspected_ThenOnlyBaseClassLibrary()
    {
        var clinical = typeof(PatientSnapshot).Assembly;

        var nonBcl = clinical.GetReferencedAssemblies()
            .Select(reference => reference.Name ?? string.Empty)
            .Where(name => !IsBaseClassLibrary(name))
            .ToList();

        Assert.Empty(nonBcl);
    }

    private static bool IsBaseClassLibrary(string name) =>
        name is "System.Runtime" or "System.Collections" or "System.Collections.Immutable" or "System.Linq"
            or "System.Runtime.InteropServices" or "System.Memory" or "netstandard" or "mscorlib"
            or "System.Private.CoreLib" or "System.Text.RegularExpressions" or "System.Runtime.Numerics"
            || name.StartsWith("System.", StringComparison.Ordinal);
}
