using Platform.AwsSchema;
using static Platform.Conformance.Suggestions;

namespace Platform.Conformance;

/// <summary>Follows property paths and output accessors through the types of the pinned package.</summary>
internal sealed class TypeWalker(AwsPackageSchema schema)
{
    /// <summary>Walks a property path (<c>a.b[0]["c"]</c>, <c>a[*]</c>) over the inputs; returns what is wrong, or null.</summary>
    public string? CheckInputPath(ResourceSchema resource, string path)
    {
        var segments = PropertyPath.Parse(path, out var syntaxError);
        if (segments is null) return $"does not parse: {syntaxError}";
        if (segments[0] is not PropertyAccessor first)
            return "must start with an input name";
        var input = resource.Input(first.Name);
        if (input is null)
            return $"names no input of {resource.Token}{DidYouMean(first.Name, resource.Inputs.Select(i => i.Name))}";
        return WalkType(input.Type, segments.Skip(1), first.Name);
    }

    /// <summary>Follows accessors through a type; returns an error message, or null when they fit (or cannot be told).</summary>
    public string? WalkType(TypeRef type, IEnumerable<Accessor> accessors, string walked)
    {
        foreach (var accessor in accessors)
        {
            switch (type)
            {
                case ObjectTypeRef o:
                    var resolved = schema.Resolve(o);
                    if (resolved is null) return null;
                    var name = accessor switch { PropertyAccessor p => p.Name, KeyAccessor k => k.Key, _ => null };
                    if (name is null) return $"indexes '{walked}', which is an object ({o.QualifiedName}), not a list";
                    var property = resolved.Property(name);
                    if (property is null)
                        return $"names '{name}', which is not a property of {o.QualifiedName} ('{walked}'){DidYouMean(name, resolved.Properties.Select(p => p.Name))}";
                    type = property.Type;
                    break;
                case ListTypeRef l:
                    if (accessor is not (IndexAccessor or WildcardAccessor))
                        return $"reads '{accessor}' of '{walked}', which is a list: use an index such as [0]";
                    type = l.Element;
                    break;
                case MapTypeRef m:
                    if (accessor is IndexAccessor)
                        return $"indexes '{walked}', which is a map: use [\"key\"] or .key";
                    type = m.Value;
                    break;
                case PrimitiveTypeRef { Kind: PrimitiveKind.String or PrimitiveKind.Number or PrimitiveKind.Boolean } p:
                    return $"reads '{accessor}' of '{walked}', which is a {p.Display}";
                default:
                    return null;
            }
            walked += accessor.ToString();
        }
        return null;
    }
}
