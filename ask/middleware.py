"""The public site on its own host name: requests for `ASK_HOST` are served by the public URLs at the root."""

from django.conf import settings


class AskHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ASK_HOST and request.get_host().split(":")[0].lower() == settings.ASK_HOST:
            request.urlconf = "ask.host_urls"
        return self.get_response(request)
