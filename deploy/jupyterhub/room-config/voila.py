# Voilà's configuration for a room served through JupyterHub (read because the hub recipe
# sets JUPYTER_CONFIG_DIR to this folder for each room). rdlearn serve's own settings (the
# template, the kernel pools, the restricted routes) come from rdlearn itself.
import os

c = get_config()  # noqa: F821 (given by the config loader)

# The hub's proxy sends /services/<room>/ to this server without stripping the prefix.
c.Voila.base_url = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")

if os.environ.get("RDLEARN_HUB_LOGIN") == "1":
    # Session pages and kernels need a hub login (the landing page and the hall's
    # kernel-free audience routes stay open, as on the laptop).
    c.Voila.identity_provider_class = "rdlearn_hub.RoomHubLogin"
