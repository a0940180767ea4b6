using Cases.Domain.Errors;

namespace Cases.Tests.Domain;

static class Refusals
{
    /// <summary>Asserts a refusal with this status and a message containing <paramref name="message"/>.</summary>
    public static void Refused(int status, string message, Action action)
    {
        var ex = Assert.Throws<CasesException>(action);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains(message, ex.Message);
    }

    public static void Refused(string message, Action action) => Refused(400, message, action);
}
