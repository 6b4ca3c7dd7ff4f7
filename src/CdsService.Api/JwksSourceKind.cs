namespace CdsService.Api;

/// <summary>Where a trusted client's JWK Set comes from; shared by client trust and the log catalogue.</summary>
public enum JwksSourceKind
{
    Url,
    File,
    Embedded,
}
