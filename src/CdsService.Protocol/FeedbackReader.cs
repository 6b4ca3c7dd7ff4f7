using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CdsService.Protocol;

/// <summary>One validated feedback item, before it is tied to a service, a caller and a receive time.</summary>
public sealed record FeedbackItem(
    string CardUuid,
    string Outcome,
    IReadOnlyList<string> AcceptedSuggestionIds,
    string? ReasonSystem,
    string? ReasonCode,
    string? UserComment,
    DateTimeOffset OutcomeTimestamp);

public sealed record FeedbackReadResult(IReadOnlyList<FeedbackItem> Items, IReadOnlyList<OperationOutcomeIssue> Issues)
{
    public bool IsValid => Issues.Count == 0;
}

/// <summary>
/// Validates <c>{"feedback": [...]}</c> against CDS Hooks 2.0 §Feedback and invariants cds-fb-1 (outcome is accepted |
/// overridden), cds-fb-2 (accepted ⇒ acceptedSuggestions), cds-fb-3 (overrideReason has a reason or a userComment),
/// the Coding type (system and code REQUIRED) and outcomeTimestamp as RFC 3339 §5.6 date-time.
/// </summary>
public static partial class FeedbackReader
{
    public const int MaxItems = 100;

    /// <summary>
    /// Longest accepted card or suggestion id. Both are uuids (36 characters) in this service's cards; the bound keeps a
    /// hostile value out of the store's indexes (PostgreSQL cannot index a B-tree entry over ~2.7 kB).
    /// </summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest accepted string where no tighter bound applies (outcome, outcomeTimestamp).</summary>
    public const int MaxCodingLength = 512;

    /// <summary>
    /// Longest accepted override reason system: a code system URI (cds-hooks §Coding). Override reasons are counted by
    /// system and code in the governance summary, so both are identifiers, never free text (free text belongs in
    /// userComment).
    /// </summary>
    public const int MaxReasonSystemLength = 256;

    /// <summary>Longest accepted override reason code (a code token; FHIR codes are short).</summary>
    public const int MaxReasonCodeLength = 64;

    /// <summary>Longest accepted override comment (free text; stored only when configured).</summary>
    public const int MaxCommentLength = 4000;

    public static FeedbackReadResult Read(JsonElement root)
    {
        var issues = new List<OperationOutcomeIssue>();
        var items = new List<FeedbackItem>();
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("feedback", out var feedback)
            || feedback.ValueKind != JsonValueKind.Array
            || feedback.GetArrayLength() == 0)
        {
            issues.Add(Issue(IssueType.Required, "The body must be an object with a non-empty 'feedback' array.", "feedback"));
            return new(items, issues);
        }

        if (feedback.GetArrayLength() > MaxItems)
        {
            issues.Add(Issue(IssueType.TooLong, $"At most {MaxItems} feedback items are accepted per call.", "feedback"));
            return new(items, issues);
        }

        var index = 0;
        foreach (var element in feedback.EnumerateArray())
        {
            var item = ReadItem(element, $"feedback[{index}]", issues);
            if (item is not null)
            {
                items.Add(item);
            }

            index++;
        }

