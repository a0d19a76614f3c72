namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>Damage done to pack files on disk, as a failing disk would do it.</summary>
public static class PackDamage
{
    /// <summary>Flips the lowest bit of the byte at <paramref name="offset"/>.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x01));
    }
}
