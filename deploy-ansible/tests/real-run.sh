#!/usr/bin/env bash
# Real run of the playbooks against two booted Debian 12 hosts (systemd-nspawn containers of an mmdebstrapped
# bookworm, reached through tests/connection_plugins/bifrost_nsenter.py: community.docker.nsenter plus pipelining;
# they share this machine's network, so every port here is in the 28xxx range):
#
#   node1: edge (28080, TLS 28443, ops 28090, Aeron live data 28457/udp) + origin (28081/28091, relay 28083, Aeron live
#          control 28456/udp) + control (28082/28092, edge fleet 28458-28459/udp) + ingest (RTMP 28935, RTMPS 28936,
#          SRT 28937/udp, ops 28093)
#   node2: edge (28180, TLS 28543, ops 28190, Aeron live data 28557/udp)
#
# 1. site.yml brings everything up; the edges serve a segment they fill from a test origin (python http.server on
#    28001), over HTTP and HTTPS (certificate placed from variables), the other roles answer /readyz.
# 2. site.yml again: changed=0 on every host.
# 3. rolling_edge_upgrade.yml to a new release while a client polls the edges through the steering file that the
#    upgrade's steering hooks edit: no failed request, both edges end on the new release.
# With --full (by hand; CI runs 1-3, about 6-8 minutes on 2 cores):
# 4. rolling_edge_upgrade.yml to a broken release: the first batch fails its health check, the rollout stops there
#    (node2 keeps the good release), the failed edge stays drained, and the client still sees no failed request.
# 5. rolling_edge_upgrade.yml to the good release again: node1 comes back and is steered to again.
#
# usage: deploy-ansible/tests/real-run.sh [--full] [RELEASE_TARBALL]   (default: the one in launcher/target)
# Needs root, ansible, mmdebstrap, systemd-container, curl, openssl, python3. When this machine cannot run a
# container at all (no namespaces, or systemd-nspawn cannot start one), it prints "real-run: not run: <reason>" and
# exits 0; every other problem fails. BIFROST_ANSIBLE_KEEP=1 keeps the work directory (logs, container trees).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deploy="$(cd "$here/.." && pwd)"
repo="$(cd "$deploy/.." && pwd)"
t0=$(date +%s)
log() { echo "real-run: [$(( $(date +%s) - t0 ))s] $*"; }
fail() { echo "real-run: FAILED: $*" >&2; exit 1; }

not_run() { echo "real-run: not run: $*"; exit 0; }

full=false
if [ "${1:-}" = --full ]; then full=true; shift; fi
for tool in ansible-playbook mmdebstrap systemd-nspawn nsenter unshare curl openssl python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done
[ "$(id -u)" = 0 ] || fail "must run as root (mmdebstrap, systemd-nspawn, nsenter)"

