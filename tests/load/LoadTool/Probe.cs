using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CdsService.LoadTool;

/// <summary>What a probe expects of the answer.</summary>
internal enum Expectation
{
    /// <summary>200 with at least one card and the assessment extension (cases 3, 4, 6).</summary>
    Assessment,

    /// <summary>200 with <c>{"cards": []}</c> and no assessment (case 5: unrelated draft, short-circuited).</summary>
    NoCards,

    /// <summary>200 with the three hypogonadism services (case 2).</summary>
    Discovery,
}

/// <summary>
/// One real call per case before it is loaded, so the smoke run fails on a wrong answer and not only on a non-2xx
/// (wrk counts status codes, it does not read bodies).
/// </summary>
internal static class Probe
{
    public const string AssessmentKey = "org.hypogonadism-cds.assessment";

    public static async Task<int> RunAsync(Uri url, string token, string? bodyFile, Expectation expect, string? savePath)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(bodyFile is null ? HttpMethod.Get : HttpMethod.Post, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (bodyFile is not null)
        {
            request.Content = new StringContent(await File.ReadAllTextAsync(bodyFile), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (savePath is not null)
        {
            await File.WriteAllTextAsync(savePath, text);
        }

        var problem = response.StatusCode != HttpStatusCode.OK
            ? $"HTTP {(int)response.StatusCode}"
            : Check(JsonNode.Parse(text)?.AsObject(), expect);
        if (problem is not null)
        {
            // Status and shape only: the body may hold clinical text of the synthetic patient, the token is never shown.
            await Console.Error.WriteLineAsync($"probe {url.AbsolutePath}: {problem}");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Case 3 (prefetch) and case 6 (fetched from the sandbox) read the same patient: the assessments must be equal
    /// (one mapper for both paths, ADR-0006: full prefetch and FHIR fetch give the same snapshot).
    /// </summary>
    public static int SameAssessment(string first, string second)
    {
        var a = JsonNode.Parse(File.ReadAllText(first))?["extension"]?[AssessmentKey];
        var b = JsonNode.Parse(File.ReadAllText(second))?["extension"]?[AssessmentKey];
        if (a is null || b is null || !JsonNode.DeepEquals(a, b))
        {
            Console.Error.WriteLine("The assessment from prefetch differs from the assessment fetched from the FHIR sandbox.");
            return 1;
        }

        return 0;
    }

    private static string? Check(JsonObject? body, Expectation expect)
    {
        if (body is null)
        {
            return "the body is not a JSON object";
        }

        switch (expect)
        {
            case Expectation.Discovery:
                return body["services"] is JsonArray { Count: 3 } ? null : "discovery does not list the three services";
            case Expectation.NoCards:
                return body["cards"] is JsonArray { Count: 0 } && body["extension"] is null
                    ? null
                    : "an unrelated draft order was assessed (expected {\"cards\": []})";
            default:
                if (body["cards"] is not JsonArray { Count: > 0 })
                {
                    return "no cards for a testosterone order";
                }

                return body["extension"]?[AssessmentKey]?["classification"] is JsonValue ? null : "the assessment extension is missing";
        }
    }
}
