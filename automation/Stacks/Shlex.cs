using System.Text;

namespace Platform.Automation.Stacks;

/// <summary>
/// How pulumi-yaml splits <c>runtime.options.compiler</c> (github.com/google/shlex): whitespace, single quotes
/// literal, double quotes with backslash escapes, a backslash escapes the next character, <c>#</c> starts a comment;
/// no shell, so no variables, globs or pipes.
/// </summary>
public static class Shlex
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else if (c == '#' && !inWord)
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else if (c == '\'')
            {
                inWord = true;
                while (++i < text.Length && text[i] != '\'') current.Append(text[i]);
            }
            else if (c == '"')
            {
                inWord = true;
                while (++i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    current.Append(text[i]);
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
