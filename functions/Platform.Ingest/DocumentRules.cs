using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Platform.Ingest;

/// <summary>A kind of document the function accepts, recognised by the key's extension and checked by its content.</summary>
internal sealed record DocumentKind(string Extension, string ContentType, Func<ReadOnlyMemory<byte>, string?> Problem);

/// <summary>
/// The validation rules (docs/ingestion-function.md, "Validation"). The checks read the content but never quote
/// it: a reason names a rule and a byte offset, so it can be logged.
/// </summary>
internal static class DocumentRules
{
    private const int PdfTrailerWindow = 1024;

    public static readonly IReadOnlyList<DocumentKind> Kinds =
    [
        new(".csv", "text/csv; charset=utf-8", c => TextProblem(c.Span)),
        new(".json", "application/json", JsonProblem),
        new(".pdf", "application/pdf", c => PdfProblem(c.Span)),
        new(".txt", "text/plain; charset=utf-8", c => TextProblem(c.Span)),
    ];

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // C0 controls other than tab, line feed, form feed and carriage return, and DEL. Bytes below 0x80 never occur
    // inside a multi-byte UTF-8 sequence, so a byte search finds exactly these characters.
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
         0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    /// <summary>The kind of the document at <paramref name="key"/>, or null with the reason it has none.</summary>
    public static DocumentKind? KindOf(string key, out string? problem)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        var extension = dot > 0 ? name[dot..].ToLowerInvariant() : "";
        var kind = Kinds.FirstOrDefault(k => k.Extension == extension);
        problem = kind is null
            ? $"unsupported document type '{(extension.Length > 0 ? extension : "(no extension)")}': accepted {string.Join(", ", Kinds.Select(k => k.Extension))}"
            : null;
        return kind;
    }

    /// <summary>Why <paramref name="content"/> is not a valid document of <paramref name="kind"/>, or null when it is.</summary>
    public static string? Problem(DocumentKind kind, ReadOnlyMemory<byte> content, long maxBytes) =>
        content.Length == 0 ? "the document is empty"
        : content.Length > maxBytes ? SizeProblem(content.Length, maxBytes)
        : kind.Problem(content);

    public static string SizeProblem(long bytes, long maxBytes) =>
        $"the document has {bytes} bytes, more than the limit of {maxBytes} ({IngestSettings.MaxDocumentBytesVariable})";

    private static string? TextProblem(ReadOnlySpan<byte> content)
    {
        if (!Utf8.IsValid(content))
            return $"not UTF-8 text: invalid byte sequence at byte {InvalidUtf8Offset(content)}";
        var control = content.IndexOfAny(ControlBytes);
        return control < 0 ? null : $"control character 0x{content[control]:X2} at byte {control}: binary content is not a text document";
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> content)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(content[offset..], out _, out var consumed) == OperationStatus.Done)
            offset += consumed;
        return offset;
    }

    private static string? JsonProblem(ReadOnlyMemory<byte> content)
    {
        if (TextProblem(content.Span) is { } text) return text;
        if (content.Span.StartsWith(Utf8Bom)) content = content[Utf8Bom.Length..];
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement.ValueKind;
            return root == JsonValueKind.Object ? null : $"a JSON document must be an object, not {root.ToString().ToLowerInvariant()}";
        }
        catch (JsonException e)
        {
            // The exception's message can quote the offending token: report only where it is.
            return $"not valid JSON: syntax error at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
        }
    }

    private static string? PdfProblem(ReadOnlySpan<byte> content)
    {
        // ISO 32000: the file starts with a header "%PDF-1.n" or "%PDF-2.n" and ends with "%%EOF".
        if (content.Length < 8 || !content.StartsWith("%PDF-"u8) || content[5] is not ((byte)'1' or (byte)'2') || content[6] != '.' || !char.IsAsciiDigit((char)content[7]))
            return "not a PDF: the file does not start with a %PDF-1.n or %PDF-2.n header";
        return content[^Math.Min(PdfTrailerWindow, content.Length)..].IndexOf("%%EOF"u8) < 0
            ? $"not a complete PDF: no %%EOF marker in the last {PdfTrailerWindow} bytes (truncated upload?)"
            : null;
    }
}
