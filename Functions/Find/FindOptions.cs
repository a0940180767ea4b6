namespace Cases.Functions.Find;

/// <summary>How much of the instance the views of spaces may take, and when an unused one is dropped.</summary>
public sealed class FindOptions
{
    public const string Section = "Cases:Find";

    /// <summary>Past this (all spaces' views together, estimated), the least recently used views are dropped; they reload on demand.</summary>
    public int ViewMemoryLimitMegabytes { get; set; } = 512;

    /// <summary>A view not queried for this long is dropped.</summary>
    public TimeSpan IdleViewLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a query waits for a catch-up with other instances' writes before answering from the view as it is.</summary>
    public TimeSpan CatchUpWait { get; set; } = TimeSpan.FromMilliseconds(50);
}
