using System.Text;

namespace Platform.AwsSchema;

/// <summary>A member of a class or interface in a declaration file.</summary>
internal sealed record DtsMember(string Name, bool Optional, bool Readonly, TypeRef Type, string? Doc);

/// <summary>A class or interface (members in declaration order).</summary>
internal sealed record DtsDeclaration(string Kind, string Name, string? Extends, string? Doc, IReadOnlyList<DtsMember> Members);

/// <summary>
/// Reads the declarations tsc writes into <c>.d.ts</c> files: classes, interfaces and namespaces of interfaces, with
/// their properties and doc comments. Methods, functions, constants and type aliases are skipped.
/// </summary>
internal sealed class DtsParser
{
    private readonly List<Token> _tokens;
    private readonly string _file;
    private int _pos;

    private DtsParser(List<Token> tokens, string file)
    {
        _tokens = tokens;
        _file = file;
    }

    /// <summary>Parses a whole file (or a region of it), returning the declarations by namespace ("" for the top level).</summary>
    public static List<(string Namespace, DtsDeclaration Declaration)> Parse(string text, string file, int start = 0, int end = -1, int firstLine = 1)
    {
        var parser = new DtsParser(DtsLexer.Tokenize(text, start, end, firstLine), file);
        var result = new List<(string, DtsDeclaration)>();
        parser.ParseStatements("", result, topLevel: true);
        return result;
    }

    /// <summary>Parses a type expression alone (tests and diagnostics).</summary>
    public static TypeRef ParseTypeText(string text)
    {
        var parser = new DtsParser(DtsLexer.Tokenize(text), "<text>");
        var type = parser.ParseType();
        if (parser.Peek.Kind != TokenKind.End) throw parser.Error("unexpected text after a type");
        return type;
    }

    private Token Peek => _tokens[_pos];

    private Token PeekAt(int offset) => _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private FormatException Error(string message) => new($"{_file}:{Peek.Line}: {message} (at '{Peek.Text}')");

    private void Expect(char punct)
    {
        if (!Peek.Is(punct)) throw Error($"expected '{punct}'");
        _pos++;
    }

    private void ParseStatements(string ns, List<(string, DtsDeclaration)> result, bool topLevel)
    {
        string? doc = null;
        while (true)
        {
            var t = Peek;
            if (t.Kind == TokenKind.End)
            {
                if (!topLevel) throw Error("unterminated namespace");
                return;
            }
            if (t.Is('}'))
            {
                if (topLevel) throw Error("unbalanced '}'");
                _pos++;
                return;
            }
            if (t.Kind == TokenKind.Doc)
            {
                doc = t.Text;
                _pos++;
                continue;
            }
            // Modifiers in front of a declaration.
            var p = _pos;
            while (_tokens[p].Kind == TokenKind.Name && _tokens[p].Text is "export" or "declare" or "abstract" or "default")
                p++;
            var keyword = _tokens[p];
            if (keyword.IsName("interface") || keyword.IsName("class"))
            {
                _pos = p + 1;
                result.Add((ns, ParseClassOrInterface(keyword.Text, doc)));
            }
            else if ((keyword.IsName("namespace") || keyword.IsName("module")) && _tokens[p + 1].Kind == TokenKind.Name && _tokens[p + 2].Is('{'))
            {
                var name = _tokens[p + 1].Text;
                _pos = p + 3;
                ParseStatements(ns.Length == 0 ? name : $"{ns}.{name}", result, topLevel: false);
            }
            else
            {
                SkipStatement();
            }
            doc = null;
        }
    }

    /// <summary>Skips to the end of a statement: a ';' outside brackets, or the end of a braced block at depth 0.</summary>
    private void SkipStatement()
    {
        var depth = 0;
        while (true)
        {
            var t = Next();
            if (t.Kind == TokenKind.End) return;
            if (t.Kind != TokenKind.Punct) continue;
            switch (t.Text[0])
            {
                case '{' or '(' or '[': depth++; break;
                case '}' or ')' or ']':
                    depth--;
                    if (depth < 0) { _pos--; return; }
                    break;
                case ';' when depth == 0: return;
            }
        }
    }

