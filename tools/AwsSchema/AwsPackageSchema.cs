using System.Collections.Concurrent;
using System.Text.Json;

namespace Platform.AwsSchema;

/// <summary>
/// The schema of an installed <c>@pulumi/aws</c> npm package, read from its type definitions: resource tokens (from
/// <c>__pulumiType</c> in the <c>*.js</c> files), each resource's inputs and outputs (from its <c>.d.ts</c>), the
/// nested types of <c>types/input.d.ts</c> and <c>types/output.d.ts</c>, and the provider's inputs.
/// <para>
/// Loading only indexes the tokens; a resource's file is parsed the first time it is asked for, and a namespace of
/// the types files the first time one of its types is. Thread-safe.
/// </para>
/// </summary>
public sealed class AwsPackageSchema
{
    /// <summary>The token of the explicit provider resource.</summary>
    public const string ProviderToken = "pulumi:providers:aws";

    private const string TokenMarker = "__pulumiType = '";

    private readonly IReadOnlyDictionary<string, string> _tokenFiles;
    private readonly Dictionary<string, string> _tokensByLowerKey;
    private readonly ConcurrentDictionary<string, Lazy<ResourceSchema>> _resources = new(StringComparer.Ordinal);
    private readonly TypesFile _inputTypes;
    private readonly TypesFile _outputTypes;

