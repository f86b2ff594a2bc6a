using Platform.AwsSchema;

namespace Platform.Conformance.Tests;

/// <summary>The d.ts parser on a small hand-made package: the TypeScript forms tsc writes, one at a time.</summary>
public sealed class FakePackageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fake-aws-" + Guid.NewGuid().ToString("N"));

    public FakePackageTests()
    {
        Write("package.json", """{"name": "@pulumi/aws", "version": "1.2.3"}""");
        Write("provider.js", "class Provider { static __pulumiType = 'aws'; }");
        Write("provider.d.ts", """
            import * as pulumi from "@pulumi/pulumi";
            import * as inputs from "./types/input";
            export declare class Provider extends pulumi.ProviderResource {
                readonly region: pulumi.Output<string | undefined>;
                constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions);
            }
            export interface ProviderArgs {
                region?: pulumi.Input<string>;
                assumeRoles?: pulumi.Input<pulumi.Input<inputs.ProviderAssumeRole>[]>;
            }
            """);
        Write("widgets/gizmo.js", "exports.Gizmo = class { static __pulumiType = 'aws:widgets/gizmo:Gizmo'; }");
        Write("widgets/gizmo.d.ts", """
            import * as pulumi from "@pulumi/pulumi";
            import * as inputs from "../types/input";
            import * as outputs from "../types/output";
            import * as enums from "../types/enums";
            import { Role } from "../iam";
            /**
             * Makes gizmos. Really.
             *
             * @deprecated use widgets.Gadget
             */
            export declare class Gizmo extends pulumi.CustomResource {
                static get(name: string, id: pulumi.Input<pulumi.ID>, state?: GizmoState, opts?: pulumi.CustomResourceOptions): Gizmo;
                static isInstance(obj: any): obj is Gizmo;
                /**
                 * The ARN, e.g. arn:aws:x. More text.
                 */
                readonly arn: pulumi.Output<string>;
                readonly parts: pulumi.Output<outputs.widgets.GizmoPart[] | undefined>;
                readonly labels: pulumi.Output<{
                    [key: string]: string;
                }>;
                constructor(name: string, args: GizmoArgs, opts?: pulumi.CustomResourceOptions);
            }
            export interface GizmoState {
                arn?: pulumi.Input<string>;
            }
            export interface GizmoArgs {
                /**
                 * Size in cm.
                 *
                 * @deprecated use sizeMm
                 */
                size?: pulumi.Input<number | undefined>;
                name: pulumi.Input<string>;
                kind?: pulumi.Input<string | enums.widgets.Kind>;
                role?: pulumi.Input<string | Role>;
                policy: pulumi.Input<string | inputs.widgets.PolicyDocument>;
                parts?: pulumi.Input<pulumi.Input<inputs.widgets.GizmoPart>[] | undefined>;
                labels?: pulumi.Input<{
                    [key: string]: pulumi.Input<string>;
                } | undefined>;
                matrix?: pulumi.Input<pulumi.Input<pulumi.Input<string>[]>[]>;
                nested?: pulumi.Input<{
                    [key: string]: pulumi.Input<{
                        [key: string]: pulumi.Input<boolean>;
                    }>;
                } | undefined>;
                code?: pulumi.Input<pulumi.asset.Asset | pulumi.asset.Archive>;
                anything?: any;
                either?: pulumi.Input<string | pulumi.Input<string>[]>;
                literal?: pulumi.Input<"a" | "b">;
            }
            """);
        Write("types/input.d.ts", """
            import * as pulumi from "@pulumi/pulumi";
            import * as inputs from "../types/input";
            export interface ProviderAssumeRole {
                roleArn?: pulumi.Input<string>;
            }
            export declare namespace empty {
            }
            export declare namespace widgets {
                interface GizmoPart {
                    /**
                     * Part number.
                     */
                    number: pulumi.Input<number>;
                    sub?: pulumi.Input<inputs.widgets.GizmoPartSub>;
                }
                interface GizmoPartSub {
                    flag?: pulumi.Input<boolean>;
                }
                interface PolicyDocument {
                    Version: pulumi.Input<string>;
                }
            }
            """);
        Write("types/output.d.ts", """
            import * as outputs from "../types/output";
            export declare namespace widgets {
                interface GizmoPart {
                    number: number;
                    sub?: outputs.widgets.GizmoPartSub;
                }
                interface GizmoPartSub {
                    flag?: boolean;
                }
            }
            """);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Each_typescript_form_maps_to_the_type_model()
    {
        var schema = AwsPackageSchema.Load(_dir);
        Assert.Equal("1.2.3", schema.Version);
        Assert.Equal(["aws:widgets/gizmo:Gizmo"], schema.ResourceTokens);
        var gizmo = schema.Resource("aws:widgets/gizmo:Gizmo")!;
        Assert.Equal("widgets/gizmo.d.ts", gizmo.DefinitionFile);
        Assert.Equal("Makes gizmos.", gizmo.Doc);
        Assert.Equal("use widgets.Gadget", gizmo.Deprecation);

        string T(string name) => gizmo.Input(name)!.Type.Display;
        Assert.Equal("number", T("size"));
        Assert.Equal("use sizeMm", gizmo.Input("size")!.Deprecation);
        Assert.Equal("Size in cm.", gizmo.Input("size")!.Doc);
        Assert.Equal("string", T("name"));
        Assert.True(gizmo.Input("name")!.Required);
        Assert.False(gizmo.Input("kind")!.Required);
        Assert.Equal("string", T("kind"));
        Assert.Equal("string", T("role"));
        Assert.Equal("string | widgets.PolicyDocument", T("policy"));
        Assert.Equal("list<widgets.GizmoPart>", T("parts"));
        Assert.Equal("map<string>", T("labels"));
        Assert.Equal("list<list<string>>", T("matrix"));
        Assert.Equal("map<map<boolean>>", T("nested"));
        Assert.Equal("asset | archive", T("code"));
        Assert.Equal("any", T("anything"));
        Assert.Equal("string | list<string>", T("either"));
        Assert.Equal("string", T("literal"));
        Assert.Equal(["name", "policy"], gizmo.Inputs.Where(i => i.Required).Select(i => i.Name));

        Assert.Equal(["arn", "parts", "labels"], gizmo.Outputs.Select(o => o.Name));
        Assert.Equal("The ARN, e.g. arn:aws:x.", gizmo.Output("arn")!.Doc);
        Assert.Equal("list<widgets.GizmoPart>", gizmo.Output("parts")!.Type.Display);
        Assert.Equal(TypeSide.Output, ((ObjectTypeRef)((ListTypeRef)gizmo.Output("parts")!.Type).Element).Side);

        var part = schema.InputType("widgets.GizmoPart")!;
        Assert.Equal("Part number.", part.Property("number")!.Doc);
        Assert.True(part.Property("number")!.Required);
        Assert.Equal("widgets.GizmoPartSub", part.Property("sub")!.Type.Display);
        Assert.NotNull(schema.OutputType("widgets.GizmoPartSub"));
        Assert.Null(schema.InputType("widgets.Nope"));
        Assert.Null(schema.InputType("empty.Nope"));
        Assert.Null(schema.InputType("nomodule.Nope"));
        Assert.Equal("ProviderAssumeRole", schema.Resolve((ObjectTypeRef)((ListTypeRef)schema.Provider.Input("assumeRoles")!.Type).Element)!.QualifiedName);
    }

    [Fact]
    public void Checks_run_against_whatever_package_is_given()
    {
        var schema = AwsPackageSchema.Load(_dir);
        var problems = ConformanceChecker.Check("""
            name: fake
            resources:
              g:
                type: aws:widgets/gizmo:Gizmo
                properties:
                  name: x
                  policy: {Version: "2012-10-17", Statment: []}
                  either: [a, b]
                  matrix: [[a], b]
                  code: {fn::fileArchive: ./x}
                options: {version: 1.2.3}
            """, schema, "1.2.3");
        Assert.Equal(
            ["resources.g.properties.policy.Statment: 'Statment' is not a property of widgets.PolicyDocument",
             "resources.g.properties.matrix[1]: expected a list (list<string>), got the string \"b\""],
            problems.Select(p => $"{p.Location}: {p.Message}"));
    }
}
