#!/usr/bin/env python3
"""Side-by-side RTMP ingest load: how many concurrent 2.5-3 Mb/s publishers one server core takes before frames
drop, and the server CPU each publisher costs, Bifrost ingest against nginx-rtmp in the same run.

Fairness (DESIGN.md section 9, same style as edge_vs_nginx.py): both servers pinned with taskset to the same core
(one nginx worker vs the Bifrost ingest JVM with its single RTMP event loop; JIT and GC threads share that core),
publishers pinned to the other core(s), the same pre-encoded FLV file for every publisher, both servers warmed,
steps alternated between the servers, several rounds; medians and min-max, plus Bifrost/nginx ratios.

Publishers (--publisher light, the default): perf/load/rtmp_publisher.py, one asyncio process (or --client-procs of
them) driving all N publishers of a step at real time from the same pre-read FLV (the clip is encoded once,
1280x720 H.264 + AAC, ~2.8 Mb/s, keyframe every 2 s), chunked at --chunk-size, connects spread over --ramp-seconds
or, above --connect-rate (200/s), over N / rate seconds, the same stream keys in the same order for both servers.
It costs ~0.1 % of a core per publisher where an ffmpeg process cost ~1 %, so the client core is no longer the limit
at 100 publishers. --publisher ffmpeg keeps the first harness: `ffmpeg -re -stream_loop -1 -i source.flv -c copy
-f flv rtmp://127.0.0.1:PORT/live/KEY`, one process each, writing `-progress` to a file.

Stream keys (--control bifrost, the default): the real control plane, `bifrost control` from launcher/target, runs
for the whole run with its own H2 data dir in the run's work dir, random admin and ingest tokens, and no UDP edge
endpoint. Before the first step the script creates as many streams as the largest step through the operator API
(POST /api/v1/streams/create, --create-parallel at once) and gives publisher i the i-th returned key on both servers
(nginx ignores keys). The ingest runs with ingest.control-url / ingest.control-token pointing at it, so every publish
costs what it costs in production: one key check (cached 2 s, at most ingest.control-max-in-flight at once, the rest
queued), a 'live' and an 'offline' status report. Before the steps the script sends --burst-checks key checks to the
control plane at each --burst-concurrency and prints the rate, latency and the control plane's CPU per check, to
show it is not the limit. --control fake keeps the first harness's in-script Python stand-in, which allows any key
(bench0, bench1, ...) and drops connections at 400+ publishers: its refusals are the harness's.

Fairness: the control plane runs on the CLIENT core(s), with the publishers and this script, never on the server
core: the server core is charged only for the ingest's own side of each key check (an HTTP call), and the control
plane's CPU (printed per step as control_plane_cpu_ms) counts toward "client core busy", so a step it saturates
shows as client-limited. nginx-rtmp checks no key at all (no on_publish), which slightly favours nginx.

Recording (--recording, the same on both sides): on (the default) records every publish, Bifrost to FLV as it does
unless told otherwise, nginx with `record all`; off runs both live only (Bifrost with --ingest.recording false, which
needs a launcher that has that key; nginx `record off`), so the step measures the event loop, not page-cache
writeback (with recording on, a step at 600-1200 publishers writes 11-36 GB, and writeback varied the server's CPU
by 30 points between rounds). --nginx-record overrides nginx's alone (a reference, not like for like). With
recording off, a Bifrost step that still leaves a recording stops the run. After each step the script deletes the
step's recordings and calls sync(), so one step's writeback does not land in the next.

Warm-up (JIT, nginx's buffers, the page cache): before the rounds, each server gets a ramp of short unmeasured steps
(--warmup, by default a quarter, a half and all of the first step, --warmup-seconds each), so a cold JVM does not
meet the first step's full connect burst while C2 is still compiling the hot paths (a single warm-up at 600 once
failed 392 publishers). Their results are printed, never counted.

"Frames drop" (a step FAILS) when, with N publishers, any of:
  - a publisher is not publishing within the settle time, or is refused or dropped (its ffmpeg exits);
  - a publisher falls behind real time over the measured window: (media time it sent) / (wall time)
    < --min-speed (0.98). RTMP runs over TCP, so a server that cannot keep up does not lose frames silently: it
    stops reading, TCP pushes back and the publisher falls behind; a live encoder (OBS) then drops frames.
The largest N that holds is the server's result; the ramp for a server stops at its first failed step.
Every failed step says why, per server, in its own table: publishers refused (with the server's onStatus code and
text), dropped, failed to connect or not publishing in time, late (publishing only inside the measured window), slow
(below --min-speed), and a cause: 'server' (its RTMP path, or its own refusal), 'control plane' (a key check got
no answer, so the ingest refused, failing closed; also read from the ingest's
bifrost.ingest.control.authorize{outcome=unavailable} and, with the reason, from its log), 'harness keys' (the control
plane did not know a key), 'client' (publishers fell behind or failed while the client core(s) were >= 95 % busy:
the publishers, not the server, were the limit, and that step says nothing about the server; give more
--client-cores). Bifrost's own counters for the step (rtmp rejections, key-check outcomes, status reports, the
control plane's answers by HTTP status and its CPU) are printed with it, and their sums over the run. The held count
is clean when every ramp stopped on a 'server' cause only; the summary names the ones that did not. Between steps the
script waits until the ingest has sent the ended step's 'offline' reports (one per publisher, all at once), so they
do not meet the next step's key checks at the control plane; every step also prints its connect-to-publishing
latency (p50/p99/max, which includes the key check on Bifrost).

Publisher cost: the light client sends each publisher's due bytes once per --tick-ms (100) with os.sendfile from an
in-memory file of the chunked clip (--send; see perf/load/rtmp_publisher.py), its publishers spread over the ticks.
Both servers receive the identical byte stream.

Usage:  perf/load/rtmp_publishers.py [--rounds 3] [--steps 25,50,100,200,400] [--seconds 20] [--control bifrost|fake]
                                     [--recording on|off]
Needs:  python3, ffmpeg (to encode the clip), nginx with libnginx-mod-rtmp (apt-get install libnginx-mod-rtmp),
        taskset, a built launcher (launcher/target; run as BIFROST_SKIP_BUILD=1, never rebuilt here), 2+ cores,
        ~25 MiB of RAM per publisher, with --recording on disk for the recordings of one step (0.35 MB/s per
        publisher for settle + N x start-cost + 2 + seconds: about 36 GB at 1200 publishers with --settle 8
        --seconds 15).
Prints a Markdown table for BENCHMARKS.md. Never run it while other heavy work shares the cores.
"""
import argparse
import hashlib
import http.client
import http.server
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NGINX_PORT = 19350
BIFROST_PORT = 19351
TICKS = os.sysconf("SC_CLK_TCK")
NGINX_RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
PUBLISHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rtmp_publisher.py")


