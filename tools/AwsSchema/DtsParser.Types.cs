namespace Platform.AwsSchema;

/// <summary>The type grammar of the declaration files: unions, intersections, arrays, generics, object literals.</summary>
internal sealed partial class DtsParser
{
    /// <summary>Markers used while parsing a union, removed by <see cref="Normalize"/>.</summary>
    private sealed record NothingMarker : TypeRef
    {
        public static readonly NothingMarker Instance = new();
        public override string Display => "undefined";
    }

    /// <summary>A class (resource) accepted in place of its ID or ARN, e.g. <c>string | Role</c>.</summary>
    private sealed record ClassMarker(string Name) : TypeRef
    {
        public override string Display => Name;
    }

    /// <summary>A string literal type, e.g. <c>"s3"</c>.</summary>
    private sealed record StringLiteralMarker(string Value) : TypeRef
    {
        public override string Display => '"' + Value + '"';
    }

    private TypeRef ParseType()
    {
        var members = new List<TypeRef>();
        if (Peek.Is('|')) _pos++;
        members.Add(ParseIntersection());
        while (Peek.Is('|'))
        {
            _pos++;
            members.Add(ParseIntersection());
        }
        return Normalize(members);
    }

    private TypeRef ParseIntersection()
    {
        var type = ParsePostfix();
        if (!Peek.Is('&')) return type;
        while (Peek.Is('&'))
        {
            _pos++;
            ParsePostfix();
        }
        return PrimitiveTypeRef.Any;
    }

    private TypeRef ParsePostfix()
    {
        var type = ParsePrimary();
        while (Peek.Is('[') && PeekAt(1).Is(']'))
        {
            _pos += 2;
            type = new ListTypeRef(Finish(type));
        }
        return type;
    }

    private TypeRef ParsePrimary()
    {
        var t = Peek;
        if (t.Is('('))
        {
            // A parenthesised type or a function type.
            var close = MatchingClose(_pos);
            if (_tokens[close + 1].Is('=') && _tokens[close + 2].Is('>'))
            {
                _pos = close + 3;
                ParseType();
                return PrimitiveTypeRef.Any;
            }
            _pos++;
            var inner = ParseType();
            Expect(')');
            return inner;
        }
        if (t.Is('{')) return ParseObjectLiteralType();
        if (t.Is('[')) // tuple
        {
            _pos = MatchingClose(_pos) + 1;
            return new ListTypeRef(PrimitiveTypeRef.Any);
        }
        if (t.Kind == TokenKind.StringLiteral)
        {
            _pos++;
            return new StringLiteralMarker(t.Text);
        }
        if (t.Kind == TokenKind.NumberLiteral)
        {
            _pos++;
            return PrimitiveTypeRef.Number;
        }
        if (t.Kind != TokenKind.Name) throw Error("expected a type");
        _pos++;
        var name = t.Text;
        if (name is "typeof" or "keyof" or "readonly" or "unique")
        {
            ParsePostfix();
            return name == "readonly" ? PrimitiveTypeRef.Any : PrimitiveTypeRef.Any;
        }
        List<TypeRef>? args = null;
        if (Peek.Is('<'))
        {
            _pos++;
            args = [ParseType()];
            while (Peek.Is(','))
            {
                _pos++;
                args.Add(ParseType());
            }
            Expect('>');
        }
        // A type predicate: "obj is X".
        if (Peek.IsName("is"))
        {
            _pos++;
            ParseType();
            return PrimitiveTypeRef.Boolean;
        }
        switch (name)
        {
            case "string": return PrimitiveTypeRef.String;
            case "number" or "bigint": return PrimitiveTypeRef.Number;
            case "boolean" or "true" or "false": return PrimitiveTypeRef.Boolean;
            case "any" or "unknown" or "object" or "Object" or "this": return PrimitiveTypeRef.Any;
            case "undefined" or "null" or "never" or "void": return NothingMarker.Instance;
            case "pulumi.Input" or "pulumi.Output" or "Promise" or "pulumi.Inputs" or "Readonly":
                return args is { Count: 1 } ? args[0] : PrimitiveTypeRef.Any;
            case "pulumi.ID" or "pulumi.URN": return PrimitiveTypeRef.String;
            case "Array" or "ReadonlyArray": return new ListTypeRef(args is { Count: 1 } ? Finish(args[0]) : PrimitiveTypeRef.Any);
            case "Record": return new MapTypeRef(args is { Count: 2 } ? Finish(args[1]) : PrimitiveTypeRef.Any);
        }
        if (name.StartsWith("pulumi.asset.", StringComparison.Ordinal))
            return name.EndsWith("Archive", StringComparison.Ordinal) ? PrimitiveTypeRef.Archive : PrimitiveTypeRef.Asset;
        if (TryStrip(name, "inputs.", out var q) || TryStrip(name, "types.input.", out q))
            return new ObjectTypeRef(q, TypeSide.Input);
        if (TryStrip(name, "outputs.", out q) || TryStrip(name, "types.output.", out q))
            return new ObjectTypeRef(q, TypeSide.Output);
        if (name.StartsWith("enums.", StringComparison.Ordinal)) return PrimitiveTypeRef.String; // every @pulumi/aws enum is string-valued
        return new ClassMarker(name);
    }

