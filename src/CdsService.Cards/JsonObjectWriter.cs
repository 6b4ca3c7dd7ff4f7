using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CdsService.Cards;

/// <summary>
/// Writes a JSON object with <see cref="Utf8JsonWriter"/> and hands it back as a <see cref="JsonObject"/> backed by
/// its own immutable document (building the same object node by node, or through Firely's POCOs, allocated several
/// times more; docs/performance.md, round 2 item 10). The buffer and writer are reused, one pair per thread: an object is written and parsed
/// synchronously, and no caller starts a second object before finishing the first.
/// </summary>
internal sealed class JsonObjectWriter
{
    [ThreadStatic]
    private static JsonObjectWriter? t_current;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private JsonObjectWriter() => Json = new Utf8JsonWriter(_buffer);

    public Utf8JsonWriter Json { get; }

    public static JsonObjectWriter Start()
    {
        var current = t_current ??= new JsonObjectWriter();
        current._buffer.ResetWrittenCount();
        current.Json.Reset(current._buffer);
        return current;
    }

    public JsonObject ToObject()
    {
        Json.Flush();
        // ParseValue copies the bytes into a document of its own, so the buffer is free for the next object; the
        // JsonObject stays backed by that document (and is written from it) until someone edits it.
        var reader = new Utf8JsonReader(_buffer.WrittenSpan);
        return JsonObject.Create(JsonElement.ParseValue(ref reader))
            ?? throw new InvalidOperationException("The object was written as JSON null.");
    }
}
