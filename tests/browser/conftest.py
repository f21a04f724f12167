import pytest

from tests.browser.demo_site import serve_demo, sign_in

USERNAMES = {"admin": "ada", "curator": "claire", "community_manager": "camille"}


@pytest.fixture(scope="module")
def demo_server(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        demo, cleanup = serve_demo(tmp_path_factory.mktemp("media"))
        try:
            demo.contexts = {role: sign_in(browser, demo, name) for role, name in USERNAMES.items()}
            demo.contexts[None] = browser.new_context(locale="en-GB", base_url=demo.url)
            yield demo
        finally:
            for context in demo.contexts.values():
                context.close()
            cleanup()


@pytest.fixture
def site(demo_server, settings):
    """The demo museum, seeded once per module, each role signed in once (pages are only read)."""
    settings.MEDIA_ROOT = demo_server.media_root  # the conftest gives each test its own empty folder
    return demo_server
