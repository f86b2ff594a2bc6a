namespace Platform.AwsSchema; internal static class Placeholder { }
