namespace Platform.Automation.Tests; public class SmokeTests { [Fact] public void Builds() => Assert.True(true); }
