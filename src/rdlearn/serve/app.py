"""The served app: Voilà with rdlearn's configuration, routes and template.

:func:`voila_config` turns the options of ``rdlearn serve`` into Voilà's traitlets
configuration; :class:`RdlearnVoila` is Voilà's application with three changes:

* only the app's pages are served: ``/`` opens the landing page, and there is no
  directory listing, no contents API and no notebook outside the numbered pages;
* the page sets Jupyter's XSRF cookie, so that closing a tab really frees its kernel
  (Voilà's ``beforeunload`` beacon is otherwise refused for lack of that token);
* "ready" is announced only when every preheated kernel has finished running its notebook.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tornado.web
from markupsafe import Markup
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from rdlearn.room import audience, audience_routes
from rdlearn.serve import login
from rdlearn.web import assets

__all__ = ["DAY_PAGE", "PAGE_PATTERN", "RdlearnVoila", "ServeOptions", "template_root",
           "voila_config"]

#: The app's pages: numbered notebooks such as ``03_deepening-relating-with-clients.ipynb``.
PAGE_PATTERN = re.compile(r"^\d\d_[a-z0-9_-]+\.ipynb$")
LANDING_PAGE = "00_welcome.ipynb"
#: The participant's day: the four sessions in one page and one kernel.
DAY_PAGE = "10_day.ipynb"
#: The session notebooks, whose old addresses lead to the day page at that session.
SESSION_PAGE = re.compile(r"^0([1-9])_[a-z0-9_-]+\.ipynb$")


def _session_of(name: str) -> int | None:
    """The session a session notebook's name holds, or ``None`` (not a session page)."""
    from rdlearn.content import loader as content

    match = SESSION_PAGE.match(name)
    if not match:
        return None
    number = int(match.group(1))
    return number if any(s["number"] == number and name == f"0{number}_{s['slug']}.ipynb"
                         for s in content.workshop()["sessions"]) else None


def template_root() -> Path:
    """The ``share/jupyter`` folder shipped inside the package (holds the app template)."""
    return Path(__file__).resolve().parent / "share" / "jupyter"


@dataclass
class ServeOptions:
    """What ``rdlearn serve`` was asked for."""

    notebooks: Path
    port: int = 8866
    ip: str = "127.0.0.1"
    room_size: int = 4
    theme: str = "light"
    cull_idle_timeout: int = 600
    cull_interval: int = 60
    facilitator_key: str = ""
    refill_delay: float = 20.0
    on_ready: Callable[[str], None] | None = field(default=None, repr=False)
    #: Called while warming up with (pages ready, pages expected); see serve/terminal.py.
    on_progress: Callable[[int, int], None] | None = field(default=None, repr=False)
    #: Also given the app's own log records (errors reach the terminal as one line).
    log_handler: logging.Handler | None = field(default=None, repr=False)

    def pool_sizes(self) -> dict[str, int]:
        """Preheated kernels per page.

        Participants spend the whole day on one page (the day page, whose one kernel serves
        all four sessions), so its pool holds a kernel for each expected participant. The
        session notebooks are not served (their addresses lead to the day page) and the
        landing page needs no kernel. The keynote, the hall and the console are opened by
        one person each. Any other page (a folder of one's own pages) is for everyone: the
        room, or a quarter of it beside a day page.
        """
        from rdlearn.content import loader as content

        one_person = {p["notebook"] for p in content.workshop()["pages"]
                      if p["audience"] in ("speaker", "facilitator")}
        pages = sorted(p.name for p in self.notebooks.glob("*.ipynb") if PAGE_PATTERN.match(p.name))
        day = DAY_PAGE in pages
        sizes = {}
        for name in pages:
            if name == DAY_PAGE:
                sizes[name] = self.room_size
            elif name in one_person:
                sizes[name] = 1
            elif name != LANDING_PAGE and not (day and _session_of(name) is not None):
                sizes[name] = self.room_size if not day else max(1, math.ceil(self.room_size / 4))
        return sizes


