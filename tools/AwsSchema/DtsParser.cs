namespace Platform.AwsSchema;

/// <summary>A member of a class or interface in a declaration file.</summary>
internal sealed record DtsMember(string Name, bool Optional, bool Readonly, TypeRef Type, string? Doc);

/// <summary>A class or interface (members in declaration order).</summary>
internal sealed record DtsDeclaration(string Kind, string Name, string? Extends, string? Doc, IReadOnlyList<DtsMember> Members);

/// <summary>
/// Reads the declarations tsc writes into <c>.d.ts</c> files: classes, interfaces and namespaces of interfaces, with
/// their properties and doc comments. Methods, functions, constants and type aliases are skipped.
/// </summary>
internal sealed partial class DtsParser
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
}