    private DtsDeclaration ParseClassOrInterface(string kind, string? doc)
    {
        if (Peek.Kind != TokenKind.Name) throw Error($"expected a {kind} name");
        var name = Next().Text;
        if (Peek.Is('<')) SkipAngles();
        string? extends = null;
        while (!Peek.Is('{'))
        {
            var t = Next();
            if (t.Kind == TokenKind.End) throw Error($"expected the body of {name}");
            if (t.IsName("extends") && Peek.Kind == TokenKind.Name) extends = Peek.Text;
        }
        _pos++;
        var members = new List<DtsMember>();
        string? memberDoc = null;
        while (true)
        {
            var t = Peek;
            if (t.Is('}')) { _pos++; break; }
            if (t.Kind == TokenKind.End) throw Error($"unterminated {kind} {name}");
            if (t.Kind == TokenKind.Doc) { memberDoc = t.Text; _pos++; continue; }
            if (t.Is(';') || t.Is(',')) { _pos++; continue; }
            var isReadonly = false;
            var isStatic = false;
            while (Peek.Kind == TokenKind.Name && Peek.Text is "readonly" or "static" or "private" or "protected" or "public" or "abstract" or "declare"
                   && (PeekAt(1).Kind is TokenKind.Name or TokenKind.StringLiteral || PeekAt(1).Is('[')))
            {
                isReadonly |= Peek.Text == "readonly";
                isStatic |= Peek.Text == "static";
                _pos++;
            }
            if (Peek.Is('['))
            {
                // Index signature or computed name: not a named property.
                SkipStatement();
                memberDoc = null;
                continue;
            }
            if (Peek.Kind is not (TokenKind.Name or TokenKind.StringLiteral)) throw Error($"unexpected token in {name}");
            if (Peek.Text is "get" or "set" && PeekAt(1).Kind == TokenKind.Name)
            {
                SkipStatement();
                memberDoc = null;
                continue;
            }
            var memberName = Next().Text;
            var optional = false;
            if (Peek.Is('?')) { optional = true; _pos++; }
            if (Peek.Is('(') || Peek.Is('<'))
            {
                SkipStatement(); // a method
                memberDoc = null;
                continue;
            }
            if (!Peek.Is(':'))
            {
                // A property without a type annotation: any.
                members.Add(new DtsMember(memberName, optional, isReadonly, PrimitiveTypeRef.Any, memberDoc));
                memberDoc = null;
                continue;
            }
            _pos++;
            var type = ParseType();
            if (!isStatic) members.Add(new DtsMember(memberName, optional, isReadonly, type, memberDoc));
            memberDoc = null;
            if (Peek.Is(';') || Peek.Is(',')) _pos++;
            else if (!Peek.Is('}')) throw Error($"expected ';' after {name}.{memberName}");
        }
        return new DtsDeclaration(kind, name, extends, doc, members);
    }

    private void SkipAngles()
    {
        var depth = 0;
        do
        {
            var t = Next();
            if (t.Kind == TokenKind.End) throw Error("unterminated '<'");
            if (t.Is('<')) depth++;
            else if (t.Is('>')) depth--;
        } while (depth > 0);
    }

    // ---- types --------------------------------------------------------------------------------------------------

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

    // ---- doc comments -------------------------------------------------------------------------------------------

    /// <summary>The first sentence of a doc comment's description, and its <c>@deprecated</c> message.</summary>
    public static (string? Summary, string? Deprecation) ReadDoc(string? raw)
    {
        if (raw is null) return (null, null);
        var description = new List<string>();
        StringBuilder? deprecated = null;
        var section = 0; // 0 = description, 1 = @deprecated, 2 = another tag
        foreach (var rawLine in raw.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('*')) line = line[1..].TrimStart();
            if (line.StartsWith('@'))
            {
                if (line.StartsWith("@deprecated", StringComparison.Ordinal))
                {
                    section = 1;
                    deprecated = new StringBuilder(line["@deprecated".Length..].Trim());
                }
                else section = 2;
                continue;
            }
            if (section == 0) description.Add(line);
            else if (section == 1 && line.Length > 0) deprecated!.Append(deprecated.Length > 0 ? " " : "").Append(line);
        }
        var deprecation = deprecated is null ? null : deprecated.Length > 0 ? deprecated.ToString() : "deprecated";
        return (FirstSentence(description), deprecation);
    }

    private static readonly string[] Abbreviations = ["e.g", "i.e", "etc", "vs", "approx", "incl", "No", "no"];

    private static string? FirstSentence(List<string> lines)
    {
        // The first paragraph that is not a code block or a note.
        var paragraph = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (paragraph.Length > 0) break;
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal)) break;
            if (paragraph.Length > 0) paragraph.Append(' ');
            paragraph.Append(line);
        }
        if (paragraph.Length == 0) return null;
        var text = paragraph.ToString();
        for (var i = text.IndexOf('.'); i >= 0; i = text.IndexOf('.', i + 1))
        {
            if (i + 1 < text.Length && text[i + 1] != ' ') continue;
            var wordStart = i;
            while (wordStart > 0 && text[wordStart - 1] != ' ' && text[wordStart - 1] != '(') wordStart--;
            var word = text[wordStart..i];
            if (Abbreviations.Contains(word, StringComparer.Ordinal)) continue;
            return text[..(i + 1)];
        }
        return text;
    }
}
