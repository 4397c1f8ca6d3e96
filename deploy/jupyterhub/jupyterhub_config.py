# JupyterHub recipe for rdlearn rooms: one room = one `rdlearn serve` (the restricted
# standalone app) run by the hub as a managed service at /services/<room>/. See README.md.
#
# Rooms are listed in rooms.json beside this file (or the file $RDLEARN_ROOMS names):
#   [{"name": "room-a", "port": 8871, "store": "postgresql+psycopg://...", "login": true,
#     "room_size": 24, "facilitator_key": "...", "facilitators_group": "facilitators"}]
import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (given by JupyterHub's config loader)
HERE = Path(__file__).resolve().parent
ROOMS = json.loads(Path(os.environ.get("RDLEARN_ROOMS", HERE / "rooms.json")).read_text())

# Participants never get a single-user Jupyter server of their own: rooms are services, and
# a share link into someone's Jupyter server would open its /api/contents and /api/kernels.
c.JupyterHub.default_url = "/hub/home"
# Each room's facilitators are a hub group ("facilitators" unless the room names another):
# in a room behind the hub login, its members get the facilitator console unlocked without
# typing the key. Add the institute's facilitators to the groups' "users".
GROUPS = sorted({room.get("facilitators_group", "facilitators") for room in ROOMS})
c.JupyterHub.load_groups = {group: {"users": []} for group in GROUPS}
c.JupyterHub.load_roles = [
    # Every hub user may join a room that asks for a hub login.
    {"name": "user", "scopes": ["self", "access:services"]},
    # Facilitators may also see the rooms' state in the hub.
    {"name": "room-facilitator", "groups": GROUPS,
     "scopes": ["access:services", "read:services"]},
]

_room_config = HERE / "room-config"  # Voilà reads voila.py there
_pythonpath = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", ""))
                              if p)  # for rdlearn_hub.py
services = []
for room in ROOMS:
    name, port = room["name"], int(room["port"])
    environment = {
        "JUPYTER_CONFIG_DIR": str(_room_config),
        "PYTHONPATH": _pythonpath,
        "RDLEARN_STORE": room["store"],  # the institute's PostgreSQL, one database per room
        "RDLEARN_HUB_LOGIN": "1" if room.get("login", True) else "0",
        "RDLEARN_FACILITATORS_GROUP": room.get("facilitators_group", "facilitators"),
    }
    if room.get("facilitator_key"):
        environment["RDLEARN_FACILITATOR_KEY"] = room["facilitator_key"]
    command = [sys.executable, "-m", "rdlearn.serve.cli", "serve", "--port", str(port),
               "--room-size", str(room.get("room_size", 24)),
               # the hub's proxy is this machine: believe its X-Forwarded-For
               "--trusted-proxy", "127.0.0.1"]
    if room.get("notebooks"):
        command += ["--notebooks", room["notebooks"]]
    services.append({
        "name": name,
        "url": f"http://127.0.0.1:{port}",
        "command": command,
        "environment": environment,
        "oauth_no_confirm": True,
        "display": True,
    })
c.JupyterHub.services = services
