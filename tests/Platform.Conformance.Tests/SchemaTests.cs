using System.Diagnostics;
using Platform.AwsSchema;
using Xunit.Abstractions;

namespace Platform.Conformance.Tests;

/// <summary>The d.ts parser on real @pulumi/aws types.</summary>
public sealed class SchemaTests(ITestOutputHelper output)
{
    private static AwsPackageSchema Schema => TestPackage.Schema;

    private static ObjectTypeSchema Element(TypeRef type, TypeSide side = TypeSide.Input)
    {
        var reference = type switch
        {
            ListTypeRef { Element: ObjectTypeRef o } => o,
            ObjectTypeRef o => o,
            _ => throw new Xunit.Sdk.XunitException($"{type.Display} is not an object or a list of objects"),
        };
        Assert.Equal(side, reference.Side);
        return Schema.Resolve(reference) ?? throw new Xunit.Sdk.XunitException($"{reference.QualifiedName} does not resolve");
    }

    [Fact]
    public void The_package_is_the_pinned_version()
    {
        Assert.Equal(TestPackage.Version, Schema.Version);
        Assert.Equal("7.48.0", Schema.Version);
    }

    [Fact]
    public void Lifecycle_rule_expiration_days_is_a_number()
    {
        var lifecycle = Schema.Resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")!;
        Assert.Equal("BucketLifecycleConfiguration", lifecycle.ClassName);
        Assert.Equal("s3", lifecycle.Module);
        var rules = lifecycle.Input("rules")!;
        Assert.False(rules.Required);
        Assert.Equal("list<s3.BucketLifecycleConfigurationRule>", rules.Type.Display);
        var rule = Element(rules.Type);
        Assert.Equal("s3.BucketLifecycleConfigurationRule", rule.QualifiedName);
        Assert.True(rule.Property("id")!.Required);
        Assert.True(rule.Property("status")!.Required);
        var expiration = Element(rule.Property("expiration")!.Type);
        var days = expiration.Property("days")!;
        Assert.Equal(PrimitiveTypeRef.Number, days.Type);
        Assert.False(days.Required);
        Assert.Equal(PrimitiveTypeRef.Boolean, expiration.Property("expiredObjectDeleteMarker")!.Type);
        Assert.True(lifecycle.Input("bucket")!.Required);
    }

    [Fact]
    public void A_listener_requires_default_actions_and_a_load_balancer()
    {
        var listener = Schema.Resource("aws:lb/listener:Listener")!;
        Assert.Equal(["defaultActions", "loadBalancerArn"], listener.Inputs.Where(i => i.Required).Select(i => i.Name));
        var action = Element(listener.Input("defaultActions")!.Type);
        Assert.Equal(["type"], action.Properties.Where(p => p.Required).Select(p => p.Name));
        Assert.Equal(PrimitiveTypeRef.Number, listener.Input("port")!.Type);
        Assert.Equal(new MapTypeRef(PrimitiveTypeRef.String), listener.Input("tags")!.Type);
    }

    [Fact]
    public void Policy_documents_are_a_union_of_string_and_object()
    {
        var role = Schema.Resource("aws:iam/role:Role")!;
        var policy = role.Input("assumeRolePolicy")!;
        Assert.True(policy.Required);
        var union = Assert.IsType<UnionTypeRef>(policy.Type);
        Assert.Equal("string | iam.PolicyDocument", union.Display);
        var document = Element(union.Members[1]);
        Assert.Equal(["Statement", "Version"], document.Properties.Where(p => p.Required).Select(p => p.Name));
        // Enums are strings; inline policies are a list of objects.
        Assert.Equal(PrimitiveTypeRef.String, document.Property("Version")!.Type);
        Assert.Equal("list<iam.RoleInlinePolicy>", role.Input("inlinePolicies")!.Type.Display);
    }

    [Fact]
    public void Enums_resource_classes_and_archives_are_modelled()
    {
        var function = Schema.Resource("aws:lambda/function:Function")!;
        Assert.Equal(PrimitiveTypeRef.String, function.Input("runtime")!.Type); // string | enums.lambda.Runtime
        Assert.Equal(PrimitiveTypeRef.Archive, function.Input("code")!.Type);
        Assert.Equal(new ListTypeRef(PrimitiveTypeRef.String), function.Input("architectures")!.Type);
        var policyAttachment = Schema.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment")!;
        Assert.Equal(PrimitiveTypeRef.String, policyAttachment.Input("role")!.Type); // string | Role
    }

