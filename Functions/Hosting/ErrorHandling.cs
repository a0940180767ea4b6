using System.Text.Json;
using Azure;
using Cases.Domain.Errors;
using Cases.Functions.Storage;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

namespace Cases.Functions.Hosting;

/// <summary>
/// Every failure leaves as Kibana's error body. Refusals the client caused keep their status; storage being down or too
/// slow is a 503 with Retry-After; anything else is logged and answered 500 without details. The process never dies for
/// a request, and no request outlives <see cref="StorageOptions.RequestTimeout"/> (but those marked
/// <c>DisableRequestTimeout</c>: uploads and downloads, which move a client's bytes).
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
        var clientGone = context.RequestAborted;
        using var deadline = Deadline(context);
        if (deadline is not null) context.RequestAborted = deadline.Token;
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
        catch (OperationCanceledException) when (clientGone.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (OperationCanceledException ex) when (deadline?.IsCancellationRequested == true)
        {
            LogTimedOut(logger, ex, context.Request.Method, context.Request.Path);
            await Write(context, 503, StorageFailures.TimeoutMessage);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode is "RequestBodyTooLarge" or "EntityTooLarge" or "PropertyValueTooLarge" or "KeyValueTooLarge")
        {
            // A limit of ours let through more than storage takes: still the request's size, not a server fault.
            LogStorageRefusedSize(logger, ex.ErrorCode);
            await Write(context, ex.ErrorCode == "KeyValueTooLarge" ? 400 : 413, "The request holds a value too large to store.");
        }
        catch (Exception ex) when (StorageFailures.IsUnavailable(ex, clientGone.IsCancellationRequested))
        {
            LogStorageUnavailable(logger, ex, context.Request.Method, context.Request.Path);
            await Write(context, 503, StorageFailures.Message);
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
            await Write(context, 500, "An internal server error occurred.");
        }
        finally
        {
            context.RequestAborted = clientGone;
        }
    }

    /// <summary>The request's time limit: the client's own cancellation, cut off after the configured timeout.</summary>
    static CancellationTokenSource? Deadline(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRequestTimeoutAttribute>() is not null) return null;
        if (context.RequestServices?.GetService<IOptions<StorageOptions>>()?.Value.RequestTimeout is not { } timeout) return null;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        return deadline;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timed out on {Method} {Path}")]
    static partial void LogTimedOut(ILogger logger, Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage refused a value as too large ({ErrorCode})")]
    static partial void LogStorageRefusedSize(ILogger logger, string? errorCode);
}
