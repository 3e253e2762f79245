from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import request_ip


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (a proxy in front sets REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_ip(client_ip(request)):
            return self.get_response(request)
