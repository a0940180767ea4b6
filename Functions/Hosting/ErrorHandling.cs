using System.Text.Json;
using Azure;
using Cases.Domain.Errors;
using Cases.Functions.Storage;

namespace Cases.Functions.Hosting;

/// <summary>
/// Every failure leaves as Kibana's error body. Refusals the client caused keep their status; storage being down is a
/// 503; anything else is logged and answered 500 without details. The process never dies for a request.
/// </summary>
public static partial class ErrorHandling
{
    public static void UseKibanaErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cases.Errors");
        app.Use(async (context, next) =>
        {
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
            catch (Exception ex) when (StorageFailures.IsUnavailable(ex, context.RequestAborted.IsCancellationRequested))
            {
                LogStorageUnavailable(logger, ex, context.Request.Method, context.Request.Path);
                await Write(context, 503, StorageFailures.Message);
            }
            catch (Exception ex)
            {
                LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
                await Write(context, 500, "An internal server error occurred.");
            }
        });
        // Unmatched routes and methods get the same body shape as every other error.
        app.UseStatusCodePages(context => context.HttpContext.Response.ContentLength is null && !context.HttpContext.Response.HasStarted
            ? Write(context.HttpContext, context.HttpContext.Response.StatusCode, context.HttpContext.Response.StatusCode == 404 ? "Not Found" : "The request was not accepted.")
            : Task.CompletedTask);
    }

    public static async Task Write(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        // Every 503 (storage down or slow, a case changed by too many requests at once) is worth retrying.
        if (status == 503) context.Response.Headers.RetryAfter = StorageFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await JsonSerializer.SerializeAsync(context.Response.Body, ErrorBody.For(status, message), CasesJsonContext.Default.ErrorBody);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    static partial void LogUnhandled(ILogger logger, Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable on {Method} {Path}")]
    static partial void LogStorageUnavailable(ILogger logger, Exception ex, string method, string path);
}
