using System.Reflection;
using ArchUnitNET.Loader;
using CdsService.Api.Logging;
using CdsService.Cards;
using CdsService.Cli;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Fhir.Data;
using CdsService.Protocol;
using ArchitectureModel = ArchUnitNET.Domain.Architecture;

namespace CdsService.UnitTests.Architecture;

/// <summary>The service's own assemblies, named once, and their ArchUnitNET model (loaded once per test run).</summary>
internal static class CdsAssemblies
{
    public static readonly Assembly Clinical = typeof(PatientSnapshot).Assembly;
    public static readonly Assembly Protocol = typeof(CdsJson).Assembly;
    public static readonly Assembly Fhir = typeof(FhirDataOptions).Assembly;
    public static readonly Assembly Cards = typeof(CardComposer).Assembly;
    public static readonly Assembly Examples = typeof(ExampleLibrary).Assembly;
    public static readonly Assembly Api = typeof(Log).Assembly;
    public static readonly Assembly Cli = typeof(HookCallSettings).Assembly;

    public static readonly IReadOnlyList<Assembly> All = [Clinical, Protocol, Fhir, Cards, Examples, Api, Cli];

    private static readonly Lazy<ArchitectureModel> Model = new(() => new ArchLoader().LoadAssemblies([.. All]).Build());

    public static ArchitectureModel Architecture => Model.Value;

    public static Assembly ByName(string name) =>
        All.Single(assembly => string.Equals(assembly.GetName().Name, name, StringComparison.Ordinal));
}
