"""Hub login for a room server: JupyterHub's OAuth for services in front of ``rdlearn serve``.

Voilà (which ``rdlearn serve`` runs) takes a Jupyter Server identity provider. This is
JupyterHub's own (:class:`jupyterhub.singleuser.extension.JupyterHubIdentityProvider`, built
on :class:`jupyterhub.services.auth.HubOAuth`), with its two routes (the OAuth callback and
logout) mounted under the room's prefix, which standalone Voilà does not add by itself.

Every route of the room needs the login (``login_every_route``, read by
``rdlearn.serve.login``): the landing page, the session pages, their assets and kernels,
the hall's audience page and its API. A member of the room's facilitators group
(:attr:`RoomHubLogin.facilitators_group`, from the hub's user model, whose ``groups`` the
OAuth token may read) gets the facilitator console unlocked without typing the key.

The hub user's name stays in this process's memory for the request; nothing writes it to
the room's store (the store keeps workshop codes and salted browser tokens only).
"""

import os

from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from jupyterhub.utils import url_path_join
from traitlets import Unicode


class RoomHubLogin(JupyterHubIdentityProvider):
    """JupyterHub OAuth for a room served under ``$JUPYTERHUB_SERVICE_PREFIX``."""

    #: Read by rdlearn.serve.login: strangers reach no route of the room.
    login_every_route = True

    facilitators_group = Unicode(
        "facilitators", config=True,
        help="The hub group whose members get the room's facilitator console unlocked.")

    def is_facilitator(self, user) -> bool:
        """Whether this logged-in hub user is in the room's facilitators group."""
        groups = (getattr(user, "hub_user", None) or {}).get("groups") or []
        return self.facilitators_group in groups

    def get_handlers(self):
        """The callback and logout routes, under the room's prefix."""
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
        return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]
