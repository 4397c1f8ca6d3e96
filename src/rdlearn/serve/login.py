"""A room behind a login: every route asks for it, and the login's facilitators get the key.

On the laptop nothing here applies: Voilà's own identity provider has no login, so the
routes are served as they are and ``rdlearn/facilitator`` does not exist.

A room served behind a login (the JupyterHub recipe's identity provider,
``deploy/jupyterhub/rdlearn_hub.py``) says so with two members of its identity provider:
``login_every_route = True`` and ``is_facilitator(user)``. Then :func:`routes`

* puts every route behind the login (landing page, session pages, assets, the hall's
  audience page and its API, kernels): a stranger's page request is sent to the login, any
  other request (an API call, a websocket, a form sent) is refused with 403. Only the
  login's own routes (its callback, logout) stay open;
* lets the login's cookie stand for a same-origin script's read (``GET``/``HEAD`` with
  ``Sec-Fetch-Site: same-origin``): JupyterHub's login otherwise wants an XSRF token with
  every request a script makes, and a module import (the widgets' code) cannot send one.
  What changes something, and the facilitator key, still need the token;
* adds ``rdlearn/facilitator``: for a logged-in member of the room's facilitators group
  it answers the room's facilitator key (never cached), for everyone else 403. The
  facilitator console's browser code asks it and hands the key to the kernel, which checks
  it like a typed key (:func:`rdlearn.web.facilitator.key_matches`, the one rule).
"""

from __future__ import annotations

import functools
import inspect
import json

import tornado.web

from rdlearn.web import facilitator

__all__ = ["FACILITATOR_ROUTE", "behind_login", "guards_every_route", "routes"]

#: Where a page asks for the facilitator key, under the room's base URL.
FACILITATOR_ROUTE = "rdlearn/facilitator"


def guards_every_route(identity_provider) -> bool:
    """Whether this identity provider asks for a login on every route (not on the laptop)."""
    return bool(getattr(identity_provider, "login_every_route", False))


async def _user(handler: tornado.web.RequestHandler):
    found = handler.settings["identity_provider"].get_user(handler)
    return await found if inspect.isawaitable(found) else found


def _page_request(request) -> bool:
    """A page the browser navigates to (sent to the login), not an API call or a websocket."""
    return (request.method in ("GET", "HEAD") and "/api/" not in request.path
            and request.headers.get("Upgrade", "").lower() != "websocket")


class _LoginFirst:
    """Mixed in before a route's handler: no login, no route."""

    def check_xsrf_cookie(self):
        if (self.request.method in ("GET", "HEAD")
                and self.request.headers.get("Sec-Fetch-Site") == "same-origin"):
            return None  # a read by the room's own page (the browser sets this header)
        return super().check_xsrf_cookie()

    async def prepare(self, *args, **kwargs):
        if await _user(self) is None:
            if not _page_request(self.request):
                raise tornado.web.HTTPError(403)
            self.redirect(self.get_login_url())
            return
        result = super().prepare(*args, **kwargs)
        if inspect.isawaitable(result):
            await result


@functools.cache
def _behind_login(handler: type) -> type:
    return type(handler.__name__, (_LoginFirst, handler), {"__module__": handler.__module__})


class FacilitatorKey(tornado.web.RequestHandler):
    """``GET rdlearn/facilitator``: the room's key, for its facilitators group only."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Pragma", "no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Type", "application/json; charset=utf-8")

    async def get(self) -> None:
        user = await _user(self)
        key = facilitator.expected_key()
        if user is None or not key or not self.settings["identity_provider"].is_facilitator(user):
            raise tornado.web.HTTPError(403)  # answered by write_error
        self.finish(json.dumps({"key": key}))

    def write_error(self, status_code: int, **kwargs) -> None:
        self.finish(json.dumps({"error": "Only the room's facilitators get its key here."}))


def _spec_handler(spec) -> type:
    return spec.handler_class if isinstance(spec, tornado.web.URLSpec) else spec[1]


def _with_handler(spec, handler: type):
    if isinstance(spec, tornado.web.URLSpec):
        return tornado.web.URLSpec(spec.regex.pattern, handler, spec.kwargs, spec.name)
    return (spec[0], handler, *spec[2:])


def routes(identity_provider, base: str, handlers: list) -> list:
    """``handlers`` as the room serves them: unchanged on the laptop, behind the login else."""
    if not guards_every_route(identity_provider):
        return handlers
    open_to_all = {_spec_handler(spec) for spec in identity_provider.get_handlers()}
    guarded = [spec if _spec_handler(spec) in open_to_all
               else _with_handler(spec, _behind_login(_spec_handler(spec)))
               for spec in handlers]
    return [(base + FACILITATOR_ROUTE, FacilitatorKey), *guarded]


def behind_login(init_handlers):
    """Decorate a Voilà application's ``init_handlers`` with :func:`routes`."""

    @functools.wraps(init_handlers)
    def wrapper(app) -> list:
        return routes(getattr(app, "identity_provider", None), app.server_url,
                      init_handlers(app))

    return wrapper
