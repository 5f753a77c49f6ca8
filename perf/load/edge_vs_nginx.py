#!/usr/bin/env python3
"""Side-by-side load run: the Bifrost edge (RAM-tier hits) against nginx (sendfile + open_file_cache) serving the
same files, under wrk, on the same machine in one run.

Fairness (DESIGN.md section 9): one server core each (one nginx worker vs one Bifrost event loop, both pinned with
taskset to the same core), wrk pinned to the other core, the same files and connection counts, both warmed, several
alternating rounds; medians and min-max are reported, plus Bifrost/nginx ratios.

RAM hits inline or through the ring (edge.ram-hit-path, DESIGN.md section 5): --ram-hit-paths inline,ring starts one
edge per path (each on its own port and data dir, all on the server core) and measures them in the same alternating
rounds as nginx. Only the server being measured runs: the other edges are stopped with SIGSTOP meanwhile (and resumed
with SIGCONT for their turn), so an idle edge's ring thread takes no time from the core.

Usage:  perf/load/edge_vs_nginx.py [--rounds 5] [--seconds 10] [--connections 32] [--ram-hit-paths inline,ring]
Needs:  nginx, wrk (apt-get install nginx-light wrk), a built launcher (./bifrost builds it), 2+ cores.
Prints a Markdown table for BENCHMARKS.md. Never run it while other heavy work shares the cores.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILES = {
    "1 MiB segment": ("/vod/bench/720p/0.m4s", 1 << 20),
    "2 KiB playlist": ("/vod/bench/720p/index.m3u8", 2048),
}
NGINX_PORT = 18081
EDGE_PORT = 18080
RAM_HIT_PATHS = ("inline", "ring")


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def write_files(docroot):
    for _, (path, size) in FILES.items():
        target = os.path.join(docroot, path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            if path.endswith(".m3u8"):
                lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:4", "#EXT-X-PLAYLIST-TYPE:VOD"]
                i = 0
                while len("\n".join(lines)) < size - 40:
                    lines += ["#EXTINF:4.000,", f"{i}.m4s"]
                    i += 1
                text = ("\n".join(lines) + "\n").encode()
                out.write(text + b"#" * (size - len(text) - 1) + b"\n")
            else:
                out.write(os.urandom(size))


def start_nginx(work, docroot, core):
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as out:
        out.write(f"""
worker_processes 1;
daemon off;
error_log {work}/nginx-error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  types {{ application/vnd.apple.mpegurl m3u8; video/iso.segment m4s; }}
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
  uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{NGINX_PORT};
    root {docroot};
    location / {{ add_header Cache-Control "public, max-age=3600"; }}
  }}
}}
""")
    return subprocess.Popen(["taskset", "-c", str(core), "nginx", "-c", conf, "-p", work],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def start_edge(work, core, heap, port, ram_hit_path, java_opts=""):
    """One edge (its own process group, port, data dir and log) answering RAM hits inline or through the ring.
    Its GC log (pauses only, uptime-stamped) goes to gc-{ram_hit_path}.log in the work dir."""
    gc_log = os.path.join(work, f"gc-{ram_hit_path}.log")
    env = dict(os.environ, BIFROST_JAVA_OPTS=f"-Xmx{heap} -Xms{heap} -XX:+AlwaysPreTouch "
                                             f"-Xlog:gc:file={gc_log}:uptime {java_opts}".strip(),
               BIFROST_SKIP_BUILD="1")
    log = open(os.path.join(work, f"edge-{ram_hit_path}.log"), "w")
    return subprocess.Popen(
        ["taskset", "-c", str(core), os.path.join(ROOT, "bifrost"), "edge", "--bind", "127.0.0.1",
         "--port", str(port), "--origin", f"http://127.0.0.1:{NGINX_PORT}", "--io-threads", "1",
         "--ram-bytes", "256m", "--ram-hit-path", ram_hit_path, "--data-dir", os.path.join(work, f"data-{ram_hit_path}"),
         # nginx is a VOD origin: no live stream to follow, and two edges must not bind one Aeron UDP endpoint
         "--live-channel", "none", "--ops-port", "0", "--log-level", "info"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def ram_hit_paths(text):
    paths = [p.strip() for p in text.split(",") if p.strip()]
    if not paths or any(p not in RAM_HIT_PATHS for p in paths) or len(set(paths)) != len(paths):
        raise argparse.ArgumentTypeError(f"give one or more of {', '.join(RAM_HIT_PATHS)}, comma-separated: {text!r}")
    return paths


def only_running(edges, measured):
    """SIGCONT the edge being measured (if it is one), SIGSTOP every other edge."""
    for name, process in edges.items():
        os.killpg(process.pid, signal.SIGCONT if name == measured else signal.SIGSTOP)


def wrk(url, seconds, connections, core):
    out = subprocess.run(["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if errors or socket_errors:
        raise SystemExit(f"wrk saw errors against {url}:\n{out}")
    return rps, float(p99.group(1)) * scale


def heap_used_mib(ops_log):
    text = open(ops_log).read()
    port = re.search(r"ops endpoint listening on 127\.0\.0\.1:(\d+)", text).group(1)
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    used = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith("jvm_memory_used_bytes{") and 'area="heap"' in line)
    return used / (1 << 20)


def gc_pauses(gc_log, since_s):
    """(collector, young pauses, full pauses, max ms, total ms) in the edge's GC log after since_s seconds of uptime."""
    young, full, longest, total, collector = 0, 0, 0.0, 0.0, "?"
    if not os.path.exists(gc_log):
        return collector, 0, 0, 0.0, 0.0
    for line in open(gc_log):
        using = re.search(r"Using (\S+)", line)
        if using:
            collector = using.group(1)
        pause = re.search(r"^\[([\d.]+)s\].*Pause (Young|Full|Mark|Remark|Cleanup)?.* ([\d.]+)ms$", line.strip())
        if pause and float(pause.group(1)) >= since_s:
            ms = float(pause.group(3))
            full += pause.group(2) == "Full"
            young += pause.group(2) != "Full"
            longest = max(longest, ms)
            total += ms
    return collector, young, full, longest, total


