using System.Text.Json;
using CdsService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Security;

/// <summary>
/// Production refuses to start with a client that trusts the public CDS Hooks sandbox: its issuer, its key-set URL (as
/// JwksUri, AllowedJku or PinnedJku) or its key in any key file (<see cref="PublishedKeys"/>, by RFC 7638 thumbprint).
/// The sandbox's private key is published (cds-hooks/sandbox, and src/CdsService.Cli ships it), so whoever trusts it
/// trusts everyone. Development trusts the sandbox on its own (<see cref="ClientRegistry"/>), with a warning.
/// </summary>
public sealed class PublishedKeyValidator(IHostEnvironment environment) : IValidateOptions<CdsHooksOptions>
{
    private const string Why = "the public CDS Hooks sandbox's key set, whose private key is published; it cannot be trusted in Production";

    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!environment.IsProduction())
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var prefix = $"CdsHooks:Clients:{i}";
            var client = options.Clients[i];
            if (string.Equals(client.Issuer, ClientRegistry.SandboxIssuer, StringComparison.Ordinal))
            {
                errors.Add($"{prefix}:Issuer is the public CDS Hooks sandbox, whose private key is published; it cannot be trusted in Production.");
            }

            if (IsSandboxUrl(client.JwksUri))
            {
                errors.Add($"{prefix}:JwksUri is {Why}.");
            }

            for (var j = 0; j < client.AllowedJku.Count; j++)
            {
                if (IsSandboxUrl(client.AllowedJku[j]))
                {
                    errors.Add($"{prefix}:AllowedJku:{j} is {Why}.");
                }
            }

            CheckKeyFile($"{prefix}:JwksFile", client.JwksFile, errors);
            for (var j = 0; j < client.PinnedJku.Count; j++)
            {
                if (IsSandboxUrl(client.PinnedJku[j].Url))
                {
                    errors.Add($"{prefix}:PinnedJku:{j}:Url is {Why}.");
                }

                CheckKeyFile($"{prefix}:PinnedJku:{j}:File", client.PinnedJku[j].File, errors);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckKeyFile(string setting, string? path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return;   // CdsHooksOptionsValidator reports a missing file
        }

        try
        {
            if (PublishedKeys.AnyPublished(File.ReadAllText(path)))
            {
                errors.Add($"{setting} '{path}' holds the public CDS Hooks sandbox key (same RFC 7638 thumbprint), whose private key is published; it cannot be trusted in Production.");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or IOException or UnauthorizedAccessException)
        {
            // Not readable yet: the key-set loader reports it (KeySetLoadFailed) and re-reads it on the first call, so a
            // file fixed after start works without a restart; in Production it never yields a published key (JwksCache).
        }
    }

    private static bool IsSandboxUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && string.Equals(uri.Host, new Uri(ClientRegistry.SandboxIssuer).Host, StringComparison.OrdinalIgnoreCase);
}
