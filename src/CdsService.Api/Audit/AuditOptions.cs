using Microsoft.Extensions.Options;

namespace CdsService.Api.Audit;

/// <summary><c>CdsHooks:Audit</c>: how patients are referenced in the audit trail.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "CdsHooks:Audit";

    /// <summary>Smallest accepted key: RFC 2104 §3 recommends an HMAC key no shorter than the hash output (32 bytes for SHA-256).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// Base64 of the secret key (at least 32 bytes, e.g. <c>openssl rand -base64 32</c>) with which patient ids are
    /// hashed (HMAC-SHA256) in audit events. Keep it in a secret store and stable across instances and restarts, or the
    /// same patient gets a different hash per instance. Not set: a random key per process, with a warning at start.
    /// </summary>
    public string? PatientIdHashKey { get; set; }

    /// <summary>The decoded key, or null when the setting is absent or not valid base64.</summary>
    public byte[]? DecodeKey()
    {
        if (string.IsNullOrWhiteSpace(PatientIdHashKey))
        {
            return null;
        }

        var buffer = new byte[PatientIdHashKey.Length];
        return Convert.TryFromBase64String(PatientIdHashKey.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}

/// <summary>A configured key that is not base64 or too short stops the service: a weak key makes the hash reversible by brute force over plausible ids.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.PatientIdHashKey))
        {
            return ValidateOptionsResult.Success;
        }

        return options.DecodeKey() is { Length: >= AuditOptions.MinimumKeyBytes }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{AuditOptions.SectionName}:PatientIdHashKey must be base64 of at least {AuditOptions.MinimumKeyBytes} random bytes (e.g. openssl rand -base64 32).");
    }
}
