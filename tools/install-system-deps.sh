#!/usr/bin/env bash
# Install the Debian packages the tests need: python3-venv for tox's
# virtualenvs and rabbitmq-server for the message bus tests (the package does
# not start a broker; the tests start private ones on 127.0.0.1).
set -euo pipefail
packages=(python3-venv rabbitmq-server)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
        grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
# NOTE: Debian starts the system broker on installation where an init system
# runs; the tests never use it (they start private ones bound to loopback),
# so it is stopped to keep the machine's ports free and nothing listening
# beyond 127.0.0.1.
$sudo systemctl disable --now rabbitmq-server >/dev/null 2>&1 ||
    $sudo service rabbitmq-server stop >/dev/null 2>&1 || true
