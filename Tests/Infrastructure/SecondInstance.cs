namespace Cases.Tests.Infrastructure;

/// <summary>Another app instance over the same tables (what a scale-out adds): it starts with nothing in memory.</summary>
public sealed class SecondInstance(string prefix) : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Storage:TablePrefix", prefix)];
    protected override bool OwnsTables => false;
}
