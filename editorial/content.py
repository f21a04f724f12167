"""The content publishing needs of a post (publishing/content.py), read from the editorial calendar's own tables."""

from typing import Any

from django.db import connection

from editorial.models import Media, Post


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class PostContent:
    """The post's link and media for the adapters; registered from EditorialConfig.ready()."""

    def join(self, post_id: str, alias: str) -> str:
        return f"JOIN {_q(Post._meta.db_table)} AS {alias} ON {alias}.{_q(Post._meta.pk.column)} = {post_id}"

    def columns(self, alias: str) -> dict[str, str]:
        return {name: f"{alias}.{_q(Post._meta.get_field(name).column)}" for name in ("id", "link")}

    def has_media(self, post_id: str) -> str:
        table, column = _q(Media._meta.db_table), _q(Media._meta.get_field("post").column)
        return f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{column} = {post_id})"

    def post(self, values: dict[str, Any]) -> Post:
        """A Post with only what adapters read loaded (the rest is deferred, read if ever asked)."""
        return Post.from_db(connection.alias, ["id", "link"], [values["id"], values["link"] or ""])

    def media(self, post_id: int) -> list[Media]:
        # Raw: the worker asks this for every post with media, and compiling the related query was 9% of its time.
        table, column = _q(Media._meta.db_table), _q(Media._meta.get_field("post").column)
        order = ", ".join(_q(Media._meta.get_field(name).column) for name in ("position", "id"))
        return list(Media.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s ORDER BY {order}", [post_id]))
