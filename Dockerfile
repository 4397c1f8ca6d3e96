# The rdlearn room server: `rdlearn serve` in a container, for the JupyterHub recipe
# (deploy/jupyterhub/) or a Kubernetes deployment (zero-to-jupyterhub's singleuser image or
# a plain Deployment). One container = one room. The room store is a PostgreSQL URL in
# RDLEARN_STORE (the container's own disk is thrown away with it); without one, a SQLite
# file in /home/rdlearn/.local/share/rdlearn is used (mount a volume there to keep it).
#
#   docker build -t rdlearn .
#   docker run -p 8866:8866 -e RDLEARN_STORE=postgresql+psycopg://rdlearn:PASSWORD@db/rdlearn \
#              -e RDLEARN_FACILITATOR_KEY=choose-a-key rdlearn
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# Only what the package needs to build: its code, content and notebooks (see .dockerignore).
WORKDIR /opt/rdlearn
COPY pyproject.toml README.md LICENSE LICENSE-content ./
COPY src ./src
COPY data ./data
COPY notebooks ./notebooks
RUN pip install ".[postgres]" && rdlearn check

# Never root: the room server needs no privileges.
RUN useradd --create-home --uid 1000 rdlearn
USER rdlearn
WORKDIR /home/rdlearn

EXPOSE 8866
# --lan listens on every interface of the container (0.0.0.0); put a reverse proxy or the
# hub's proxy in front, and name it with --trusted-proxy so per-address limits see clients.
CMD ["rdlearn", "serve", "--lan", "--port", "8866", "--room-size", "24"]
