namespace Urb.Storage.Tests;

/// <summary>Byte comparison that names the first differing offset instead of dumping megabytes.</summary>
internal static class Bytes
{
    public static void Equal(byte[] expected, byte[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual)) return;
        var common = Math.Min(expected.Length, actual.Length);
        var at = expected.AsSpan(0, common).CommonPrefixLength(actual.AsSpan(0, common));
        Assert.Fail($"Bytes differ: expected {expected.Length} bytes, got {actual.Length}; first difference at offset {at}.");
    }
}
