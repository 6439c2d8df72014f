#!/usr/bin/env bash
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

# Install the Debian packages the tests need, as listed in bindep.txt:
# python3-venv for tox's virtualenvs, RabbitMQ, PostgreSQL and MariaDB
# servers for the bus and database tests (the tests start private servers
# on 127.0.0.1; the system ones are stopped).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

apt_install() {
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
        --no-install-recommends "$@"
}

# NOTE: bindep runs from a virtualenv, which needs python3-venv first.
python3 -m venv --help >/dev/null 2>&1 &&
    python3 -c 'import ensurepip' >/dev/null 2>&1 || apt_install python3-venv
venv="$top/.bindep-venv"
if [ ! -x "$venv/bin/bindep" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet bindep
fi
# NOTE: bindep -b prints the missing packages, one per line, and exits 1
# when there are some.
missing=$("$venv/bin/bindep" -b -f "$top/bindep.txt" test || true)
[ -z "$missing" ] && exit 0
# shellcheck disable=SC2086
apt_install $missing
# NOTE: Debian starts the system servers on installation where an init
# system runs; the tests never use them (they start private ones bound to
# loopback), so they are stopped to keep the machine's ports free and
# nothing listening beyond 127.0.0.1.
for service in rabbitmq-server postgresql mariadb; do
    $sudo systemctl disable --now "$service" >/dev/null 2>&1 ||
        $sudo service "$service" stop >/dev/null 2>&1 || true
done
