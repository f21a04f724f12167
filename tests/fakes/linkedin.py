"""A fake LinkedIn REST host: image initializeUpload + PUT, /rest/posts (201 with `x-restli-id`, 422
DUPLICATE_POST on identical commentary), socialActions comments paged by start/count, and nested replies.
Every /rest call must carry `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`. Sign-in: the authorization page,
`POST /oauth/v2/accessToken`, the organisations the member administers (`/rest/organizationAcls`, `/rest/organizations/
{id}`) and the member (`/v2/userinfo`). The statistics are in linkedin_metrics.py."""

import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlencode

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.linkedin_metrics import LinkedInMetricsFake
from tests.fakes.oauth import CodeGrants

ORGANIZATION = "urn:li:organization:2414183"


def plain_text(little: str) -> str:
    """Read "little text" back: `{hashtag|\\#|Tag}` is `#Tag`, `\\(` is `(`."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", little))


def linkedin_error(status: int, message: str, *, service_code: int | None = None, code: str = "") -> Response:
    body: dict[str, Any] = {"status": status, "message": message}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    if code:
        body["code"] = code
    return Response(status, body)


def token_revoked() -> Response:
    return linkedin_error(
        401,
        "The token used in the request has been revoked by the user",
        service_code=65601,
        code="REVOKED_ACCESS_TOKEN",
    )


class FakeLinkedIn(LinkedInMetricsFake, FakeNetwork):
    client_id, client_secret = "linkedin-client", "linkedin-secret"

    def __init__(self, *, token: str = "good-token", organization: str = ORGANIZATION):
        super().__init__()
        self.token, self.organization = token, organization
        self.organizations = {organization}  # every organisation this host serves
        self.grants = CodeGrants(self.client_id, self.client_secret)  # tokens issued by the sign-in are valid too
        self.member = {"sub": "782bbtaQ", "name": "Camille Martin", "given_name": "Camille", "family_name": "Martin"}
        self.administered: dict[str, dict[str, Any]] = {  # organisations the member administers: URN → organisation
            organization: {"localizedName": "Musée Marceau", "vanityName": "musee-marceau"}
        }
        self.images: dict[str, dict[str, Any]] = {}  # image URN → {"owner", "bytes"}
        self.posts: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []  # all comments, oldest first
        self._ids = itertools.count(7000000000000000001)
        self.max_page: int | None = None  # cap on `count`: lets a test page through a few comments

    def new_id(self) -> str:
        return str(next(self._ids))

    def account_fields(self, organization: str | None = None) -> dict[str, Any]:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`."""
        organization = organization or self.organization
        return {
            "network": "linkedin",
            "handle": f"museum-{organization.rsplit(':', 1)[-1]}",
            "server_url": self.url,
            "external_id": organization,
            "credentials": {"access_token": self.token},
        }

    def add_account(self) -> dict[str, Any]:
        """Another organisation on the same host (benchmarks spread many accounts over one fake)."""
        with self.lock:
            organization = f"urn:li:organization:{2414183 + len(self.organizations)}"
            self.organizations.add(organization)
        return self.account_fields(organization)

    def received_posts(self, account: str | None = None) -> list[dict[str, Any]]:
        """The posts (of one organisation if given), each as {"id", "text" (read back as plain text), "alt_texts"}."""
        return [
            {"id": p["urn"], "text": plain_text(p["commentary"]), "alt_texts": [i.get("altText") for i in p["images"]]}
            for p in self.posts
            if account in (None, p["body"]["author"])
        ]

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/oauth/"):  # the sign-in checks the client and the code itself
            return super().dispatch(request)
        if request.bearer() not in (self.token, *self.grants.tokens):
            return token_revoked()
        if request.path.startswith("/rest/"):
            if not request.headers.get("linkedin-version"):
                return linkedin_error(
                    400,
                    "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                    code="VERSION_MISSING",
                )
            if request.headers.get("x-restli-protocol-version") != "2.0.0":
                return linkedin_error(400, "Rest.li protocol version 2.0.0 is required", code="ILLEGAL_ARGUMENT")
        return super().dispatch(request)

    # Sign-in ----------------------------------------------------------------------------------------------------

    def social_app(self) -> dict[str, str]:
        """The SOCIAL_APPS entry for the LinkedIn sign-in on this fake."""
        return self.grants.social_app(self.url, "/oauth/v2/authorization", "/oauth/v2/accessToken")

    @route("GET", "/oauth/v2/authorization")
    def authorization(self, request: Request) -> Response:
        return self.grants.authorize(request)

    @route("POST", "/oauth/v2/accessToken")
    def access_token(self, request: Request) -> Response:
        form = {key: values[-1] for key, values in request.form().items()}
        if form.get("grant_type") != "authorization_code":
            return Response(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type"})
        asked, refusal = self.grants.redeem(form, form.get("client_id", ""), form.get("client_secret", ""))
        if refusal == "invalid_client":
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if refusal:
            description = (
                "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. "
                "Or authorization code expired. Or external member binding exists"
            )
            return Response(400, {"error": "invalid_request", "error_description": description})
        scope = (asked or {}).get("scope", "").replace(" ", ",")
        return Response(200, {"access_token": self.grants.issue(), "expires_in": 5183999, "scope": scope})

    @route("GET", "/rest/organizationAcls")
    def organization_acls(self, request: Request) -> Response:
        if request.query.get("q") != ["roleAssignee"]:
            return linkedin_error(400, "Invalid query parameters passed to request", code="ILLEGAL_ARGUMENT")
        role, state = request.query.get("role", [None])[0], request.query.get("state", [None])[0]
        elements = [
            {
                "roleAssignee": f"urn:li:person:{self.member['sub']}",
                "role": "ADMINISTRATOR",
                "state": "APPROVED",
                "organization": urn,
            }
            for urn in self.administered
            if role in (None, "ADMINISTRATOR") and state in (None, "APPROVED")
        ]
        paging = {"start": 0, "count": 10, "links": [], "total": len(elements)}
        return Response(200, {"paging": paging, "elements": elements})

    @route("GET", "/rest/organizations/(?P<number>\\d+)")
    def organization(self, request: Request, number: str) -> Response:
        urn = f"urn:li:organization:{number}"
        if urn not in self.administered:
            return linkedin_error(
                403, f"Not enough permissions to access: organizations.GET.20251001 ({number})", service_code=100
            )
        return Response(200, {"id": int(number), **self.administered[urn]})

    @route("GET", "/v2/userinfo")
    def userinfo(self, request: Request) -> Response:
        return Response(200, {**self.member, "locale": {"country": "FR", "language": "fr"}})

    @route("POST", "/rest/images")
    def initialize_upload(self, request: Request) -> Response:
        owner = (request.json() or {}).get("initializeUploadRequest", {}).get("owner")
        if request.query.get("action") != ["initializeUpload"] or owner not in self.organizations:
            return linkedin_error(403, f"Not enough permissions to access: owner {owner}", service_code=100)
        number = self.new_id()
        urn = f"urn:li:image:D4E10AQ{number}"
        self.images[urn] = {"owner": owner, "bytes": None, "number": number}
        expires = int((datetime.now(UTC) + timedelta(hours=1)).timestamp() * 1000)
        return Response(
            200, {"value": {"uploadUrlExpiresAt": expires, "uploadUrl": f"{self.url}/upload/{number}", "image": urn}}
        )

    @route("PUT", "/upload/(?P<number>\\d+)")
    def upload(self, request: Request, number: str) -> Response:
        for image in self.images.values():
            if image["number"] == number:
                image["bytes"] = request.body
                return Response(201, b"")
        return Response(404, b"")

    @route("POST", "/rest/posts")
    def create_post(self, request: Request) -> Response:
        body = request.json() or {}
        missing = [f for f in ("author", "commentary", "visibility", "distribution", "lifecycleState") if f not in body]
        if missing:
            message = "".join(
                f"ERROR :: /{f} :: field is required but not found and has no default value\n" for f in missing
            )
            return linkedin_error(422, message)
        for post in self.posts:
            if post["commentary"] == body["commentary"] and post["body"]["author"] == body["author"]:
                return self.duplicate(post["urn"])
        images = self.images_of(body.get("content") or {})
        if any(self.images.get(i["id"], {}).get("bytes") is None for i in images):
            return linkedin_error(400, "Image is not uploaded yet", code="ILLEGAL_ARGUMENT")
        urn = f"urn:li:share:{self.new_id()}"
        self.posts.append({"urn": urn, "commentary": body["commentary"], "body": body, "images": images})
        return Response(201, b"", {"x-restli-id": urn})

    @staticmethod
    def images_of(content: dict[str, Any]) -> list[dict[str, Any]]:
        if "media" in content:
            return [content["media"]]
        return list((content.get("multiImage") or {}).get("images") or [])

    def duplicate(self, urn: str) -> Response:
        message = f"Content is a duplicate of {urn}"
        body = {
            "errorDetailType": "com.linkedin.common.error.BadRequest",
            "message": message,
            "errorDetails": {"inputErrors": [{"description": message, "input": {}, "code": "DUPLICATE_POST"}]},
            "status": 422,
        }
        return Response(422, body)

    # Comments --------------------------------------------------------------------------------------------------

    def add_comment(
        self, on: str, text: str, *, parent: str | None = None, actor: str = "urn:li:person:visitor1", **raw: Any
    ) -> dict[str, Any]:
        """A member's comment on a post URN, or a reply under the comment URN `parent`."""
        number = self.new_id()
        comment = {
            "urn": f"urn:li:comment:({on.replace('share', 'activity')},{number})",
            "id": number,
            "on": on,
            "parent": parent,
            "actor": actor,
            "text": text,
            "time": int(datetime.now(UTC).timestamp() * 1000),
            "raw": raw,
        }
        self.comments.append(comment)
        return comment

    def edit_comment(self, urn: str, text: str) -> None:
        """The member edits the comment: same URN, new text, `lastModified` moves."""
        with self.lock:
            comment = next(c for c in self.comments if c["urn"] == urn)
            comment["text"], comment["modified"] = text, int(datetime.now(UTC).timestamp() * 1000)

    def delete_comment(self, urn: str) -> None:
        """The member deletes the comment: looking it up answers 404."""
        with self.lock:
            self.comments = [c for c in self.comments if c["urn"] != urn]

    def shape(self, comment: dict[str, Any]) -> dict[str, Any]:
        replies = sum(1 for c in self.comments if c["parent"] == comment["urn"])
        item = {
            "actor": comment["actor"],
            "commentUrn": comment["urn"],
            "$URN": comment["urn"],
            "id": comment["id"],
            "message": {"text": comment["text"], "attributes": []},
            "created": {"actor": comment["actor"], "time": comment["time"]},
            "lastModified": {"actor": comment["actor"], "time": comment.get("modified", comment["time"])},
            "object": comment["on"],
            "commentsSummary": {"aggregatedTotalComments": replies, "selectedComments": []},
        }
        if comment["parent"]:
            item["parentComment"] = comment["parent"]
        item.update(comment["raw"])
        return {key: value for key, value in item.items() if value is not None}

    @route("GET", "/rest/socialActions/(?P<target>[^/]+)/comments")
    def list_comments(self, request: Request, target: str) -> Response:
        target = unquote(target)
        if target.startswith("urn:li:comment:"):
            items = [c for c in self.comments if c["parent"] == target]
        else:
            items = [c for c in self.comments if c["on"] == target and c["parent"] is None]
        start = int(request.query.get("start", ["0"])[0])
        count = int(request.query.get("count", ["10"])[0])
        count = min(count, self.max_page or count)
        chunk = items[start : start + count]
        paging: dict[str, Any] = {"start": start, "count": count, "total": len(items), "links": []}
        if start + count < len(items):
            href = f"{request.path}?{urlencode({'start': start + count, 'count': count})}"
            paging["links"].append({"rel": "next", "href": href, "type": "application/json"})
        return Response(200, {"elements": [self.shape(c) for c in chunk], "paging": paging})

    @route("GET", "/rest/socialActions/(?P<target>[^/]+)/comments/(?P<comment_id>\\d+)")
    def get_comment(self, request: Request, target: str, comment_id: str) -> Response:
        """One comment by the post (activity) it is on and its id; 404 once it is deleted."""
        urn = f"urn:li:comment:({unquote(target)},{comment_id})"
        comment = next((c for c in self.comments if c["urn"] == urn), None)
        if comment is None:
            return linkedin_error(404, f"Comment {urn} not found", service_code=404)
        return Response(200, self.shape(comment))

    @route("POST", "/rest/socialActions/(?P<target>[^/]+)/comments")
    def create_comment(self, request: Request, target: str) -> Response:
        target, body = unquote(target), request.json() or {}
        parent = body.get("parentComment")
        if body.get("actor") not in self.organizations:
            return linkedin_error(403, "Not enough permissions to comment as this actor", service_code=100)
        if parent and not any(c["urn"] == parent for c in self.comments):
            return linkedin_error(404, f"Comment {parent} not found", service_code=404)
        comment = self.add_comment(
            body.get("object"), (body.get("message") or {}).get("text", ""), parent=parent, actor=body["actor"]
        )
        comment["posted_to"] = target
        return Response(201, self.shape(comment), {"x-restli-id": comment["urn"]})
