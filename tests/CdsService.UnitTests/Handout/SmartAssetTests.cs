using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CdsService.UnitTests.Handout;

/// <summary>
/// The vendored SMART JavaScript client is the unmodified fhirclient build named in src/CdsService.Api/Smart/Assets/README.md
/// (ADR-0010: no CDN, so what the browser runs is exactly what was reviewed).
/// </summary>
public sealed partial class SmartAssetTests
{
    [Fact]
    public void GivenTheVendoredFhirClient_WhenItsHashIsComputed_ThenItIsTheOneTheAssetsReadmeRecords()
    {
        var folder = RepositoryPaths.Of("src", "CdsService.Api", "Smart", "Assets");
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));
        var recorded = RecordedHash().Match(readme);

        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "fhir-client.pure.min.js"))));

        Assert.True(recorded.Success, "the README records the sha256 of fhir-client.pure.min.js");
        Assert.Equal(recorded.Groups["hash"].Value, actual);
    }

    [GeneratedRegex("sha256 `(?<hash>[0-9a-f]{64})`")]
    private static partial Regex RecordedHash();
}
