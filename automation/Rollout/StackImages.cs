using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Automation.Pulumi;
using Platform.Automation.Stacks;

namespace Platform.Automation.Rollout;

/// <summary>
/// The container images the stacks run, by digest (docs/delivery.md, "One image per commit"). A service's image is,
/// in this order: the one given to <c>--image SERVICE=sha256:…</c> (a promotion of a new build), the one its stack
/// file names, or the one the stack already runs (its <c>platform:image:SERVICE</c> stack tag, written after every
/// successful update), so that a run without <c>--image</c> never removes a running service. Each is part of the
/// stack's config for the compile (and so of the template hash the ledger records: a stage only receives a digest
/// its previous stage ran), and is written into Pulumi.&lt;stack&gt;.yaml with <c>pulumi config set --path</c> for
/// the stack's preview and update only: the file is put back as it was afterwards.
/// </summary>
public sealed partial class StackImages
{
    /// <summary>The stack tag recording the digest a service of the stack runs: <c>platform:image:&lt;service&gt;</c>.</summary>
    public const string TagPrefix = "platform:image:";

    private readonly ProjectLayout _layout;
    private readonly IPulumiCli _cli;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _images;

    private StackImages(ProjectLayout layout, IPulumiCli cli, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> images)
    {
        _layout = layout;
        _cli = cli;
        _images = images;
    }

    /// <summary>Parses <c>--image SERVICE=sha256:&lt;64 hex&gt;</c> values; anything else is bad input.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IReadOnlyList<string> values)
    {
        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var m = ImageRule().Match(value);
            if (!m.Success)
                throw new BadInputException($"--image '{InputFile.Shown(value)}' is not SERVICE=sha256:<64 lower-case hex digits> (an image digest, never a tag).",
                    "pass the digest the build pushed, e.g. --image signatures=sha256:4f1c…");
            if (!images.TryAdd(m.Groups["service"].Value, m.Groups["digest"].Value))
                throw new BadInputException($"--image names service '{m.Groups["service"].Value}' twice.", "give each service one digest");
        }
        return images;
    }

    /// <summary>
    /// The images of <paramref name="stacks"/>: <paramref name="requested"/> for the container services they run, else
    /// the stack file's, else the recorded tags. A requested service that no stack runs is bad input (a typo).
    /// </summary>
    public static async Task<StackImages> ResolveAsync(ProjectLayout layout, IPulumiCli cli, IReadOnlyCollection<string> stacks,
        IReadOnlyDictionary<string, string> requested, CancellationToken cancellationToken)
    {
        var services = stacks.Distinct().ToDictionary(s => s, s => ContainerServices(layout.ReadStack(s)), StringComparer.Ordinal);
        var unknown = requested.Keys.Where(k => !services.Values.Any(s => s.ContainsKey(k))).ToList();
        if (unknown.Count > 0)
            throw new BadInputException($"--image {string.Join(", ", unknown)}: no stack of this run ({string.Join(", ", services.Keys)}) has a container service of that name.",
                "name a service of platform:services that has a container (docs/configuration.md)");
        var images = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (stack, containers) in services)
        {
            var chosen = new SortedDictionary<string, string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string>? tags = null;
            foreach (var (service, named) in containers)
            {
                if (requested.TryGetValue(service, out var digest)) chosen[service] = digest;
                else if (named is null)
                {
                    tags ??= await RecordedAsync(cli, stack, cancellationToken);
                    if (tags.TryGetValue(TagPrefix + service, out var recorded))
                        chosen[service] = DigestRule().IsMatch(recorded) ? recorded : throw new PlatformException(
                            $"Stack '{stack}': its tag {TagPrefix}{service} is '{InputFile.Shown(recorded)}', not an image digest; nothing was run.", ExitCodes.BadInput,
                            $"set the digest the stack runs (pulumi stack tag set {TagPrefix}{service} sha256:<digest> --stack {stack}) or remove the tag");
                }
            }
            images[stack] = chosen;
        }
        return new StackImages(layout, cli, images);
    }

    /// <summary>The digest per service this run gives <paramref name="stack"/> (only those its stack file does not name).</summary>
    public IReadOnlyDictionary<string, string> For(string stack) => _images.GetValueOrDefault(stack) ?? new Dictionary<string, string>();

    /// <summary>The stack's config (PULUMI_CONFIG's shape) with its images set, for the in-process compile.</summary>
    public IReadOnlyDictionary<string, string> Apply(string stack, IReadOnlyDictionary<string, string> config)
    {
        var images = For(stack);
        if (images.Count == 0) return config;
        var services = JsonNode.Parse(config[ServicesKey])!.AsObject();
        foreach (var (service, digest) in images) services[service]!["container"]!["image"] = digest;
        return new Dictionary<string, string>(config, StringComparer.Ordinal) { [ServicesKey] = services.ToJsonString() };
    }

    /// <summary>
    /// Writes the stack's images into Pulumi.&lt;stack&gt;.yaml (<c>pulumi config set --path</c>) for its preview and
    /// update; disposing puts the file back byte for byte. Null when there is nothing to write.
    /// </summary>
    public async Task<IAsyncDisposable?> WriteAsync(string stack, CancellationToken cancellationToken)
    {
        var images = For(stack);
        if (images.Count == 0) return null;
        var file = _layout.StackFile(stack);
        var restore = new Restore(file, await File.ReadAllBytesAsync(file, cancellationToken));
        try
        {
            foreach (var (service, digest) in images)
                await _cli.SetConfigAsync(stack, $"{ServicesKey}.{service}.container.image", digest, cancellationToken);
        }
        catch
        {
            await restore.DisposeAsync();
            throw;
        }
        return restore;
    }

    /// <summary>Records the digests the stack now runs (its <c>platform:image:*</c> tags), after a successful update.</summary>
    public async Task RecordAsync(string stack, CancellationToken cancellationToken)
    {
        foreach (var (service, digest) in For(stack)) await _cli.SetTagAsync(stack, TagPrefix + service, digest, cancellationToken);
    }

    private const string ServicesKey = "platform:services";

    /// <summary>The stack's container services and the image its stack file names (null: none).</summary>
    private static IReadOnlyDictionary<string, string?> ContainerServices(StackConfig config)
    {
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        if (!config.Values.TryGetValue(ServicesKey, out var text)) return result;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject services) return result;
            foreach (var (name, service) in services)
                if (service is JsonObject s && s["container"] is JsonObject container)
                    result[name] = container["image"] is JsonValue v && v.TryGetValue<string>(out var image) && image.Length > 0 ? image : null;
        }
        catch (JsonException)
        {
            // Not an object: the compile reports it, with the key and the fix.
        }
        return result;
    }

    private static async Task<IReadOnlyDictionary<string, string>> RecordedAsync(IPulumiCli cli, string stack, CancellationToken cancellationToken)
    {
        try
        {
            return await cli.GetTagsAsync(stack, cancellationToken);
        }
        catch (StackNotFoundException)
        {
            return new Dictionary<string, string>(); // a new stack runs nothing yet
        }
    }

    private sealed class Restore(string file, byte[] original) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await File.WriteAllBytesAsync(file, original);
    }

    [GeneratedRegex("^(?<service>[a-z][a-z0-9-]{0,19})=(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex ImageRule();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestRule();
}
