using Platform.AwsSchema;
using YamlDotNet.RepresentationModel;
using static Platform.Conformance.Suggestions;
using static Platform.Conformance.YamlScalars;

namespace Platform.Conformance;

// Values: each property value against the type its input declares (scalars, lists, objects, unions).
internal sealed partial class TemplateChecker
{
    /// <summary>Checks a value against the type its property declares; records references for the dependency graph.</summary>
    private void CheckValue(YamlNode node, TypeRef type, string path)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                CheckScalar(scalar, type, path);
                break;
            case YamlSequenceNode list:
                CheckList(list, type, path);
                break;
            case YamlMappingNode map when BuiltinOf(map, path) is { } builtin:
                CheckBuiltin(builtin.Name, builtin.Key, builtin.Argument, map, type, path);
                break;
            case YamlMappingNode map:
                CheckObject(map, type, path);
                break;
        }
    }

    private void CheckScalar(YamlScalarNode scalar, TypeRef type, string path)
    {
        var shape = ScalarShape(scalar);
        if (shape is null) return; // null: unset
        if (shape == Shape.String)
        {
            var text = scalar.Value ?? "";
            var parsed = Interpolation.Parse(text, out var error);
            if (parsed is null)
            {
                Report(ProblemKind.MalformedInterpolation, path, scalar, error + InterpolationHint);
                return;
            }
            foreach (var reference in parsed.References) CheckReference(reference, path, scalar);
            if (parsed.IsSymbol) return; // keeps the referenced value's own type
            Expect(Shape.String, type, scalar, path,
                parsed.HasReferences ? $"an interpolated string \"{Short(text)}\"" : $"the string \"{Short(text)}\"");
            return;
        }
        Expect(shape.Value, type, scalar, path, shape == Shape.Number ? $"the number {scalar.Value}" : $"the boolean {scalar.Value}");
    }

    private const string InterpolationHint = " (write $${ for a literal '${', and $$$$ for a literal '$$')";

    private void CheckList(YamlSequenceNode list, TypeRef type, string path)
    {
        TypeRef? element = type switch
        {
            ListTypeRef l => l.Element,
            PrimitiveTypeRef { Kind: PrimitiveKind.Any } => PrimitiveTypeRef.Any,
            UnionTypeRef u => u.Members.OfType<ListTypeRef>().FirstOrDefault()?.Element,
            _ => null,
        };
        if (element is null)
        {
            Report(ProblemKind.WrongShape, path, list, $"expected {Describe(type)}, got a list");
            element = PrimitiveTypeRef.Any;
        }
        var i = 0;
        foreach (var item in list.Children) CheckValue(item, element, $"{path}[{i++}]");
    }

    private void CheckObject(YamlMappingNode map, TypeRef type, string path)
    {
        switch (type)
        {
            case PrimitiveTypeRef { Kind: PrimitiveKind.Any }:
                foreach (var (k, v) in map.Children) CheckValue(v, PrimitiveTypeRef.Any, $"{path}.{Key(k)}");
                return;
            case MapTypeRef m:
                foreach (var (k, v) in map.Children) CheckValue(v, m.Value, $"{path}.{Key(k)}");
                return;
            case ObjectTypeRef o:
                CheckAgainstObjectType(map, o, path);
                return;
            case UnionTypeRef u:
                var candidates = u.Members.Where(m => m is ObjectTypeRef or MapTypeRef).ToList();
                if (candidates.Count == 0) break;
                if (candidates.Count == 1)
                {
                    CheckObject(map, candidates[0], path);
                    return;
                }
                // Several object members: keep the problems of the member the value fits best.
                var saved = _problems;
                List<Problem>? best = null;
                foreach (var candidate in candidates)
                {
                    _problems = [];
                    CheckObject(map, candidate, path);
                    if (best is null || _problems.Count < best.Count) best = _problems;
                }
                _problems = saved;
                _problems.AddRange(best!);
                return;
        }
        Report(ProblemKind.WrongShape, path, map, $"expected {Describe(type)}, got an object");
        foreach (var (k, v) in map.Children) CheckValue(v, PrimitiveTypeRef.Any, $"{path}.{Key(k)}");
    }

    private void CheckAgainstObjectType(YamlMappingNode map, ObjectTypeRef typeRef, string path)
    {
        var objectType = schema.Resolve(typeRef);
        if (objectType is null)
        {
            CheckObject(map, PrimitiveTypeRef.Any, path);
            return;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = Key(k);
            if (name is null) continue;
            var property = objectType.Property(name);
            var propertyPath = $"{path}.{name}";
            if (property is null)
            {
                Report(ProblemKind.UnknownProperty, propertyPath, k,
                    $"'{name}' is not a property of {objectType.QualifiedName}{DidYouMean(name, objectType.Properties.Select(p => p.Name))}");
                CheckValue(v, PrimitiveTypeRef.Any, propertyPath);
                continue;
            }
            if (!IsNull(v)) set.Add(name);
            CheckValue(v, property.Type, propertyPath);
        }
        foreach (var property in objectType.Properties.Where(p => p.Required && !set.Contains(p.Name)))
            Report(ProblemKind.MissingRequired, $"{path}.{property.Name}", map,
                $"missing required property '{property.Name}' ({property.Type.Display}) of {objectType.QualifiedName}");
    }

    private void Expect(Shape shape, TypeRef type, YamlNode node, string path, string what)
    {
        if (!Fits(shape, type)) Report(ProblemKind.WrongShape, path, node, $"expected {Describe(type)}, got {what}");
    }

    private static bool Fits(Shape shape, TypeRef type) => shape == Shape.Any || type switch
    {
        PrimitiveTypeRef { Kind: PrimitiveKind.Any } => true,
        // Pulumi converts numbers and booleans to strings where a string is expected.
        PrimitiveTypeRef { Kind: PrimitiveKind.String } => shape is Shape.String or Shape.Number or Shape.Boolean,
        PrimitiveTypeRef { Kind: PrimitiveKind.Number } => shape == Shape.Number,
        PrimitiveTypeRef { Kind: PrimitiveKind.Boolean } => shape == Shape.Boolean,
        PrimitiveTypeRef { Kind: PrimitiveKind.Asset } => shape == Shape.Asset,
        PrimitiveTypeRef { Kind: PrimitiveKind.Archive } => shape == Shape.Archive,
        ListTypeRef => shape == Shape.List,
        MapTypeRef or ObjectTypeRef => shape == Shape.Object,
        UnionTypeRef u => u.Members.Any(m => Fits(shape, m)),
        _ => true,
    };

    private static string Describe(TypeRef type) => type switch
    {
        ListTypeRef => $"a list ({type.Display})",
        MapTypeRef => $"a map ({type.Display})",
        ObjectTypeRef o => $"an object ({o.QualifiedName})",
        PrimitiveTypeRef { Kind: PrimitiveKind.Asset } => "an asset (fn::fileAsset, fn::stringAsset, fn::remoteAsset)",
        PrimitiveTypeRef { Kind: PrimitiveKind.Archive } => "an archive (fn::fileArchive, fn::assetArchive, fn::remoteArchive)",
        PrimitiveTypeRef p => $"a {p.Display}",
        _ => type.Display,
    };
}