    private AwsPackageSchema(string directory, string version, IReadOnlyDictionary<string, string> tokenFiles)
    {
        PackageDirectory = directory;
        Version = version;
        _tokenFiles = tokenFiles;
        ResourceTokens = tokenFiles.Keys.Where(t => t != ProviderToken).Order(StringComparer.Ordinal).ToArray();
        _tokensByLowerKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in ResourceTokens)
            _tokensByLowerKey.TryAdd(LooseKey(token), token);
        _inputTypes = new TypesFile(Path.Combine(directory, "types", "input.d.ts"), TypeSide.Input);
        _outputTypes = new TypesFile(Path.Combine(directory, "types", "output.d.ts"), TypeSide.Output);
    }

    /// <summary>The package directory, e.g. <c>conformance/node_modules/@pulumi/aws</c>.</summary>
    public string PackageDirectory { get; }

    /// <summary>The <c>version</c> of the package's package.json, e.g. <c>7.48.0</c>.</summary>
    public string Version { get; }

    /// <summary>Every resource type token of the package, sorted (the provider token is not in this list).</summary>
    public IReadOnlyList<string> ResourceTokens { get; }

    /// <summary>Indexes the package in <paramref name="packageDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory or its package.json is missing.</exception>
    public static AwsPackageSchema Load(string packageDirectory)
    {
        var directory = Path.GetFullPath(packageDirectory);
        var packageJson = Path.Combine(directory, "package.json");
        if (!File.Exists(packageJson))
            throw new DirectoryNotFoundException($"'{directory}' is not an npm package (no package.json). Install it with `npm ci --ignore-scripts` in the folder that pins @pulumi/aws.");
        string version;
        using (var json = JsonDocument.Parse(File.ReadAllBytes(packageJson)))
        {
            var root = json.RootElement;
            if (!root.TryGetProperty("name", out var name) || name.GetString() != "@pulumi/aws")
                throw new InvalidDataException($"'{packageJson}' is not the @pulumi/aws package.");
            version = root.GetProperty("version").GetString() ?? throw new InvalidDataException($"'{packageJson}' has no version.");
        }

        var files = Directory.EnumerateDirectories(directory)
            .Where(d => Path.GetFileName(d) is not ("types" or "node_modules" or "config" or "scripts"))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.js", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(directory, "*.js"))
            .ToArray();
        var found = new ConcurrentBag<(string Token, string File)>();
        Parallel.ForEach(files, file =>
        {
            var text = File.ReadAllText(file);
            var at = text.IndexOf(TokenMarker, StringComparison.Ordinal);
            if (at < 0) return;
            var start = at + TokenMarker.Length;
            var end = text.IndexOf('\'', start);
            if (end < 0) return;
            var token = text[start..end];
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            // The provider's JS type is the package name; its resource token is pulumi:providers:<package>.
            found.Add((token.Contains(':') ? token : $"pulumi:providers:{token}", relative));
        });
        var tokenFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (token, file) in found.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            if (!tokenFiles.TryAdd(token, file))
                throw new InvalidDataException($"Resource token '{token}' is declared by both '{tokenFiles[token]}' and '{file}'.");
        }
        if (!tokenFiles.ContainsKey(ProviderToken))
            throw new InvalidDataException($"'{directory}' has no provider.js declaring the aws provider.");
        return new AwsPackageSchema(directory, version, tokenFiles);
    }

    /// <summary>Whether <paramref name="token"/> is an exact, canonical resource token of the package (or the provider token).</summary>
    public bool HasResource(string token) => _tokenFiles.ContainsKey(token);

    /// <summary>
    /// The canonical token Pulumi would resolve <paramref name="token"/> to: short forms (<c>aws:s3:Bucket</c>,
    /// module case differences) map to <c>aws:s3/bucket:Bucket</c>. Null when there is no such resource.
    /// </summary>
    public string? CanonicalToken(string token)
    {
        if (_tokenFiles.ContainsKey(token)) return token;
        var parts = token.Split(':');
        if (parts.Length == 3 && parts[0] == "aws")
        {
            var module = parts[1];
            var slash = module.IndexOf('/');
            var candidate = slash >= 0 ? token : $"aws:{module}/{char.ToLowerInvariant(parts[2][0])}{parts[2][1..]}:{parts[2]}";
            if (_tokenFiles.ContainsKey(candidate)) return candidate;
            if (_tokensByLowerKey.TryGetValue(LooseKey(candidate), out var loose)) return loose;
        }
        else if (parts.Length == 2 && parts[0] == "aws")
        {
            return CanonicalToken($"aws:index:{parts[1]}");
        }
        return null;
    }

    /// <summary>A resource's schema (parsed on first use), or null when the token does not exist.</summary>
    public ResourceSchema? Resource(string token)
    {
        if (!_tokenFiles.TryGetValue(token, out var jsFile)) return null;
        return _resources.GetOrAdd(token, t => new Lazy<ResourceSchema>(() => ParseResource(t, jsFile))).Value;
    }

    /// <summary>The explicit provider's inputs (<c>ProviderArgs</c>) and outputs.</summary>
    public ResourceSchema Provider => Resource(ProviderToken)!;

    /// <summary>A nested input type by qualified name (<c>s3.BucketLifecycleConfigurationRule</c>), or null.</summary>
    public ObjectTypeSchema? InputType(string qualifiedName) => _inputTypes.Find(qualifiedName);

    /// <summary>A nested output type by qualified name, or null.</summary>
    public ObjectTypeSchema? OutputType(string qualifiedName) => _outputTypes.Find(qualifiedName);

    /// <summary>The object type a reference points to, or null when it is not in the package.</summary>
    public ObjectTypeSchema? Resolve(ObjectTypeRef type) =>
        type.Side == TypeSide.Input ? InputType(type.QualifiedName) : OutputType(type.QualifiedName);

    private static string LooseKey(string token)
    {
        // aws:<module>/<file>:<Name> with the module compared case-insensitively, as pulumi-yaml does.
        var parts = token.Split(':');
        if (parts.Length != 3) return token;
        var slash = parts[1].IndexOf('/');
        var module = slash >= 0 ? parts[1][..slash] : parts[1];
        return $"{parts[0]}:{module.ToLowerInvariant()}:{parts[2]}";
    }

    private ResourceSchema ParseResource(string token, string jsFile)
    {
        var dtsFile = jsFile[..^3] + ".d.ts";
        var path = Path.Combine(PackageDirectory, dtsFile);
        var text = File.ReadAllText(path);
        var declarations = DtsParser.Parse(text, dtsFile);
        string module, className;
        if (token == ProviderToken)
        {
            module = "";
            className = "Provider";
        }
        else
        {
            var parts = token.Split(':');
            var slash = parts[1].IndexOf('/');
            module = slash >= 0 ? parts[1][..slash] : parts[1];
            className = parts[2];
        }
        var classes = declarations.Where(d => d.Namespace.Length == 0 && d.Declaration.Kind == "class"
                                              && d.Declaration.Extends is "pulumi.CustomResource" or "pulumi.ProviderResource")
            .Select(d => d.Declaration).ToList();
        var cls = classes.FirstOrDefault(c => c.Name == className)
                  ?? (classes.Count == 1 ? classes[0] : throw new InvalidDataException($"{dtsFile}: no resource class {className} for {token}."));
        var args = declarations.FirstOrDefault(d => d.Namespace.Length == 0 && d.Declaration.Kind == "interface" && d.Declaration.Name == cls.Name + "Args").Declaration;
        var inputs = args?.Members.Select(m => ToProperty(m, required: !m.Optional)).ToArray() ?? [];
        var outputs = cls.Members.Where(m => m.Readonly).Select(m => ToProperty(m, required: false)).ToArray();
        var (doc, deprecation) = DtsParser.ReadDoc(cls.Doc);
        return new ResourceSchema(token, cls.Name, module, dtsFile, inputs, outputs, doc, deprecation);
    }

    internal static PropertySchema ToProperty(DtsMember member, bool required)
    {
        var (doc, deprecation) = DtsParser.ReadDoc(member.Doc);
        return new PropertySchema(member.Name, member.Type, required, doc, deprecation);
    }

    /// <summary>One of the big types files, split into its namespaces and parsed one namespace at a time.</summary>
    private sealed class TypesFile(string path, TypeSide side)
    {
        private readonly object _gate = new();
        private string? _text;
        private Dictionary<string, (int Start, int End, int Line)>? _regions;
        private readonly Dictionary<string, Dictionary<string, ObjectTypeSchema>> _parsed = new(StringComparer.Ordinal);

        public ObjectTypeSchema? Find(string qualifiedName)
        {
            var dot = qualifiedName.LastIndexOf('.');
            var ns = dot < 0 ? "" : qualifiedName[..dot];
            var name = dot < 0 ? qualifiedName : qualifiedName[(dot + 1)..];
            lock (_gate)
            {
                if (!_parsed.TryGetValue(ns, out var types))
                {
                    types = ParseNamespace(ns);
                    _parsed[ns] = types;
                }
                return types.GetValueOrDefault(name);
            }
        }

        private Dictionary<string, ObjectTypeSchema> ParseNamespace(string ns)
        {
            EnsureIndexed();
            var types = new Dictionary<string, ObjectTypeSchema>(StringComparer.Ordinal);
            if (!_regions!.TryGetValue(ns, out var region)) return types;
            var file = Path.GetFileName(path);
            foreach (var (declaredIn, declaration) in DtsParser.Parse(_text!, file, region.Start, region.End, region.Line))
            {
                if (declaration.Kind != "interface" || declaredIn != ns) continue;
                var properties = declaration.Members.Select(m => ToProperty(m, required: !m.Optional)).ToArray();
                var (doc, _) = DtsParser.ReadDoc(declaration.Doc);
                // A name declared twice in one namespace (interface merging) keeps the first declaration.
                types.TryAdd(declaration.Name, new ObjectTypeSchema(ns, declaration.Name, side, properties, doc));
            }
            return types;
        }

        /// <summary>Finds each <c>export declare namespace x {</c> … <c>}</c> block; everything before the first is the root.</summary>
        private void EnsureIndexed()
        {
            if (_regions is not null) return;
            if (!File.Exists(path)) throw new FileNotFoundException($"The package has no {path}.", path);
            var text = File.ReadAllText(path);
            var regions = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal);
            const string marker = "export declare namespace ";
            var line = 1;
            var pos = 0;
            var firstNamespace = -1;
            string? current = null;
            int currentStart = 0, currentLine = 0;
            while (pos < text.Length)
            {
                var eol = text.IndexOf('\n', pos);
                if (eol < 0) eol = text.Length;
                if (current is null && string.CompareOrdinal(text, pos, marker, 0, marker.Length) == 0)
                {
                    var brace = text.IndexOf('{', pos, eol - pos);
                    current = text[(pos + marker.Length)..(brace < 0 ? eol : brace)].Trim();
                    currentStart = pos;
                    currentLine = line;
                    if (firstNamespace < 0) firstNamespace = pos;
                    if (text.AsSpan(pos, eol - pos).TrimEnd().EndsWith("}"))
                    {
                        regions[current] = (pos, eol, line); // an empty namespace on one line
                        current = null;
                    }
                }
                else if (current is not null && eol - pos >= 1 && text[pos] == '}' && text.AsSpan(pos, eol - pos).Trim().Length == 1)
                {
                    regions[current] = (currentStart, eol, currentLine);
                    current = null;
                }
                pos = eol + 1;
                line++;
            }
            if (current is not null) throw new InvalidDataException($"{path}: namespace {current} is not closed.");
            regions[""] = (0, firstNamespace < 0 ? text.Length : firstNamespace, 1);
            _text = text;
            _regions = regions;
        }
    }
}
