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
