#!/usr/bin/env python3
"""Polls the edges like a steered viewer until STOP_FILE appears, then writes a JSON summary.

Before every request it reads the steering file ("name url on|off" lines) and sends the request to the next edge
that is "on" (round robin). A request fails when it cannot connect, times out, or answers anything but 200 with
the expected body length. Exit status 0 when no request failed.

usage: poll.py STEERING_FILE PATH EXPECTED_LENGTH STOP_FILE SUMMARY_JSON
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request


def edges_on(steering_file):
    with open(steering_file, encoding="utf-8") as handle:
        rows = [line.split() for line in handle if line.strip()]
    return [(row[0], row[1]) for row in rows if len(row) == 3 and row[2] == "on"]


def main():
    steering_file, path, expected_length, stop_file, summary_file = sys.argv[1:6]
    expected_length = int(expected_length)
    served, failures, total, turn = {}, [], 0, 0
    started = time.monotonic()
    while not os.path.exists(stop_file):
        edges = edges_on(steering_file)
        if not edges:
            failures.append({"at": round(time.monotonic() - started, 3), "edge": None, "error": "no edge steered"})
            time.sleep(0.1)
            continue
        name, url = edges[turn % len(edges)]
        turn += 1
        total += 1
        try:
            with urllib.request.urlopen(url + path, timeout=5) as response:
                body = response.read()
                if response.status != 200 or len(body) != expected_length:
                    raise ValueError(f"status {response.status}, {len(body)} bytes")
            served[name] = served.get(name, 0) + 1
        except (OSError, ValueError, urllib.error.URLError) as ex:
            failures.append({"at": round(time.monotonic() - started, 3), "edge": name, "error": str(ex)})
        time.sleep(0.05)
    summary = {"requests": total, "failed": len(failures), "served": served, "failures": failures[:20],
               "seconds": round(time.monotonic() - started, 1)}
    with open(summary_file, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
