using System.Globalization;
using System.Text.Json;
using Platform.Infra.Policies;

namespace Platform.Infra.Settings;

/// <summary>
/// A justified, time-boxed exception to one control on one resource (<c>platform:waivers</c>). It is valid through its
/// <see cref="Expires"/> date; from the day after, it fails the compile until it is renewed or the resource is fixed.
/// </summary>
public sealed record Waiver(string Control, string Resource, string Reason, DateOnly Expires)
{
    public bool ExpiredOn(DateOnly today) => today > Expires;

    public const string Key = "platform:waivers";

    private const string Example = "platform:waivers: [{control: S3.9, resource: site-bucket, reason: '...', expires: 2026-12-31}]";

    /// <summary>Reads <c>platform:waivers</c>: a list of {control, resource, reason, expires: YYYY-MM-DD}.</summary>
    internal static IReadOnlyList<Waiver> Read(ConfigReader reader)
    {
        var element = reader.Json(Key, required: false, $"write it as a YAML list in Pulumi.{{stack}}.yaml: {Example}");
        if (element is null) return [];
        if (element.Value.ValueKind != JsonValueKind.Array)
        {
            reader.Add(Key, $"must be a list, not a {ObjectReader.Describe(element.Value.ValueKind)}.", $"write it as a YAML list in Pulumi.{{stack}}.yaml: {Example}");
            return [];
        }

        var waivers = new List<Waiver>();
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var o = new ObjectReader(reader, $"{Key}[{index++}]", item);
            if (!o.Present) continue;
            var control = o.String("control", null, "S3.9");
            var resource = o.String("resource", null, "<logical name from the template>");
            var reason = o.String("reason", null, "'<why this is acceptable, and who decided>'");
            var expires = o.String("expires", null, "2026-12-31");
            o.RejectUnknown();

            if (control is not null && !PolicyEngine.ControlIds.Contains(control))
            {
                var suggestion = ConfigReader.Closest(control, PolicyEngine.ControlIds);
                reader.Add(o.Path("control"), $"'{control}' is not a control of this platform." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?"),
                    "use a rule id from docs/controls.md");
                control = null;
            }
            if (resource is { Length: 0 })
            {
                reader.Add(o.Path("resource"), "is empty.", "name the resource's logical name, as in the template (e.g. static-site-bucket)");
                resource = null;
            }
            if (reason is not null && reason.Trim().Length < 10)
            {
                reader.Add(o.Path("reason"), "is too short to justify an exception to a security control.",
                    "say why the exception is acceptable and who decided, in a sentence");
                reason = null;
            }
            DateOnly? date = null;
            if (expires is not null)
            {
                if (DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) date = d;
                else reader.Add(o.Path("expires"), $"'{expires}' is not a date in the form YYYY-MM-DD.", ConfigFix.Set(o.Path("expires"), "2026-12-31"));
            }
            if (control is null || resource is null || reason is null || date is null) continue;
            if (waivers.Any(w => w.Control == control && w.Resource == resource))
            {
                reader.Add(o.Path("control"), $"{control} on {resource} is waived twice.", "keep one waiver per control and resource");
                continue;
            }
            waivers.Add(new Waiver(control, resource, reason.Trim(), date.Value));
        }
        return waivers;
    }
}
