using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CdsService.UnitTests.Handout;

/// <summary>Words, sentences and syllables of a text, and the two readability formulas the handout is held to.</summary>
public sealed record TextCounts(int Sentences, int Words, int Syllables)
{
    /// <summary>
    /// Flesch–Kincaid grade level (Kincaid, Fishburne, Rogers &amp; Chissom 1975, Research Branch Report 8-75, Naval
    /// Technical Training): 0.39 × words/sentence + 11.8 × syllables/word − 15.59. A US school grade.
    /// </summary>
    public double FleschKincaidGrade => (0.39 * Words / Sentences) + (11.8 * Syllables / Words) - 15.59;

    /// <summary>
    /// Fernández-Huerta readability (Fernández Huerta 1959, "Medidas sencillas de lecturabilidad", Consigna 214),
    /// the Spanish adaptation of Flesch reading ease: 206.84 − 0.60 × P − 1.02 × F with P = syllables per 100 words
    /// and F = words per sentence — F as corrected by Law (2011, LINGUIST List 22.2332; also legible.es), since the
    /// often-quoted "sentences per 100 words" makes shorter sentences score as harder. 70–80 is "algo fácil"
    /// (about US grade 6), 80–90 "fácil".
    /// </summary>
    public double FernandezHuerta => 206.84 - (0.60 * 100.0 * Syllables / Words) - (1.02 * Words / Sentences);
}

/// <summary>
/// The counting behind <see cref="TextCounts"/>. Each unit passed in (a paragraph, a heading, a list item) is split
/// into sentences at '.', '!' and '?'; a unit without one is one sentence (a heading or list item is read as one).
/// Words are runs of letters, digits, apostrophes and hyphens. Syllables:
/// <list type="bullet">
/// <item>English: vowel groups (a e i o u y), less a silent final "e" (not "-le" after a consonant) and a silent "-ed"
/// or "-es" ending (not after t/d, resp. s/x/z/ch/sh), at least one per word — the usual counting rule of Flesch
/// (1948) as implemented by readability tools.</item>
/// <item>Spanish: one per vowel nucleus; an unstressed i/u/ü next to another vowel forms a diphthong (one syllable),
/// two strong vowels (a e o, or an accented í/ú) are in hiatus (two).</item>
/// <item>Letter abbreviations (LH, FSH, PSA, hCG, HPG) are read letter by letter: one syllable per letter.</item>
/// <item>Numbers count as two syllables in English and three in Spanish (e.g. "fourteen", "catorce").</item>
/// </list>
/// </summary>
public static partial class Readability
{
    public static TextCounts Count(IEnumerable<string> units, string language)
    {
        ArgumentNullException.ThrowIfNull(units);
        int sentences = 0, words = 0, syllables = 0;
        foreach (var unit in units)
        {
            var parts = SentenceEnd().Split(unit).Where(p => Word().IsMatch(p)).ToList();
            sentences += Math.Max(parts.Count, Word().IsMatch(unit) ? 1 : 0);
            foreach (Match word in Word().Matches(unit))
            {
                words++;
                syllables += Syllables(word.Value, language);
            }
        }

        return new TextCounts(sentences, words, syllables);
    }

    public static int Syllables(string word, string language)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.All(c => char.IsDigit(c) || c is '.' or ','))
        {
            return language == "es" ? 3 : 2;
        }

        if (word.Length <= 5 && word.Count(char.IsUpper) >= 2 && word.All(char.IsLetter))
        {
            return word.Length;
        }

        var total = 0;
        foreach (var part in word.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            total += language == "es" ? SpanishSyllables(part) : EnglishSyllables(part);
        }

        return Math.Max(1, total);
    }

    private static int EnglishSyllables(string word)
    {
        var w = word.ToLowerInvariant().Replace("'", string.Empty, StringComparison.Ordinal);
        if (w.Length <= 3)
        {
            return 1;
        }

        var groups = EnglishVowelGroups().Count(w);
        if (w.EndsWith('e') && !(w.EndsWith("le", StringComparison.Ordinal) && !IsVowel(w[^3])) && !IsVowel(w[^2]))
        {
            groups--;
        }
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w[^3] is not ('t' or 'd') && !IsVowel(w[^3]))
        {
            groups--;
        }
        else if (w.EndsWith("es", StringComparison.Ordinal) && !(w.EndsWith("ses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)
            || w.EndsWith("zes", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)
            || w.EndsWith("ces", StringComparison.Ordinal) || w.EndsWith("ges", StringComparison.Ordinal)) && !IsVowel(w[^3]))
        {
            groups--;
        }

        return Math.Max(1, groups);

        static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
    }

    private static int SpanishSyllables(string word)
    {
        var w = word.ToLowerInvariant();
        var count = 0;
        char? previous = null;
        foreach (var c in w)
        {
            if (!IsSpanishVowel(c))
            {
                previous = null;
                continue;
            }

            // A new nucleus unless this vowel and the previous one form a diphthong (at least one unstressed weak vowel).
            if (previous is not { } p || !(IsWeak(p) || IsWeak(c)))
            {
                count++;
            }

            previous = c;
        }

        return Math.Max(1, count);

        static bool IsSpanishVowel(char c) => "aeiouáéíóúü".Contains(c, StringComparison.Ordinal);
        static bool IsWeak(char c) => c is 'i' or 'u' or 'ü';
    }

    /// <summary>The text as one string, for error messages.</summary>
    public static string Describe(TextCounts counts) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"{counts.Sentences} sentences, {counts.Words} words, {counts.Syllables} syllables").ToString();

    [GeneratedRegex(@"(?<=[.!?])[""”»)]*\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")]
    private static partial Regex Word();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex EnglishVowelGroups();
}
