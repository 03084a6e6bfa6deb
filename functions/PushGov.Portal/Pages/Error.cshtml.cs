using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PushGov.Portal.Localization;

namespace PushGov.Portal.Pages;

/// <summary>What went wrong, in words (unknown page, an exception: logged by the host, never shown).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(Text text) : PageModel
{
    public int? Code { get; private set; }

    public string Message { get; private set; } = string.Empty;

    public void OnGet(int? code) => Set(code);

    public void OnPost(int? code) => Set(code);

    private void Set(int? code)
    {
        Code = code ?? StatusCodes.Status500InternalServerError;
        Message = Code switch
        {
            404 => text.English ? "There is no such page." : "このページはありません。",
            401 => text["err.signin"],
            _ => text.English ? "Something went wrong on our side; it has been logged. Please try again." : "問題が発生しました（記録済みです）。もう一度お試しください。",
        };
    }
}