def voila_config(options: ServeOptions) -> Config:
    """Voilà's configuration for these options."""
    c = Config()
    c.Voila.ip = options.ip
    c.Voila.port = options.port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.root_dir = str(options.notebooks)
    c.VoilaConfiguration.template = "rdlearn"
    c.VoilaConfiguration.theme = options.theme
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.preheat_kernel = True
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|svg)"]
    sizes = options.pool_sizes()
    c.VoilaConfiguration.default_pool_size = 1
    pools = {"default": {"pool_size": 0}}
    pools.update({name: {"pool_size": size} for name, size in sizes.items()})
    c.VoilaKernelManager.kernel_pools_config = pools
    # Refill a pool some seconds after a kernel is taken, not at once: when a room arrives
    # together, refilling would start a kernel for every arrival and compete with them for
    # the laptop's CPU (measured in bench/README.md).
    c.VoilaKernelManager.fill_delay = options.refill_delay
    # Voilà matches these against absolute paths: deny every notebook that is not a page,
    # and the landing page, which is served without a kernel.
    # The session notebooks are never rendered by the server (their addresses lead to the
    # day page), so they get no pool either.
    from rdlearn.content import loader as content

    c.VoilaKernelManager.preheat_denylist = [r".*/(?!\d\d_)[^/]*\.ipynb$", LANDING_PAGE] + [
        rf".*/{s['number']:02d}_{re.escape(s['slug'])}\.ipynb$"
        for s in content.workshop()["sessions"]]
    c.MappingKernelManager.cull_idle_timeout = options.cull_idle_timeout
    c.MappingKernelManager.cull_interval = options.cull_interval
    c.MappingKernelManager.cull_connected = False
    c.VoilaExporter.filters = {"rdlearn_nav": "rdlearn.serve.app.navigation",
                               "rdlearn_plotly_url": "rdlearn.serve.app.plotly_url"}
    # Charts are drawn by the template's charts.js with the plotly.js served at
    # plotly_url(), only when they come into view. plotly's JupyterLab extension would
    # load and run its 4.8 MB on every page (1.4 s of the browser's CPU on a page with a
    # chart); pygments' extension styles code cells, which pages do not show.
    c.VoilaConfiguration.extension_denylist = ["jupyterlab-plotly", "jupyterlab_pygments"]
    return c


def navigation(resources=None) -> list[dict[str, str]]:
    """The header's links (Jinja filter): the pages listed in ``workshop.yaml`` that exist.

    A session's link opens the day page at that session. A participant's pages (the landing
    page and the day page) show the participants' links only: the keynote and the console
    are reached from the facilitator's guide and console, whose own headers list every page.
    On the day page itself the session switcher below the header takes the sessions' place.
    """
    from rdlearn.content import loader as content

    root = Path(os.environ.get("RDLEARN_NOTEBOOKS", "."))
    name = str(((resources or {}).get("metadata") or {}).get("name") or "")
    on_day_page = Path(name).stem == Path(DAY_PAGE).stem
    participant = resources is None or on_day_page or Path(name).stem in (
        "", Path(LANDING_PAGE).stem)
    day_served = (root / DAY_PAGE).exists()
    items = []
    for page in content.workshop()["pages"]:
        notebook = page["notebook"]
        if not (root / notebook).exists() or notebook == DAY_PAGE:
            continue
        if participant and page["audience"] != "everyone":
            continue
        number = _session_of(notebook)
        if number is not None and on_day_page:
            continue
        if notebook == LANDING_PAGE:
            href = ""
        elif number is not None and day_served:
            href = f"voila/render/{DAY_PAGE}#session-{number}"
        else:
            href = "voila/render/" + notebook
        items.append({"href": href, "label": page["label"], "audience": page["audience"]})
    return items


def _ready(item) -> bool:
    return item.done() and not item.cancelled() and item.exception() is None


def _warm(item) -> bool:
    """Whether a pool item's kernel has started and run its notebook."""
    return _ready(item) and item.result()["task"].done()


def refill_reserve(pool_size: int) -> int:
    """How many warm kernels a pool keeps once its first ones are taken: an eighth, at least 1.

    >>> refill_reserve(40), refill_reserve(4), refill_reserve(1), refill_reserve(0)
    (5, 1, 1, 0)
    """
    return min(pool_size, max(1, math.ceil(pool_size / 8)))


def ready_count(pool: list) -> int:
    """How many of a Voilà pool's kernel futures have a started kernel."""
    return sum(1 for item in pool if _ready(item))


