using CdsService.Fhir.Data;

namespace CdsService.UnitTests.Fhir;

public sealed class FhirQueryUrlTests
{
    private static readonly Uri Base = new("https://ehr.example.org/fhir/r4/");

    [Theory]
    [InlineData("Patient/abc-1.2", "https://ehr.example.org/fhir/r4/Patient/abc-1.2")]
    [InlineData("Observation?patient=abc&code=http://loinc.org|2986-8&_count=50", "https://ehr.example.org/fhir/r4/Observation")]
    public void GivenAQueryThatStaysUnderTheBase_WhenResolved_ThenItIsTheBaseFollowedByTheQuery(string query, string expectedLeftPart)
    {
        Assert.True(FhirQueryUrl.TryResolve(Base, query, out var url));
        Assert.Equal(expectedLeftPart, url.GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("Patient/.")]
    [InlineData("Patient/..")]
    [InlineData("Practitioner/../../admin")]
    [InlineData("/Patient/abc")]
    [InlineData("//evil.test/Patient/abc")]
    public void GivenAQueryWhosePathUriWouldRewrite_WhenResolved_ThenRefused(string query)
    {
        Assert.False(FhirQueryUrl.TryResolve(Base, query, out _));
    }
}
