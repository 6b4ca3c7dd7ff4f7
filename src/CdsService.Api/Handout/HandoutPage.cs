using System.Text;

namespace CdsService.Api.Handout;

/// <summary>
/// The handout as one self-contained HTML page: no script, no external font or image, system fonts, and a print
/// stylesheet that fits it on two A4 or Letter pages (the browser test prints it to PDF and counts the pages). All text
/// is HTML-encoded, although it is the service's own.
/// </summary>
public static class HandoutPage
{
    public static string Render(PatientHandout handout)
    {
        ArgumentNullException.ThrowIfNull(handout);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(E(handout.Language)).Append("\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(handout.Title)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<nav class=\"no-print\">");
        foreach (var language in PatientHandout.Languages.Where(l => l != handout.Language))
        {
            html.Append("<a id=\"other-language\" hreflang=\"").Append(E(language)).Append("\" href=\"").Append(E(HandoutExtensions.PathFor(language))).Append("\">")
                .Append(E(handout.OtherLanguageLabel)).Append("</a>");
        }

        html.Append("</nav><main><h1>").Append(E(handout.Title)).Append("</h1>");
        html.Append("<p class=\"lead\">").Append(E(handout.Lead)).Append("</p>");
        foreach (var section in handout.Sections)
        {
            html.Append("<section id=\"").Append(E(section.Id)).Append("\"><h2>").Append(E(section.Heading)).Append("</h2>");
            foreach (var paragraph in section.Paragraphs)
            {
                html.Append("<p>").Append(E(paragraph)).Append("</p>");
            }

            if (section.Items.Count > 0)
            {
                html.Append("<ul>");
                foreach (var item in section.Items)
                {
                    html.Append("<li>").Append(E(item)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</section>");
        }

        html.Append("<footer><p class=\"disclaimer\">").Append(E(handout.Disclaimer)).Append("</p>");
        html.Append("<h2>").Append(E(handout.SourcesHeading)).Append("</h2><ul class=\"sources\">");
        foreach (var source in handout.Sources)
        {
            html.Append("<li>").Append(E(source)).Append("</li>");
        }

        html.Append("</ul></footer></main></body></html>");
        return html.ToString();
    }

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    // Screen: a readable column. Print: 10.5 pt on A4/Letter with 15 mm margins, no navigation, sections kept whole where
    // they fit, so the sheet is two pages at most.
    private const string Css = """
        body{font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:46em;padding:0 16px 40px;color:#111}
        h1{font-size:26px;line-height:1.25;margin:18px 0 8px}h2{font-size:19px;margin:20px 0 6px;color:#0b4a8b}
        .lead{font-size:18px}ul{padding-left:1.3em}li{margin:4px 0}nav{text-align:right;padding-top:10px}
        footer{border-top:1px solid #bbb;margin-top:24px;font-size:14px;color:#333}.disclaimer{font-weight:600}
        @page{size:auto;margin:15mm}
        @media print{
          body{font-size:10.5pt;line-height:1.35;max-width:none;padding:0}
          .no-print{display:none}h1{font-size:16pt;margin:0 0 4pt}h2{font-size:12pt;margin:9pt 0 3pt;color:#000}
          .lead{font-size:11pt}li{margin:2pt 0}section{break-inside:avoid}footer{font-size:9pt;margin-top:10pt}
          a{color:inherit;text-decoration:none}
        }
        """;
}
