from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def back(request, fallback: str):
    """Where a no-JS form returns to: its `next` (same site only), else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(candidate)
    return redirect(fallback)


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def done(request, fallback: str, text: str = "", payload: dict | None = None):
    if wants_json(request):
        return JsonResponse({"ok": True, "detail": str(text), **(payload or {})})
    if text:
        messages.success(request, text)
    return back(request, fallback)


def failed(request, fallback: str, error: ValidationError):
    if wants_json(request):
        return JsonResponse({"ok": False, "detail": error_text(error)}, status=400)
    messages.error(request, error_text(error))
    return back(request, fallback)