shopt -s nullglob
if [ $# -gt 0 ]; then tarballs=("$1"); else tarballs=("$repo"/launcher/target/bifrost-*-linux-x64.tar.gz); fi
shopt -u nullglob
[ "${#tarballs[@]}" = 1 ] && [ -f "${tarballs[0]}" ] || fail "need exactly one release tarball (run ./mvnw package); got: ${tarballs[*]:-none}"
tarball="$(readlink -f "${tarballs[0]}")"
release_name="$(basename "$tarball")"

# --- can this machine run containers at all? ------------------------------------------------------------------------
# Only these two probes may end the run without a verdict: each proves the capability missing (an unprivileged
# container, a sandbox without user or mount namespaces), not a fault of the playbooks. A trivial container runs the
# host's own /usr on an empty root, so the probe needs no root file system yet.
probe="$(unshare --mount --uts --ipc --net --pid --fork --mount-proc true 2>&1)" \
  || not_run "this machine cannot create namespaces (unshare: ${probe:-failed}); the playbooks' real run needs root with namespaces"
probe="$(systemd-nspawn --quiet --register=no --keep-unit --volatile=yes -M bifrost-probe -D / /usr/bin/true 2>&1)" \
  || not_run "systemd-nspawn cannot start a container here: $(tail -n 1 <<< "$probe")"
log "probe: systemd-nspawn runs containers here$($full && echo '; full run (broken release and recovery too)')"

rootfs="$("$here/rootfs.sh")"
log "root file system: $rootfs"
work="$(mktemp -d /var/tmp/bifrost-ansible-run.XXXXXX)"
declare -A nspawn_pid=() leader=()
background=()

cleanup() {
  local status=$?
  touch "$work/stop" 2>/dev/null || true
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    for node in "${!leader[@]}"; do # what the services said, for the CI log
      { in_node "$node" systemctl status --no-pager --lines=0 'bifrost-*'
        in_node "$node" journalctl --no-pager --lines=60 --unit='bifrost-*'
        in_node "$node" sh -c 'head -n 40 /etc/bifrost/*.conf /etc/systemd/system/bifrost-*.service'
      } > "$work/$node.diagnostics" 2>&1 || true
      echo "real-run: --- $node: services and their last log lines ---" >&2
      tail -n 40 "$work/$node.diagnostics" >&2
    done
  fi
  for node in "${!nspawn_pid[@]}"; do kill -TERM "${nspawn_pid[$node]}" 2>/dev/null || true; done
  for node in "${!nspawn_pid[@]}"; do
    for _ in $(seq 150); do kill -0 "${nspawn_pid[$node]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${nspawn_pid[$node]}" 2>/dev/null || true
    wait "${nspawn_pid[$node]}" 2>/dev/null || true  # reaped, so the CPU time below counts the containers too
  done
  # `times` in this shell (a command substitution would report its own subshell): user and system CPU of all children.
  times > "$work/cpu-times" 2>/dev/null || true
  cpu="$(tail -n 1 "$work/cpu-times" 2>/dev/null || true)"
  if [ "$status" != 0 ] || [ "${BIFROST_ANSIBLE_KEEP:-}" = 1 ]; then
    echo "real-run: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
  log "done (exit $status); CPU time of everything it started (user, system): ${cpu:-unknown}"
}
trap cleanup EXIT
trap 'exit 143' TERM  # a stopped run cleans up too, and reports itself failed
trap 'exit 130' INT

in_node() { local node=$1; shift; nsenter --target "${leader[$node]}" --mount --uts --ipc --net --pid -- "$@"; }

boot() {
  local node=$1
  cp -a --reflink=auto "$rootfs" "$work/$node"
  echo "$node" > "$work/$node/etc/hostname"
  systemd-nspawn --quiet --register=no --keep-unit --console=read-only -D "$work/$node" -M "$node" -b \
    > "$work/$node.console" 2>&1 < /dev/null &
  nspawn_pid[$node]=$!
}

wait_booted() {
  local node=$1 pid="" state=""
  for _ in $(seq 600); do
    pid="$(pgrep -P "${nspawn_pid[$node]}" || true)"
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = systemd ]; then
      state="$(timeout 60 nsenter --target "$pid" --mount --uts --ipc --net --pid -- \
        systemctl is-system-running --wait 2>/dev/null || true)"
      [ "$state" = running ] || [ "$state" = degraded ] && break
    fi
    sleep 0.2
  done
  [ "$state" = running ] || [ "$state" = degraded ] || fail "$node did not boot (state '$state'; see $work/$node.console)"
  leader[$node]=$pid
}

# --- boot the hosts ----------------------------------------------------------------------------------------------
boot node1
boot node2
wait_booted node1
wait_booted node2
log "node1 (pid ${leader[node1]}) and node2 (pid ${leader[node2]}) booted"

# --- test origin, TLS certificate, steering file, inventory --------------------------------------------------------
mkdir -p "$work/origin/vod/demo/720p"
head -c 262144 /dev/urandom > "$work/origin/vod/demo/720p/1.m4s"
segment=/vod/demo/720p/1.m4s
segment_bytes=262144
python3 -m http.server 28001 --bind 127.0.0.1 --directory "$work/origin" > "$work/origin.log" 2>&1 &
background+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
printf 'node1 http://127.0.0.1:28080 on\nnode2 http://127.0.0.1:28180 on\n' > "$work/steering"

