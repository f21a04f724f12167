"""`make run` on another port: links (iCal, "view the post", invitations) follow WEB_PORT unless SITE_URL is set."""

from tests.test_operations import _manage

PRINT = "from django.conf import settings; print(settings.SITE_URL, settings.CSRF_TRUSTED_ORIGINS)"


def test_site_url_follows_web_port_when_not_set():
    result = _manage("shell", "-c", PRINT, WEB_PORT="8101", SITE_URL=None, CSRF_TRUSTED_ORIGINS=None)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["http://127.0.0.1:8101", "['http://127.0.0.1:8101']"]


def test_an_explicit_site_url_wins_over_web_port():
    result = _manage("shell", "-c", PRINT, WEB_PORT="8101", SITE_URL="https://social.example-museum.org/")

    assert result.stdout.splitlines()[-1].split()[0] == "https://social.example-museum.org"
