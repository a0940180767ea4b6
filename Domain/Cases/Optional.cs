namespace Cases.Domain.Cases;

/// <summary>A field of a partial update: absent (leave as is) or present (set, possibly to null).</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static readonly Optional<T> Unset = default;
    public static implicit operator Optional<T>(T value) => new(true, value);
}