class BurstHttpServer(http.server.ThreadingHTTPServer):
    """http.server's listen backlog is 5: a connect burst of publishers (one key check each, then one 'live' report
    each) is reset by the kernel before a thread takes it, which the ingest rightly counts as an unreachable control
    plane and refuses the publish (fail closed). The real control plane is a Netty server with a deep backlog."""
    request_queue_size = 4096
    daemon_threads = True


class FakeControlPlane(http.server.BaseHTTPRequestHandler):
    """--control fake: allows every stream key (stream id = st_ + md5 of the key) and takes every status report. Under
    400+ concurrent clients it drops keep-alive connections, so its refusals are the harness's, not the ingest's."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/api/v1/internal/streams/authorize":
            stream_id = "st_" + hashlib.md5(body["stream_key"].encode()).hexdigest()
            answer = {"success": True, "data": {"stream_id": stream_id, "passthrough": False}}
        else:
            answer = {"success": True, "data": {}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(port, prefixes):
    """{metric line name with labels: value} of a Bifrost process's /metrics for names starting with prefixes; {} when
    it does not answer (never fails a step)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            text = answer.read().decode()
    except (OSError, ValueError):
        return {}
    values = {}
    for line in text.splitlines():
        if line.startswith(prefixes):
            name, _, value = line.rpartition(" ")
            try:
                values[name] = float(value)
            except ValueError:
                pass
    return values


def delta(before, after):
    """The counters that moved between two scrapes, short names, whole numbers."""
    moved = {}
    for name, value in after.items():
        change = value - before.get(name, 0.0)
        if change >= 1 and "_total" in name:
            short = name.replace("bifrost_", "").replace("_total", "")
            moved[short] = int(change)
    return moved