    private static bool TryStrip(string name, string prefix, out string rest)
    {
        if (name.StartsWith(prefix, StringComparison.Ordinal))
        {
            rest = name[prefix.Length..];
            return true;
        }
        rest = "";
        return false;
    }

    private TypeRef ParseObjectLiteralType()
    {
        Expect('{');
        // { [key: string]: T; } is a map.
        if (Peek.Is('[') && PeekAt(1).Kind == TokenKind.Name && PeekAt(2).Is(':') && PeekAt(3).Kind == TokenKind.Name && PeekAt(4).Is(']') && PeekAt(5).Is(':'))
        {
            _pos += 6;
            var value = ParseType();
            if (Peek.Is(';') || Peek.Is(',')) _pos++;
            if (Peek.Is('}'))
            {
                _pos++;
                return new MapTypeRef(Finish(value));
            }
        }
        // Any other inline object type: not modelled.
        var depth = 1;
        while (depth > 0)
        {
            var t = Next();
            if (t.Kind == TokenKind.End) throw Error("unterminated '{'");
            if (t.Is('{')) depth++;
            else if (t.Is('}')) depth--;
        }
        return PrimitiveTypeRef.Any;
    }

    private int MatchingClose(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            var t = _tokens[i];
            if (t.Kind == TokenKind.End) break;
            if (t.Kind != TokenKind.Punct) continue;
            if (t.Text[0] is '(' or '[' or '{') depth++;
            else if (t.Text[0] is ')' or ']' or '}' && --depth == 0) return i;
        }
        throw Error("unbalanced brackets");
    }

    /// <summary>Resolves parse markers in a type that stands alone (an element, a map value).</summary>
    private static TypeRef Finish(TypeRef type) => Normalize([type]);

    /// <summary>
    /// Flattens a union: drops undefined/null, collapses string-like members (string, enums, string literals, resource
    /// classes) into <c>string</c>, removes duplicates, and returns the single member when only one is left.
    /// </summary>
    private static TypeRef Normalize(List<TypeRef> members)
    {
        var flat = new List<TypeRef>();
        foreach (var m in members)
        {
            if (m is UnionTypeRef u) flat.AddRange(u.Members);
            else if (m is not NothingMarker) flat.Add(m);
        }
        if (flat.Count == 0) return PrimitiveTypeRef.Any;
        if (flat.Any(m => m is PrimitiveTypeRef { Kind: PrimitiveKind.Any })) return PrimitiveTypeRef.Any;
        var hasString = flat.Any(m => m is PrimitiveTypeRef { Kind: PrimitiveKind.String } or StringLiteralMarker);
        var result = new List<TypeRef>();
        foreach (var m in flat)
        {
            var resolved = m switch
            {
                StringLiteralMarker => PrimitiveTypeRef.String,
                ClassMarker => hasString ? PrimitiveTypeRef.String : PrimitiveTypeRef.Any,
                _ => m,
            };
            if (resolved is PrimitiveTypeRef { Kind: PrimitiveKind.Any }) return PrimitiveTypeRef.Any;
            if (!result.Contains(resolved)) result.Add(resolved);
        }
        return result.Count == 1 ? result[0] : new UnionTypeRef(result);
    }
}