def replace_failed(km, notebook_name: str, log: logging.Logger | None = None) -> int:
    """Take the kernels that failed to start out of a pool, and start others in their place.

    A kernel can fail to start, for one when another process took its port at the same
    moment (``Address already in use``: several ``rdlearn serve`` on one machine starting
    together). Voilà keeps the failed future in the pool, so the pool never refilled and
    the server never said it was ready. Returns how many were replaced.
    """
    pool = getattr(km, "_pools", {}).get(notebook_name, [])
    failed = [item for item in pool
              if item.done() and (item.cancelled() or item.exception() is not None)]
    for item in failed:
        pool.remove(item)
        if log is not None and not item.cancelled():
            log.error("A kernel for %s failed to start (%s); starting another.",
                      notebook_name, item.exception())
    if failed:
        km.fill_if_needed(delay=0, notebook_name=notebook_name)
    return len(failed)


def ready_first(pool: list) -> None:
    """Reorder a Voilà pool in place so that kernels already started are handed out first."""
    pool.sort(key=lambda item: not _ready(item))


def adapt_pools(km) -> None:
    """Adapt Voilà's kernel pools to a room: hand out only kernels that are ready.

    Voilà puts a refill in the pool as soon as a kernel is taken, as a future that first
    sleeps ``fill_delay`` seconds. Counting that future as a kernel made the next visitor
    wait for the whole delay (measured: 26.8 s with a 30 s delay); a pool whose kernels
    are all still starting now counts as empty, so the visitor gets a kernel of their own
    at once.

    A pooled kernel may also have idled past the cull timeout before a visitor takes it.
    Without marking it active, the culler can shut it down in the second between the page
    being sent and the browser connecting to it: the page then fails with "the model for
    kernel id ... does not exist".
    """
    original = getattr(km, "get_rendered_notebook", None)
    if original is None:
        return
    configs = getattr(km, "kernel_pools_config", {})
    reserves = {name: refill_reserve(config.get("pool_size", 0))
                for name, config in configs.items() if isinstance(config, dict)}

    def get_pool_size(notebook_name: str) -> int:
        return ready_count(km._pools.get(notebook_name, []))

    async def get_rendered_notebook(notebook_name, *args, **kwargs):
        replace_failed(km, notebook_name)
        pool = km._pools.get(notebook_name, [])
        ready_first(pool)
        config = configs.get(notebook_name)
        if isinstance(config, dict) and notebook_name in reserves:
            # Voilà refills a pool to its full size after each kernel is taken. Once the
            # room has arrived that doubled the room's kernels (measured: 85 kernels for a
            # room of 40, 7.7 GB); now a taken kernel is replaced only while the pool holds
            # fewer than the reserve, for late arrivals and reloads.
            config["pool_size"] = max(len(pool) - 1, reserves[notebook_name])
        result = await original(notebook_name, *args, **kwargs)
        kernel_id = result[-1]
        if kernel_id in km:
            from jupyter_server._tz import utcnow

            km.get_kernel(kernel_id).last_activity = utcnow()
        return result

    km.get_pool_size = get_pool_size
    km.get_rendered_notebook = get_rendered_notebook


def plotly_url(base_url: str) -> str:
    """Where pages fetch plotly.js: the copy inside the installed plotly package.

    The version in the query lets browsers keep it for good (Tornado's static handler
    sends a long cache lifetime when ``v`` is present).
    """
    import plotly

    return f"{base_url}rdlearn/plotly.min.js?v={plotly.__version__}"


def _plotly_js_dir() -> str:
    import plotly

    return str(Path(plotly.__file__).resolve().parent / "package_data")


class _PageHandler(TornadoVoilaHandler):
    """Voilà's notebook handler, restricted to the app's pages, setting the XSRF cookie."""

    async def prepare(self, *args, **kwargs):
        await super().prepare(*args, **kwargs)
        # Touching the token sets the _xsrf cookie that Voilà's unload beacon sends back.
        self.xsrf_token  # noqa: B018

    async def get(self, path=None):
        name = (path or "").strip("/")
        root = Path(self.settings["rdlearn_root"])
        if not PAGE_PATTERN.match(name) or not (root / name).is_file():
            raise tornado.web.HTTPError(404)
        number = _session_of(name)
        if number is not None and (root / DAY_PAGE).is_file():
            # A session's old address (a bookmark, a handout, the guide) opens the day page
            # at that session; the query (?workshop=CODE) goes along.
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(f"{self.settings['base_url']}voila/render/{DAY_PAGE}{query}"
                          f"#session-{number}")
            return None
        return await super().get(path)


