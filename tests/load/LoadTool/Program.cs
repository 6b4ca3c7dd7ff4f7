using System.Globalization;
using CdsService.LoadTool;

// Helper of tests/load/run.sh (see docs/performance.md). Commands:
//   keys DIR                                   benchmark client keys + public JWK Set
//   bodies DIR [FHIR_BASE_URL]                 patient bundle and request bodies (+ case 6 body and sandbox queries)
//   mint DIR ALG AUDIENCE COUNT LIFETIME_S OUT  COUNT client JWTs for AUDIENCE, one per line
//   probe URL TOKEN_FILE BODY|- EXPECT [SAVE]  one call; EXPECT = assessment | no-cards | discovery; exit 1 if wrong
//   same-assessment FILE FILE                  exit 1 unless both responses carry the same assessment
try
{
    return args switch
    {
        ["keys", var dir] => Done(() => BenchClient.WriteKeys(dir)),
        ["bodies", var dir] => Done(() => BenchRequests.Write(dir, null)),
        ["bodies", var dir, var fhir] => Done(() => BenchRequests.Write(dir, new Uri(fhir, UriKind.Absolute))),
        ["mint", var dir, var alg, var aud, var count, var lifetime, var output] => Done(() => BenchClient.Mint(
            dir, alg, aud, int.Parse(count, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(int.Parse(lifetime, CultureInfo.InvariantCulture)), output)),
        ["probe", var url, var tokenFile, var body, var expect, .. var save] => await Probe.RunAsync(
            new Uri(url, UriKind.Absolute),
            File.ReadLines(tokenFile).First(),
            body == "-" ? null : body,
            expect switch
            {
                "assessment" => Expectation.Assessment,
                "no-cards" => Expectation.NoCards,
                "discovery" => Expectation.Discovery,
                _ => throw new ArgumentException($"Unknown expectation '{expect}'."),
            },
            save.Length > 0 ? save[0] : null),
        ["same-assessment", var first, var second] => Probe.SameAssessment(first, second),
        _ => Usage(),
    };
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException or HttpRequestException)
{
    await Console.Error.WriteLineAsync($"load tool: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

static int Done(Action action)
{
    action();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: keys DIR | bodies DIR [FHIR_BASE] | mint DIR ALG AUD COUNT LIFETIME_S OUT | probe URL TOKEN_FILE BODY|- EXPECT [SAVE] | same-assessment A B");
    return 2;
}
