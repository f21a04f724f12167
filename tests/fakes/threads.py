"""A fake Threads host (graph.threads.net): containers for posts and replies, threads_publish, the conversation
of a post at every depth, the publishing quota and token refresh; the Threads login (authorize, `POST
/oauth/access_token`, the long-lived `th_exchange_token`) and `/v1.0/me`."""

from typing import Any

from tests.fakes.base import Request, Response, route
from tests.fakes.graph import FakeGraphContainers, V, code_refused, fields, graph_error, graph_time, top_level_fields
from tests.fakes.threads_metrics import ThreadsMetricsFake


class FakeThreads(ThreadsMetricsFake, FakeGraphContainers):
    network = "threads"
    create_edge = "threads"
    publish_edge = "threads_publish"
    status_key = "status"
    detail_key = "error_message"
    list_edge = "threads"
    text_field = "text"
    quota_edge = "threads_publishing_limit"
    refresh_grant = "th_refresh_token"
    permalink_base = "https://www.threads.net/@museum/post/"
    client_id, client_secret = "threads-app-id", "threads-app-secret"

    # Login ------------------------------------------------------------------------------------------------------

    def social_app(self) -> dict[str, str]:
        """The SOCIAL_APPS entry for the Threads login on this fake."""
        return self.grants.social_app(self.url, "/oauth/authorize", "/oauth/access_token")

    @route("GET", "/oauth/authorize")
    def login_authorize(self, request: Request) -> Response:
        return self.grants.authorize(request)

    @route("POST", "/oauth/access_token")
    def login_token(self, request: Request) -> Response:
        form = fields(request)
        if form.get("grant_type") != "authorization_code":
            return graph_error(100, "Invalid parameter: grant_type")
        _asked, refusal = self.grants.redeem(form, form.get("client_id", ""), form.get("client_secret", ""))
        if refusal:
            return code_refused(refusal)
        return Response(200, {"access_token": self.grants.issue("short"), "user_id": int(self.user_id)})

    @route("GET", "/access_token")
    def login_long_lived(self, request: Request) -> Response:
        query = {key: values[-1] for key, values in request.query.items()}
        if query.get("grant_type") != "th_exchange_token" or query.get("client_secret") != self.client_secret:
            return code_refused("invalid_client")
        if query.get("access_token") not in self.grants.tokens:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return Response(200, {"access_token": self.grants.issue("long"), "token_type": "bearer", "expires_in": 5183944})

    @route("GET", f"{V}/me")
    def me(self, request: Request) -> Response:
        profile = {
            "id": self.user_id,
            "username": self.handle,
            "name": self.handle.title(),
            "threads_profile_picture_url": f"https://scontent.cdninstagram.com/threads/{self.user_id}.jpg",
            "threads_biography": "",
        }
        wanted = top_level_fields(request.query.get("fields", ["id"])[0])
        return Response(200, {key: value for key, value in profile.items() if key in wanted})

    def published(self, container: dict[str, Any]) -> dict[str, Any]:
        post = super().published(container)
        parent = container["fields"].get("reply_to_id")
        if parent:  # a reply: it joins the conversation of the post it answers
            root = self.root_of(str(parent))
            self.comments.setdefault(root, []).append(
                {
                    "id": post["id"],
                    "text": post["text"],
                    "parent": parent,
                    "username": self.handle,
                    "user_id": self.user_id,
                    "created": container.get("created"),
                    "raw": {},
                    "own": True,
                }
            )
            self.replies.append({"id": post["id"], "parent": parent, "message": post["text"]})
        return post

    def root_of(self, object_id: str) -> str:
        found = self.find_comment(object_id)
        return found[0] if found else object_id

    def get_comments(self, request: Request, owner: str, edge: str) -> Response:
        if edge not in ("conversation", "replies") or not any(post["id"] == owner for post in self.media):
            return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)
        comments = self.comments.get(owner, [])
        if edge == "replies":
            comments = [c for c in comments if c["parent"] is None]
        return Response(200, self.page(request, [self.shape(c, owner) for c in comments]))

    def shape_alone(self, comment: dict[str, Any], on: str) -> dict[str, Any]:
        return self.shape(comment, on)

    def shape(self, comment: dict[str, Any], root: str) -> dict[str, Any]:
        item = {
            "id": comment["id"],
            "text": comment["text"],
            "username": comment["username"],
            "timestamp": graph_time(comment["created"]),
            "permalink": f"{self.permalink_base}{comment['id']}",
            "replied_to": {"id": comment["parent"] or root},
            "root_post": {"id": root},
            "is_reply": True,
            "has_replies": False,
            "hide_status": "NOT_HUSHED",
        }
        item.update(comment["raw"])
        return {key: value for key, value in item.items() if value is not None}
