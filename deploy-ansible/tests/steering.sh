#!/usr/bin/env bash
# The test stand-in for viewer steering (until the control plane steers): a file of "name url on|off" lines that
# the polling client reads before every request. rolling_edge_upgrade.yml's steering hooks call
#   steering.sh FILE drain NAME     stop steering viewers to NAME
#   steering.sh FILE enable NAME    steer viewers to NAME again
set -euo pipefail
file="$1" action="$2" name="$3"
case "$action" in
  drain) state=off ;;
  enable) state=on ;;
  *) echo "steering: unknown action $action (drain or enable)" >&2; exit 2 ;;
esac
grep -q "^$name " "$file" || { echo "steering: $name is not in $file" >&2; exit 1; }
awk -v n="$name" -v s="$state" '$1 == n { $3 = s } { print }' "$file" > "$file.tmp"
mv "$file.tmp" "$file"
