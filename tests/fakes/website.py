"""A small website on loopback, on the fakes' base: the pages a post links to, for link cards.

`pages` maps a path to a Response; `page(path, title=…, description=…, image=…)` makes an HTML page with the Open
Graph tags the official Bluesky app reads, and `image(path, data)` serves an image.
"""

from html import escape

from tests.fakes.base import FakeNetwork, Response, route


class FakeWebsite(FakeNetwork):
    def __init__(self):
        super().__init__()
        self.pages: dict[str, Response] = {}

    def page(self, path: str, *, title: str = "", description: str = "", image: str = "", head: str = "") -> str:
        """An HTML page with og:title, og:description and og:image (each only when given); returns its URL."""
        tags = [
            f'<meta property="og:{name}" content="{escape(value)}">'
            for name, value in (("title", title), ("description", description), ("image", image))
            if value
        ]
        html = f"<!doctype html><html><head>{''.join(tags)}{head}</head><body><h1>{escape(title)}</h1></body></html>"
        self.pages[path] = Response(200, html, {"Content-Type": "text/html; charset=utf-8"})
        return self.url + path

    def image(self, path: str, data: bytes, content_type: str = "image/png") -> str:
        self.pages[path] = Response(200, data, {"Content-Type": content_type})
        return self.url + path

    @route("GET", r"(?P<path>/.*)")
    def serve(self, request, path):
        return self.pages.get(path) or Response(404, "<h1>Not found</h1>", {"Content-Type": "text/html"})
