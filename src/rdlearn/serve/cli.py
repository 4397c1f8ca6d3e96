"""The ``rdlearn`` command: ``serve`` the app, ``check`` the content.

Errors a facilitator can meet (a port in use, a missing folder, a broken data file) are
printed as one line that says what to do, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import socket
import sys
from pathlib import Path

from rdlearn.web import facilitator

__all__ = ["main"]


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed as one line."""


def notebooks_dir() -> Path:
    """The folder of the app's notebooks: shipped in the wheel, or ``notebooks/`` in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the rdlearn package
    for candidate in (here / "notebooks", here.parents[1] / "notebooks"):
        if candidate.is_dir():
            return candidate
    return here.parents[1] / "notebooks"


def _check_port_free(ip: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((ip, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"port {port} is already in use: stop the other program, "
                    f"or choose another port with --port"
                ) from None
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise UserError(
                    f"not allowed to listen on port {port}: choose another with --port"
                ) from None
            raise UserError(f"cannot listen on {ip}:{port}: {exc.strerror}") from None


def lan_addresses() -> list[str]:
    """The IPv4 addresses of this machine on the local network (no packet is sent)."""
    found = []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        address = info[4][0]
        if not address.startswith("127.") and address not in found:
            found.append(address)
    return found


def use_store(address: str | None, trusted_proxies: list[str] | None = None) -> str:
    """Check the room's store (and the trusted proxies) before anything is served.

    ``address`` is a file path or a database URL (``postgresql+psycopg://...``); it is put in
    ``RDLEARN_STORE`` for every kernel and audience route. A malformed or unreachable
    store is one line naming the problem and the address without its password. Returns
    the store as it may be shown.
    """
    from rdlearn.room.audience import TRUSTED_PROXIES_VARIABLE, parse_trusted_proxies
    from rdlearn.room.store import Store, StoreError

    if trusted_proxies:
        try:
            parse_trusted_proxies(",".join(trusted_proxies))
        except ValueError as exc:
            raise UserError(f"--trusted-proxy: {exc}") from None
        os.environ[TRUSTED_PROXIES_VARIABLE] = ",".join(trusted_proxies)
    if address is not None:
        if not address.strip():
            raise UserError("--store needs a file path or a database URL")
        os.environ["RDLEARN_STORE"] = address.strip()
    try:
        return Store().location
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _join_text(url: str) -> str:
    """The join address and its QR code, as text for the terminal."""
    import io

    import segno

    qr = io.StringIO()
    segno.make(url, error="m").terminal(out=qr, compact=True)
    return f"Participants join at: {url}\n{qr.getvalue().rstrip()}"


def _serve(args: argparse.Namespace) -> int:
    from rdlearn.serve.app import PAGE_PATTERN, ServeOptions, run

    folder = Path(args.notebooks) if args.notebooks else notebooks_dir()
    if not folder.is_dir():
        raise UserError(f"notebook folder not found: {folder}")
    if not any(PAGE_PATTERN.match(p.name) for p in folder.glob("*.ipynb")):
        raise UserError(f"no workshop pages (such as 00_welcome.ipynb) in {folder}")
    if not 1 <= args.port <= 65535:
        raise UserError("--port must be between 1 and 65535")
    if not 1 <= args.room_size <= 500:
        raise UserError("--room-size must be between 1 and 500")
    if not 0 <= args.refill_delay <= 600:
        raise UserError("--refill-delay must be between 0 and 600 seconds")
    ip = "0.0.0.0" if args.lan else "127.0.0.1"
    _check_port_free(ip, args.port)
    use_store(args.store, args.trusted_proxy)
    from rdlearn.content import loader as content

    problems = content.check_all()
    if problems:
        raise UserError(f"{problems[0]} (run `rdlearn check` to list every problem)")

    addresses = lan_addresses() if args.lan else []
    if addresses:
        os.environ["RDLEARN_PUBLIC_URL"] = f"http://{addresses[0]}:{args.port}"
    key = args.facilitator_key or os.environ.get(facilitator.KEY_VARIABLE) or (
        secrets.token_urlsafe(6)
    )
    os.environ[facilitator.KEY_VARIABLE] = key

    from rdlearn.serve import terminal

    log_path = Path(args.log_file) if args.log_file else terminal.default_log_path()
    calm = contextlib.ExitStack()
    try:
        term = calm.enter_context(terminal.calm(log_path))
    except OSError as exc:
        raise UserError(f"cannot write the log file {log_path}: {exc.strerror}") from None
    progress = terminal.Progress(interactive=term.interactive)

    def on_ready(local_url: str) -> None:
        term.say(f"rdlearn is ready: {local_url}")
        term.say(f"Facilitator key: {key}  (the facilitator console asks for it)")
        if (folder / "06_facilitator-console.ipynb").exists():
            term.say(f"Facilitator console (for you, not the room): "
                     f"{local_url}voila/render/06_facilitator-console.ipynb")
        for address in addresses:
            term.say(_join_text(f"http://{address}:{args.port}/"))
        term.say("Press Ctrl+C to stop.")

    term.say(f"Starting rdlearn with {folder} for a room of {args.room_size}.")
    term.say(f"Messages for developers go to {log_path}")
    options = ServeOptions(
        notebooks=folder.resolve(),
        port=args.port,
        ip=ip,
        room_size=args.room_size,
        theme=args.theme,
        cull_idle_timeout=args.cull_idle_timeout,
        cull_interval=max(1, min(60, args.cull_idle_timeout // 2)),
        facilitator_key=key,
        refill_delay=args.refill_delay,
        on_ready=on_ready,
        on_progress=lambda ready, total: term.draw(progress.update(ready, total)),
        log_handler=term.error_handler(),
    )
    with calm:
        run(options)
    return 0


def _check(args: argparse.Namespace) -> int:
    from rdlearn.content import loader as content

    problems = content.check_all()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in the content.")
        return 1
    print("All content files are valid.")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from rdlearn.room.questions import WorkshopCodeError, normalise_workshop_code
    from rdlearn.room.store import Store, StoreError

    try:
        code = normalise_workshop_code(args.workshop) if args.workshop is not None else None
        if args.store:
            os.environ["RDLEARN_STORE"] = args.store
        store = Store()
        deleted = store.purge(code)
    except (WorkshopCodeError, StoreError) as exc:
        raise UserError(str(exc)) from None
    if code is None:
        print(f"Deleted the group answers of {deleted} workshop(s) from {store.location}.")
    elif deleted:
        print(f"Deleted every group answer of workshop {code}.")
    else:
        print(f"There was no workshop {code}; nothing was deleted.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rdlearn", description="Run a relational-depth workshop or keynote from one laptop."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the workshop app")
    serve.add_argument("--port", type=int, default=8866, help="port to listen on (8866)")
    serve.add_argument("--room-size", type=int, default=4,
                       help="expected number of participants; sizes the kernel pool (4)")
    serve.add_argument("--lan", action="store_true",
                       help="listen on the local network and print the join address and a QR code")
    serve.add_argument("--theme", choices=["light", "dark"], default="light")
    serve.add_argument("--notebooks", help="folder of notebooks to serve (the app's own)")
    serve.add_argument("--cull-idle-timeout", type=int, default=600,
                       help="seconds before an idle kernel with no open page is freed (600)")
    serve.add_argument("--facilitator-key", help="use this facilitator key instead of a new one")
    serve.add_argument("--refill-delay", type=float, default=20.0,
                       help="seconds before a kernel taken from the pool is replaced (20)")
    serve.add_argument("--store", metavar="PATH_OR_URL",
                       help="the room's store: a SQLite file (default: $RDLEARN_STORE or the "
                            "data folder) or postgresql+psycopg://user:password@host/db")
    serve.add_argument("--trusted-proxy", metavar="ADDR", action="append",
                       help="a reverse proxy's address (or network) whose X-Forwarded-For "
                            "is believed for per-address limits; repeat for several")
    serve.add_argument("--log-file", help="where messages for developers go "
                       "(default: a new file under ~/.local/state/rdlearn/logs/)")
    serve.set_defaults(func=_serve)

    check = sub.add_parser("check", help="validate every content file in data/")
    check.set_defaults(func=_check)

    purge = sub.add_parser("purge", help="delete the room's group answers now, leaving no trace")
    purge.add_argument("--workshop", metavar="CODE",
                       help="delete only this workshop's answers (default: every workshop)")
    purge.add_argument("--store", metavar="PATH_OR_URL",
                       help="the store to purge (default: $RDLEARN_STORE or the data folder)")
    purge.set_defaults(func=_purge)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``rdlearn`` with ``argv`` (default: the command line); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"rdlearn: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
