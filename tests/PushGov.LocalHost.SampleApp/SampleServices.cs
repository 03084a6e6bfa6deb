using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PushGov.LocalHost.SampleApp;

public static class SampleServices
{
    public static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<Probe>();
    }
}
