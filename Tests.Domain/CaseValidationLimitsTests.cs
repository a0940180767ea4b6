using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

/// <summary>The whole refusal messages of the list and length limits, which name the field (clients match on them).</summary>
public sealed class CaseValidationLimitsTests
{
    [Fact]
    public void Limit_messages_name_their_field()
    {
        Refused("The length of the description is too long. The maximum length is 30000.", () => CaseValidation.Description(new string('d', 30_001)));
        Refused("The description field cannot be an empty string.", () => CaseValidation.Description(""));
        Refused("The length of the field assignees is too long. Array must be of length <= 10.",
            () => CaseValidation.Assignees(Enumerable.Range(0, 11).Select(i => new Assignee($"u{i}")).ToList()));
        Assert.Equal(10, CaseValidation.Assignees(Enumerable.Range(0, 10).Select(i => new Assignee($"u{i}")).ToList()).Count);
        Refused("The length of the field customFields is too long. Array must be of length <= 10.",
            () => CaseValidation.CustomFields(Enumerable.Range(0, 11).Select(i => new CustomFieldValue($"k{i}", "text", null)).ToList()));
        Assert.Equal(10, CaseValidation.CustomFields(Enumerable.Range(0, 10).Select(i => new CustomFieldValue($"k{i}", "text", null)).ToList()).Count);
        Refused("The value of custom field n is not a valid number.", () => CaseValidation.CustomFields([new("n", "number", JsonNode.Parse("9007199254740992"))]));
        Assert.Single(CaseValidation.CustomFields([new("n", "number", JsonNode.Parse("-9007199254740991"))]));
    }
}