KERNEL_PROTOCOL = "v1.kernel.websocket.jupyter.org"


class MessageThrottle:
    """How many widget messages one page may send its kernel: a burst, then a steady rate.

    A page sends a few dozen messages while it loads and a few a second in use (dragging a
    slider sends the most), and is never throttled. One that floods its kernel has the
    excess dropped, and once ``close_after`` messages have been dropped its connection is
    closed, so one client cannot keep the room's shared CPU busy.

    >>> t = [0.0]
    >>> throttle = MessageThrottle(burst=2, per_second=1, clock=lambda: t[0])
    >>> [throttle.allow() for _ in range(3)]
    [True, True, False]
    >>> t[0] += 1.0
    >>> throttle.allow(), throttle.dropped
    (True, 1)
    """

    def __init__(self, *, burst: int = 400, per_second: float = 200.0,
                 close_after: int = 2000, clock: Callable[[], float] | None = None):
        import time

        self._limiter = audience.RateLimiter(capacity=burst, per_seconds=burst / per_second,
                                             clock=clock or time.monotonic)
        self.close_after = close_after
        self.dropped = 0

    def allow(self) -> bool:
        if self._limiter.take("page") == 0:
            return True
        self.dropped += 1
        return False

    @property
    def should_close(self) -> bool:
        return self.dropped >= self.close_after


class _KernelSocket(VoilaKernelWebsocketHandler):
    """The kernel websocket, for browsers that speak the current kernel protocol only.

    A client that offers no ``v1.kernel.websocket.jupyter.org`` subprotocol falls back to
    the legacy protocol, on which a misbehaving client was measured to spin the whole
    server in a loop. Browsers running the page always offer v1, so the others are refused
    before any kernel is touched. Floods of messages are throttled (:class:`MessageThrottle`).
    """

    def on_message(self, message):
        throttle = getattr(self, "_rdlearn_throttle", None)
        if throttle is None:
            throttle = self._rdlearn_throttle = MessageThrottle()
        if throttle.allow():
            return super().on_message(message)
        if throttle.dropped == 1 or throttle.dropped % 1000 == 0:
            self.log.warning("A page sent its kernel too many messages; %d dropped so far.",
                             throttle.dropped)
        if throttle.should_close:
            self.log.warning("Closing a page's connection that kept flooding its kernel.")
            self.close(1008, "Too many messages from this page: reload it to reconnect.")
        return None

    async def get(self, *args, **kwargs):
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if KERNEL_PROTOCOL not in [p.strip() for p in offered.split(",")]:
            self.set_status(400)
            self.finish("This address only speaks the Jupyter kernel protocol v1.")
            return None
        return await super().get(*args, **kwargs)


class _Landing(tornado.web.RequestHandler):
    """The landing page as plain HTML: no kernel, so a whole room can arrive at once."""

    def get(self, *args):
        from voila.utils import include_css

        from rdlearn.sessions import landing

        base = self.settings["base_url"]
        template = self.settings["voila_jinja2_env"].get_template("landing.html")
        body = landing.welcome_html(pages_dir=self.settings["rdlearn_root"],
                                    link_prefix=base + "voila/render/", day_page=DAY_PAGE)
        self.set_header("Content-Security-Policy",
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                        "script-src 'unsafe-inline'")
        self.finish(template.render(
            base_url=base,
            nav=navigation(),
            body=Markup(body),
            include_css=lambda name: include_css("rdlearn", base, name),
        ))


class _NotFound(tornado.web.RequestHandler):
    def prepare(self):
        raise tornado.web.HTTPError(404)


class _AssetHandler(tornado.web.StaticFileHandler):
    """A feature's browser code by its base name (``timer.js``), wherever its feature keeps it.

    A module's imports of other assets are sent with their versions (:func:`assets.source`).
    """

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        try:
            return str(assets.path(path))
        except KeyError:
            raise tornado.web.HTTPError(404) from None

    @classmethod
    def get_content(cls, abspath: str, start: int | None = None, end: int | None = None):
        name = Path(abspath).name
        data = (assets.source(name).encode("utf-8") if name.endswith(".js")
                else Path(abspath).read_bytes())
        return data[start:end]

    def get_content_size(self) -> int:
        return len(self.get_content(self.absolute_path))

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        return assets.version(Path(abspath).name)


