using FakePulumi;

// A fake `pulumi` for the console's end-to-end tests. It keeps stack state in a file:// backend laid out like pulumi's
// DIY backend, runs the real compiler command of Pulumi.yaml, diffs the template against the state, writes real-format
// event logs and preview digests, takes lock files like the DIY backend, and fails on demand (FAKE_PULUMI_FAULTS).
var version = Version.Parse(Environment.GetEnvironmentVariable("FAKE_PULUMI_VERSION") is { Length: > 0 } v ? v : "3.260.0");
var newExitCodes = version >= new Version(3, 227, 0);
var cli = new Cli(version, newExitCodes);
return cli.Run(args);
