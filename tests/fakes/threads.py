"""A fake Threads host (graph.threads.net): containers for posts and replies, threads_publish, the conversation
of a post at every depth, the publishing quota and token refresh."""

from typing import Any

from tests.fakes.base import Request, Response
from tests.fakes.graph import ContainerFake, graph_error, graph_time


class ThreadsFake(ContainerFake):
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
