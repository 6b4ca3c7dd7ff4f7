namespace CdsService.Cards;

/// <summary>
/// Settings of the card composer. The Api binds <see cref="PublicBaseUrl"/> from <c>CdsHooks:PublicBaseUrl</c>
/// (docs/configuration.md), the address the JWT <c>aud</c> is checked against, so links in cards point at the address
/// the EHR already trusts.
/// </summary>
public sealed class CardComposerOptions
{
    /// <summary>
    /// The public base URL of this service (e.g. <c>https://cds.example.org</c>). Links in cards are absolute
    /// (CDS Hooks 2.0 §Link: <c>type</c> "absolute"), so this is required unless a request supplies its own base.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Path of the generated rules document served by the Api. The default is <c>/docs/hypogonadism-rules</c>.</summary>
    public string RulesDocumentPath { get; set; } = "/docs/hypogonadism-rules";

    /// <summary>
    /// Path of the patient handout served by the Api ("Low testosterone: replacement or a fertility-preserving
    /// medicine?"), linked from the cards as an absolute link; null or empty leaves the link out.
    /// </summary>
    public string? HandoutPath { get; set; } = "/handout/low-testosterone";

    /// <summary>
    /// Path of the SMART app's launch URL (the work-up view). When set, every card carries a link of type "smart"
    /// to it (CDS Hooks 2.0 §Link), with the hook instance and draft order ids as appContext. The Api sets it only when
    /// the SMART app is enabled by configuration (docs/decisions/ADR-0010).
    /// </summary>
    public string? SmartLaunchPath { get; set; }

    /// <summary>Guideline landing pages, cited as each card's <c>source.url</c>. Defaults are the public pages in the clinical brief §1.1.</summary>
    public GuidelineLinks Guidelines { get; set; } = new();
}

/// <summary>Public guideline pages (clinical brief §1.1 and §3). Overridable so a site can point at its licensed copies.</summary>
public sealed class GuidelineLinks
{
    /// <summary>AUA Evaluation and Management of Testosterone Deficiency (Mulhall et al., J Urol 2018).</summary>
    public Uri Aua { get; set; } = new("https://www.auanet.org/guidelines-and-quality/guidelines/testosterone-deficiency-guideline");

    /// <summary>Endocrine Society: Testosterone Therapy in Men With Hypogonadism (Bhasin et al., JCEM 2018).</summary>
    public Uri EndocrineSociety { get; set; } =
        new("https://www.endocrine.org/guidelines-and-clinical-practice/clinical-practice-guidelines/testosterone-therapy");

    /// <summary>EAU Sexual and Reproductive Health guideline, male hypogonadism chapter.</summary>
    public Uri Eau { get; set; } = new("https://uroweb.org/guidelines/sexual-and-reproductive-health/chapter/male-hypogonadism");
}
