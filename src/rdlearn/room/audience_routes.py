"""The hall's audience routes: the page, its script and the two JSON routes, for Tornado.

The service behind them (rate limits, the cached state, answers) is :mod:`rdlearn.room.audience`;
this module only speaks HTTP. :func:`routes` mounts them under Voilà's ``server_url``.
"""

from __future__ import annotations

from pathlib import Path

import tornado.web

from rdlearn.room.audience import (
    MAX_BODY_BYTES,
    STATIC,
    Audience,
    AudienceError,
    _json,
)
from rdlearn.room.follow import NowHandler
from rdlearn.web import assets

__all__ = ["routes", "script"]


# --------------------------------------------------------------------------- handlers

_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class _Base(tornado.web.RequestHandler):
    def initialize(self, audience: Audience) -> None:
        self.audience = audience

    def check_xsrf_cookie(self) -> None:
        # No cookies are used; the answer route takes JSON only, which a cross-site form
        # cannot send without the browser asking first.
        return None

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def send_json(self, status: int, body: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def write_error(self, status_code: int, **kwargs) -> None:
        messages = {403: "This room asks for a login: reload the page to log in.",
                    404: "There is nothing at this address.",
                    405: "This address does not take that kind of request."}
        message = messages.get(status_code, "Something went wrong. Please reload the page.")
        self.send_json(status_code, _json({"error": message}))


class PageHandler(_Base):
    """``GET /audience``: the page itself (the same HTML for every workshop)."""

    _html: bytes | None = None

    def get(self) -> None:
        if PageHandler._html is None:
            PageHandler._html = (STATIC / "index.html").read_bytes()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", _PAGE_CSP)
        self.set_header("Cache-Control", "no-cache")
        self.finish(PageHandler._html)


class StateHandler(_Base):
    """``GET /audience/api/state?workshop=CODE``: the hall's view of the open question."""

    async def get(self) -> None:
        code = self.get_query_argument("workshop", "")
        status, body = await self.audience.state(code)
        self.send_json(status, body)


@tornado.web.stream_request_body
class AnswerHandler(_Base):
    """``POST /audience/api/answer``: one answer, refused early when too large or too fast."""

    def prepare(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0
        self._too_large = False
        length = self.request.headers.get("Content-Length")
        if self.request.method != "POST":
            return
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            self._refuse_size()
            return
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            self.send_json(415, _json({"error": "Answers are sent as JSON by the page. "
                                                "Please reload the page."}))

    def _refuse_size(self) -> None:
        self.send_json(413, _json({"error": f"This answer is too large (the limit is "
                                            f"{MAX_BODY_BYTES} bytes). Please shorten it."}))

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            self._too_large = True
            self._chunks = []
        elif not self._too_large:
            self._chunks.append(chunk)

    def _peer(self) -> str:
        """The client's address: the socket's peer, or a trusted proxy's X-Forwarded-For."""
        address = getattr(self.request.connection.context, "address", None)
        peer = str(address[0]) if isinstance(address, tuple) and address else "unknown"
        return self.audience.client_address(peer, self.request.headers.get("X-Forwarded-For"))

    async def post(self) -> None:
        if self._too_large:
            self._refuse_size()
            return
        try:
            result = await self.audience.answer(b"".join(self._chunks), address=self._peer())
        except AudienceError as exc:
            if getattr(exc, "retry_after", None):
                self.set_header("Retry-After", str(exc.retry_after))
            self.send_json(exc.status, _json({"error": exc.message}))
            return
        self.send_json(200, _json(result))


#: How the page's script imports the helper module it shares with the widgets.
_KIT_IMPORT = '"../../rdlearn/assets/widgetkit.js"'


def script() -> str:
    """The page's script as sent: its import of the kit carries the kit's version.

    >>> f'widgetkit.js?v={assets.version("widgetkit.js")}"' in script()
    True
    """
    text = (STATIC / "audience.js").read_text(encoding="utf-8")
    versioned = f'{_KIT_IMPORT[:-1]}?v={assets.version("widgetkit.js")}"'
    return text.replace(f"from {_KIT_IMPORT}", f"from {versioned}")


class _StaticHandler(tornado.web.StaticFileHandler):
    """The page's files; ``audience.js`` as :func:`script` gives it (revalidated each load)."""

    @classmethod
    def get_content(cls, abspath: str, start: int | None = None, end: int | None = None):
        if Path(abspath).name == "audience.js":
            return script().encode("utf-8")[start:end]
        return super().get_content(abspath, start, end)

    def get_content_size(self) -> int:
        if Path(self.absolute_path).name == "audience.js":
            return len(script().encode("utf-8"))
        return super().get_content_size()

    def set_extra_headers(self, path: str) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-cache")


def routes(base: str = "/", *, audience: Audience | None = None) -> list[tuple]:
    """The audience routes under ``base`` (Voilà's ``server_url``), for Tornado.

    >>> [r[0] for r in routes("/", audience=Audience(questions={}))][::2]
    ['/audience', '/audience/api/answer', '/rdlearn/now']
    """
    audience = audience if audience is not None else Audience()
    base = base if base.endswith("/") else base + "/"
    shared = {"audience": audience}
    return [
        (base + "audience", PageHandler, shared),
        (base + "audience/api/state", StateHandler, shared),
        (base + "audience/api/answer", AnswerHandler, shared),
        (base + "audience/static/(.*)", _StaticHandler, {"path": str(STATIC)}),
        (base + "rdlearn/now", NowHandler, {**shared, "kept": {}}),
    ]
