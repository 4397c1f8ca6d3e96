# Voilà's configuration for a room served through JupyterHub (read because the hub recipe
# sets JUPYTER_CONFIG_DIR to this folder for each room). rdlearn serve's own settings (the
# template, the kernel pools, the restricted routes) come from rdlearn itself.
import os

c = get_config()  # noqa: F821 (given by the config loader)

# The hub's proxy sends /services/<room>/ to this server without stripping the prefix.
c.Voila.base_url = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")

if os.environ.get("RDLEARN_HUB_LOGIN") == "1":
    # Every route of the room needs a hub login: landing page, session pages, assets,
    # kernels, the hall's audience page and its API (rdlearn.serve.login).
    c.Voila.identity_provider_class = "rdlearn_hub.RoomHubLogin"
    # Its members get the facilitator console unlocked without typing the key.
    c.RoomHubLogin.facilitators_group = os.environ.get("RDLEARN_FACILITATORS_GROUP",
                                                       "facilitators")