class IngestLog:
    """Counts, in the ingest's log, why key checks got no answer (the error code of 'control plane ... unavailable
    for a stream-key check (CODE)': an HTTP status such as http 503, HttpTimeoutException, queue.full,
    queue.timeout, ...), as counters delta() can diff; reads only what was appended since the last call."""

    PATTERN = re.compile(r"unavailable for a stream-key check \((.*)\); publish refused")

    def __init__(self, path):
        self.path, self.offset, self.counts = path, 0, {}

    def __call__(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                text = f.read()
        except OSError:
            return dict(self.counts)
        end = text.rfind(b"\n") + 1
        self.offset += end
        for match in self.PATTERN.finditer(text[:end].decode(errors="replace")):
            name = f'ingest_check_unavailable_total{{error="{match.group(1)[:60]}"}}'
            self.counts[name] = self.counts.get(name, 0) + 1
        return dict(self.counts)


class RealControlPlane:
    """--control bifrost (default): `bifrost control` from launcher/target, pinned to the CLIENT core(s) with the
    harness (never the server core), its own H2 data dir in the run's work dir, random admin and ingest tokens, no
    UDP edge endpoint. The streams are created through the operator API (POST /api/v1/streams/create); the ingest
    checks the returned keys against it exactly as in production (one check per publish, cached 2 s; at most
    ingest.control-max-in-flight at once) and reports every publisher live and offline to it."""

    def __init__(self, work, cores, heap):
        self.port, self.ops_port = free_port(), free_port()
        self.admin_token, self.ingest_token = secrets.token_hex(24), secrets.token_hex(24)
        self.log_path = os.path.join(work, "control.log")
        env = dict(os.environ, BIFROST_JAVA_OPTS=f"-Xmx{heap} -Xms{heap}", BIFROST_SKIP_BUILD="1")
        argv = [os.path.join(ROOT, "bifrost"), "control", "--bind", "127.0.0.1", "--port", str(self.port),
                "--ops-port", str(self.ops_port), "--data-dir", os.path.join(work, "control-data"),
                "--admin-token", self.admin_token, "--ingest-token", self.ingest_token, "--edge-endpoint", "none",
                "--log-level", "warn"]
        self.process = subprocess.Popen(["taskset", "-c", cores] + argv, env=env, stdout=open(self.log_path, "w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self.burst_results = []

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                with open(self.log_path) as f:
                    raise SystemExit(f"bifrost control exited ({self.process.returncode}):\n{f.read()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"bifrost control not ready on {self.url} after {timeout} s ({self.log_path})")

    def _post(self, connection, path, token, body):
        data = json.dumps(body).encode()
        connection.request("POST", path, body=data, headers={"Authorization": f"Bearer {token}",
                                                              "Content-Type": "application/json"})
        answer = connection.getresponse()
        payload = answer.read()
        return answer.status, payload

    def create_streams(self, count, parallel):
        """count streams, created `parallel` at once; returns their keys in creation-index order and the seconds."""
        keys = [None] * count
        lock, next_index, errors = threading.Lock(), [0], []

        def worker():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            while True:
                with lock:
                    index = next_index[0]
                    next_index[0] += 1
                if index >= count or errors:
                    break
                status, payload = self._post(connection, "/api/v1/streams/create", self.admin_token,
                                             {"title": f"bench {index}", "description": "perf/load/rtmp_publishers.py"})
                if status != 201:
                    errors.append(f"stream {index}: HTTP {status} {payload[:300]!r}")
                    break
                keys[index] = json.loads(payload)["data"]["stream_key"]
            connection.close()

        start = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(max(1, min(parallel, count)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise SystemExit(f"creating streams on {self.url} failed: {errors[0]}")
        return keys, time.monotonic() - start

    def burst(self, keys, checks, concurrency):
        """`checks` key checks (POST /api/v1/internal/streams/authorize with the ingest token, like the ingest's)
        from `concurrency` keep-alive connections at once: rate, latency percentiles and any non-200 answers. The
        client is this Python process on the client core(s), so the rate is a floor of the control plane's."""
        latencies, failures, lock, next_index = [], {}, threading.Lock(), [0]

        def worker():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            while True:
                with lock:
                    index = next_index[0]
                    next_index[0] += 1
                if index >= checks:
                    break
                begin = time.monotonic()
                try:
                    status, _ = self._post(connection, "/api/v1/internal/streams/authorize", self.ingest_token,
                                           {"stream_key": keys[index % len(keys)], "protocol": "rtmp",
                                            "remote_address": "127.0.0.1"})
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                elapsed = time.monotonic() - begin
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        failures[str(status)] = failures.get(str(status), 0) + 1
            connection.close()

        start, cpu = time.monotonic(), cpu_seconds(self.process.pid)
        threads = [threading.Thread(target=worker) for _ in range(max(1, concurrency))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - start
        cpu = cpu_seconds(self.process.pid) - cpu
        latencies.sort()
        return {"checks": checks, "concurrency": concurrency, "seconds": seconds, "per_second": checks / seconds,
                "cpu_ms_per_check": 1000.0 * cpu / checks,
                "p50_ms": 1000 * latencies[len(latencies) // 2],
                "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
                "max_ms": 1000 * latencies[-1], "failures": failures}

    def metrics(self):
        values = scrape(self.ops_port, ("bifrost_control_api_requests_total", "bifrost_control_stream_"))
        values["control_plane_cpu_ms_total"] = 1000.0 * cpu_seconds(self.process.pid)
        return values

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class FakeControl:
    """--control fake: the in-script stand-in (the first harness), on this script's threads (the client cores)."""

    def __init__(self):
        self.server = BurstHttpServer(("127.0.0.1", 0), FakeControlPlane)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.ingest_token = ""

    def metrics(self):
        return {}

    def stop(self):
        self.server.shutdown()


def encode_source(path, seconds, size, bitrate_k):
    """The one clip every publisher loops: H.264 + AAC in FLV, CBR-ish, keyframe every 2 s (30 fps)."""
    if os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    print(f"encoding {path} ({seconds} s {size}, {bitrate_k} kb/s video)...", file=sys.stderr)
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                    "-b:v", f"{bitrate_k}k", "-minrate", f"{bitrate_k}k", "-maxrate", f"{bitrate_k}k",
                    "-bufsize", f"{bitrate_k}k", "-x264-params", "nal-hrd=cbr:force-cfr=1",
                    "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
                    "-c:a", "aac", "-b:a", "128k", "-f", "flv", path + ".tmp"], check=True)
    os.rename(path + ".tmp", path)


def wait_port(port, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def start_nginx(work, core, record):
    conf = os.path.join(work, "nginx.conf")
    recordings = os.path.join(work, "nginx-recordings")
    os.makedirs(recordings, exist_ok=True)
    os.chmod(recordings, 0o777)  # the worker runs unprivileged when started as root
    recording = f"record all; record_path {recordings}; record_unique on;" if record == "all" else "record off;"
    with open(conf, "w") as out:
        out.write(f"""
load_module {NGINX_RTMP_MODULE};
worker_processes 1;
daemon off;
error_log {work}/nginx-error.log warn;
pid {work}/nginx.pid;
worker_rlimit_nofile 20000;
events {{ worker_connections 8192; }}
rtmp {{
  server {{
    listen 127.0.0.1:{NGINX_PORT};
    chunk_size 4096;
    application live {{ live on; {recording} }}
  }}
}}
""")
    process = subprocess.Popen(["taskset", "-c", str(core), "nginx", "-c", conf, "-p", work],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return process, recordings


def start_bifrost(work, core, heap, control, command, recording="on"):
    """The ingest on the server core, checking keys at `control` (its URL and ingest token), its ops port (metrics)
    on a free port of its own."""
    data = os.path.join(work, "bifrost-data")
    ops_port = free_port()
    env = dict(os.environ, BIFROST_JAVA_OPTS=f"-Xmx{heap} -Xms{heap} -XX:+AlwaysPreTouch", BIFROST_SKIP_BUILD="1",
               BIFROST_INGEST_CONTROL_URL=control.url, BIFROST_INGEST_CONTROL_TOKEN=control.ingest_token,
               BIFROST_INGEST_SRT_ENABLED="false", BIFROST_OPS_PORT=str(ops_port))
    if command:  # e.g. a launcher-less main while the installed launcher predates the ingest role
        argv = shlex.split(command.format(port=BIFROST_PORT, data=os.path.join(data, "ingest"), control=control.url,
                                          heap=heap))
    else:
        argv = [os.path.join(ROOT, "bifrost"), "ingest", "--bind", "127.0.0.1", "--rtmp-port", str(BIFROST_PORT),
                "--data-dir", data, "--ops-port", str(ops_port), "--log-level", "warn"]
        if recording == "off":  # only then: a launcher without the key still runs the default (recording on)
            argv += ["--ingest.recording", "false"]
    log_path = os.path.join(work, "bifrost.log")
    process = subprocess.Popen(["taskset", "-c", str(core)] + argv, env=env, stdout=open(log_path, "w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    return process, os.path.join(data, "ingest", "recordings"), log_path, ops_port


def wait_bifrost(process, log_path, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            with open(log_path) as f:
                tail = f.read()[-3000:]
            raise SystemExit(f"Bifrost ingest exited ({process.returncode}) before listening:\n{tail}\n"
                             "If it says the ingest role is not built, or does not know --ingest.recording "
                             "(--recording off), the launcher jar is stale: rebuild it with "
                             "./mvnw -q -B -DskipTests -pl launcher -am package")
        try:
            with socket.create_connection(("127.0.0.1", BIFROST_PORT), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Bifrost ingest does not listen on 127.0.0.1:{BIFROST_PORT} after {timeout} s ({log_path})")


def process_tree(pid):
    """pid and its children (nginx master + worker; the Bifrost JVM has none that matter)."""
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(child) for child in f.read().split()]
    except OSError:
        pass
    return pids


def cpu_seconds(pid):
    total = 0.0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        except OSError:
            pass
    return total


def rss_mib(pid):
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def cores_busy(cores):
    """(busy, total) jiffies summed over the given CPUs, from /proc/stat."""
    busy = total = 0
    with open("/proc/stat") as f:
        for line in f:
            name, *values = line.split()
            if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
                values = [int(v) for v in values]
                idle = values[3] + values[4]
                total += sum(values[:8])
                busy += sum(values[:8]) - idle
    return busy, total


def progress_point(progress_file):
    """(wall seconds, out_time seconds) of the publisher's latest -progress block: the file's mtime is when ffmpeg
    wrote it, so the speed over a window is exact however the blocks fall in it."""
    try:
        with open(progress_file, "rb") as f:
            wall = os.fstat(f.fileno()).st_mtime_ns / 1e9
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            tail = f.read().decode(errors="replace")
    except OSError:
        return None
    values = [line.split("=", 1)[1].strip() for line in tail.splitlines() if line.startswith("out_time_us=")]
    if not values or not values[-1].lstrip("-").isdigit():
        return None
    return wall, int(values[-1]) / 1e6


def speed(start, end):
    if start is None or end is None or end[0] - start[0] <= 0:
        return 0.0
    return (end[1] - start[1]) / (end[0] - start[0])


def tree_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def parse_cores(text):
    cores = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cores.update(range(int(low), int(high or low) + 1))
    return cores


def wait_quiet(ops_port, timeout=30.0):
    """Until the ingest has sent every status report of the step that ended (its 'offline' burst: one per publisher,
    all at once) and has no key check in flight or queued, so that burst does not meet the next step's key checks at
    the control plane (its API pool answers 503 when full, and a key check answered 503 refuses a publish). Returns
    the seconds it took; gives up after timeout."""
    start, last, stable = time.monotonic(), None, 0
    while time.monotonic() - start < timeout:
        values = scrape(ops_port, ("bifrost_ingest_control_",))
        reports = sum(v for k, v in values.items() if k.startswith("bifrost_ingest_control_status_total"))
        busy = sum(v for k, v in values.items() if k.startswith(("bifrost_ingest_control_authorize_in_flight",
                                                                  "bifrost_ingest_control_authorize_queued")))
        stable = stable + 1 if reports == last and busy == 0 else 0
        if stable >= 2 or not values:
            break
        last = reports
        time.sleep(0.5)
    return time.monotonic() - start


def run_step(server, port, server_pid, recordings, n, args, work, counters, quiesce=lambda: 0.0):
    """N publishers for settle + measure seconds; returns the step's figures, with why it failed if it did.
    counters() scrapes the server side's own counters (Bifrost: ingest refusals, key checks, status reports and the
    control plane's answers; nginx has none), so a refusal is traced to the ingest or to the control plane."""
    step_dir = tempfile.mkdtemp(prefix=f"{server}-{n}-", dir=work)
    before = counters()
    if args.publisher == "light":
        result = run_light_publishers(server, port, server_pid, n, args, step_dir)
    else:
        result = run_ffmpeg_publishers(server, port, server_pid, n, args, step_dir)
    shutil.rmtree(step_dir, ignore_errors=True)
    time.sleep(1)  # let the servers close the recordings before they go
    result["quiesce_s"] = quiesce()
    result["server_counters"] = delta(before, counters())
    result["failures"], result["causes"] = explain(result)
    result["recorded_mib"] = tree_bytes(recordings) / (1 << 20) if os.path.isdir(recordings) else 0.0
    for entry in os.listdir(recordings) if os.path.isdir(recordings) else []:
        target = os.path.join(recordings, entry)
        shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else os.remove(target)
    if args.recording == "off" and server == "bifrost" and result["recorded_mib"] > 0:
        raise SystemExit(f"--recording off, but the Bifrost ingest recorded {result['recorded_mib']:.0f} MiB: the "
                         "launcher did not apply --ingest.recording false")
    start = time.monotonic()
    os.sync()  # what the deleted recordings left for writeback goes now, not during the next step
    result["sync_s"] = time.monotonic() - start
    return result


CONTROL_PLANE_REFUSAL = "could not be checked"  # the ingest's refusal text when the key check got no answer


def explain(result):
    """({reason: publishers}, causes) of a step. Reasons: 'refused CODE: text' (the server's onStatus), 'dropped'
    (closed while publishing), 'failed' (no connection, or not publishing within the settle time), 'late' (publishing
    only during the measured window), 'slow' (below --min-speed). Causes name who failed the step: 'server' (its
    RTMP path), 'control plane' (a key check without an answer, so the ingest refused, failing closed: the harness's
    key checker when --control fake), 'harness keys' (the control plane did not know a key), 'client' (the
    publisher cores were saturated while publishers fell behind or failed: that step says nothing)."""
    failures = {}
    for reason in result["failure_rows"]:
        failures[reason] = failures.get(reason, 0) + 1
    if result["slow"]:
        failures["slow"] = result["slow"]
    causes = set()
    for reason in failures:
        if CONTROL_PLANE_REFUSAL in reason:
            causes.add("control plane")
        elif "stream_key." in reason:  # the control plane answered the key unknown or revoked: wrong keys given
            causes.add("harness keys")
        elif reason.startswith("refused"):  # the server's own refusal (a duplicate publish, a bad name, ...)
            causes.add("server")
        else:  # slow, late, failed, dropped, exited: the server's, unless the publishers had no CPU left
            causes.add("client" if result["client_limited"] else "server")
    if any(v for k, v in result.get("server_counters", {}).items() if "unavailable" in k):
        causes.add("control plane")
    causes = sorted(causes)
    return failures, causes


def short_reason(state, reason):
    """One failure reason without per-connection detail (addresses, ports), so equal causes count together."""
    if state == "late":
        return "late"
    if state == "dropped":
        return "dropped" if reason.startswith("connection closed by the server") else f"dropped {reason}"[:140]
    if state == "failed":
        return "failed: " + (reason.split("(")[0].strip() if reason.startswith("connect:") else reason)
    return f"{state} {reason}"[:140]


def ramp_seconds(n, args):
    """How long the N connects of a step are spread over: --ramp-seconds, longer when that would connect more than
    --connect-rate publishers a second (the measure is publishers held at steady state, not a connect storm: at 1200
    in 2 s the ingest's key-check queue, ingest.control-max-queued 1024, would be the test)."""
    return max(args.ramp_seconds, n / args.connect_rate) if args.connect_rate > 0 else args.ramp_seconds


def run_light_publishers(server, port, server_pid, n, args, step_dir):
    """N publishers from --client-procs perf/load/rtmp_publisher.py processes (the same file, keys and order for
    both servers), all measuring the same wall-clock window as the server CPU sample."""
    procs = max(1, min(args.client_procs, n))
    measure_at = time.time() + args.settle + n * args.start_cost + 2
    clients = []
    for index in range(procs):
        first, count = index * n // procs, (index + 1) * n // procs - index * n // procs
        out = os.path.join(step_dir, f"client{index}.json")
        log = open(os.path.join(step_dir, f"client{index}.log"), "w")
        clients.append((subprocess.Popen(
            ["taskset", "-c", args.client_cores, sys.executable, PUBLISHER, "--url", f"rtmp://127.0.0.1:{port}/live",
             "--keys-file", args.keys_file, "--first", str(first), "--count", str(count), "--source", args.source,
             "--chunk-size", str(args.chunk_size), "--ramp-seconds", str(ramp_seconds(n, args) * count / n),
             "--send", args.send, "--tick-ms", str(args.tick_ms),
             "--measure-at", f"{measure_at:.3f}", "--seconds", str(args.seconds), "--min-speed", str(args.min_speed),
             "--json", out], stdout=log, stderr=subprocess.STDOUT), out, log))
    client = parse_cores(args.client_cores)
    time.sleep(max(0.0, measure_at - time.time()))
    start_wall, start_cpu, start_client = time.monotonic(), cpu_seconds(server_pid), cores_busy(client)
    time.sleep(args.seconds)
    wall = time.monotonic() - start_wall
    cpu = cpu_seconds(server_pid) - start_cpu
    end_client = cores_busy(client)
    rss = rss_mib(server_pid)
    rows, client_cpu = [], 0.0
    for process, out, log in clients:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        try:
            with open(out) as f:
                summary = json.load(f)
        except (OSError, ValueError):
            with open(log.name) as f:
                raise SystemExit(f"publisher client failed ({process.returncode}):\n{f.read()[-3000:]}")
        rows += summary["publishers"]
        client_cpu += summary["client_cpu_pct"]
    speeds = [r["speed"] for r in rows]
    starts = sorted(r["start_ms"] for r in rows if r.get("start_ms") is not None) or [0.0]
    failed = [r for r in rows if r["state"] != "publishing"]
    slow = sum(1 for r in rows if r["state"] == "publishing" and r["speed"] < args.min_speed)
    client_busy = 100.0 * (end_client[0] - start_client[0]) / max(1, end_client[1] - start_client[1])
    return {"server": server, "n": n, "cpu_pct": 100.0 * cpu / wall, "cpu_pct_per_publisher": 100.0 * cpu / wall / n,
            "min_speed": min(speeds), "median_speed": statistics.median(speeds), "slow": slow,
            "dropped": len(failed), "failure_rows": [short_reason(r["state"], r["reason"]) for r in failed],
            "client_busy_pct": client_busy, "client_cpu_pct": client_cpu,
            "publish_start_ms": {"p50": starts[len(starts) // 2],
                                 "p99": starts[min(len(starts) - 1, len(starts) * 99 // 100)], "max": starts[-1]},
            "rss_mib": rss, "held": slow == 0 and not failed,
            "client_limited": client_busy >= 95.0}


def run_ffmpeg_publishers(server, port, server_pid, n, args, step_dir):
    """N `ffmpeg -re -c copy` processes (the first harness; each costs ~1 % of a core, so it saturates the client
    at ~100 publishers)."""
    publishers = []
    with open(args.keys_file) as f:
        keys = [line.strip() for line in f if line.strip()]
    for i in range(n):
        progress = os.path.join(step_dir, f"p{i}.progress")
        log = open(os.path.join(step_dir, f"p{i}.log"), "w")
        publishers.append((subprocess.Popen(
            ["taskset", "-c", args.client_cores, "ffmpeg", "-nostdin", "-loglevel", "error", "-nostats",
             "-stats_period", "0.5", "-progress", progress, "-re", "-stream_loop", "-1", "-i", args.source,
             "-c", "copy", "-f", "flv", "-flvflags", "no_duration_filesize",
             f"rtmp://127.0.0.1:{port}/live/{keys[i]}"],
            stdout=subprocess.DEVNULL, stderr=log), progress, log))
    try:
        deadline = time.time() + args.settle + n * args.start_cost
        while time.time() < deadline:
            started = sum(1 for _, progress, _ in publishers if (progress_point(progress) or (0, 0))[1] > 1)
            if started == n or any(p.poll() is not None for p, _, _ in publishers):
                break
            time.sleep(0.5)
        time.sleep(2)
        client = parse_cores(args.client_cores)
        start_wall, start_cpu, start_client = time.monotonic(), cpu_seconds(server_pid), cores_busy(client)
        start_out = [progress_point(progress) for _, progress, _ in publishers]
        time.sleep(args.seconds)
        wall = time.monotonic() - start_wall
        cpu = cpu_seconds(server_pid) - start_cpu
        end_client = cores_busy(client)
        end_out = [progress_point(progress) for _, progress, _ in publishers]
        rss = rss_mib(server_pid)
        exited = [i for i, (p, _, _) in enumerate(publishers) if p.poll() is not None]
        speeds = [speed(s, e) for s, e in zip(start_out, end_out)]
    finally:
        for p, _, _ in publishers:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p, _, log in publishers:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            log.close()
    reasons = []
    for i in exited:  # ffmpeg's last error line, without the URL (it names the key)
        with open(os.path.join(step_dir, f"p{i}.log")) as f:
            last = (f.read().strip().splitlines() or ["(no message)"])[-1]
        reasons.append("exited: " + last.replace(keys[i], "KEY")[:120])
    slow = sum(1 for s in speeds if s < args.min_speed)
    client_busy = 100.0 * (end_client[0] - start_client[0]) / max(1, end_client[1] - start_client[1])
    result = {"server": server, "n": n, "cpu_pct": 100.0 * cpu / wall, "cpu_pct_per_publisher": 100.0 * cpu / wall / n,
              "min_speed": min(speeds), "median_speed": statistics.median(speeds), "slow": slow,
              "dropped": len(exited), "failure_rows": reasons, "client_busy_pct": client_busy, "rss_mib": rss,
              "held": slow == 0 and not exited, "client_limited": client_busy >= 95.0}
    return result


def summarize(values):
    return statistics.median(values), min(values), max(values)


def exit_on_sigterm(signum, frame):
    """SIGTERM (e.g. `timeout`) ends the run through the cleanup in main's finally, like Ctrl-C: without this the
    servers and the control plane outlived a killed run and the next run met them on its ports (its publishers were
    refused by the old control plane, which did not know the new keys)."""
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", default="25,50,100,200,400", help="publisher counts, ramped in this order")
    parser.add_argument("--seconds", type=int, default=20, help="measured window of one step")
    parser.add_argument("--settle", type=float, default=10, help="seconds for publishers to connect, plus --start-cost each")
    parser.add_argument("--start-cost", type=float, default=0.05, help="extra settle seconds per publisher")
    parser.add_argument("--min-speed", type=float, default=0.98, help="slowest real-time factor a publisher may show")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-cores", default="1", help="taskset list for the publishers, e.g. 1 or 1-3")
    parser.add_argument("--publisher", choices=("light", "ffmpeg"), default="light",
                        help="light = perf/load/rtmp_publisher.py (one asyncio process drives many publishers); "
                        "ffmpeg = one `ffmpeg -re -c copy` process per publisher (the first harness)")
    parser.add_argument("--client-procs", type=int, default=1,
                        help="light publisher processes (give one per client core)")
    parser.add_argument("--chunk-size", type=int, default=4096, help="light publisher's outbound RTMP chunk size")
    parser.add_argument("--ramp-seconds", type=float, default=2.0,
                        help="light publishers connect spread over this long (ffmpeg starts one after another)")
    parser.add_argument("--connect-rate", type=float, default=200,
                        help="at most this many light publishers connect per second (the ramp grows to N / rate "
                        "seconds; 0 = all within --ramp-seconds, the earlier harness)")
    parser.add_argument("--send", choices=("sendfile", "write"), default="sendfile",
                        help="how the light publishers send (perf/load/rtmp_publisher.py --send): sendfile (cheaper) "
                        "or write (the first version); the servers get the same bytes")
    parser.add_argument("--tick-ms", type=float, default=100.0,
                        help="light publishers send what is due once per this period (one send each)")
    parser.add_argument("--heap", default="512m", help="Bifrost heap (-Xmx = -Xms)")
    parser.add_argument("--recording", choices=("on", "off"), default="on",
                        help="on = both servers record every publish (Bifrost FLV, nginx record all); off = both live "
                        "only (Bifrost --ingest.recording false, nginx record off)")
    parser.add_argument("--nginx-record", choices=("all", "off"),
                        help="override nginx's recording alone (default: follows --recording; not like for like)")
    parser.add_argument("--warmup", default="auto",
                        help="unmeasured warm-up steps per server before the rounds, e.g. 100,300,600; auto = a "
                        "quarter, a half and all of the first step")
    parser.add_argument("--warmup-seconds", type=int, default=5, help="measured window of a warm-up step")
    parser.add_argument("--clip-seconds", type=int, default=20)
    parser.add_argument("--clip-size", default="1280x720")
    parser.add_argument("--clip-kbps", type=int, default=2700, help="video bitrate; audio adds 128 kb/s")
    parser.add_argument("--source", help="FLV every publisher loops (default: encoded once under perf/target/)")
    parser.add_argument("--work-dir", help="where recordings and progress files go (default: a temp dir)")
    parser.add_argument("--bifrost-cmd", help="start the ingest with this command instead of ./bifrost ingest; "
                        "{port} {data} {control} {heap} are filled in (data = the ingest data dir, recordings below it)")
    parser.add_argument("--control", choices=("bifrost", "fake"), default="bifrost",
                        help="bifrost = the real `bifrost control` (launcher/target) on the client core(s) checks the "
                        "keys; fake = the in-script Python stand-in that allows any key (drops connections at 400+)")
    parser.add_argument("--control-heap", default="256m", help="the real control plane's heap (-Xmx = -Xms)")
    parser.add_argument("--create-parallel", type=int, default=16, help="streams created at once before the run")
    parser.add_argument("--burst-checks", type=int, default=1200,
                        help="key checks in the burst sent to the real control plane before the run")
    parser.add_argument("--burst-concurrency", default="8,64",
                        help="burst concurrencies (8 = the ingest's default ingest.control-max-in-flight)")
    parser.add_argument("--keep-work", action="store_true", help="keep the work dir (server logs) after the run")
    parser.add_argument("--json", help="also write raw results here")
    args = parser.parse_args()
    for tool in ("nginx", "ffmpeg", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install libnginx-mod-rtmp ffmpeg util-linux")
    if not os.path.exists(NGINX_RTMP_MODULE):
        raise SystemExit(f"{NGINX_RTMP_MODULE} is missing: apt-get install libnginx-mod-rtmp")
    steps = [int(s) for s in args.steps.split(",")]
    if args.nginx_record is None:
        args.nginx_record = "all" if args.recording == "on" else "off"
    args.warmup_steps = warmup_steps(args.warmup, steps[0])
    if not args.source:
        args.source = os.path.join(ROOT, "perf", "target", "rtmp-publishers",
                                   f"source-{args.clip_size}-{args.clip_kbps}k-{args.clip_seconds}s.flv")
        encode_source(args.source, args.clip_seconds, args.clip_size, args.clip_kbps)

    work = tempfile.mkdtemp(prefix="bifrost-rtmp-load-", dir=args.work_dir)
    os.chmod(work, 0o755)  # the nginx worker (unprivileged when started as root) writes recordings below it
    os.sched_setaffinity(0, parse_cores(args.client_cores))  # this script and the control plane: off the server core
    control = (RealControlPlane(work, args.client_cores, args.control_heap) if args.control == "bifrost"
               else FakeControl())
    nginx = bifrost = None
    try:
        args.keys_file = prepare_keys(control, max(steps), args, work)
        nginx, nginx_recordings = start_nginx(work, args.server_core, args.nginx_record)
        bifrost, bifrost_recordings, bifrost_log, ops_port = start_bifrost(work, args.server_core, args.heap, control,
                                                                           args.bifrost_cmd, args.recording)
        measure(args, steps, work, control, nginx, nginx_recordings, bifrost, bifrost_recordings, bifrost_log,
                ops_port)
    finally:
        if bifrost is not None and bifrost.poll() is None:
            os.killpg(bifrost.pid, signal.SIGTERM)
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
        for process in (bifrost, nginx):
            if process is None:
                continue
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        control.stop()
        if args.keep_work:
            print(f"work dir kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def warmup_steps(text, first):
    """The warm-up ramp: --warmup's list, or for auto a quarter, a half and all of the first step."""
    if text != "auto":
        return [int(n) for n in text.split(",") if n.strip() and int(n) > 0]
    return sorted({max(1, first // 4), max(1, first // 2), first})


def prepare_keys(control, count, args, work):
    """The keys publisher 0..count-1 use, in a file (both servers get the same list; nginx ignores them): streams
    created on the real control plane, then a burst of key checks against it to show it is not the limit; or
    bench0.. for the fake one."""
    if args.control == "bifrost":
        control.wait_ready()
        keys, seconds = control.create_streams(count, args.create_parallel)
        print(f"control plane: created {count} streams in {seconds:.1f} s ({count / seconds:.0f}/s, "
              f"{args.create_parallel} at once)", file=sys.stderr)
        control.burst(keys, min(300, args.burst_checks), 8)  # warm-up: JIT, H2 caches
        for concurrency in (int(c) for c in args.burst_concurrency.split(",")):
            burst = control.burst(keys, args.burst_checks, concurrency)
            control.burst_results.append(burst)
            print(f"control plane: {burst['checks']} key checks, {concurrency} at once: {burst['seconds']:.2f} s = "
                  f"{burst['per_second']:.0f} checks/s (a floor: the Python client shares the client core), "
                  f"control plane CPU {burst['cpu_ms_per_check']:.2f} ms per check, latency "
                  f"p50 {burst['p50_ms']:.1f} ms p99 {burst['p99_ms']:.1f} ms max {burst['max_ms']:.1f} ms, "
                  f"not answered 200: {burst['failures'] or 'none'}", file=sys.stderr)
    else:
        keys = [f"bench{i}" for i in range(count)]
    path = os.path.join(work, "keys.txt")
    with open(path, "w") as out:
        out.write("\n".join(keys) + "\n")
    return path


def measure(args, steps, work, control, nginx, nginx_recordings, bifrost, bifrost_recordings, bifrost_log, ops_port):
    """Warm both servers, measure their idle CPU, then the rounds of steps; prints the table."""
    servers = {"bifrost": (BIFROST_PORT, bifrost.pid, bifrost_recordings),
               "nginx": (NGINX_PORT, nginx.pid, nginx_recordings)}
    ingest_log = IngestLog(bifrost_log)
    counters = {"bifrost": lambda: dict(scrape(ops_port, ("bifrost_rtmp_rejected", "bifrost_ingest_control_")),
                                        **control.metrics(), **ingest_log()),
                "nginx": lambda: {}}
    quiesce = {"bifrost": lambda: wait_quiet(ops_port), "nginx": lambda: 0.0}
    results = []
    wait_port(NGINX_PORT)
    time.sleep(0.5)
    if nginx.poll() is not None:  # e.g. the port is another nginx's, left over from an interrupted run
        log = os.path.join(work, "nginx-error.log")
        tail = open(log).read()[-2000:] if os.path.exists(log) else ""
        raise SystemExit(f"nginx exited ({nginx.returncode}); is 127.0.0.1:{NGINX_PORT} taken?\n{tail}")
    wait_bifrost(bifrost, bifrost_log)
    warm_args = argparse.Namespace(**dict(vars(args), seconds=args.warmup_seconds))
    for server, (port, pid, recordings) in servers.items():  # warm-up ramp: JIT, nginx buffers, page cache
        for n in args.warmup_steps:
            warm = run_step(server, port, pid, recordings, n, warm_args, work, counters[server], quiesce[server])
            print(f"warm-up {server} N={n}: cpu {warm['cpu_pct']:.1f}%, client {warm.get('client_cpu_pct', 0):.1f}% of a "
                  f"core, {'holds' if warm['held'] else 'FAILS: ' + failure_text(warm)}; "
                  f"server counters {warm['server_counters']}{quiet_text(warm)}", file=sys.stderr)
    idle = {}
    control_pid = getattr(getattr(control, "process", None), "pid", None)
    control_before, control_start = cpu_seconds(control_pid) if control_pid else 0.0, time.monotonic()
    for server, (_, pid, _) in servers.items():  # what each costs with no publisher (JVM: GC, JIT, timers)
        before, start = cpu_seconds(pid), time.monotonic()
        time.sleep(5)
        idle[server] = 100.0 * (cpu_seconds(pid) - before) / (time.monotonic() - start)
    if control_pid:  # on the client core(s): what it takes from the publishers with nothing to do
        idle["control"] = 100.0 * (cpu_seconds(control_pid) - control_before) / (time.monotonic() - control_start)
    for round_index in range(args.rounds):
        ramping = {"bifrost": True, "nginx": True}
        for step_index, n in enumerate(steps):
            order = ("bifrost", "nginx") if (round_index + step_index) % 2 == 0 else ("nginx", "bifrost")
            for server in order:
                if not ramping[server]:
                    continue
                port, pid, recordings = servers[server]
                r = run_step(server, port, pid, recordings, n, args, work, counters[server], quiesce[server])
                r["round"] = round_index + 1
                results.append(r)
                ramping[server] = r["held"]
                print(f"round {r['round']} {server} N={n}: cpu {r['cpu_pct']:.1f}% "
                      f"({r['cpu_pct_per_publisher']:.3f}%/publisher), speed min {r['min_speed']:.3f} "
                      f"median {r['median_speed']:.3f}, connect-to-publishing {start_text(r)}, client core(s) "
                      f"{r['client_busy_pct']:.0f}% busy (publishers {r.get('client_cpu_pct', 0):.1f}% of a core), "
                      f"rss {r['rss_mib']:.0f} MiB, recorded {r['recorded_mib']:.0f} MiB -> "
                      f"{'holds' if r['held'] else 'FAILS: ' + failure_text(r)}"
                      f"{' (client-limited)' if r['client_limited'] else ''}; server counters {r['server_counters']}"
                      f"{quiet_text(r)}",
                      file=sys.stderr)
            if not any(ramping.values()):
                break
    report(results, steps, args, idle, getattr(control, "burst_results", []))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"results": results, "idle_cpu_pct": idle, "args": vars(args),
                       "control_bursts": getattr(control, "burst_results", [])}, out, indent=2)


def quiet_text(r):
    return f", its status reports done {r['quiesce_s']:.1f} s after the step" if r.get("quiesce_s") else ""


def start_text(r):
    start = r.get("publish_start_ms")
    return f"p50 {start['p50']:.0f} p99 {start['p99']:.0f} max {start['max']:.0f} ms" if start else "-"


def failure_text(r):
    """'N reason; ...' most frequent first, then who caused it."""
    reasons = "; ".join(f"{count} {reason}" for reason, count in
                        sorted(r["failures"].items(), key=lambda item: -item[1])[:4])
    return f"{reasons or 'no publisher failed'} [cause: {', '.join(r['causes']) or '-'}]"


def report(results, steps, args, idle, bursts):
    def held_max(server, round_number):
        held = [r["n"] for r in results if r["server"] == server and r["round"] == round_number and r["held"]]
        return max(held, default=0)

    rounds = sorted({r["round"] for r in results})
    checker = ("the real control plane (bifrost control, on the client core(s))" if args.control == "bifrost"
               else "the fake in-script control plane")
    print(f"\n{len(rounds)} round(s), steps {args.steps}, {args.seconds} s measured per step; server core "
          f"{args.server_core} (1 nginx worker / Bifrost ingest JVM, 1 RTMP event loop, -Xmx{args.heap}), {args.publisher} "
          f"publishers on core(s) {args.client_cores}; Bifrost's keys checked by {checker}; source "
          f"{os.path.basename(args.source)}; recording {args.recording}: Bifrost "
          f"{'records' if args.recording == 'on' else 'live only (ingest.recording false)'}, nginx record "
          f"{args.nginx_record}; publishers send every {args.tick_ms:.0f} ms by {args.send}; warm-up "
          f"{','.join(map(str, args.warmup_steps)) or 'none'}; a step holds "
          f"when every publisher stays >= {args.min_speed}x real time and none drops; idle server CPU (no publisher) "
          f"Bifrost {idle['bifrost']:.1f} %, nginx {idle['nginx']:.1f} %"
          + (f", control plane (client core) {idle['control']:.1f} %" if "control" in idle else "")
          + "; %/publisher = step CPU / N (idle included)")
    for burst in bursts:
        print(f"Control plane burst (after a 300-check warm-up): {burst['checks']} key checks "
              f"{burst['concurrency']} at once, {burst['per_second']:.0f}/s, p99 {burst['p99_ms']:.1f} ms, its CPU "
              f"{burst['cpu_ms_per_check']:.2f} ms per check, not 200: {burst['failures'] or 'none'}")
    print("\n| N | Bifrost CPU % med (min-max) | Bifrost %/publisher | nginx CPU % med (min-max) | nginx %/publisher "
          "| CPU ratio | Bifrost held | nginx held | connect to publishing p99 ms, Bifrost / nginx "
          "| client core busy % max |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in steps:
        b = [r for r in results if r["server"] == "bifrost" and r["n"] == n]
        g = [r for r in results if r["server"] == "nginx" and r["n"] == n]
        if not b and not g:
            continue

        def cells(rows):
            if not rows:
                return "-", "-", None
            cpu = summarize([r["cpu_pct"] for r in rows])
            return (f"{cpu[0]:.1f} ({cpu[1]:.1f}-{cpu[2]:.1f})", f"{cpu[0] / n:.3f}", cpu[0])

        b_cpu, b_per, b_med = cells(b)
        g_cpu, g_per, g_med = cells(g)
        ratio = f"{b_med / g_med:.2f}" if b_med and g_med else "-"
        busy = max(r["client_busy_pct"] for r in b + g)
        limited = " (client-limited)" if any(r["client_limited"] for r in b + g) else ""
        def start_p99(rows):
            values = [r["publish_start_ms"]["p99"] for r in rows if r.get("publish_start_ms")]
            return f"{max(values):.0f}" if values else "-"

        print(f"| {n} | {b_cpu} | {b_per} | {g_cpu} | {g_per} | {ratio} | {sum(r['held'] for r in b)}/{len(b)} | "
              f"{sum(r['held'] for r in g)}/{len(g)} | {start_p99(b)} / {start_p99(g)} | {busy:.0f}{limited} |")
    failed = [r for r in results if not r["held"]]
    if failed:
        print("\nWhy steps failed (publishers per reason; cause: server = its RTMP path, control plane = key checks "
              "unanswered so the ingest refused, harness keys = keys the control plane did not know, client = "
              "publisher cores saturated):\n")
        print("| round | server | N | failures | cause | Bifrost counters in the step |")
        print("|---|---|---|---|---|---|")
        for r in failed:
            reasons = "; ".join(f"{count} {reason}" for reason, count in
                                sorted(r["failures"].items(), key=lambda item: -item[1]))
            counters = ", ".join(f"{k}={v}" for k, v in sorted(r["server_counters"].items())
                                 if "rejected" in k or "unavailable" in k or "failed" in k or "503" in k) or "-"
            print(f"| {r['round']} | {r['server']} | {r['n']} | {reasons.replace('|', '/') or 'none'} | "
                  f"{', '.join(r['causes']) or '-'} | {counters} |")
    totals = {}
    for r in results:
        for name, value in r["server_counters"].items():
            totals[name] = totals.get(name, 0) + value
    if totals:
        sent, lost = totals.get('ingest_control_status{outcome="sent"}', 0), totals.get(
            'ingest_control_status{outcome="failed"}', 0)
        checks = sum(v for k, v in totals.items() if k.startswith("ingest_control_authorize{")
                     and "cached" not in k and "shared" not in k)  # sent to the control plane
        unavailable = totals.get('ingest_control_authorize{outcome="unavailable"}', 0)
        busy = totals.get('control_api_requests{status="503"}', 0)
        print(f"\nBifrost's control plane traffic over the measured steps: {checks} key checks ({unavailable} "
              f"unanswered), {sent + lost} status reports ({lost} not taken), {busy} answers 503 server.busy; the "
              f"control plane used {totals.get('control_plane_cpu_ms', 0) / 1000:.1f} s of client-core CPU.")
    b_max = summarize([held_max("bifrost", r) for r in rounds])
    g_max = summarize([held_max("nginx", r) for r in rounds])
    ratio = f"{b_max[0] / g_max[0]:.2f}" if g_max[0] else "-"
    not_server = [f"{r['server']} round {r['round']} N={r['n']} ({', '.join(r['causes'])})" for r in failed
                  if set(r["causes"]) - {"server"}]
    unpushed = [name for server, name in (("bifrost", "Bifrost"), ("nginx", "nginx-rtmp"))
                if any(r["server"] == server and r["n"] == steps[-1] and r["held"] for r in results)]
    print(f"\nLargest N that holds: Bifrost {b_max[0]:.0f} ({b_max[1]}-{b_max[2]}), nginx-rtmp {g_max[0]:.0f} "
          f"({g_max[1]}-{g_max[2]}), ratio {ratio}."
          + (f" {' and '.join(unpushed)} held the last step ({steps[-1]}), so {'was' if len(unpushed) == 1 else 'were'} "
             f"not pushed to the limit; add steps (and --client-cores) to find it." if unpushed else "")
          + (f" NOT CLEAN: these ramps stopped on failures that were not (only) the server's: "
             f"{'; '.join(not_server)}."
             if not_server else ""))


if __name__ == "__main__":
    main()