        return new(issues.Count == 0 ? items : [], issues);
    }

    private static FeedbackItem? ReadItem(JsonElement element, string path, List<OperationOutcomeIssue> issues)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Issue(IssueType.Structure, $"'{path}' must be an object.", path));
            return null;
        }

        var before = issues.Count;
        var card = RequiredString(element, "card", path, issues, MaxIdLength);
        var outcome = RequiredString(element, "outcome", path, issues);
        if (outcome is not null and not ("accepted" or "overridden"))
        {
            issues.Add(Issue(IssueType.Value, $"'{path}.outcome' must be 'accepted' or 'overridden'.", $"{path}.outcome"));
        }

        var accepted = ReadAcceptedSuggestions(element, path, outcome == "accepted", issues);
        var (system, code, comment) = ReadOverrideReason(element, path, issues);
        var timestamp = ReadTimestamp(element, path, issues);

        return issues.Count == before
            ? new FeedbackItem(card!, outcome!, accepted, system, code, comment, timestamp!.Value)
            : null;
    }

    private static List<string> ReadAcceptedSuggestions(JsonElement element, string path, bool required, List<OperationOutcomeIssue> issues)
    {
        var ids = new List<string>();
        if (!element.TryGetProperty("acceptedSuggestions", out var accepted) || accepted.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                issues.Add(Issue(IssueType.Required, $"'{path}.acceptedSuggestions' is required when outcome is 'accepted' (cds-fb-2).", $"{path}.acceptedSuggestions"));
            }

            return ids;
        }

        if (accepted.ValueKind != JsonValueKind.Array || (required && accepted.GetArrayLength() == 0))
        {
            issues.Add(Issue(IssueType.Structure, $"'{path}.acceptedSuggestions' must be a non-empty array of {{\"id\": suggestion uuid}}.", $"{path}.acceptedSuggestions"));
            return ids;
        }

        var i = 0;
        foreach (var suggestion in accepted.EnumerateArray())
        {
            var id = suggestion.ValueKind == JsonValueKind.Object ? RequiredString(suggestion, "id", $"{path}.acceptedSuggestions[{i}]", issues, MaxIdLength) : null;
            if (suggestion.ValueKind != JsonValueKind.Object)
            {
                issues.Add(Issue(IssueType.Structure, $"'{path}.acceptedSuggestions[{i}]' must be an object with an 'id'.", $"{path}.acceptedSuggestions[{i}]"));
            }
            else if (id is not null)
            {
                ids.Add(id);
            }

            i++;
        }

        return ids;
    }

    private static (string? System, string? Code, string? Comment) ReadOverrideReason(JsonElement element, string path, List<OperationOutcomeIssue> issues)
    {
        if (!element.TryGetProperty("overrideReason", out var reason) || reason.ValueKind == JsonValueKind.Null)
        {
            return (null, null, null);
        }

        var reasonPath = $"{path}.overrideReason";
        if (reason.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Issue(IssueType.Structure, $"'{reasonPath}' must be an object.", reasonPath));
            return (null, null, null);
        }

        string? system = null;
        string? code = null;
        var hasCoding = reason.TryGetProperty("reason", out var coding) && coding.ValueKind != JsonValueKind.Null;
        if (hasCoding)
        {
            if (coding.ValueKind != JsonValueKind.Object)
            {
                issues.Add(Issue(IssueType.Structure, $"'{reasonPath}.reason' must be a Coding.", $"{reasonPath}.reason"));
            }
            else
            {
                system = RequiredString(coding, "system", $"{reasonPath}.reason", issues, MaxReasonSystemLength);
                code = RequiredString(coding, "code", $"{reasonPath}.reason", issues, MaxReasonCodeLength);
                if (system is not null && !ReasonSystemPattern().IsMatch(system))
                {
                    issues.Add(Issue(IssueType.Value, $"'{reasonPath}.reason.system' must be an absolute http(s) URI or a urn: without spaces or control characters.", $"{reasonPath}.reason.system"));
                    system = null;
                }

                if (code is not null && !ReasonCodePattern().IsMatch(code))
                {
                    issues.Add(Issue(IssueType.Value, $"'{reasonPath}.reason.code' must be a code token: letters, digits and . _ : - only.", $"{reasonPath}.reason.code"));
                    code = null;
                }
            }
        }

        string? comment = null;
        var hasComment = reason.TryGetProperty("userComment", out var commentElement) && commentElement.ValueKind != JsonValueKind.Null;
        if (hasComment)
        {
            if (commentElement.ValueKind == JsonValueKind.String && commentElement.GetString()!.Length <= MaxCommentLength)
            {
                comment = commentElement.GetString();
                if (!IsStorableText(comment!, allowLineBreaks: true))
                {
                    issues.Add(Issue(IssueType.Value, $"'{reasonPath}.userComment' must not contain control characters (other than tab and line breaks) or unpaired surrogates.", $"{reasonPath}.userComment"));
                    comment = null;
                }
            }
            else if (commentElement.ValueKind == JsonValueKind.String)
            {
                issues.Add(Issue(IssueType.TooLong, $"'{reasonPath}.userComment' must be at most {MaxCommentLength} characters.", $"{reasonPath}.userComment"));
            }
            else
            {
                issues.Add(Issue(IssueType.Value, $"'{reasonPath}.userComment' must be a string.", $"{reasonPath}.userComment"));
            }
        }

        if (!hasCoding && !hasComment)
        {
            issues.Add(Issue(IssueType.Required, $"'{reasonPath}' must contain a reason, a userComment, or both (cds-fb-3).", reasonPath));
        }

        return (system, code, comment);
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement element, string path, List<OperationOutcomeIssue> issues)
    {
        var text = RequiredString(element, "outcomeTimestamp", path, issues);
        if (text is null)
        {
            return null;
        }

        // RFC 3339 §5.6 date-time: full date, 'T', full time with optional fraction, then 'Z' or a numeric offset.
        if (Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        issues.Add(Issue(IssueType.Value, $"'{path}.outcomeTimestamp' must be an RFC 3339 date-time such as 1985-04-12T23:20:50.52Z.", $"{path}.outcomeTimestamp"));
        return null;
    }

    private static string? RequiredString(JsonElement parent, string name, string path, List<OperationOutcomeIssue> issues, int maxLength = MaxCodingLength)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            var text = value.GetString()!;
            if (text.Length > maxLength)
            {
                issues.Add(Issue(IssueType.TooLong, $"'{path}.{name}' must be at most {maxLength} characters.", $"{path}.{name}"));
                return null;
            }

            if (IsStorableText(text, allowLineBreaks: false))
            {
                return text;
            }

            issues.Add(Issue(IssueType.Value, $"'{path}.{name}' must not contain control characters or unpaired surrogates.", $"{path}.{name}"));
            return null;
        }

        issues.Add(Issue(IssueType.Required, $"'{path}.{name}' is required and must be a non-empty string.", $"{path}.{name}"));
        return null;
    }

    /// <summary>
    /// Whether a string can be stored as it is: no control character (a NUL makes PostgreSQL refuse the whole row, and
    /// control characters have no place in an id or a code), no unpaired surrogate (not encodable as UTF-8). Free text may
    /// keep tab, CR and LF.
    /// </summary>
    public static bool IsStorableText(string text, bool allowLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                if (!allowLineBreaks || c is not ('\t' or '\n' or '\r'))
                {
                    return false;
                }
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static OperationOutcomeIssue Issue(string code, string diagnostics, params string[] expression) =>
        OperationOutcomeIssue.Error(code, diagnostics, expression);

    // An absolute http(s) URI or a urn:, in URI characters only (RFC 3986 §2): no space, quote, angle bracket or control.
    [GeneratedRegex(@"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*)?|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+)$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ReasonSystemPattern();

    // A code token as override-reason value sets use (e.g. "patient-declined", "385432009"): letters, digits, . _ : -.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:\-]*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ReasonCodePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc3339();
}
