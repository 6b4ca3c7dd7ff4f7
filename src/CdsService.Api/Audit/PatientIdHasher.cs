using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Audit;

/// <summary>
/// Pseudonymises patient ids for the audit trail: HMAC-SHA256 under a secret key, so a SIEM can correlate every call
/// about one patient (and an investigator holding the key can compute the value for a known id) while the log alone
/// reveals nothing. A plain hash would not do: FHIR ids are short and guessable, so SHA-256(id) is reversed by
/// enumeration; the key is what prevents that (HIPAA 45 CFR 164.514(c): a re-identification code must not be
/// derivable from the identifier).
/// </summary>
public sealed class PatientIdHasher
{
    /// <summary>Prefix of every hashed reference, so a reader knows what the value is.</summary>
    public const string Scheme = "hmac-sha256";

    private readonly byte[] key;

    public PatientIdHasher(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.DecodeKey();
        IsEphemeral = configured is null;
        key = configured ?? RandomNumberGenerator.GetBytes(AuditOptions.MinimumKeyBytes);

        // Names the key without revealing it (SHA-256 of 256 random bits): tells a SIEM which key a hash was made
        // with, so hashes from before and after a key rotation, or from an ephemeral key, are not compared.
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..8];
    }

    /// <summary>True when no key is configured and a random per-process key is used (hashes do not survive a restart).</summary>
    public bool IsEphemeral { get; }

    /// <summary>First 8 hex digits of SHA-256 of the key.</summary>
    public string KeyId { get; }

    /// <summary><c>hmac-sha256:{keyId}:{64 hex digits}</c> for a patient id.</summary>
    public string Reference(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(patientId));
        return $"{Scheme}:{KeyId}:{Convert.ToHexStringLower(mac)}";
    }
}
