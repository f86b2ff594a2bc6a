using Platform.Automation.Commands;
using Platform.Automation.Pulumi;

// The `platform` console. `platform plan` is offline (no AWS, no pulumi CLI); every other command drives the pulumi CLI.
Interrupts.Install();
return await PlatformConsole.RunAsync(args);
