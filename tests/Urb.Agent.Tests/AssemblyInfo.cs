using System.Runtime.Versioning;

// The walk is implemented for Linux, and the tests build their trees with Linux tools and modes.
[assembly: SupportedOSPlatform("linux")]
