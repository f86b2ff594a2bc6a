using System.Text;

namespace Platform.AwsSchema;

/// <summary>The doc comments of the declaration files: summary and deprecation.</summary>
internal sealed partial class DtsParser
{
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
