namespace Cases.Functions.Numbering;

public static class NumberingServices
{
    public static IServiceCollection AddNumbering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NumberingOptions>().BindConfiguration(NumberingOptions.Section)
            .Validate(o => o.MaxPerRun > 0, "Cases:Numbering:MaxPerRun must be positive.")
            .Validate(_ => NumberingSchedule.IsValid(NumberingSchedule.Expression(configuration)), $"{NumberingOptions.ScheduleSetting} is not a valid 6-field NCRONTAB expression.")
            .ValidateOnStart();
        services.AddSingleton<CaseNumberer>();
        return services;
    }
}