cat > "$work/inventory.yml" <<EOF
all:
  vars:
    ansible_connection: bifrost_nsenter
    ansible_python_interpreter: /usr/bin/python3
    ansible_become: false  # nsenter is root already; the hosts have no sudo
    bifrost_release_tarball: $tarball
    bifrost_log_format: text
    bifrost_drain_timeout_seconds: 5
    bifrost_origin_port: 28081
    bifrost_origin_ops_port: 28091
    bifrost_origin_heap: 256m
    bifrost_control_port: 28082
    bifrost_control_ops_port: 28092
    bifrost_control_heap: 256m
    bifrost_ingest_rtmp_port: 28935
    bifrost_ingest_rtmps_port: 28936
    bifrost_ingest_srt_port: 28937
    bifrost_ingest_ops_port: 28093
    bifrost_ingest_heap: 256m
    bifrost_ingest_settings: {ingest.control-url: "http://127.0.0.1:28082"}
    # The hosts share this machine's network, so the fixed UDP/TCP ports of live replication and the edge fleet
    # (40456-40459, 8083) move into the test range too: each edge gets its own Aeron data port.
    bifrost_origin_settings:
      origin.live-channel: "aeron:udp?control=127.0.0.1:28456|control-mode=dynamic|term-length=16m"
      origin.relay-port: 28083
    bifrost_control_settings: {control.edge-endpoint: "127.0.0.1:28458"}
    # The hosts' package index is the cached root file system's, which already holds ffmpeg (rootfs.sh): the role
    # finds it installed without refreshing the index from the network on every run.
    bifrost_apt_cache_valid_time: 31536000
  children:
    control:
      hosts:
        node1: {}
    origin:
      hosts:
        node1: {}
    ingest:
      hosts:
        node1: {}
    edge:
      vars:
        bifrost_edge_origins: [http://127.0.0.1:28001]
        bifrost_edge_ram_bytes: 32m
        bifrost_edge_heap: 256m
        bifrost_edge_io_threads: 1
        bifrost_edge_memory_max: 1G
        bifrost_edge_tls_cert: "{{ lookup('file', '$work/tls.crt') }}"
        bifrost_edge_tls_key: "{{ lookup('file', '$work/tls.key') }}"
        bifrost_edge_steering_drain_command: "$here/steering.sh $work/steering drain {{ inventory_hostname }}"
        bifrost_edge_steering_undrain_command: "$here/steering.sh $work/steering enable {{ inventory_hostname }}"
        bifrost_edge_drain_wait_seconds: 2
      hosts:
        node1:
          ansible_nsenter_pid: ${leader[node1]}
          bifrost_edge_region: test-a
          bifrost_edge_port: 28080
          bifrost_edge_tls_port: 28443
          bifrost_edge_ops_port: 28090
          bifrost_edge_settings: {edge.live-channel: "aeron:udp?endpoint=127.0.0.1:28457|control=127.0.0.1:28456"}
        node2:
          ansible_nsenter_pid: ${leader[node2]}
          bifrost_edge_region: test-b
          bifrost_edge_port: 28180
          bifrost_edge_tls_port: 28543
          bifrost_edge_ops_port: 28190
          bifrost_edge_settings: {edge.live-channel: "aeron:udp?endpoint=127.0.0.1:28557|control=127.0.0.1:28456"}
EOF

playbook() { # playbook log-name [args...]: runs it, keeps the log, prints the recap
  local book=$1 name=$2; shift 2
  local start=$(date +%s) status=0
  ANSIBLE_CONFIG="$deploy/ansible.cfg" ANSIBLE_CONNECTION_PLUGINS="$here/connection_plugins" \
    ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks \
    ansible-playbook -i "$work/inventory.yml" "$deploy/$book" "$@" > "$work/$name.log" 2>&1 || status=$?
  log "$book ($name): exit $status in $(( $(date +%s) - start ))s; recap:"
  sed -n '/^PLAY RECAP/,$p' "$work/$name.log" | sed '1d;/^$/d;s/^/    /'
  return "$status"
}
recap_sum() { # sums one recap counter (changed, failed, ...) over all hosts of a playbook log
  sed -n '/^PLAY RECAP/,$p' "$work/$1.log" | grep -o "$2=[0-9]*" | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'
}
release_of() { in_node "$1" readlink /opt/bifrost/current; }
main_exe() { # the executable of a unit's main process: the bundled runtime's java
  local pid
  pid="$(in_node "$1" systemctl show --property=MainPID --value "bifrost-$2.service")"
  in_node "$1" readlink "/proc/$pid/exe"
}
expect_segment() { # url: 200 with the whole segment
  local got
  got="$(curl -sk --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' "$1$segment")"
  [ "$got" = "200 $segment_bytes" ] || fail "$1$segment answered '$got', expected '200 $segment_bytes'"
}

# --- 1. first rollout ----------------------------------------------------------------------------------------------
playbook site.yml site-1 || fail "first site.yml run failed (see $work/site-1.log)"
for edge in "node1 28080 28443 28090" "node2 28180 28543 28190"; do
  read -r node port tls ops <<< "$edge"
  [ "$(in_node "$node" systemctl is-active bifrost-edge.service)" = active ] || fail "bifrost-edge is not active on $node"
  curl -sf --max-time 5 "http://127.0.0.1:$ops/readyz" > /dev/null || fail "$node edge ops /readyz"
  expect_segment "http://127.0.0.1:$port"
  expect_segment "https://127.0.0.1:$tls"
  exe="$(main_exe "$node" edge)"
  [[ "$exe" == /opt/bifrost/releases/*/runtime/bin/java ]] || fail "$node edge runs $exe, not the bundled runtime"
  limit="$(in_node "$node" systemctl show --property=LimitNOFILE --value bifrost-edge.service)"
  [ "$limit" = 1048576 ] || fail "$node edge LimitNOFILE is $limit"
done
curl -sf --max-time 5 http://127.0.0.1:28081/readyz > /dev/null || fail "origin /readyz"
curl -sf --max-time 5 http://127.0.0.1:28082/readyz > /dev/null || fail "control /readyz"
curl -sf --max-time 5 http://127.0.0.1:28093/readyz > /dev/null || fail "ingest /readyz"
for role in control origin ingest; do
  [ "$(in_node node1 systemctl is-active "bifrost-$role.service")" = active ] || fail "bifrost-$role is not active on node1"
done
log "services answer: edges on HTTP and HTTPS from the bundled runtime, origin, control, ingest"

# --- 2. idempotence ------------------------------------------------------------------------------------------------
playbook site.yml site-2 || fail "second site.yml run failed (see $work/site-2.log)"
changed="$(recap_sum site-2 changed)"
[ "$changed" = 0 ] || { grep -B1 -A3 '^changed:' "$work/site-2.log" | head -40; fail "second site.yml run changed $changed task(s)"; }
log "second site.yml run changed nothing"

# --- 3. rolling upgrade under load -----------------------------------------------------------------------------------
repack() { # dir-suffix edit-command: a copy of the release, edited, as a tarball with the release's file name
  local dir="$work/$1"
  mkdir -p "$dir/unpacked"
  tar -xzf "$tarball" -C "$dir/unpacked"
  (cd "$dir/unpacked"/bifrost-* && eval "$2")
  (cd "$dir/unpacked" && tar -cf - bifrost-*) | gzip -1 > "$dir/$release_name"
  echo "$dir/$release_name"
}
upgrade_tarball="$(repack v2 'echo "test-upgrade=v2" >> RELEASE')"
start_poller() {
  rm -f "$work/stop"
  python3 "$here/poll.py" "$work/steering" "$segment" "$segment_bytes" "$work/stop" "$work/$1.json" > "$work/$1.out" 2>&1 &
  poller=$!
  background+=("$poller")
  sleep 2
}
stop_poller() { # name: stops the poller, fails on any failed request
  touch "$work/stop"
  wait "$poller" || { cat "$work/$1.json"; fail "$1: the polling client saw failed requests"; }
  log "$1 client: $(cat "$work/$1.out")"
}
start_poller poll-upgrade
playbook rolling_edge_upgrade.yml upgrade -e "bifrost_release_tarball=$upgrade_tarball" \
  || fail "rolling upgrade failed (see $work/upgrade.log)"
stop_poller poll-upgrade
for node in node1 node2; do
  in_node "$node" grep -q test-upgrade=v2 /opt/bifrost/current/RELEASE || fail "$node is not on the new release"
  exe="$(main_exe "$node" edge)"
  [[ "$exe" == "/opt/bifrost/$(release_of "$node")/runtime/bin/java" ]] || fail "$node edge still runs $exe"
done
grep -q "node1 .* on" "$work/steering" && grep -q "node2 .* on" "$work/steering" || fail "an edge was left drained"
python3 - "$work/poll-upgrade.json" <<'EOF' || fail "each edge must serve the client during the upgrade"
import json, sys
served = json.load(open(sys.argv[1]))["served"]
sys.exit(0 if served.get("node1", 0) > 0 and served.get("node2", 0) > 0 else 1)
EOF
log "rolling upgrade: both edges on the new release, steering restored"

if ! $full; then
  log "PASSED in $(( $(date +%s) - t0 ))s (the broken-release and recovery steps run with --full)"
  exit 0
fi

# --- 4. a failing batch stops the rollout ---------------------------------------------------------------------------
broken_tarball="$(repack v3 'printf "#!/bin/sh\necho broken release >&2\nexit 1\n" > bin/bifrost')"
node2_before="$(release_of node2)"
start_poller poll-broken
status=0
playbook rolling_edge_upgrade.yml broken -e "bifrost_release_tarball=$broken_tarball" -e bifrost_service_health_retries=5 \
  || status=$?
stop_poller poll-broken
[ "$status" != 0 ] || fail "the rollout of a broken release did not fail"
[ "$(release_of node2)" = "$node2_before" ] || fail "the rollout went on to node2 after node1 failed"
grep -q "node1 .* off" "$work/steering" || fail "the failed edge node1 was steered to again"
expect_segment "http://127.0.0.1:28180"
log "broken release: the rollout stopped after the first batch; node1 stays drained, node2 serves the old release"

# --- 5. recovery: the good release again brings node1 back and steers to it again -----------------------------------
start_poller poll-recover
playbook rolling_edge_upgrade.yml recover -e "bifrost_release_tarball=$upgrade_tarball" \
  || fail "rolling upgrade back to the good release failed (see $work/recover.log)"
stop_poller poll-recover
in_node node1 grep -q test-upgrade=v2 /opt/bifrost/current/RELEASE || fail "node1 is not back on the good release"
grep -q "node1 .* on" "$work/steering" || fail "node1 was not steered to again"
expect_segment "http://127.0.0.1:28080"
log "recovery: node1 back on the good release and steered to again"

log "PASSED in $(( $(date +%s) - t0 ))s"
