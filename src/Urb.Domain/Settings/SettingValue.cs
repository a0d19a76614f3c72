namespace Urb.Domain.Settings;

/// <summary>
/// One layer's value of a setting: <see cref="Text"/> for single values, <see cref="Items"/> for
/// lists. <see cref="Merge"/> (lists only) adds the items to the inherited list instead of
/// replacing it.
/// </summary>
public sealed record SettingValue(string Text, IReadOnlyList<string> Items, bool Merge = false)
{
    public static SettingValue Of(string text) => new(text, []);

    public static SettingValue OfList(IEnumerable<string> items, bool merge = false) => new("", items.ToArray(), merge);

    public bool Equals(SettingValue? other) =>
        other is not null && Text == other.Text && Merge == other.Merge && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => HashCode.Combine(Text, Merge, Items.Count);
}
