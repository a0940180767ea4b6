using System.Text.Json;
using Azure;
using Cases.Domain.Errors;

namespace Cases.Functions.Hosting;

/// <summary>
/// Every failure leaves as Kibana's error body. Refusals the client caused keep their status; storage being down is a
/// 503; anything else is logged and answered 500 without details. The process never dies for a request.
/// </summary>
public static partial class ErrorHandling
{
    public static void UseKibanaErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName);
        app.Use((context, next) => Run(context, next, logger));
        // Unmatched routes and methods get the same body shape as every other error.
        app.UseStatusCodePages(context => context.HttpContext.Response.ContentLength is null && !context.HttpContext.Response.HasStarted
            ? Write(context.HttpContext, context.HttpContext.Response.StatusCode, context.HttpContext.Response.StatusCode == 404 ? "Not Found" : "The request was not accepted.")
            : Task.CompletedTask);
    }

    public const string LoggerName = "Cases.Errors";

    /// <summary>Runs a request's handler and turns what it throws into Kibana's error body (both entry points).</summary>
    public static async Task Run(HttpContext context, RequestDelegate next, ILogger logger)
    {
        using var scope = Telemetry.TagRequest(context, logger);
        try
        {
            await next(context);
        }
        catch (CasesException ex)
        {
            await Write(context, ex.StatusCode, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            await Write(context, ex.StatusCode, ex.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (RequestFailedException ex) when (ex.Status is 0 or >= 500)
        {
            LogStorageUnavailable(logger, ex.Status, ex.ErrorCode);
            await Write(context, 503, "The storage service is unavailable; try again shortly.");
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException { InnerException: HttpRequestException })
        {
            LogStorageUnreachable(logger, ex);
            await Write(context, 503, "The storage service is unavailable; try again shortly.");
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
            await Write(context, 500, "An internal server error occurred.");
        }
    }

    public static async Task Write(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, ErrorBody.For(status, message), CasesJsonContext.Default.ErrorBody);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    static partial void LogUnhandled(ILogger logger, Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage answered {Status} ({ErrorCode})")]
    static partial void LogStorageUnavailable(ILogger logger, int status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is unreachable")]
    static partial void LogStorageUnreachable(ILogger logger, Exception ex);
}
