using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace CdsService.UnitTests.Architecture;

/// <summary>
/// The layering the solution layout promises (ADR-0004 and README §Layout): the clinical rules at the bottom, the CDS Hooks
/// wire types over them, FHIR and cards beside each other, the web host on top, and no namespace that needs another
/// which needs it back. A cycle or a dependency against the direction fails here, with the offending types named.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string> AssemblyNames() =>
        [.. CdsAssemblies.All.Select(assembly => assembly.GetName().Name!)];

    /// <summary>
    /// Within one assembly, types grouped by the namespace segment below the assembly's root (Hooks, Errors, Feedback with
    /// its Migrations, …; the root namespace is a group of its own): a feature may use another only if that one never
    /// needs it back. Shared primitives live in the root namespace.
    /// </summary>
    [Theory]
    [MemberData(nameof(AssemblyNames))]
    public void GivenOneAssembly_WhenGroupedBySecondLevelNamespace_ThenGroupsAreFreeOfCycles(string assemblyName)
    {
        var cycles = DependencyCycles.Find(CdsAssemblies.Architecture.Types, type => SecondLevel(type.Namespace?.FullName, assemblyName));

        Assert.True(cycles.Count == 0, "Namespace cycle(s) in " + assemblyName + ":\n" + string.Join('\n', cycles));
    }

    [Fact]
    public void GivenAllServiceAssemblies_WhenGroupedByAssembly_ThenAssembliesAreFreeOfCycles()
    {
        var cycles = DependencyCycles.Find(CdsAssemblies.Architecture.Types, type => OurAssembly(type.Assembly?.FullName));

        Assert.True(cycles.Count == 0, "Assembly cycle(s):\n" + string.Join('\n', cycles));
    }

    /// <summary>No namespace of ours, in whichever assembly, needs another that needs it back (ArchUnitNET's own check).</summary>
    [Fact]
    public void GivenAllServiceNamespaces_WhenSlicedByFullNamespace_ThenSlicesAreFreeOfCycles() =>
        SliceRuleDefinition.Slices()
            .Matching("CdsService.(**)")
            .Should()
            .BeFreeOfCycles()
            .Check(CdsAssemblies.Architecture);

    [Theory]
    [MemberData(nameof(AssemblyNames))]
    public void GivenRootNamespaceOfAnAssembly_WhenDependenciesInspected_ThenItNeedsNoNamespaceBelowIt(string assemblyName) =>
        Types()
            .That()
            .ResideInNamespace(assemblyName)
            .Should()
            .NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching("^" + assemblyName.Replace(".", "\\.", StringComparison.Ordinal) + "\\..+")
            .Because("the root namespace holds the primitives every feature may use, so it cannot need a feature back")
            .WithoutRequiringPositiveResults()
            .Check(CdsAssemblies.Architecture);

    [Fact]
    public void GivenAssembliesOtherThanFhirAndExamples_WhenDependenciesInspected_ThenNoFirelyType() =>
        Types()
            .That()
            .DoNotResideInAssembly(CdsAssemblies.Fhir)
            .And()
            .DoNotResideInAssembly(CdsAssemblies.Examples)
            .Should()
            .NotDependOnAnyTypesThat()
            .ResideInNamespaceMatching(@"^(Hl7|Firely)(\..+)?$")
            .Because("the FHIR model stays behind CdsService.Fhir's snapshot and mapping, so a Firely upgrade touches one assembly")
            .Check(CdsAssemblies.Architecture);

    /// <summary>Which of our assemblies each assembly may use; the Api (the host) may use all of them.</summary>
    public static TheoryData<string, string[]> AllowedDependencies() => new()
    {
        { "CdsService.Clinical", [] },
        { "CdsService.Protocol", ["CdsService.Clinical"] },
        { "CdsService.Fhir", ["CdsService.Clinical", "CdsService.Protocol"] },
        { "CdsService.Cards", ["CdsService.Clinical", "CdsService.Protocol"] },
    };

    [Theory]
    [MemberData(nameof(AllowedDependencies))]
    public void GivenLowerLayer_WhenDependenciesInspected_ThenOnlyItsAllowedAssemblies(string assemblyName, string[] allowed)
    {
        var forbidden = CdsAssemblies.All
            .Where(assembly => assembly != CdsAssemblies.ByName(assemblyName) && !allowed.Contains(assembly.GetName().Name))
            .ToArray();

        Types()
            .That()
            .ResideInAssembly(CdsAssemblies.ByName(assemblyName))
            .Should()
            .NotDependOnAnyTypesThat()
            .ResideInAssembly(forbidden[0], forbidden[1..])
            .Check(CdsAssemblies.Architecture);
    }

    [Fact]
    public void GivenAnyAssemblyButTheHost_WhenDependenciesInspected_ThenNothingUsesTheApi() =>
        Types()
            .That()
            .DoNotResideInAssembly(CdsAssemblies.Api)
            .Should()
            .NotDependOnAnyTypesThat()
            .ResideInAssembly(CdsAssemblies.Api)
            .Because("the web host composes the layers; only tests may reach into it")
            .Check(CdsAssemblies.Architecture);

    private static string? SecondLevel(string? ns, string assemblyRoot) =>
        ns is null ? null
        : ns == assemblyRoot ? "(root)"
        : ns.StartsWith(assemblyRoot + ".", StringComparison.Ordinal) ? ns[(assemblyRoot.Length + 1)..].Split('.')[0]
        : null;

    private static string? OurAssembly(string? assemblyFullName) =>
        assemblyFullName is null ? null : CdsAssemblies.All.Select(a => a.GetName().Name!).FirstOrDefault(name =>
            assemblyFullName.StartsWith(name + ",", StringComparison.Ordinal) || assemblyFullName == name);
}
