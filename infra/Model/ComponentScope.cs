namespace Platform.Infra.Model;

/// <summary>What every resource of a stack shares: project, stack, and the template the resources go into.</summary>
public sealed record StackContext(string Project, string Stack, Template Template);

/// <summary>
/// The one way components create resources: it names them (logical <c>&lt;component&gt;-&lt;role&gt;</c>, the same
/// in every stack so that stacks can be compared; physical <c>Name</c> tag <c>&lt;project&gt;-&lt;stack&gt;-&lt;component&gt;-&lt;role&gt;</c>),
/// tags them and registers them in the template.
/// </summary>
public sealed class ComponentScope
{
    private readonly SortedDictionary<string, string> _tags = new(StringComparer.Ordinal);

    public ComponentScope(StackContext stack, string component, IReadOnlyDictionary<string, string>? tags = null)
    {
        Stack = stack;
        Component = component;
        if (tags is not null)
            foreach (var (k, v) in tags) _tags[k] = v;
        _tags["Component"] = component;
    }

    public StackContext Stack { get; }

    public string Component { get; }

    public Template Template => Stack.Template;

    /// <summary>A child scope for a sub-part of this component (e.g. one service's stores), with extra tags.</summary>
    public ComponentScope Child(string component, IReadOnlyDictionary<string, string>? tags = null)
    {
        var merged = new Dictionary<string, string>(_tags);
        if (tags is not null)
            foreach (var (k, v) in tags) merged[k] = v;
        return new ComponentScope(Stack, $"{Component}-{component}", merged);
    }

    public string LogicalName(string role) => $"{Component}-{role}";

    /// <summary>The name a person sees in the AWS console: unique per stack.</summary>
    public string PhysicalName(string role) => $"{Stack.Project}-{Stack.Stack}-{Component}-{role}";

    /// <summary>
    /// <see cref="PhysicalName(string)"/> for names AWS limits in length (ALB and target group 32, IAM role 64): a
    /// name that does not fit keeps its beginning and ends in a hash of the whole name, so it stays unique and stable.
    /// </summary>
    public string PhysicalName(string role, int maxLength) => Shorten(PhysicalName(role), maxLength);

    /// <summary>IAM role names: at most 64 characters (IAM user guide, "IAM and AWS STS quotas").</summary>
    public const int RoleNameLength = 64;

    /// <summary>Shortens <paramref name="name"/> to <paramref name="maxLength"/>: its beginning, '-', 7 hex digits of its SHA-256.</summary>
    public static string Shorten(string name, int maxLength)
    {
        if (name.Length <= maxLength) return name;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..7];
        return $"{name[..(maxLength - hash.Length - 1)].TrimEnd('-')}-{hash}";
    }

    /// <summary>Registers a resource built by <paramref name="create"/> from tagged inputs.</summary>
    public TResource Register<TArgs, TResource>(string role, TArgs args, ResourceOptions? options, Func<string, TArgs, ResourceOptions?, TResource> create)
        where TArgs : IResourceArgs
        where TResource : Resource
    {
        if (args is ITaggableArgs<TArgs> taggable)
        {
            var tags = new InputMap<string>();
            foreach (var (k, v) in _tags) tags[k] = v;
            tags["Name"] = PhysicalName(role);
            args = taggable.WithTags(tags.Merge(taggable.Tags));
        }
        return Template.Add(create(LogicalName(role), args, options));
    }
}
