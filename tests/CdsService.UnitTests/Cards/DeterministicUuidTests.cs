using System.Security.Cryptography;
using System.Text;
using CdsService.Cards;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// Card and suggestion uuids are part of the golden responses and of stored feedback: the UTF-8 name is now encoded
/// on the stack rather than the heap (docs/performance.md, round 2 item 10), and must hash to exactly the uuid the heap-encoded name gave.
/// </summary>
public sealed class DeterministicUuidTests
{
    [Theory]
    [InlineData("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "fertility-conflict")]
    [InlineData("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "trt-monitoring/suggestion/0")]
    [InlineData("bench", "patient-summary/suggestion/1")]
    [InlineData("", "")]
    [InlineData("ünïcødé–😀", "name with spaces/and/slashes")]
    [InlineData("lone-surrogate-\ud800-end", "x")]
    public void GivenHookInstanceAndName_WhenUuidCreated_ThenSameAsHashOfHeapEncodedName(string hookInstance, string name)
    {
        Assert.Equal(Reference(hookInstance, name), DeterministicUuid.Create(hookInstance, name));
    }

    [Fact]
    public void GivenNameLongerThanTheStackBuffer_WhenUuidCreated_ThenSameAsHashOfHeapEncodedName()
    {
        var hookInstance = new string('h', 400);
        var name = new string('€', 300);

        Assert.Equal(Reference(hookInstance, name), DeterministicUuid.Create(hookInstance, name));
    }

    [Fact]
    public void GivenUuid_WhenRead_ThenVersion8AndRfc9562Variant()
    {
        var uuid = DeterministicUuid.Create("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "fertility-conflict");

        Assert.Equal('8', uuid[14]);
        Assert.Contains(uuid[19], "89ab");
    }

    private static string Reference(string hookInstance, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"org.hypogonadism-cds/{hookInstance}/{name}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
