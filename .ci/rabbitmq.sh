#!/usr/bin/env bash
# Installs (if missing) and starts Debian's RabbitMQ on 127.0.0.1, creates the test user, and prints
#   export CONCORD_RABBITMQ='amqp://...'
# for the caller to eval. Idempotent: on a machine where the broker already runs it only checks the user.
# Runs as root (CI) or as a user who may sudo.
set -euo pipefail
user="${CONCORD_RABBITMQ_USER:-concord}"
password="${CONCORD_RABBITMQ_PASSWORD:-concord-ci}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  echo "Installing RabbitMQ (Debian package)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq --no-install-recommends rabbitmq-server >&2
fi
export PATH="$PATH:/usr/sbin"
# Erlang's port mapper (epmd, 4369) and the node's distribution port (25672) listen on every interface by default:
# keep them on loopback too. Any rabbitmqctl call may start epmd, so each one carries the address.
ctl() { as_root env ERL_EPMD_ADDRESS=127.0.0.1 rabbitmqctl "$@"; }

# Loopback only, whatever the package's defaults; no systemd here: start the node detached.
if [ ! -f /etc/rabbitmq/conf.d/10-concord-loopback.conf ]; then
  as_root mkdir -p /etc/rabbitmq/conf.d
  printf 'listeners.tcp.1 = 127.0.0.1:5672\n' | as_root tee /etc/rabbitmq/conf.d/10-concord-loopback.conf >/dev/null
fi
if ! ctl -q status >/dev/null 2>&1; then
  as_root env ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' rabbitmq-server -detached >&2
fi
# A detached node takes seconds to register with epmd, and await_startup fails at once (it does not
# wait) while the node is not yet known: poll until the node answers, then wait for the app to boot.
for _ in $(seq 1 120); do
  if ctl -q ping >/dev/null 2>&1; then break; fi
  sleep 1
done
ctl -q await_startup --timeout 120 >&2

if ! ctl -q list_users | grep -q "^$user[[:space:]]"; then
  ctl -q add_user "$user" "$password" >&2
fi
ctl -q set_permissions -p / "$user" '.*' '.*' '.*' >&2

echo "export CONCORD_RABBITMQ='amqp://$user:$password@127.0.0.1:5672/'"
