namespace Cases.Functions.Hosting;

/// <summary>
/// The failures a route can answer, declared as endpoint metadata so that the OpenAPI document lists them, each with
/// Kibana's error body (<see cref="ErrorBody"/>). Handlers refuse by throwing <see cref="Domain.Errors.CasesException"/>
/// from wherever the rule lives (<see cref="ErrorHandling"/> writes the body), so the handler's return type cannot carry
/// these outcomes: the route states them. What every route of a group shares is declared once on the group: the access
/// rules add 401/403 (<see cref="Access.AccessEndpoints"/>), the space groups 503 and 400 (space id).
/// </summary>
public static class Outcomes
{
    static readonly string[] Json = ["application/json"];

    /// <summary>Adds each status as an outcome answered with Kibana's error body.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses) builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorBody), Json));
        return builder;
    }

    /// <summary>A route that reads a JSON body: malformed or invalid is 400, over the size limit (<see cref="BodyLimits"/>) 413.</summary>
    public static TBuilder ReadsJson<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);
}