class RdlearnVoila(Voila):
    """Voilà as rdlearn serves it."""

    name = "rdlearn"
    rdlearn_options: ServeOptions | None = None

    def init_settings(self):
        """Voilà's Tornado settings, with gzip on and the kernel pools adapted."""
        settings = super().init_settings()
        # gzip: the page's JavaScript (plotly.js alone is 4.8 MB) shrinks about 3-4x,
        # which matters on a shared workshop Wi-Fi. Tornado reads this when the app is built.
        settings["compress_response"] = True
        adapt_pools(self.kernel_manager)
        return settings

    @login.behind_login  # a room behind a login: every route asks for it (serve/login.py)
    def init_handlers(self):
        """Voilà's routes less the tree and contents API, plus rdlearn's own routes."""
        handlers = []
        for spec in super().init_handlers():
            pattern, handler = spec[0], spec[1]
            if handler is TornadoVoilaTreeHandler or "api/contents" in pattern:
                continue
            if handler is TornadoVoilaHandler:
                spec = (pattern, _PageHandler, *spec[2:])
            elif handler is VoilaKernelWebsocketHandler:
                spec = (pattern, _KernelSocket, *spec[2:])
            handlers.append(spec)
        base = self.server_url
        plotly_js = (base + r"rdlearn/(plotly\.min\.js)", tornado.web.StaticFileHandler,
                     {"path": _plotly_js_dir()})
        widget_code = (base + "rdlearn/assets/" + assets.ASSET_PATTERN,
                       _AssetHandler, {"path": str(assets.PACKAGE)})
        return [*audience_routes.routes(base), (base, _Landing),
                (base + "voila/tree(.*)", _NotFound), plotly_js, widget_code, *handlers]

    def start(self):
        """Serve: kernels get the served-assets flag; say when every pool is warm."""
        os.environ["RDLEARN_NOTEBOOKS"] = str(Path(self.root_dir).resolve())
        # Kernels inherit this: their widgets then send a stub that imports their browser
        # code from rdlearn/assets/ (cached by the browser), not the code itself.
        os.environ[assets.SERVED_VARIABLE] = "1"
        self.tornado_settings = {**self.tornado_settings, "rdlearn_root": self.root_dir}
        loop = asyncio.get_event_loop()
        loop.call_soon(lambda: asyncio.ensure_future(self._announce_when_ready()))
        super().start()

    async def _announce_when_ready(self, *, patience: float = 240.0):
        expected = self.rdlearn_options.pool_sizes() if self.rdlearn_options else {}
        loop = asyncio.get_event_loop()
        deadline = loop.time() + patience
        progress = self.rdlearn_options.on_progress if self.rdlearn_options else None
        total = sum(expected.values())
        while not self._pools_ready(expected):
            if progress:
                progress(self._warm_count(expected), total)
            if loop.time() > deadline:
                self.log.warning("Some pages are still warming up after %.0f s; serving anyway.",
                                 patience)
                break
            await asyncio.sleep(0.2)
        if progress:
            progress(self._warm_count(expected), total)
        url = f"http://{'127.0.0.1' if self.ip in ('0.0.0.0', '') else self.ip}:{self.port}/"
        if self.rdlearn_options and self.rdlearn_options.on_ready:
            self.rdlearn_options.on_ready(url)

    def _warm_count(self, expected: dict[str, int]) -> int:
        """How many preheated pages have finished running their notebook."""
        pools = getattr(self.kernel_manager, "_pools", {})
        return sum(min(size, sum(1 for item in pools.get(name, []) if _warm(item)))
                   for name, size in expected.items())

    def _pools_ready(self, expected: dict[str, int]) -> bool:
        pools = getattr(self.kernel_manager, "_pools", {})
        for name, size in expected.items():
            if replace_failed(self.kernel_manager, name, self.log):
                return False
            pool = pools.get(name, [])
            if len(pool) < size:
                return False
            for item in pool:
                if not item.done():
                    return False
                if not item.result()["task"].done():
                    return False
        return True


def run(options: ServeOptions) -> None:
    """Serve the app until interrupted (used by ``rdlearn serve``)."""
    jupyter_path = os.environ.get("JUPYTER_PATH", "")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(template_root()), jupyter_path) if p
    )
    app = RdlearnVoila(config=voila_config(options))
    app.rdlearn_options = options
    app.initialize(argv=[])
    if options.log_handler is not None:
        app.log.addHandler(options.log_handler)
    app.start()
    sys.stdout.flush()
