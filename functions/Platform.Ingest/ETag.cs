namespace Platform.Ingest;

/// <summary>
/// S3 event notifications carry an object's ETag bare (<c>0123abcd…</c>); S3 responses and the If-Match headers
/// carry it quoted (<c>"0123abcd…"</c>, RFC 7232). One form inside the function: bare.
/// </summary>
internal static class ETag
{
    public static string Bare(string eTag) => eTag.Trim('"');

    public static string Quoted(string eTag) => $"\"{Bare(eTag)}\"";
}
