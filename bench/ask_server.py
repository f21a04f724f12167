"""The WSGI application `bench/ask.py` serves with gunicorn: production-like settings (bench.harness) on the
benchmark's database, plus a trivial public view on the same middleware stack (the floor)."""

import os
import sys
import types

from bench.harness import configure_django

configure_django(os.environ["BENCH_DATABASE_URL"])

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


@login_not_required
def floor(request):
    return HttpResponse("ok")


module = types.ModuleType("bench_ask_urls")
module.urlpatterns = [path("bench/floor/", floor), path("", include("museumcm.urls"))]
sys.modules["bench_ask_urls"] = module
settings.ROOT_URLCONF = "bench_ask_urls"

application = get_wsgi_application()
