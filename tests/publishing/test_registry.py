"""The registry is the one place a network is declared: every network has its adapter, and what connecting an account
needs (OAuth endpoints, who is behind a token) comes from the adapter."""

from publishing.adapters import ADAPTERS
from publishing.models import Network
from publishing.oauth.flow import providers


def test_every_network_has_one_adapter_and_every_adapter_a_network():
    assert set(ADAPTERS) == set(Network.values)
    assert all(cls.network == network for network, cls in ADAPTERS.items())


def test_the_oauth_providers_are_the_ones_the_adapters_declare():
    assert set(providers()) == {"facebook", "instagram", "threads", "x", "linkedin", "pinterest", "tumblr"}
    assert all(provider.network == network for network, provider in providers().items())


def test_every_network_connected_through_oauth_says_who_is_behind_a_token():
    for network in [*providers(), "mastodon"]:
        assert "identify" in vars(ADAPTERS[network]), network
