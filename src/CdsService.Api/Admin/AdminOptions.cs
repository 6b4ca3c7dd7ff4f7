using CdsService.Api.Configuration;
using CdsService.Api.Security;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Admin;

/// <summary>
/// <c>CdsHooks:Admin</c>: the one client trusted for the governance endpoints (<c>/admin/*</c>), configured apart from
/// the CDS clients so that an EHR's token can never read them (docs/deploy.md §Governance: a CDS client token alone never opens it). Its JWTs
/// follow the same rules as CDS client tokens (asymmetric signature, typ JWT, exp ≤ iat + 1 h, jti not replayed), with
/// <c>aud</c> = the exact admin URL invoked. Not configured: every admin call is 401.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "CdsHooks:Admin";

    /// <summary>The <c>iss</c> of admin tokens. Must differ from every CDS client issuer.</summary>
    public string? Issuer { get; set; }

    /// <summary>JWK Set file with the admin client's public key(s), exchanged out of band.</summary>
    public string? JwksFile { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Issuer);
}

/// <summary>
/// Start-time validation: issuer and key file together, the file present, and an issuer no CDS client (nor the
/// Development sandbox) uses, so one key set can never open both doors.
/// </summary>
public sealed class AdminOptionsValidator(IOptions<CdsHooksOptions> cds) : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasIssuer = !string.IsNullOrWhiteSpace(options.Issuer);
        var hasFile = !string.IsNullOrWhiteSpace(options.JwksFile);
        if (!hasIssuer && !hasFile)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (hasIssuer != hasFile)
        {
            errors.Add("CdsHooks:Admin needs both Issuer and JwksFile (or neither, which disables the admin endpoints).");
        }

        if (hasFile && !File.Exists(options.JwksFile))
        {
            errors.Add($"CdsHooks:Admin:JwksFile '{options.JwksFile}' does not exist.");
        }

        if (hasIssuer && (cds.Value.Clients.Any(c => string.Equals(c.Issuer, options.Issuer, StringComparison.Ordinal))
            || string.Equals(options.Issuer, ClientRegistry.SandboxIssuer, StringComparison.Ordinal)))
        {
            errors.Add("CdsHooks:Admin:Issuer must differ from every CDS client issuer: an EHR's token must never open the admin endpoints.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
