namespace Platform.AwsSchema;

internal enum TokenKind
{
    /// <summary>An identifier, dotted names included (<c>pulumi.Input</c>, <c>inputs.s3.X</c>).</summary>
    Name,
    /// <summary>One punctuation character.</summary>
    Punct,
    StringLiteral,
    NumberLiteral,
    /// <summary>A <c>/** ... */</c> comment (raw text between the markers).</summary>
    Doc,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Line)
{
    public bool Is(char punct) => Kind == TokenKind.Punct && Text.Length == 1 && Text[0] == punct;

    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;
}

/// <summary>A lexer for the subset of TypeScript that tsc writes into declaration files.</summary>
internal static class DtsLexer
{
    public static List<Token> Tokenize(string text, int start = 0, int end = -1, int firstLine = 1)
    {
        if (end < 0) end = text.Length;
        var tokens = new List<Token>(Math.Max(16, (end - start) / 6));
        var line = firstLine;
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c == '\n') { line++; i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < end && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, end - i - 2, StringComparison.Ordinal);
                if (close < 0) throw new FormatException($"line {line}: unterminated comment");
                var isDoc = i + 2 < end && text[i + 2] == '*' && close > i + 2;
                if (isDoc) tokens.Add(new Token(TokenKind.Doc, text.Substring(i + 3, close - i - 3), line));
                line += Count(text, i, close, '\n');
                i = close + 2;
                continue;
            }
            if (c == '/' && i + 1 < end && text[i + 1] == '/')
            {
                while (i < end && text[i] != '\n') i++;
                continue;
            }
            if (IsNameStart(c))
            {
                var s = i;
                i++;
                while (i < end)
                {
                    if (IsNamePart(text[i])) i++;
                    else if (text[i] == '.' && i + 1 < end && IsNameStart(text[i + 1])) i += 2;
                    else break;
                }
                tokens.Add(new Token(TokenKind.Name, text.Substring(s, i - s), line));
                continue;
            }
            if (c is '"' or '\'' or '`')
            {
                var s = ++i;
                var sb = (System.Text.StringBuilder?)null;
                while (i < end && text[i] != c)
                {
                    if (text[i] == '\\' && i + 1 < end)
                    {
                        sb ??= new System.Text.StringBuilder();
                        sb.Append(text, s, i - s).Append(text[i + 1]);
                        i += 2;
                        s = i;
                        continue;
                    }
                    if (text[i] == '\n') line++;
                    i++;
                }
                var value = sb is null ? text.Substring(s, i - s) : sb.Append(text, s, i - s).ToString();
                tokens.Add(new Token(TokenKind.StringLiteral, value, line));
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < end && char.IsAsciiDigit(text[i + 1])))
            {
                var s = i++;
                while (i < end && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '.')) i++;
                tokens.Add(new Token(TokenKind.NumberLiteral, text.Substring(s, i - s), line));
                continue;
            }
            tokens.Add(new Token(TokenKind.Punct, PunctText(c), line));
            i++;
        }
        tokens.Add(new Token(TokenKind.End, "", line));
        return tokens;
    }

    private static readonly string[] Ascii = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    private static string PunctText(char c) => c < 128 ? Ascii[c] : c.ToString();

    private static int Count(string text, int from, int to, char c)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (text[i] == c) n++;
        return n;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
}
