"""A fake Instagram Graph host (graph.instagram.com): containers, media_publish, comments with nested replies,
`/{comment}/replies`, the publishing quota and token refresh; Facebook Login lists a Page per Instagram account
(its `instagram_business_account`) and the Pages in `pages_without_instagram`."""

from typing import Any

from tests.fakes.base import Request, Response
from tests.fakes.graph import FacebookLogin, FakeGraphContainers, graph_error, graph_time
from tests.fakes.instagram_metrics import InstagramMetricsFake


class FakeInstagram(InstagramMetricsFake, FacebookLogin, FakeGraphContainers):
    network = "instagram"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pages_without_instagram: list[str] = []  # names of Pages with no Instagram account linked

    def pages(self) -> list[dict[str, Any]]:
        linked = []
        for number, (user_id, handle) in enumerate(self.accounts.items(), start=1):
            page = self.page_entry(f"10400000000{number:04d}", f"Page {handle}")
            business = {
                "id": user_id,
                "username": handle,
                "name": handle.replace("_", " ").title(),
                "profile_picture_url": f"https://scontent.cdninstagram.com/{user_id}.jpg",
            }
            linked.append({**page, "instagram_business_account": business})
        alone = [
            self.page_entry(f"10490000000{number:04d}", name)
            for number, name in enumerate(self.pages_without_instagram, start=1)
        ]
        return linked + alone

    def get_comments(self, request: Request, owner: str, edge: str) -> Response:
        if edge != "comments" or not any(post["id"] == owner for post in self.media):
            return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)
        comments = self.comments.get(owner, [])
        top_level = [self.shape(c, comments) for c in comments if c["parent"] is None]
        return Response(200, self.page(request, top_level))

    def shape(self, comment: dict[str, Any], comments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        item = {
            "id": comment["id"],
            "text": comment["text"],
            "timestamp": graph_time(comment["created"]),
            "username": comment["username"],
            "from": {"id": comment["user_id"], "username": comment["username"]},
            "hidden": False,
            "like_count": 0,
        }
        if comment["parent"]:
            item["parent_id"] = comment["parent"]
        if comments is not None:
            replies = [self.shape(c) for c in comments if c["parent"] == comment["id"]]
            if replies:
                item["replies"] = {"data": replies}
        item.update(comment["raw"])
        return {key: value for key, value in item.items() if value is not None}

    def post_other(self, request: Request, owner: str, edge: str) -> Response:
        found = self.find_comment(owner)
        if edge != "replies" or found is None:
            return super().post_other(request, owner, edge)
        media_id, comment = found
        if comment["parent"] is not None:
            return graph_error(100, "Invalid parameter", user_msg="You can only reply to top-level comments.")
        message = request.json().get("message", "")
        reply = self.add_comment(media_id, message, parent=owner, username=self.handle, user_id=self.user_id)
        self.replies.append({"id": reply["id"], "parent": owner, "message": message})
        return Response(200, {"id": reply["id"]})
