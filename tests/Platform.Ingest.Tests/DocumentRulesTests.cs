using System.Text;

namespace Platform.Ingest.Tests;

public class DocumentRulesTests
{
    private const long Max = 1024;

    private static string? Problem(string key, byte[] content)
    {
        var kind = DocumentRules.KindOf(key, out var kindProblem);
        return kind is null ? kindProblem : DocumentRules.Problem(kind, content, Max);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Pdf(string body) => Bytes($"%PDF-1.7\n{body}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

    public static TheoryData<string, byte[]> ValidDocuments => new()
    {
        { "incoming/a.json", Bytes("""{"id": "a", "lines": [1, 2, {"x": null}]}""") },
        { "incoming/a.JSON", Bytes("\uFEFF{\"id\": \"bom\"}") },
        { "incoming/a.txt", Bytes("two lines,\r\n\ttabbed and \f form-fed, ünïcödé 文字\n") },
        { "incoming/a.csv", Bytes("id,amount\n1,42.00\n") },
        { "incoming/a.pdf", Pdf("1 0 obj << /Type /Catalog >> endobj") },
        { "incoming/b.pdf", Bytes("%PDF-2.0\n% binary: ").Concat(new byte[] { 0xE2, 0xE3, 0xCF, 0xD3, 0x00 }).Concat(Bytes("\n%%EOF")).ToArray() },
    };

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Valid_documents_pass(string key, byte[] content) => Assert.Null(Problem(key, content));

    public static TheoryData<string, byte[], string> InvalidDocuments => new()
    {
        { "incoming/a.exe", Bytes("MZ"), "unsupported document type '.exe': accepted .csv, .json, .pdf, .txt" },
        { "incoming/README", Bytes("text"), "unsupported document type '(no extension)'" },
        { "incoming/.json", Bytes("{}"), "unsupported document type '(no extension)'" },
        { "incoming/a.txt", [], "the document is empty" },
        { "incoming/a.txt", new byte[Max + 1], "the document has 1025 bytes, more than the limit of 1024 (MAX_DOCUMENT_BYTES)" },
        { "incoming/a.txt", Bytes("caf").Concat(new byte[] { 0xC3, 0x28 }).ToArray(), "not UTF-8 text: invalid byte sequence at byte 3" },
        { "incoming/a.csv", Bytes("id\0amount"), "control character 0x00 at byte 2: binary content is not a text document" },
        { "incoming/a.txt", Bytes("escape \u001b[31m red"), "control character 0x1B at byte 7" },
        { "incoming/a.json", Bytes("[1, 2]"), "a JSON document must be an object, not array" },
        { "incoming/a.json", Bytes("{\"a\": 1,\n \"b\": }"), "not valid JSON: syntax error at line 2, byte" },
        { "incoming/a.json", Bytes(new string('[', 65) + new string(']', 65)), "not valid JSON" },
        { "incoming/a.pdf", Bytes("PK\u0003\u0004zip"), "not a PDF: the file does not start with a %PDF-1.n or %PDF-2.n header" },
        { "incoming/a.pdf", Bytes("%PDF-3.0\n%%EOF"), "not a PDF" },
        { "incoming/a.pdf", Bytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"), "not a complete PDF: no %%EOF marker in the last 1024 bytes (truncated upload?)" },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Invalid_documents_are_rejected_with_a_reason_that_names_the_rule(string key, byte[] content, string reason) =>
        Assert.StartsWith(reason, Problem(key, content));

    [Fact]
    public void A_reason_never_quotes_the_content()
    {
        var reason = Problem("incoming/a.json", Bytes("{\"secret\": c4n4ry}"));
        Assert.NotNull(reason);
        Assert.DoesNotContain("c4n4ry", reason);
    }

    [Fact]
    public void Each_kind_sets_the_content_type_of_the_processed_copy()
    {
        Assert.Equal(
            [(".csv", "text/csv; charset=utf-8"), (".json", "application/json"), (".pdf", "application/pdf"), (".txt", "text/plain; charset=utf-8")],
            DocumentRules.Kinds.Select(k => (k.Extension, k.ContentType)));
    }
}
