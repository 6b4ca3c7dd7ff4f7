using CdsService.Fhir.Data;
using Verdict = CdsService.Fhir.Data.FhirServerAllowlist.Verdict;

namespace CdsService.UnitTests.Fhir;

public sealed class FhirServerAllowlistTests
{
    private static readonly Uri[] Allowed = [new("https://ehr.example.org/fhir/r4"), new("http://127.0.0.1:5555/fhir/")];

    [Theory]
    [InlineData("https://ehr.example.org/fhir/r4", Verdict.Allowed)]
    [InlineData("https://ehr.example.org/fhir/r4/", Verdict.Allowed)]
    [InlineData("HTTPS://EHR.EXAMPLE.ORG/fhir/r4", Verdict.Allowed)]
    [InlineData("https://ehr.example.org:443/fhir/r4/tenant-a", Verdict.Allowed)]
    [InlineData("https://other.example.org/fhir/r4", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org.evil.test/fhir/r4", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org:8443/fhir/r4", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org/fhir/r4-admin", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org/fhir", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org/fhir/r4/../../admin", Verdict.NotAllowlisted)]
    // Uri decodes %2e and removes the dot segments before the prefix check, so this becomes /admin.
    [InlineData("https://ehr.example.org/fhir/r4/%2e%2e/%2e%2e/admin", Verdict.NotAllowlisted)]
    [InlineData("https://ehr.example.org/fhir/r4%2f..%2fadmin", Verdict.EncodedPathSeparator)]
    [InlineData("https://user:secret@ehr.example.org/fhir/r4", Verdict.UserInfo)]
    [InlineData("https://ehr.example.org@evil.test/fhir/r4", Verdict.UserInfo)]
    [InlineData("http://ehr.example.org/fhir/r4", Verdict.PlainHttpNotAllowed)]
    [InlineData("http://169.254.169.254/latest/meta-data", Verdict.LinkLocalAddress)]
    [InlineData("https://169.254.169.254/fhir/r4", Verdict.LinkLocalAddress)]
    [InlineData("http://[fe80::1]/fhir", Verdict.LinkLocalAddress)]
    [InlineData("https://ehr.example.org/fhir/r4?_format=xml", Verdict.QueryOrFragment)]
    [InlineData("ftp://ehr.example.org/fhir/r4", Verdict.UnsupportedScheme)]
    [InlineData("file:///etc/passwd", Verdict.UnsupportedScheme)]
    public void GivenFhirServerInProduction_WhenChecked_ThenOnlyTheAllowlistedHttpsBaseAndBelowPass(string url, Verdict expected) =>
        Assert.Equal(expected, FhirServerAllowlist.Check(new Uri(url), Allowed, allowHttpLoopback: false, out _));

    [Theory]
    [InlineData("http://127.0.0.1:5555/fhir", true, Verdict.Allowed)]
    [InlineData("http://127.0.0.1:5555/fhir", false, Verdict.PlainHttpNotAllowed)]
    [InlineData("http://127.0.0.1:5556/fhir", true, Verdict.NotAllowlisted)]
    [InlineData("http://10.0.0.5:5555/fhir", true, Verdict.PlainHttpNotAllowed)]
    public void GivenPlainHttp_WhenChecked_ThenOnlyLoopbackAndOnlyWhenTheHostAllowsIt(string url, bool allowHttpLoopback, Verdict expected) =>
        Assert.Equal(expected, FhirServerAllowlist.Check(new Uri(url), Allowed, allowHttpLoopback, out _));

    [Fact]
    public void GivenMissingOrRelativeUrl_WhenChecked_ThenRefused()
    {
        Assert.Equal(Verdict.NotAbsolute, FhirServerAllowlist.Check(null, Allowed, false, out _));
        Assert.Equal(Verdict.NotAbsolute, FhirServerAllowlist.Check(new Uri("/fhir/r4", UriKind.Relative), Allowed, false, out _));
    }

    [Fact]
    public void GivenEmptyAllowlist_WhenChecked_ThenNothingPasses() =>
        Assert.Equal(Verdict.NotAllowlisted, FhirServerAllowlist.Check(new Uri("https://ehr.example.org/fhir/r4"), [], false, out _));

    [Theory]
    [InlineData("https://ehr.example.org/fhir/r4/Observation?patient=p1&_page=2", true)]
    [InlineData("https://evil.test/fhir/r4/Observation?_page=2", false)]
    [InlineData("https://ehr.example.org/other/Observation?_page=2", false)]
    [InlineData("http://ehr.example.org/fhir/r4/Observation?_page=2", false)]
    public void GivenPagingLink_WhenChecked_ThenItMustStayUnderTheFhirServer(string next, bool expected) =>
        Assert.Equal(expected, FhirServerAllowlist.IsUnder(new Uri("https://ehr.example.org/fhir/r4/"), new Uri(next), false));
}
