using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Fuzz;

/// <summary>The ways a hook request is damaged. Tree mutations first, then byte-level ones on the serialised body.</summary>
public enum MutationKind
{
    RemoveMember,
    SwapType,
    HugeString,
    DeepNesting,
    InvalidDate,
    UnknownUnit,
    WrongResourceType,
    DuplicateElements,
    AddUnknownMember,
    RemovePrefetch,
    RandomBytes,
    Truncate,
    CorruptByte,
    LoneSurrogate,
    Oversize,
}

/// <summary>One mutation: what, where (an index into the request's nodes, modulo their count), how big, and a salt for its content.</summary>
public sealed record Mutation(MutationKind Kind, int Target, int Size, int Salt);

/// <summary>A fuzz case: a valid seed request and the mutations applied to it, in order. Small integers, so CsCheck can shrink it.</summary>
public sealed record FuzzCase(int Seed, Mutation[] Mutations)
{
    public override string ToString() =>
        $"seed {Seed}: " + string.Join("; ", Mutations.Select(m => $"{m.Kind}(target {m.Target}, size {m.Size}, salt {m.Salt})"));
}

/// <summary>
/// Applies a <see cref="FuzzCase"/> to a seed request deterministically (same case → same bytes), so a failure found by
/// CsCheck replays from its seed. Sizes are bounded so a case stays fast: strings up to 200 kB, nesting up to 150 levels,
/// and one case in about eighty goes over the 1 MB body limit on purpose.
/// </summary>
public static class RequestMutator
{
    private static readonly string[] DateKeys =
    [
        "effectiveDateTime", "effectiveInstant", "birthDate", "authoredOn", "issued", "recordedDate", "onsetDateTime",
        "abatementDateTime", "start", "end", "date", "dateAsserted", "lastUpdated",
    ];

    private static readonly string[] InvalidDates =
    [
        "2026-13-45", "2026-02-30", "0000-00-00", "yesterday", "", " ", "2026-12-01T25:61:61Z", "2026-12-01T08:00:00+25:00",
        "+275760-09-13", "99999-01-01", "-0001-01-01", "2026-1-1", "2026-12-01T08:00", "2026/12/01", "1e10", "NaN",
        "2026-12-01T08:00:00.123456789012Z", "\u0000", "２０２６-１２-０１",
    ];

    private static readonly string[] Units =
    [
        "furlongs", "ng/dL ", "NG/DL", "nmol/l", "mIU/mL", "IU/L", "%", "pg/mL", "mg/dL", "", "ng/dl/dL", "10*9/L", "µg/L",
        "ng%", "[ppb]", "ng/dL\u0000", "😀",
    ];

    private static readonly string[] ResourceTypes =
    [
        "Patient", "Observation", "Bundle", "OperationOutcome", "MedicationRequest", "MedicationStatement", "Condition",
        "Medication", "Foo", "", "patient", "Parameters",
    ];

    private static readonly string[] Fragments =
    [
        "x", "é", "中", "😀", "\u0000", "\u001f", "\"", "\\", "<script>", "%00", "../", "${jndi:ldap://x}", "\u202e",
    ];

    /// <summary>The request body for <paramref name="fuzzCase"/>: mutated JSON text as UTF-8, or raw bytes.</summary>
    public static byte[] Apply(JsonObject seed, FuzzCase fuzzCase)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(fuzzCase);
        var root = seed.DeepClone();
        foreach (var m in fuzzCase.Mutations.Where(m => m.Kind < MutationKind.RandomBytes))
        {
            root = MutateTree(root, m);
        }

        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
        foreach (var m in fuzzCase.Mutations.Where(m => m.Kind >= MutationKind.RandomBytes))
        {
            bytes = MutateBytes(bytes, m);
        }

