"""Who is behind a token: the account (or accounts: a person's Pages, their Instagram accounts, their LinkedIn
organisations) that one authorisation gives access to, per network."""

from typing import Any

from publishing.adapters.linkedin import LINKEDIN_VERSION
from publishing.models import Network
from publishing.oauth.flow import GRAPH_VERSION, Provider, call, expires_at
from publishing.oauth.mastodon import mastodon_accounts

GRAPH_MAX_PAGES = 20  # lists of Pages are paged by 25: enough for any museum, and no endless loop on a broken cursor


def identify(prov: Provider, token: dict) -> list[dict[str, Any]]:
    """The accounts this authorisation gives access to, as keyword arguments of `socialaccount_connect`."""
    return IDENTIFY[prov.network](prov, token)


def _x_accounts(prov: Provider, token: dict) -> list[dict]:
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = call("GET", f"{prov.api_url}/2/users/me", params={"user.fields": "profile_image_url"}, headers=headers)
    user = me["data"]
    credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
    return [
        {
            "handle": user["username"],
            "display_name": user.get("name", ""),
            "external_id": user["id"],
            "avatar_url": user.get("profile_image_url", ""),
            "server_url": prov.api_url,
            "credentials": credentials,
            "token_expires_at": expires_at(token),
        }
    ]


def _meta_pages(prov: Provider, token: dict, fields: str) -> list[dict]:
    """The person's Pages, with Page tokens: asked with a long-lived user token, they do not expire."""
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": prov.client_id,
        "client_secret": prov.client_secret,
        "fb_exchange_token": token["access_token"],
    }
    graph = f"{prov.api_url}/{GRAPH_VERSION}"
    user_token = call("GET", f"{graph}/oauth/access_token", params=params)["access_token"]
    answer = call("GET", f"{graph}/me/accounts", params={"fields": fields, "access_token": user_token})
    pages = answer.get("data", [])
    for _more in range(GRAPH_MAX_PAGES):  # `paging.next` carries the token and the fields
        if not (following := answer.get("paging", {}).get("next")):
            break
        answer = call("GET", following)
        pages += answer.get("data", [])
    return pages


def _facebook_accounts(prov: Provider, token: dict) -> list[dict]:
    return [
        {
            "handle": page["id"],
            "display_name": page.get("name", ""),
            "external_id": page["id"],
            "avatar_url": page.get("picture", {}).get("data", {}).get("url", ""),
            "server_url": prov.api_url,
            "credentials": {"access_token": page["access_token"]},
        }
        for page in _meta_pages(prov, token, "id,name,access_token,picture{url}")
    ]


def _instagram_accounts(prov: Provider, token: dict) -> list[dict]:
    fields = "id,name,access_token,instagram_business_account{id,username,name,profile_picture_url}"
    return [
        {
            "handle": ig.get("username") or ig["id"],
            "display_name": ig.get("name") or page.get("name", ""),
            "external_id": ig["id"],
            "avatar_url": ig.get("profile_picture_url", ""),
            "server_url": prov.api_url,
            "credentials": {"access_token": page["access_token"], "page_id": page["id"]},
        }
        for page in _meta_pages(prov, token, fields)
        if (ig := page.get("instagram_business_account"))
    ]


def _threads_accounts(prov: Provider, token: dict) -> list[dict]:
    params = {
        "grant_type": "th_exchange_token",
        "client_secret": prov.client_secret,
        "access_token": token["access_token"],
    }
    long_lived = call("GET", f"{prov.api_url}/access_token", params=params)
    access = long_lived["access_token"]
    fields = "id,username,name,threads_profile_picture_url"
    me = call("GET", f"{prov.api_url}/v1.0/me", params={"fields": fields, "access_token": access})
    return [
        {
            "handle": me.get("username") or me["id"],
            "display_name": me.get("name", ""),
            "external_id": me["id"],
            "avatar_url": me.get("threads_profile_picture_url", ""),
            "server_url": prov.api_url,
            "credentials": {"access_token": access},
            "token_expires_at": expires_at(long_lived),
        }
    ]


def _linkedin_accounts(prov: Provider, token: dict) -> list[dict]:
    """Museums post as organisations: one account per organisation the person administers, else the member."""
    headers = {
        "Authorization": f"Bearer {token['access_token']}",
        "LinkedIn-Version": LINKEDIN_VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }
    credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
    common = {"server_url": prov.api_url, "credentials": credentials, "token_expires_at": expires_at(token)}
    acls = call(
        "GET",
        f"{prov.api_url}/rest/organizationAcls",
        params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        headers=headers,
    )
    accounts = []
    for element in acls.get("elements", []):
        urn = element["organization"]
        organisation = call("GET", f"{prov.api_url}/rest/organizations/{urn.rsplit(':', 1)[-1]}", headers=headers)
        name = organisation.get("localizedName", urn)
        accounts.append({"handle": organisation.get("vanityName") or name, "display_name": name, "external_id": urn})
    if not accounts:
        me = call("GET", f"{prov.api_url}/v2/userinfo", headers=headers)
        person = {"display_name": me.get("name", ""), "avatar_url": me.get("picture", "")}
        accounts.append({"handle": me["sub"], "external_id": f"urn:li:person:{me['sub']}", **person})
    return [{**account, **common} for account in accounts]


IDENTIFY = {
    Network.MASTODON: mastodon_accounts,
    Network.X: _x_accounts,
    Network.FACEBOOK: _facebook_accounts,
    Network.INSTAGRAM: _instagram_accounts,
    Network.THREADS: _threads_accounts,
    Network.LINKEDIN: _linkedin_accounts,
}
