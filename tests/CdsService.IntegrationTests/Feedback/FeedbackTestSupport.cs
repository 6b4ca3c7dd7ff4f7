using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Api.Feedback;
using CdsService.Examples;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.IntegrationTests.Feedback;

/// <summary>
/// The governance (admin) client of the tests: its own issuer and EC key, trusted through <c>CdsHooks:Admin</c> and
/// nothing else, so a test can show that only its tokens open <c>/admin</c>.
/// </summary>
public static class AdminClient
{
    public const string Issuer = "https://governance.test.example/admin";

    /// <summary>The URL the test server answers the summary on: a token's aud must be exactly this.</summary>
    public const string SummaryUrl = "http://localhost/admin/feedback/summary";

    public static TestSigningKey Key { get; } = TestSigningKey.NewEc("admin-ec-1");

    private static readonly Lazy<string> KeySetFile = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "cds-admin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "admin-jwks.json");
        File.WriteAllText(file, TestKeys.JwksJson([Key]));
        return file;
    });

    /// <summary>Configuration that trusts the admin client.</summary>
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CdsHooks:Admin:Issuer"] = Issuer,
        ["CdsHooks:Admin:JwksFile"] = KeySetFile.Value,
    };

    /// <summary>A fresh admin token (new jti) for <paramref name="audience"/>; <paramref name="change"/> alters one thing.</summary>
    public static string Token(CdsApiFactory app, Func<TokenSpec, TokenSpec>? change = null, string audience = SummaryUrl)
    {
        ArgumentNullException.ThrowIfNull(app);
        var spec = new TokenSpec { Issuer = Issuer, Key = Key, Algorithm = SecurityAlgorithms.EcdsaSha384, Jti = Guid.NewGuid().ToString() };
        return app.Minter.Mint(change is null ? spec : change(spec), audience);
    }

    public static async Task<HttpResponseMessage> GetSummaryAsync(this CdsApiFactory app, string? token, string query = "")
    {
        ArgumentNullException.ThrowIfNull(app);
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/feedback/summary" + query, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>GET the summary with a fresh admin token; asserts 200 and returns the body.</summary>
    public static async Task<JsonElement> SummaryAsync(this CdsApiFactory app, string query = "")
    {
        using var response = await app.GetSummaryAsync(Token(app), query);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The summary's entry for one card type.</summary>
    public static JsonElement CardType(this JsonElement summary, string code) =>
        summary.GetProperty("cardTypes").EnumerateArray().Single(t => t.GetProperty("code").GetString() == code);
}

/// <summary>Feedback bodies (CDS Hooks 2.0 §Feedback) for the store and summary tests.</summary>
public static class FeedbackBodies
{
    public const string ReasonSystem = "http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes";

    public static JsonObject FeedbackBody(params JsonObject[] items) => new() { ["feedback"] = new JsonArray([.. items]) };

    public static JsonObject Accepted(string card, params string[] suggestions) => new()
    {
        ["card"] = card,
        ["outcome"] = "accepted",
        ["acceptedSuggestions"] = new JsonArray([.. suggestions.Select(s => (JsonNode)new JsonObject { ["id"] = s })]),
        ["outcomeTimestamp"] = "2026-01-02T03:04:05.52Z",
    };

    public static JsonObject Overridden(string card, string? reasonCode, string? comment = null, string? reasonDisplay = null)
    {
        var reason = new JsonObject();
        if (reasonCode is not null)
        {
            var coding = new JsonObject { ["system"] = ReasonSystem, ["code"] = reasonCode };
            if (reasonDisplay is not null)
            {
                coding["display"] = reasonDisplay;
            }

            reason["reason"] = coding;
        }

        if (comment is not null)
        {
            reason["userComment"] = comment;
        }

        return new JsonObject
        {
            ["card"] = card,
            ["outcome"] = "overridden",
            ["overrideReason"] = reason,
            ["outcomeTimestamp"] = "2026-01-02T03:04:05+01:00",
        };
    }

    private static readonly Lazy<ExampleLibrary> Examples = new(() => ExampleLibrary.FromDirectory(RepositoryPaths.Examples));

    /// <summary>
    /// Posts the order-sign call of example "secondary-desired" (testosterone drafted for a man who wants children,
    /// built by the shared ExampleRequestBuilder with full prefetch) and returns its cards' uuid and topic code.
    /// </summary>
    public static async Task<IReadOnlyList<(string Uuid, string Topic)>> IssueCardsAsync(this CdsApiFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var request = HookRequests.For(Examples.Value.LoadBundle("secondary-desired"))
            .Hook(HookKind.OrderSign, ExampleDraftOrder.TestosteroneCypionate)
            .At(app.Time.GetUtcNow())
            .Build();
        using var client = app.CreateCdsClient();
        using var response = await client.PostHookAsync(request.ServiceId, request.Body);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        var cards = JsonNode.Parse(body)!["cards"]!.AsArray()
            .Select(c => (c!["uuid"]!.GetValue<string>(), c["source"]!["topic"]!["code"]!.GetValue<string>()))
            .ToList();
        Assert.NotEmpty(cards);
        return cards;
    }
}

/// <summary>
/// Records every command the feedback store's contexts send, in order, and holds them all until opened: a test can keep
/// the start-up migration from making progress and force an order instead of racing it.
/// </summary>
public sealed class FeedbackCommandGate : DbCommandInterceptor
{
    /// <summary>How long a held command waits at most: a test that never opens the gate fails instead of hanging.</summary>
    public static readonly TimeSpan DeadlockGuard = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> commands = new();

    public IReadOnlyList<string> Commands => [.. commands];

    public void Open() => open.TrySetResult();

    /// <summary>Adds the gate to both providers' contexts (configureServices of <see cref="CdsApiFactory"/>).</summary>
    public void Install(IServiceCollection services)
    {
        services.ConfigureDbContext<SqliteFeedbackDbContext>(o => o.AddInterceptors(this));
        services.ConfigureDbContext<PostgresFeedbackDbContext>(o => o.AddInterceptors(this));
    }

    /// <summary>
    /// An empty SQLite database file where the host's store will be: EF Core then asks the file for its migration history
    /// (a command the gate holds) instead of concluding from the missing file, without a command, that nothing is applied.
    /// </summary>
    public static void CreateEmptySqliteFile(CdsApiFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        File.WriteAllBytes(Path.Combine(app.Directory, "feedback.db"), []);
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await HoldAsync(command, cancellationToken);
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Hold(command);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Hold(command);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Hold(command);
        return result;
    }

    // Recorded on arrival, before waiting: a command sent early shows up early even though it runs late.
    private Task HoldAsync(DbCommand command, CancellationToken cancellationToken)
    {
        commands.Enqueue(command.CommandText);
        return open.Task.WaitAsync(cancellationToken);
    }

    private void Hold(DbCommand command)
    {
        commands.Enqueue(command.CommandText);
        open.Task.Wait(DeadlockGuard);
    }
}