        return bytes;
    }

    private static JsonNode MutateTree(JsonNode root, Mutation m)
    {
        var random = new Random(m.Salt);
        var slots = Slots(root);
        switch (m.Kind)
        {
            case MutationKind.RemoveMember:
                if (Pick(slots.Where(s => s.Key is not null), m.Target) is { } removable)
                {
                    removable.Parent.AsObject().Remove(removable.Key!);
                }

                break;
            case MutationKind.SwapType:
                if (Pick(slots, m.Target) is { } swapped)
                {
                    swapped.Set(OtherType(swapped.Value, random));
                }

                break;
            case MutationKind.HugeString:
                if (Pick(slots.Where(s => s.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String), m.Target) is { } text)
                {
                    text.Set(JsonValue.Create(RandomText(random, (m.Size % 1000) * 200)));
                }

                break;
            case MutationKind.DeepNesting:
                if (Pick(slots, m.Target) is { } deep)
                {
                    deep.Set(Nest((m.Size % 150) + 1, random));
                }

                break;
            case MutationKind.InvalidDate:
                var dates = slots.Where(s => s.Key is not null && DateKeys.Contains(s.Key)).ToList();
                if (Pick(dates.Count > 0 ? dates : slots, m.Target) is { } date)
                {
                    date.Set(JsonValue.Create(InvalidDates[m.Salt % InvalidDates.Length]));
                }

                break;
            case MutationKind.UnknownUnit:
                if (Pick(slots.Where(s => s.Value is JsonObject o && o.ContainsKey("value") && (o.ContainsKey("unit") || o.ContainsKey("code"))), m.Target) is { } quantity)
                {
                    var q = quantity.Value!.AsObject();
                    var unit = Units[m.Salt % Units.Length];
                    q["unit"] = unit;
                    q["code"] = random.Next(2) == 0 ? unit : "ng/dL";
                    q["system"] = random.Next(3) == 0 ? "http://example.org/not-ucum" : "http://unitsofmeasure.org";
                    q["value"] = (m.Size % 8) switch
                    {
                        0 => JsonValue.Create(-245),
                        1 => JsonValue.Create(0),
                        2 => JsonValue.Create(1e308),
                        3 => JsonValue.Create(decimal.MaxValue),
                        4 => JsonValue.Create(1e-320),
                        5 => JsonValue.Create("245"),
                        6 => JsonValue.Create(245.123456789012345678m),
                        _ => q["value"]?.DeepClone(),
                    };
                    if (random.Next(4) == 0)
                    {
                        q["comparator"] = new[] { "<", ">=", "~", "ad", "" }[random.Next(5)];
                    }
                }

                break;
            case MutationKind.WrongResourceType:
                if (Pick(slots.Where(s => s.Key == "resourceType"), m.Target) is { } typed)
                {
                    typed.Set(JsonValue.Create(ResourceTypes[m.Salt % ResourceTypes.Length]));
                }

                break;
            case MutationKind.DuplicateElements:
                if (Pick(slots.Where(s => s.Value is JsonArray { Count: > 0 }), m.Target) is { } list)
                {
                    var array = list.Value!.AsArray();
                    var copies = (m.Size % 200) + 1;
                    var originals = array.Select(e => e?.DeepClone()).ToList();
                    for (var i = 0; i < copies && array.Count < 5000; i++)
                    {
                        array.Add(originals[i % originals.Count]?.DeepClone());
                    }
                }

                break;
            case MutationKind.RemovePrefetch:
                // The data must then come from the fhirServer: gone (412 missing prefetch), not allowlisted (412, no
                // request), or the test's loopback FHIR server (fetched).
                if (root["prefetch"] is JsonObject prefetch && prefetch.Count > 0)
                {
                    prefetch.Remove(prefetch.ElementAt((int)((uint)m.Target % (uint)prefetch.Count)).Key);
                    switch (m.Salt % 3)
                    {
                        case 0:
                            root.AsObject().Remove("fhirServer");
                            root.AsObject().Remove("fhirAuthorization");
                            break;
                        case 1:
                            root["fhirServer"] = "https://not-allowlisted.example/fhir";
                            break;
                    }
                }

                break;
            case MutationKind.AddUnknownMember:
                if (Pick(slots.Where(s => s.Value is JsonObject), m.Target) is { } target)
                {
                    target.Value!.AsObject()[string.Create(CultureInfo.InvariantCulture, $"x-{m.Salt % 100}")] = OtherType(null, random);
                }
                else if (root is JsonObject rootObject)
                {
                    rootObject["x-unknown"] = OtherType(null, random);
                }

                break;
        }

        return root;
    }

    private static byte[] MutateBytes(byte[] bytes, Mutation m)
    {
        var random = new Random(m.Salt);
        switch (m.Kind)
        {
            case MutationKind.RandomBytes:
                var noise = new byte[(m.Size % 1000) + 1];
                random.NextBytes(noise);
                return noise;
            case MutationKind.Truncate:
                return bytes.Length == 0 ? bytes : bytes[..(m.Target % bytes.Length)];
            case MutationKind.CorruptByte:
                var copy = (byte[])bytes.Clone();
                if (copy.Length > 0)
                {
                    copy[m.Target % copy.Length] = (byte)random.Next(256);
                }

                return copy;
            case MutationKind.LoneSurrogate:
                // An escaped unpaired UTF-16 surrogate inside a string value: well-formed JSON syntax, not a valid string.
                var starts = StringValueStarts(bytes);
                if (starts.Count == 0)
                {
                    return bytes;
                }

                var at = starts[m.Target % starts.Count];
                return [.. bytes[..at], .. "\\ud800"u8, .. bytes[at..]];
            case MutationKind.Oversize:
                // Only now and then (Size < 150 of 0..999): an over-limit body costs 1 MB of copying.
                if (m.Size >= 150 || bytes.Length < 2 || bytes[^1] != (byte)'}')
                {
                    return bytes;
                }

                var padding = Encoding.UTF8.GetBytes(",\"padding\":\"" + new string('p', 1024 * 1024 + 16) + "\"}");
                return [.. bytes[..^1], .. padding];
            default:
                return bytes;
        }
    }

    /// <summary>Offsets just inside the opening quote of each string member value (after <c>":"</c>).</summary>
    private static List<int> StringValueStarts(byte[] bytes)
    {
        var starts = new List<int>();
        for (var i = 0; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] == '"' && bytes[i + 1] == ':' && bytes[i + 2] == '"')
            {
                starts.Add(i + 3);
            }
        }

        return starts;
    }

    private sealed record Slot(JsonNode Parent, string? Key, int Index, JsonNode? Value)
    {
        public void Set(JsonNode? value)
        {
            if (Key is not null)
            {
                Parent.AsObject()[Key] = value;
            }
            else
            {
                Parent.AsArray()[Index] = value;
            }
        }
    }

    /// <summary>Every member and element of the tree, depth first (the root itself cannot be replaced in place).</summary>
    private static List<Slot> Slots(JsonNode root)
    {
        var slots = new List<Slot>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0 && slots.Count < 200_000)
        {
            var node = stack.Pop();
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    slots.Add(new Slot(obj, key, -1, value));
                    if (value is not null)
                    {
                        stack.Push(value);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add(new Slot(array, null, i, array[i]));
                    if (array[i] is { } element)
                    {
                        stack.Push(element);
                    }
                }
            }
        }

        return slots;
    }

    private static Slot? Pick(IEnumerable<Slot> candidates, int target)
    {
        var list = candidates as IList<Slot> ?? [.. candidates];
        return list.Count == 0 ? null : list[(int)((uint)target % (uint)list.Count)];
    }

    private static JsonNode? OtherType(JsonNode? current, Random random)
    {
        var kind = current switch
        {
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v => v.GetValueKind().ToString(),
            _ => "null",
        };
        var choices = new Func<JsonNode?>[]
        {
            () => null,
            () => JsonValue.Create(random.Next(2) == 0),
            () => JsonValue.Create(random.Next(6) switch { 0 => 0, 1 => -1, 2 => 1e308, 3 => long.MaxValue, 4 => 3.5, _ => 245 }),
            () => JsonValue.Create(RandomText(random, random.Next(40))),
            () => new JsonObject(),
            () => new JsonArray(JsonValue.Create(1), JsonValue.Create("a"), null),
        };
        var names = new[] { "null", "True", "Number", "String", "object", "array" };
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var pick = random.Next(choices.Length);
            if (!names[pick].Equals(kind, StringComparison.OrdinalIgnoreCase) && !(names[pick] == "True" && kind == "False"))
            {
                return choices[pick]();
            }
        }

        return JsonValue.Create("swapped");
    }

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length + 4);
        while (builder.Length < length)
        {
            builder.Append(random.Next(4) == 0 ? Fragments[random.Next(Fragments.Length)] : ((char)random.Next('a', 'z' + 1)).ToString());
        }

        return builder.ToString();
    }

    private static JsonNode Nest(int depth, Random random)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++)
        {
            node = random.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
        }

        return node;
    }
}
