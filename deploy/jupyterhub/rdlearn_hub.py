"""Hub login for a room server: JupyterHub's OAuth for services in front of ``rdlearn serve``.

Voilà (which ``rdlearn serve`` runs) takes a Jupyter Server identity provider. This is
JupyterHub's own (:class:`jupyterhub.singleuser.extension.JupyterHubIdentityProvider`, built
on :class:`jupyterhub.services.auth.HubOAuth`), with its two routes (the OAuth callback and
logout) mounted under the room's prefix, which standalone Voilà does not add by itself.

Only what Voilà guards needs the login: the session pages and their kernels. The hub user's
name stays in this process's memory for the request; nothing writes it to the room's store
(the store keeps workshop codes and salted browser tokens only).
"""

import os

from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from jupyterhub.utils import url_path_join


class RoomHubLogin(JupyterHubIdentityProvider):
    """JupyterHub OAuth for a room served under ``$JUPYTERHUB_SERVICE_PREFIX``."""

    def get_handlers(self):
        """The callback and logout routes, under the room's prefix."""
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
        return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]
