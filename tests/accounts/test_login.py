from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_wrong_password_shows_a_clear_error(client, curator):
    response = _login(client, curator.username, "not the password")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, curator, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, curator.username, "wrong")

    response = _login(client, curator.username, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_the_right_password_signs_in(client, curator):
    response = _login(client, curator.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_switching_language_is_remembered_on_the_profile(client, curator):
    client.force_login(curator)

    client.post(reverse("switch_language"), {"language": "fr", "next": "/"})

    curator.refresh_from_db()
    assert curator.language == "fr"
    assert "Bonjour" in client.get(reverse("home")).content.decode()


def test_the_profile_form_rejects_an_unknown_time_zone_and_keeps_the_input(client, curator):
    client.force_login(curator)

    response = client.post(
        reverse("profile"),
        {"display_name": "Claire D.", "email": curator.email, "language": "en", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    assert "Claire D." in response.content.decode()
    curator.refresh_from_db()
    assert curator.time_zone == ""


def _login_from(client, address: str, username: str, password: str):
    """Through one reverse proxy: the proxy connects from 10.0.0.2 and appends the visitor's address."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_a_visitor_guessing_a_password_locks_out_only_themself(client, manager, settings):
    settings.PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login_from(client, "203.0.113.7", manager.username, "wrong")

    locked = _login_from(client, "203.0.113.7", manager.username, PASSWORD)
    colleague = _login_from(client, "198.51.100.20", manager.username, PASSWORD)

    assert locked.status_code == 429
    assert colleague.status_code == 302 and colleague.url == reverse("home")


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, manager, settings):
    settings.PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The visitor writes a new address each time; the proxy appends the real one, which is what counts.
        _login_from(client, f"192.0.2.{attempt}, 203.0.113.7", manager.username, "wrong")

    response = _login_from(client, "192.0.2.99, 203.0.113.7", manager.username, PASSWORD)

    assert response.status_code == 429


def test_one_address_trying_many_user_names_is_locked_out(client, manager, settings):
    settings.PROXY_COUNT = 1
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for attempt in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _login_from(client, "203.0.113.7", f"guess{attempt}", "wrong")

    locked = _login_from(client, "203.0.113.7", manager.username, PASSWORD)
    elsewhere = _login_from(client, "198.51.100.20", manager.username, PASSWORD)

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_without_a_proxy_the_forwarded_for_header_is_ignored(client, manager, settings):
    settings.PROXY_COUNT = 0
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login_from(client, "203.0.113.7", manager.username, "wrong")

    response = _login_from(client, "198.51.100.20", manager.username, PASSWORD)  # same connection: same visitor

    assert response.status_code == 429
