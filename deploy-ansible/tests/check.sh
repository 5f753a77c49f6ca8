#!/usr/bin/env bash
# Static checks CI runs on every build: both playbooks parse (syntax check against the example inventory) and
# ansible-lint (production profile) finds nothing. Needs the Debian packages ansible (ansible-core 2.14 plus the
# community collections) and ansible-lint; takes about half a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in ansible-playbook ansible-lint; do
  command -v "$tool" >/dev/null || { echo "check: $tool is missing (apt-get install ansible ansible-lint)" >&2; exit 1; }
done
# The release tarball need not exist for a syntax check; name a placeholder so the fileglob default stays quiet.
ansible-playbook --syntax-check -i inventory/example/hosts.yml -e bifrost_release_tarball=/nonexistent.tar.gz \
  site.yml rolling_edge_upgrade.yml
ansible-lint --profile production --strict --nocolor site.yml rolling_edge_upgrade.yml roles inventory
echo "check: syntax and lint clean"
