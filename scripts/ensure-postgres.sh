#!/usr/bin/env bash
# The store tests start their own throwaway PostgreSQL (Debian's server: initdb, pg_ctl).
# Install it when missing and we are root. Nothing is started here, and no cluster is kept.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's postgresql for the store tests..."
  apt-get update -qq
  # No cluster of its own: the tests make theirs in a temporary folder.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/rdlearn.conf
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "The store tests need PostgreSQL's server (initdb, pg_ctl): run 'sudo apt-get install postgresql' and try again." >&2
exit 1
