"""Instagram's and Threads' publishing flow on Graph: create a media container, wait until Meta has fetched and
processed the media, then publish it."""

import re
import time
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from publishing.adapters.base import AdapterError, CannotCheck, PublishResult, Rejected, TransientError
from publishing.adapters.graph import GraphAdapter, remember


class ContainerAdapter(GraphAdapter):
    """Create a media container, wait until Meta has fetched and processed the media, then publish it.

    The container id is stored on the publication before publishing: after an ambiguous failure its status tells
    whether the post went out (PUBLISHED), and a retry reuses a container that is still good.
    """

    create_edge: ClassVar[str]  # POST /{user}/<edge> makes a container
    publish_edge: ClassVar[str]  # POST /{user}/<edge> {creation_id} publishes it
    status_fields: ClassVar[str]
    status_key: ClassVar[str]
    list_edge: ClassVar[str]  # the account's published media, to find a post by its text
    text_field: ClassVar[str]
    quota_edge: ClassVar[str]
    refresh_grant: ClassVar[str]
    poll_attempts: int = 60

    def __init__(self, account):
        super().__init__(account)
        self.poll_interval = settings.META_CONTAINER_POLL_INTERVAL

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        text = self.outgoing_text(publication)
        self.ensure_publishable(text, media)
        container = self.reusable_container(publication)
        if isinstance(container, PublishResult):
            return container
        if container is None:
            container = self.create_post_container(text, media)
            remember(publication, container_id=container)
        self.wait_until_finished(container)
        media_id = self.post_json(self.user_id, self.publish_edge, data={"creation_id": container})["id"]
        return PublishResult(str(media_id), self.permalink(media_id), extra={"container_id": container})

    def outgoing_text(self, publication) -> str:
        return publication.text

    def create_post_container(self, text: str, media: list) -> str:
        raise NotImplementedError

    def create_carousel(self, items: list[dict[str, Any]], **fields: Any) -> str:
        """A carousel: one container per item (`items`: each item's fields), each waited for, then the carousel's
        own container that lists them (`fields`: its text)."""
        children = [self.create_container(is_carousel_item=True, **item) for item in items]
        for child in children:
            self.wait_until_finished(child)
        return self.create_container(media_type="CAROUSEL", children=",".join(children), **fields)

    def create_container(self, **fields: Any) -> str:
        data = {key: value for key, value in fields.items() if value not in (None, "")}
        return str(self.post_json(self.user_id, self.create_edge, data=data)["id"])

    def reusable_container(self, publication) -> str | PublishResult | None:
        """A container from an earlier attempt that is still usable, or the post itself if it went out."""
        container = (publication.extra or {}).get("container_id")
        if not container:
            return None
        try:
            status = self.container_status(container)[0]
        except Rejected:  # gone: make a new one
            return None
        if status == "PUBLISHED":
            found = self.find_published(publication)
            if found is None:
                raise CannotCheck(gettext("The post went out, but its link could not be found on the account."))
            return found
        return container if status in ("FINISHED", "IN_PROGRESS") else None

    def container_status(self, container: str) -> tuple[str, str]:
        data = self.get_json(container, fields=self.status_fields)
        return str(data.get(self.status_key) or ""), self.status_detail(data)

    def status_detail(self, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def wait_until_finished(self, container: str) -> None:
        for _attempt in range(self.poll_attempts):
            status, detail = self.container_status(container)
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status == "ERROR":
                raise self.container_error(detail)
            if status == "EXPIRED":
                raise TransientError(gettext("The prepared post expired before it was published; it will be redone."))
            time.sleep(self.poll_interval)
        raise TransientError(gettext("The network is still processing the media; the post will be tried again."))

    def container_error(self, detail: str) -> AdapterError:
        found = re.search(r"\d{7}", detail)
        known = self.failure_for(int(found.group())) if found else None
        if known is not None:
            return known
        return Rejected(gettext("The network could not process the media: %(detail)s") % {"detail": detail or "?"})

    def permalink(self, media_id: str) -> str:
        return str(self.get_json(str(media_id), fields="permalink").get("permalink") or "")

    def find_existing(self, publication) -> PublishResult | None:
        """The stored container's status says whether the post went out; if it did, find it by its text."""
        container = (publication.extra or {}).get("container_id")
        if not container:
            return None
        try:
            status = self.container_status(container)[0]
        except Rejected:
            return None
        if status != "PUBLISHED":
            return None
        found = self.find_published(publication)
        if found is None:
            raise CannotCheck(gettext("The post went out, but it could not be found on the account."))
        return found

    def find_published(self, publication) -> PublishResult | None:
        text = self.outgoing_text(publication).strip()
        fields = f"id,{self.text_field},permalink,timestamp"
        data = self.get_json(self.user_id, self.list_edge, fields=fields, limit=50)
        for item in data.get("data") or []:
            if str(item.get(self.text_field) or "").strip() == text:
                return PublishResult(
                    str(item["id"]),
                    str(item.get("permalink") or ""),
                    extra={"container_id": publication.extra.get("container_id")},
                )
        return None

    def quota(self) -> dict[str, Any]:
        """How many posts the account published in the network's rolling window, and how many it may."""
        data = self.get_json(self.user_id, self.quota_edge, fields="quota_usage,config")
        entry = (data.get("data") or [{}])[0]
        config = entry.get("config") or {}
        hours = round(int(config.get("quota_duration") or 86400) / 3600)
        period = ngettext("per %(hours)s hour", "per %(hours)s hours", hours) % {"hours": hours}
        return {"used": int(entry.get("quota_usage") or 0), "limit": int(config["quota_total"]), "period": period}

    def refresh_credentials(self) -> None:
        """Long-lived tokens last ~60 days and can be renewed once a day old: renew and store at once."""
        token = self.credentials.get("access_token")
        params = {"grant_type": self.refresh_grant, "access_token": token}
        data = self.json(self.request("GET", "/refresh_access_token", params=params))
        self.save_credentials(access_token=data["access_token"])
        if data.get("expires_in"):
            self.account.token_expires_at = timezone.now() + timedelta(seconds=int(data["expires_in"]))
            self.account.save(update_fields=["token_expires_at"])
