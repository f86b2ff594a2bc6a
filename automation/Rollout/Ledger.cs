using System.Text.Json;
using System.Text.Json.Serialization;
using Platform.Automation.Pulumi;

namespace Platform.Automation.Rollout;

/// <summary>
/// The program version a promotion moves: the commit, and per stack the SHA-256 of the template it compiles to.
/// </summary>
public sealed record ProgramVersion(string Commit, bool Dirty, IReadOnlyDictionary<string, string> TemplateHashes)
{
    public string ShortCommit => (Commit.Length > 12 ? Commit[..12] : Commit) + (Dirty ? "+dirty" : "");

    public string HashOf(string stack) => TemplateHashes.TryGetValue(stack, out var h)
        ? h
        : throw new InvalidOperationException($"No template hash for stack '{stack}'.");
}

/// <summary>One ledger entry: stack S runs commit C with template hash T, promoted in stage X by run R.</summary>
public sealed record LedgerEntry(
    [property: JsonPropertyName("v")] int Schema,
    [property: JsonPropertyName("c")] string Commit,
    [property: JsonPropertyName("d")] bool Dirty,
    [property: JsonPropertyName("t")] string TemplateHash,
    [property: JsonPropertyName("s")] string Stage,
    [property: JsonPropertyName("r")] string Run,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("by")] string? ApprovedBy)
{
    public bool Matches(ProgramVersion version, string stack) =>
        Commit == version.Commit && Dirty == version.Dirty && TemplateHash == version.HashOf(stack);

    public string Describe() => $"{(Commit.Length > 12 ? Commit[..12] : Commit)}{(Dirty ? "+dirty" : "")} template {TemplateHash[..Math.Min(12, TemplateHash.Length)]} ({Stage}, {At:yyyy-MM-dd HH:mm}Z)";
}

/// <summary>A ledger entry that cannot be read. The console stops and never overwrites it.</summary>
public sealed class CorruptLedgerException(string stack, string reason)
    : PlatformException(
        $"The promotion ledger of stack '{stack}' is corrupt ({reason}); it was left as it is and nothing was run.",
        ExitCodes.BadInput,
        $"inspect it with `pulumi stack tag get {Ledger.TagName} --stack {stack}`; if the stack's deployment is known to be good, remove the tag (`pulumi stack tag rm {Ledger.TagName} --stack {stack}`) and promote again from the first stage")
{
    public string Stack { get; } = stack;
}

/// <summary>
/// The promotion ledger, stored as one stack tag per stack (<c>platform:ledger</c>) in the state backend: it lives with the
/// state it describes (same backend, same access control, same durability), needs no extra storage, and a single tag
/// write is atomic: a reader sees the old entry or the new one, never half. The history of every promotion is kept
/// by the backend too: each update carries the version in its message (<c>pulumi stack history</c>).
/// </summary>
public sealed class Ledger(IPulumiCli cli)
{
    public const string TagName = "platform:ledger";
    public const int Schema = 1;
    private const int MaxTagLength = 256;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The stack's entry, null when it has never been promoted; throws <see cref="CorruptLedgerException"/>.</summary>
    public async Task<LedgerEntry?> ReadAsync(string stack, CancellationToken cancellationToken)
    {
        var tags = await cli.GetTagsAsync(stack, cancellationToken);
        return tags.TryGetValue(TagName, out var text) ? Parse(stack, text) : null;
    }

    public static LedgerEntry Parse(string stack, string text)
    {
        LedgerEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<LedgerEntry>(text, Json);
        }
        catch (JsonException e)
        {
            throw new CorruptLedgerException(stack, $"not JSON: {e.Message}");
        }
        if (entry is null) throw new CorruptLedgerException(stack, "empty");
        if (entry.Schema != Schema) throw new CorruptLedgerException(stack, $"schema {entry.Schema}, expected {Schema}");
        if (string.IsNullOrEmpty(entry.Commit) || string.IsNullOrEmpty(entry.Stage) || string.IsNullOrEmpty(entry.Run))
            throw new CorruptLedgerException(stack, "commit, stage or run missing");
        if (entry.TemplateHash is not { Length: 64 } || !entry.TemplateHash.All(char.IsAsciiHexDigitLower))
            throw new CorruptLedgerException(stack, "the template hash is not a SHA-256");
        return entry;
    }

    public static string Format(LedgerEntry entry)
    {
        var text = JsonSerializer.Serialize(entry, Json);
        if (text.Length > MaxTagLength && entry.ApprovedBy is { Length: > 16 })
            text = JsonSerializer.Serialize(entry with { ApprovedBy = entry.ApprovedBy[..16] }, Json);
        return text.Length <= MaxTagLength
            ? text
            : throw new InvalidOperationException($"Ledger entry of {text.Length} characters exceeds the {MaxTagLength}-character tag limit.");
    }

    /// <summary>Writes the entry with one tag write, after checking the current one is readable (a corrupt entry is never overwritten).</summary>
    public async Task WriteAsync(string stack, LedgerEntry entry, CancellationToken cancellationToken)
    {
        await ReadAsync(stack, cancellationToken);
        await cli.SetTagAsync(stack, TagName, Format(entry), cancellationToken);
    }
}