    [Fact]
    public void Outputs_docs_and_deprecations_are_read()
    {
        var vpc = Schema.Resource("aws:ec2/vpc:Vpc")!;
        Assert.Equal("IPv4 CIDR block for the VPC.", vpc.Input("cidrBlock")!.Doc);
        Assert.Equal(PrimitiveTypeRef.String, vpc.Output("arn")!.Type);
        Assert.Equal(new MapTypeRef(PrimitiveTypeRef.String), vpc.Output("tagsAll")!.Type);
        Assert.Null(vpc.Input("arn"));
        Assert.Null(vpc.Output("get"));
        Assert.Null(vpc.Output("isInstance"));

        var bucket = Schema.Resource("aws:s3/bucket:Bucket")!;
        Assert.False(bucket.IsDeprecated);
        Assert.Contains("aws.s3.BucketVersioning", bucket.Input("versioning")!.Deprecation);
        Assert.False(bucket.Input("bucket")!.IsDeprecated);
        Assert.Equal(PrimitiveTypeRef.String, bucket.Output("bucket")!.Type);
        Assert.Contains("deprecated", Schema.Resource("aws:s3/bucketV2:BucketV2")!.Deprecation);

        var distribution = Schema.Resource("aws:cloudfront/distribution:Distribution")!;
        var origins = distribution.Output("origins")!;
        Assert.Equal("list<cloudfront.DistributionOrigin>", origins.Type.Display);
        Assert.NotNull(Element(origins.Type, TypeSide.Output).Property("domainName"));
    }

    [Fact]
    public void The_provider_inputs_come_from_ProviderArgs()
    {
        var provider = Schema.Provider;
        Assert.Equal(AwsPackageSchema.ProviderToken, provider.Token);
        Assert.Equal(PrimitiveTypeRef.String, provider.Input("region")!.Type);
        Assert.Equal(new ListTypeRef(PrimitiveTypeRef.String), provider.Input("allowedAccountIds")!.Type);
        var assumeRole = Element(provider.Input("assumeRoles")!.Type);
        Assert.Equal("ProviderAssumeRole", assumeRole.QualifiedName);
        Assert.NotNull(assumeRole.Property("roleArn"));
        Assert.Null(provider.Input("assumeRole")); // the v6 singular form is gone in v7
        Assert.DoesNotContain(provider.Inputs, i => i.Required);
    }

    [Fact]
    public void Tokens_come_from_the_js_files_not_from_file_names()
    {
        Assert.True(Schema.ResourceTokens.Count > 1500);
        Assert.DoesNotContain(AwsPackageSchema.ProviderToken, Schema.ResourceTokens);
        // glue/mltransform.js declares aws:glue/mLTransform:MLTransform: a token the file name does not give.
        var transform = Schema.Resource("aws:glue/mLTransform:MLTransform")!;
        Assert.Equal("glue/mltransform.d.ts", transform.DefinitionFile);
        Assert.Null(Schema.Resource("aws:glue/mltransform:MLTransform"));
        Assert.Null(Schema.Resource("aws:s3/bucketz:Bucketz"));
        Assert.Equal("aws:s3/bucket:Bucket", Schema.CanonicalToken("aws:s3:Bucket"));
        Assert.Equal("aws:s3/bucket:Bucket", Schema.CanonicalToken("aws:S3/bucket:Bucket"));
        Assert.Null(Schema.CanonicalToken("aws:s3:Bucketz"));
    }

    [Fact]
    public void Every_resource_and_every_type_it_refers_to_resolves()
    {
        var watch = Stopwatch.StartNew();
        var seen = new HashSet<ObjectTypeRef>();
        var queue = new Queue<ObjectTypeRef>();
        var missing = new List<string>();
        void Visit(TypeRef type, string where)
        {
            switch (type)
            {
                case ObjectTypeRef o:
                    if (seen.Add(o)) queue.Enqueue(o);
                    break;
                case ListTypeRef l: Visit(l.Element, where); break;
                case MapTypeRef m: Visit(m.Value, where); break;
                case UnionTypeRef u:
                    foreach (var member in u.Members) Visit(member, where);
                    break;
            }
        }
        var properties = 0;
        foreach (var token in Schema.ResourceTokens.Append(AwsPackageSchema.ProviderToken))
        {
            var resource = Schema.Resource(token)!;
            Assert.Equal(token, resource.Token);
            foreach (var p in resource.Inputs.Concat(resource.Outputs))
            {
                properties++;
                Visit(p.Type, $"{token}.{p.Name}");
            }
        }
        while (queue.Count > 0)
        {
            var reference = queue.Dequeue();
            var type = Schema.Resolve(reference);
            if (type is null)
            {
                missing.Add($"{reference.Side} {reference.QualifiedName}");
                continue;
            }
            foreach (var p in type.Properties) Visit(p.Type, reference.QualifiedName);
        }
        output.WriteLine($"{Schema.ResourceTokens.Count} resources, {properties} properties, {seen.Count} nested types resolved in {watch.ElapsedMilliseconds} ms");
        Assert.Empty(missing);
        Assert.True(seen.Count > 10_000);
    }

    [Fact]
    public void Loading_indexes_the_package_quickly()
    {
        var watch = Stopwatch.StartNew();
        var schema = AwsPackageSchema.Load(TestPackage.AwsDirectory);
        var load = watch.ElapsedMilliseconds;
        watch.Restart();
        Assert.NotNull(schema.Resource("aws:ec2/vpc:Vpc"));
        Assert.NotNull(schema.InputType("s3.BucketLifecycleConfigurationRule"));
        output.WriteLine($"load {load} ms, first resource and first nested type {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_missing_package_is_reported_with_the_fix()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => AwsPackageSchema.Load(Path.Combine(Path.GetTempPath(), "no-such-aws-package")));
        Assert.Contains("npm ci --ignore-scripts", error.Message);
    }
}