def uptime_s(process_start):
    return time.time() - process_start


def summarize(values):
    return statistics.median(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--heap", default="256m", help="edge heap (-Xmx = -Xms); the goal is to stay under 256 MiB")
    parser.add_argument("--json", help="also write raw results here")
    parser.add_argument("--edge-java-opts", default="",
                        help="extra JVM options for the edges (e.g. '-XX:+UseZGC' or "
                             "'-Dio.netty.leakDetection.level=disabled'), to compare runtime settings; the edges' GC "
                             "pauses during the measured rounds are reported either way")
    parser.add_argument("--ram-hit-paths", "--ram-hit-path", type=ram_hit_paths, default=["inline"],
                        help="edge.ram-hit-path of the edge(s) measured: inline, ring, or inline,ring for both in "
                             "the same run (default inline)")
    args = parser.parse_args()
    for tool in ("nginx", "wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install nginx-light wrk util-linux")

    work = tempfile.mkdtemp(prefix="bifrost-load-")
    docroot = os.path.join(work, "www")
    write_files(docroot)
    # The nginx worker runs unprivileged and must read the files whatever this process's umask is.
    for directory, _, files in os.walk(work):
        os.chmod(directory, 0o755)
        for name in files:
            os.chmod(os.path.join(directory, name), 0o644)
    nginx = start_nginx(work, docroot, args.server_core)
    # One edge per RAM hit path, each on its own port; "bifrost" alone keeps the original single-edge labels.
    edge_ports = {(f"bifrost {path}" if len(args.ram_hit_paths) > 1 else "bifrost"): (EDGE_PORT + 2 * i, path)
                  for i, path in enumerate(args.ram_hit_paths)}
    edges = {}
    started = {}
    try:
        for server, (port, path) in edge_ports.items():
            started[server] = time.time()
            edges[server] = start_edge(work, args.server_core, args.heap, port, path, args.edge_java_opts)
        servers = [(server, port) for server, (port, _) in edge_ports.items()] + [("nginx", NGINX_PORT)]
        for _, (path, _) in FILES.items():
            wait_http(f"http://127.0.0.1:{NGINX_PORT}{path}")
            for port, _ in edge_ports.values():
                # Two or more edge JVMs start on the one server core: give them longer than nginx.
                wait_http(f"http://127.0.0.1:{port}{path}", timeout=90 * len(edge_ports))
        results = {name: {server: [] for server, _ in servers} for name in FILES}
        for name, (path, _) in FILES.items():
            for server, port in servers:
                only_running(edges, server)
                wrk(f"http://127.0.0.1:{port}{path}", 5, args.connections, args.client_core)  # warm-up
        measured_from = {server: uptime_s(started[server]) for server in edge_ports}
        for round_index in range(args.rounds):
            for name, (path, _) in FILES.items():
                for server, port in (servers if round_index % 2 == 0 else list(reversed(servers))):
                    only_running(edges, server)
                    results[name][server].append(
                        wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, args.client_core))
                    print(f"round {round_index + 1} {name} {server}: {results[name][server][-1][0]:.0f} req/s, "
                          f"p99 {results[name][server][-1][1]:.2f} ms", file=sys.stderr)
        only_running(edges, None)
        heaps = {}
        for server, (_, path) in edge_ports.items():
            os.killpg(edges[server].pid, signal.SIGCONT)
            heaps[server] = heap_used_mib(os.path.join(work, f"edge-{path}.log"))
        print(f"\nwrk -t1 -c{args.connections} -d{args.seconds}s, {args.rounds} alternating rounds; server core "
              f"{args.server_core} (1 nginx worker / 1 edge event loop, edge.ram-hit-path "
              f"{', '.join(args.ram_hit_paths)}; only the server measured runs), wrk on core {args.client_core}; "
              f"edge heap -Xmx{args.heap}, heap used after the run "
              f"{', '.join(f'{h:.0f} MiB ({s})' for s, h in heaps.items())}\n")
        print("| file | server | req/s median (min-max) | p99 ms median (min-max) | req/s ratio | p99 ratio |")
        print("|---|---|---|---|---|---|")
        for name in FILES:
            n_rps = summarize([r for r, _ in results[name]["nginx"]])
            n_p99 = summarize([p for _, p in results[name]["nginx"]])
            for server in edge_ports:
                b_rps = summarize([r for r, _ in results[name][server]])
                b_p99 = summarize([p for _, p in results[name][server]])
                label = "Bifrost edge" + server[len("bifrost"):].replace(" ", ", RAM hits ", 1)
                print(f"| {name} | {label} | {b_rps[0]:,.0f} ({b_rps[1]:,.0f}-{b_rps[2]:,.0f}) | "
                      f"{b_p99[0]:.2f} ({b_p99[1]:.2f}-{b_p99[2]:.2f}) | {b_rps[0] / n_rps[0]:.2f} | "
                      f"{b_p99[0] / n_p99[0]:.2f} |")
            print(f"| {name} | nginx | {n_rps[0]:,.0f} ({n_rps[1]:,.0f}-{n_rps[2]:,.0f}) | "
                  f"{n_p99[0]:.2f} ({n_p99[1]:.2f}-{n_p99[2]:.2f}) | 1.00 | 1.00 |")
        print(f"\nEdge GC pauses during the measured rounds (JVM options: {args.edge_java_opts or 'defaults'}):\n")
        print("| edge | collector | young/concurrent pauses | full pauses | longest ms | total ms |")
        print("|---|---|---|---|---|---|")
        gcs = {}
        for server, (_, path) in edge_ports.items():
            # uptime in the log counts from JVM start, a little after the process start: a pause just before the
            # measured rounds may be counted, never one inside them missed
            gcs[server] = gc_pauses(os.path.join(work, f"gc-{path}.log"), measured_from[server] - 1.0)
            collector, young, full, longest, total = gcs[server]
            print(f"| {server} | {collector} | {young} | {full} | {longest:.2f} | {total:.1f} |")
        if args.json:
            with open(args.json, "w") as out:
                json.dump({"results": results, "heap_used_mib": heaps, "gc_pauses": gcs, "args": vars(args)}, out,
                          indent=2)
    except BaseException:
        for path in args.ram_hit_paths:
            log = os.path.join(work, f"edge-{path}.log")
            if os.path.exists(log):
                print(f"--- last lines of {os.path.basename(log)}:\n" + "".join(open(log).readlines()[-15:]), file=sys.stderr)
        raise
    finally:
        for edge in edges.values():
            os.killpg(edge.pid, signal.SIGCONT)
            os.killpg(edge.pid, signal.SIGTERM)
        nginx.send_signal(signal.SIGQUIT)
        for edge in edges.values():
            edge.wait(30)
        nginx.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
