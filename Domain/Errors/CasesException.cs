namespace Cases.Domain.Errors;

/// <summary>A refusal the client caused: the shell turns it into Kibana's error body with this status code.</summary>
public sealed class CasesException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public static CasesException BadRequest(string message) => new(400, message);
    public static CasesException NotFound(string message) => new(404, message);
    public static CasesException Conflict(string message) => new(409, message);
    public static CasesException NotAcceptable(string message) => new(406, message);

    /// <summary>Kibana's message for a case that does not exist (in this space).</summary>
    public static string CaseNotFoundMessage(string caseId) => $"Saved object [cases/{caseId}] not found";

    public static CasesException CaseNotFound(string caseId) => NotFound(CaseNotFoundMessage(caseId));

    /// <summary>io-ts' wording, which Kibana clients match on.</summary>
    public static CasesException InvalidValue(string field, string? value) =>
        BadRequest($"Invalid value \"{value ?? "undefined"}\" supplied to \"{field}\"");
}
