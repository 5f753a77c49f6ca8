#!/usr/bin/env python3
"""A light RTMP load client: one process drives N publishers at real time from one pre-read FLV file.

Why: `ffmpeg -re -c copy` costs a process, a demuxer and a muxer per publisher; at ~100 publishers it saturated
the client core, so the load test measured the client, not the server. Here every publisher sends the SAME
pre-chunked bytes (the file is read once and turned into RTMP chunks once per chunk size and message stream id);
per publisher the work is a socket write of a slice of that buffer every tick, so it costs a small fraction of
an ffmpeg process.

What each publisher does, like ffmpeg's RTMP muxer: handshake (C0/C1/C2, plain), Set Chunk Size, connect (app from
the URL), releaseStream + FCPublish + createStream, publish (key: line --first + i of --keys-file, the keys a real
control plane issued, or else --key-prefix + i) and, once the server answers NetStream.Publish.Start, @setDataFrame
onMetaData and the FLV's audio/video tags, each sent when its timestamp is due (real time, like -re), looped forever
(-stream_loop -1): the sequence headers go once, and every loop continues the timestamps. Chunks: type 0 headers for
the first message of each chunk stream, type 1 (delta) after that, type 3 continuations; audio on chunk stream 4,
video on 6, data on 5, commands on 3.

Pacing: one timer for all publishers, firing every --loop-ms; every --tick-ms each publisher sends, in one send, all
of the shared chunked clip that has come due (two at the end of a lap). Publishers are spread over the firings by
index (publisher i's turn is when firing % (tick / loop) == i % (tick / loop)), so the server sees an even flow of
sends rather than one burst per tick. --send sendfile (the default) sends with os.sendfile from an in-memory file
(memfd) holding the chunked clip, so no Python buffer and no copy into the kernel; --send write is the first
version's asyncio write of a slice of the same bytes. Either way the server receives the identical byte stream. The
first version (write every 20 ms, all publishers on every firing) cost a median 0.042 % of a core per publisher in
this process (CPU time, 200 publishers against nginx-rtmp, 4 runs on a loaded 2-core machine); 100 ms ticks halve
that (0.0225 %), sendfile takes a little more off (0.022 %): the rest is the kernel's per-byte loopback TCP path,
which no client avoids. Every publisher is also pumped on the firings that open and close the measured window, so
its speed is measured from an up-to-date send. A publisher whose socket stops draining (the server does not read:
TCP backpressure) stops at the kernel's send buffer (write: plus --high-water bytes in asyncio's buffer) and falls
behind real time, as ffmpeg blocked in write() does.

Result per publisher (with start_ms: from the TCP connect to NetStream.Publish.Start, which includes the server's
stream-key check): publishing / refused (the server answered the publish or connect with an error: the text is
kept) / dropped (the connection closed while publishing) / failed (could not connect, or not publishing in time),
and its speed over the measured window: (media time sent) / (wall time). It "kept real time" when speed >=
--min-speed (0.98).

Measured window: [--measure-at, --measure-at + --seconds] in wall-clock epoch seconds (so several client processes
and the load driver measure the same window), or, without --measure-at, from 2 s after every publisher is
publishing (at most --settle seconds after the start). Writes "MEASURE-START <epoch>" and "MEASURE-END <epoch>" lines
on stdout, then a JSON summary on stdout (and in --json). Needs only python3.

Usage: perf/load/rtmp_publisher.py --url rtmp://127.0.0.1:1935/live --count 50 --source clip.flv --seconds 10
"""
import argparse
import asyncio
import bisect
import json
import os
import random
import resource
import struct
import sys
import time
import urllib.parse

# RTMP message types (RTMP 1.0 section 5.4 and 7.1)
SET_CHUNK_SIZE = 1
ABORT = 2
AUDIO = 8
VIDEO = 9
DATA_AMF0 = 18
COMMAND_AMF0 = 20
CSID_CONTROL = 2
CSID_COMMAND = 3
CSID_AUDIO = 4
CSID_DATA = 5
CSID_VIDEO = 6
HANDSHAKE_SIZE = 1536
EXTENDED_TIMESTAMP = 0xFFFFFF
MAX_SERVER_MESSAGE = 1 << 20


# ---------------------------------------------------------------------------------------------------- AMF0

def amf_encode(value):
    if value is None:
        return b"\x05"
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, (int, float)):
        return b"\x00" + struct.pack(">d", float(value))
    if isinstance(value, str):
        data = value.encode()
        return b"\x02" + struct.pack(">H", len(data)) + data
    if isinstance(value, dict):
        out = bytearray(b"\x03")
        for key, item in value.items():
            data = key.encode()
            out += struct.pack(">H", len(data)) + data + amf_encode(item)
        return bytes(out + b"\x00\x00\x09")
    raise TypeError(f"cannot encode {type(value)} in AMF0")


def amf_decode_all(data):
    """The values of an AMF0 command body; stops quietly at anything it does not know (only names and status
    objects are read from them)."""
    values, offset = [], 0
    while offset < len(data):
        try:
            value, offset = _amf_value(data, offset, 0)
        except (IndexError, struct.error, ValueError):
            break
        values.append(value)
    return values


def _amf_value(data, offset, depth):
    if depth > 16:
        raise ValueError("AMF0 too deep")
    marker = data[offset]
    offset += 1
    if marker == 0x00:
        return struct.unpack_from(">d", data, offset)[0], offset + 8
    if marker == 0x01:
        return data[offset] != 0, offset + 1
    if marker == 0x02:
        length = struct.unpack_from(">H", data, offset)[0]
        return data[offset + 2:offset + 2 + length].decode(errors="replace"), offset + 2 + length
    if marker in (0x03, 0x08):
        if marker == 0x08:
            offset += 4
        result = {}
        while True:
            length = struct.unpack_from(">H", data, offset)[0]
            offset += 2
            if length == 0 and data[offset] == 0x09:
                return result, offset + 1
            key = data[offset:offset + length].decode(errors="replace")
            result[key], offset = _amf_value(data, offset + length, depth + 1)
    if marker in (0x05, 0x06):
        return None, offset
    if marker == 0x0A:
        count = struct.unpack_from(">I", data, offset)[0]
        offset += 4
        items = []
        for _ in range(min(count, 1024)):
            item, offset = _amf_value(data, offset, depth + 1)
            items.append(item)
        return items, offset
    raise ValueError(f"AMF0 marker {marker}")


# ---------------------------------------------------------------------------------------------------- chunks

def chunk_message(csid, fmt, timestamp, type_id, msid, payload, chunk_size):
    """One RTMP message as chunks: a type 0 (absolute timestamp) or type 1 (delta) header, type 3 continuations."""
    extended = timestamp >= EXTENDED_TIMESTAMP
    stamp = EXTENDED_TIMESTAMP if extended else timestamp
    header = bytes([(fmt << 6) | csid]) + stamp.to_bytes(3, "big") + len(payload).to_bytes(3, "big") + bytes([type_id])
    if fmt == 0:
        header += struct.pack("<I", msid)
    extension = struct.pack(">I", timestamp) if extended else b""
    out = bytearray(header + extension + payload[:chunk_size])
    continuation = bytes([0xC0 | csid]) + extension
    for offset in range(chunk_size, len(payload), chunk_size):
        out += continuation + payload[offset:offset + chunk_size]
    return bytes(out)


def command(name, transaction, *args, csid=CSID_COMMAND, msid=0, chunk_size=128):
    payload = amf_encode(name) + amf_encode(transaction) + b"".join(amf_encode(a) for a in args)
    return chunk_message(csid, 0, 0, COMMAND_AMF0, msid, payload, chunk_size)


class ChunkReader:
    """The server's side of the conversation: chunk stream state per csid, messages out. Bounded (1 MiB per
    message); a malformed stream raises ValueError."""

    def __init__(self):
        self.buffer = bytearray()
        self.chunk_size = 128
        self.streams = {}  # csid -> [timestamp, length, type, msid, payload bytearray]

    def feed(self, data):
        self.buffer += data
        messages = []
        while True:
            message = self._next()
            if message is None:
                return messages
            if message[0] == SET_CHUNK_SIZE and len(message[2]) >= 4:
                self.chunk_size = max(1, struct.unpack(">I", bytes(message[2][:4]))[0] & 0x7FFFFFFF)
            messages.append(message)

    def _next(self):
        b = self.buffer
        if not b:
            return None
        fmt, csid, pos = b[0] >> 6, b[0] & 0x3F, 1
        if csid == 0:
            if len(b) < 2:
                return None
            csid, pos = 64 + b[1], 2
        elif csid == 1:
            if len(b) < 3:
                return None
            csid, pos = 64 + b[1] + 256 * b[2], 3
        size = (11, 7, 3, 0)[fmt]
        if len(b) < pos + size:
            return None
        state = self.streams.get(csid)
        if state is None:
            if fmt != 0:
                raise ValueError(f"chunk type {fmt} on new chunk stream {csid}")
            state = self.streams[csid] = [0, 0, 0, 0, None]
        stamp = int.from_bytes(b[pos:pos + 3], "big") if fmt < 3 else None
        if fmt <= 1:
            length, type_id = int.from_bytes(b[pos + 3:pos + 6], "big"), b[pos + 6]
            if length > MAX_SERVER_MESSAGE:
                raise ValueError(f"server message of {length} bytes")
            state[1], state[2] = length, type_id
        if fmt == 0:
            state[3] = struct.unpack_from("<I", b, pos + 7)[0]
        pos += size
        if stamp == EXTENDED_TIMESTAMP:
            if len(b) < pos + 4:
                return None
            pos += 4
        new_message = state[4] is None
        if new_message:
            state[4] = bytearray()
        want = min(self.chunk_size, state[1] - len(state[4]))
        if len(b) < pos + want:
            if new_message:
                state[4] = None
            return None
        state[4] += b[pos:pos + want]
        del b[:pos + want]
        if len(state[4]) < state[1]:
            return None
        payload, state[4] = state[4], None
        return state[2], state[3], payload


# ---------------------------------------------------------------------------------------------------- FLV

class Program:
    """The FLV file as RTMP chunks, shared by every publisher: the first loop (with the sequence headers, type 0
    headers on each chunk stream's first message) and the repeat loop (no sequence headers, type 1 headers
    whose deltas carry on from the previous loop), each with the timestamp and end offset of every message."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:3] != b"FLV":
            raise SystemExit(f"{path} is not an FLV file")
        offset = int.from_bytes(data[5:9], "big") + 4
        self.metadata = None
        self.tags = []  # (type, timestamp ms, payload)
        while offset + 11 <= len(data):
            tag_type = data[offset] & 0x1F
            size = int.from_bytes(data[offset + 1:offset + 4], "big")
            stamp = int.from_bytes(data[offset + 4:offset + 7], "big") | (data[offset + 7] << 24)
            payload = data[offset + 11:offset + 11 + size]
            offset += 11 + size + 4
            if len(payload) < size:
                break
            if tag_type == DATA_AMF0:
                if self.metadata is None:
                    self.metadata = payload
            elif tag_type in (AUDIO, VIDEO) and payload:
                self.tags.append((tag_type, stamp, payload))
        if not self.tags:
            raise SystemExit(f"{path} has no audio or video tags")
        base = self.tags[0][1]
        self.tags = [(t, s - base, p) for t, s, p in self.tags]
        video = [s for t, s, _ in self.tags if t == VIDEO]
        deltas = sorted(b - a for a, b in zip(video, video[1:]) if b > a)
        frame = deltas[len(deltas) // 2] if deltas else 33
        self.period_ms = max(s for _, s, _ in self.tags) + frame
        self.media_bytes = sum(len(p) for _, _, p in self.tags)
        self._cache = {}

    @staticmethod
    def _sequence_header(tag_type, payload):
        if tag_type == VIDEO:
            if payload[0] & 0x80:  # enhanced RTMP: packet type 0 = sequence start
                return payload[0] & 0x0F == 0
            return payload[0] & 0x0F == 7 and len(payload) > 1 and payload[1] == 0
        return payload[0] >> 4 == 10 and len(payload) > 1 and payload[1] == 0

    def loops(self, msid, chunk_size):
        key = (msid, chunk_size)
        if key not in self._cache:
            repeat = [t for t in self.tags if not self._sequence_header(t[0], t[2])]
            last = {}
            for tag_type, stamp, _ in repeat:
                last[tag_type] = stamp
            first_loop = self._serialize(self.tags, {}, msid, chunk_size)
            previous = {tag_type: stamp - self.period_ms for tag_type, stamp in last.items()}
            self._cache[key] = (first_loop, self._serialize(repeat, previous, msid, chunk_size))
        return self._cache[key]

    def media_file(self, msid, chunk_size):
        """The two loops of loops() in one in-memory file (memfd), the first then the repeat, for os.sendfile: a
        publisher's send then costs no copy into the kernel (the socket takes references to the file's pages) and no
        Python-side buffer. Returns (fd, [(offset in the file, stamps, ends) of the first loop, of the repeat])."""
        key = ("file", msid, chunk_size)
        if key not in self._cache:
            fd = os.memfd_create(f"rtmp-program-{msid}-{chunk_size}")
            laps, offset = [], 0
            for data, stamps, ends in self.loops(msid, chunk_size):
                os.pwrite(fd, data, offset)
                laps.append((offset, stamps, ends))
                offset += len(data)
            self._cache[key] = (fd, laps)
        return self._cache[key]

    @staticmethod
    def _serialize(tags, previous, msid, chunk_size):
        out, stamps, ends = bytearray(), [], []
        previous = dict(previous)
        for tag_type, stamp, payload in tags:
            csid = CSID_VIDEO if tag_type == VIDEO else CSID_AUDIO
            if tag_type in previous:
                out += chunk_message(csid, 1, max(0, stamp - previous[tag_type]), tag_type, msid, payload, chunk_size)
            else:
                out += chunk_message(csid, 0, stamp, tag_type, msid, payload, chunk_size)
            previous[tag_type] = stamp
            stamps.append(stamp)
            ends.append(len(out))
        return bytes(out), stamps, ends

    def metadata_message(self, msid, chunk_size):
        body = amf_encode("@setDataFrame") + (self.metadata or (amf_encode("onMetaData") + amf_encode({})))
        return chunk_message(CSID_DATA, 0, 0, DATA_AMF0, msid, body, chunk_size)


# ---------------------------------------------------------------------------------------------------- publisher

class Publisher(asyncio.Protocol):
    def __init__(self, index, args, program, url, key):
        self.index, self.args, self.program, self.url = index, args, program, url
        self.key = key
        self.state, self.reason = "connecting", ""
        self.transport = None
        self.handshake = bytearray()
        self.reader = ChunkReader()
        self.paused = False
        self.start = None  # loop time of the first media byte
        self.connect_at = None  # loop time the TCP connect began
        self.loop_index, self.tag_index, self.sent_ms = 0, 0, 0
        self.window = None
        self.bytes_sent = 0
        self.views = None
        self.media = None  # --send sendfile: (program file, laps)
        self.socket_fd = -1
        self.lap_bytes = 0  # bytes of the current lap sent so far

    # --- asyncio.Protocol
    def connection_made(self, transport):
        self.transport = transport
        transport.set_write_buffer_limits(high=self.args.high_water)
        self.state = "handshake"
        c1 = struct.pack(">II", 0, 0) + random.randbytes(HANDSHAKE_SIZE - 8)
        transport.write(b"\x03" + c1)

    def data_received(self, data):
        if self.state == "handshake":
            self.handshake += data
            if len(self.handshake) < 1 + 2 * HANDSHAKE_SIZE:
                return
            s1 = bytes(self.handshake[1:1 + HANDSHAKE_SIZE])
            rest = bytes(self.handshake[1 + 2 * HANDSHAKE_SIZE:])
            self.handshake = None
            self.transport.write(s1)  # C2 echoes S1
            self.state = "connect"
            self._send_connect()
            data = rest
            if not data:
                return
        try:
            for type_id, msid, payload in self.reader.feed(data):
                if type_id == COMMAND_AMF0:
                    self._on_command(amf_decode_all(bytes(payload)))
        except ValueError as error:
            self._fail("failed", f"bad server chunk stream: {error}")

    def connection_lost(self, error):
        if self.state == "publishing":
            self.state, self.reason = "dropped", f"connection closed by the server{': ' + str(error) if error else ''}"
        elif self.state not in ("refused", "failed", "closed", "dropped"):
            self.state, self.reason = "failed", f"connection closed while {self.state}"

    def pause_writing(self):
        self.paused = True

    def resume_writing(self):
        self.paused = False

    # --- the conversation
    def _send_connect(self):
        size = self.args.chunk_size
        self.transport.write(chunk_message(CSID_CONTROL, 0, 0, SET_CHUNK_SIZE, 0, struct.pack(">I", size), 128))
        app, tc_url = self.url
        self.transport.write(command("connect", 1, {"app": app, "type": "nonprivate", "flashVer": "FMLE/3.0 (compatible; "
                                     "Lavf59)", "tcUrl": tc_url}, chunk_size=size))

    def _on_command(self, values):
        if not values or not isinstance(values[0], str):
            return
        name = values[0]
        transaction = values[1] if len(values) > 1 else 0
        status = next((v for v in values[2:] if isinstance(v, dict) and "code" in v), {})
        size = self.args.chunk_size
        if name == "_error":
            self._fail("refused", f"{status.get('code', '_error')}: {status.get('description', '')}".strip())
        elif name == "_result" and transaction == 1 and self.state == "connect":
            self.state = "create"
            self.transport.write(command("releaseStream", 2, None, self.key, chunk_size=size) +
                                 command("FCPublish", 3, None, self.key, chunk_size=size) +
                                 command("createStream", 4, None, chunk_size=size))
        elif name == "_result" and transaction == 4 and self.state == "create":
            msid = next((int(v) for v in values[2:] if isinstance(v, float)), 1)
            self.msid = msid
            self.state = "publish"
            self.transport.write(command("publish", 5, None, self.key, "live", csid=8, msid=msid, chunk_size=size))
        elif name == "onStatus":
            code = str(status.get("code", ""))
            if code == "NetStream.Publish.Start" and self.state == "publish":
                self.transport.write(self.program.metadata_message(self.msid, size))
                if self.args.send == "sendfile":
                    self.media = self.program.media_file(self.msid, size)
                    self.socket_fd = self.transport.get_extra_info("socket").fileno()
                else:
                    self.views = [(memoryview(b), s, e) for b, s, e in self.program.loops(self.msid, size)]
                self.state = "publishing"
                self.start = asyncio.get_running_loop().time()
            elif status.get("level") == "error" or "Error" in code or "Failed" in code or "BadName" in code:
                self._fail("refused" if self.state != "publishing" else "dropped",
                           f"{code}: {status.get('description', '')}".strip())

    def _fail(self, state, reason):
        self.state, self.reason = state, reason
        if self.transport is not None:
            self.transport.close()

    # --- pacing
    def pump(self, now):
        """Write every tag due by now (unless the socket is backed up); returns bytes written."""
        if self.state != "publishing" or self.paused:
            return 0
        if self.media is not None:
            return self._pump_sendfile(now)
        due = (now - self.start) * 1000.0
        period = self.program.period_ms
        written = 0
        while True:
            data, stamps, ends = self.views[0 if self.loop_index == 0 else 1]
            base = self.loop_index * period
            upto = bisect.bisect_right(stamps, due - base)
            if upto > self.tag_index:
                begin = ends[self.tag_index - 1] if self.tag_index else 0
                self.transport.write(data[begin:ends[upto - 1]])
                written += ends[upto - 1] - begin
                self.tag_index = upto
                self.sent_ms = base + stamps[upto - 1]
            if upto < len(stamps):
                break
            self.loop_index, self.tag_index = self.loop_index + 1, 0
        self.bytes_sent += written
        return written

    def _pump_sendfile(self, now):
        """--send sendfile: one os.sendfile per lap of what is due, straight from the program file to the socket,
        resuming mid-message where the last one stopped; a full socket (EAGAIN, a short send) leaves the rest for
        the next turn, so a server that stops reading makes this publisher fall behind (sent_ms counts complete
        messages only). The transport is bypassed once the metadata it holds has gone."""
        if self.transport.get_write_buffer_size():
            return 0
        fd, laps = self.media
        due = (now - self.start) * 1000.0
        period = self.program.period_ms
        written = 0
        while True:
            offset, stamps, ends = laps[0 if self.loop_index == 0 else 1]
            base = self.loop_index * period
            upto = bisect.bisect_right(stamps, due - base)
            target = ends[upto - 1] if upto else 0
            if target > self.lap_bytes:
                try:
                    sent = os.sendfile(self.socket_fd, fd, offset + self.lap_bytes, target - self.lap_bytes)
                except BlockingIOError:
                    sent = 0
                except OSError as error:
                    self._fail("dropped", f"connection closed by the server (send: {error.strerror})")
                    break
                self.lap_bytes += sent
                written += sent
                complete = bisect.bisect_right(ends, self.lap_bytes)
                if complete:
                    self.sent_ms = base + stamps[complete - 1]
                if self.lap_bytes < target:
                    break
            if upto < len(stamps):
                break
            self.loop_index, self.lap_bytes = self.loop_index + 1, 0
        self.bytes_sent += written
        return written

    def close(self):
        if self.transport is not None and not self.transport.is_closing():
            if self.state == "publishing":
                self.state = "closed"
            self.transport.close()


def parse_url(url):
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "rtmp" or not parsed.hostname:
        raise SystemExit(f"--url must be rtmp://host[:port]/app, got {url}")
    app = parsed.path.strip("/")
    return parsed.hostname, parsed.port or 1935, app, f"rtmp://{parsed.hostname}:{parsed.port or 1935}/{app}"


def read_keys(args):
    """The stream keys of publishers first .. first + count - 1: lines of --keys-file (the keys a real control plane
    issued), or --key-prefix + index."""
    if not args.keys_file:
        return [f"{args.key_prefix}{args.first + i}" for i in range(args.count)]
    with open(args.keys_file) as f:
        keys = [line.strip() for line in f if line.strip()]
    if len(keys) < args.first + args.count:
        raise SystemExit(f"--keys-file {args.keys_file} has {len(keys)} keys; publishers {args.first}.."
                         f"{args.first + args.count - 1} need {args.first + args.count}")
    return keys[args.first:args.first + args.count]


async def run(args):
    host, port, app, tc_url = parse_url(args.url)
    program = Program(args.source)
    loop = asyncio.get_running_loop()
    keys = read_keys(args)
    publishers = [Publisher(args.first + i, args, program, (app, tc_url), keys[i]) for i in range(args.count)]
    started_wall = time.time()

    async def connect(publisher, delay):
        await asyncio.sleep(delay)
        publisher.connect_at = loop.time()
        try:
            await asyncio.wait_for(loop.create_connection(lambda: publisher, host, port), timeout=10)
        except (OSError, asyncio.TimeoutError) as error:
            publisher.state, publisher.reason = "failed", f"connect: {error!r}"

    connects = [asyncio.ensure_future(connect(p, args.ramp_seconds * i / max(1, args.count)))
                for i, p in enumerate(publishers)]
    tick = args.loop_ms / 1000.0
    phases = max(1, round(args.tick_ms / args.loop_ms))
    cohorts = [publishers[phase::phases] for phase in range(phases)]
    firing = 0
    measure_at = args.measure_at
    window_start = window_end = None
    cpu_start = None
    final = ("publishing", "refused", "failed", "dropped")
    next_tick = loop.time()
    while True:
        now = loop.time()
        wall = time.time()
        if measure_at is None and (all(p.state in final for p in publishers) or
                                   wall - started_wall >= args.settle):
            measure_at = wall + 2.0
        opens = window_start is None and measure_at is not None and wall >= measure_at
        closes = window_start is not None and wall >= window_start[0] + args.seconds
        for publisher in publishers if opens or closes else cohorts[firing % phases]:
            publisher.pump(now)
        firing += 1
        if opens:
            window_start, cpu_start = (wall, now), resource.getrusage(resource.RUSAGE_SELF)
            for publisher in publishers:
                publisher.window = (now, publisher.sent_ms, publisher.state == "publishing", publisher.bytes_sent)
            print(f"MEASURE-START {wall:.3f}", flush=True)
        if closes:
            window_end = (wall, now)
            print(f"MEASURE-END {wall:.3f}", flush=True)
            break
        next_tick += tick
        await asyncio.sleep(max(0.0, next_tick - loop.time()))
    cpu_end = resource.getrusage(resource.RUSAGE_SELF)
    for task in connects:
        task.cancel()
    rows, window_bytes = [], 0
    for publisher in publishers:
        start_now, start_ms, was_publishing, start_bytes = publisher.window
        window_bytes += publisher.bytes_sent - start_bytes
        elapsed = window_end[1] - start_now
        speed = (publisher.sent_ms - start_ms) / 1000.0 / elapsed if was_publishing and elapsed > 0 else 0.0
        state = publisher.state
        if state in ("connecting", "handshake", "connect", "create", "publish"):
            state, publisher.reason = "failed", f"not publishing in time (stuck in {publisher.state})"
        elif state == "publishing" and not was_publishing:
            state, publisher.reason = "late", "started publishing during the measured window"
        rows.append({"key": publisher.key, "state": state, "reason": publisher.reason, "speed": round(speed, 4),
                     "lag_ms": round((window_end[1] - publisher.start) * 1000.0 - publisher.sent_ms, 1)
                     if publisher.start is not None else None,
                     "start_ms": round((publisher.start - publisher.connect_at) * 1000.0, 1)
                     if publisher.start is not None else None,
                     "kept_real_time": state == "publishing" and speed >= args.min_speed,
                     "bytes_sent": publisher.bytes_sent})
    for publisher in publishers:
        publisher.close()
    await asyncio.sleep(0.2)
    cpu = (cpu_end.ru_utime + cpu_end.ru_stime) - (cpu_start.ru_utime + cpu_start.ru_stime)
    states = {}
    for row in rows:
        states[row["state"]] = states.get(row["state"], 0) + 1
    speeds = sorted(row["speed"] for row in rows)
    summary = {"count": len(rows), "states": states,
               "kept_real_time": sum(row["kept_real_time"] for row in rows),
               "min_speed": speeds[0] if speeds else 0.0, "median_speed": speeds[len(speeds) // 2] if speeds else 0.0,
               "window": [window_start[0], window_end[0]], "client_cpu_pct": 100.0 * cpu / (window_end[0] - window_start[0]),
               "client_sys_pct": 100.0 * (cpu_end.ru_stime - cpu_start.ru_stime) / (window_end[0] - window_start[0]),
               "sent_mbit_s": window_bytes * 8 / 1e6 / (window_end[0] - window_start[0]),
               "reasons": sorted({row["reason"] for row in rows if row["reason"]})[:5], "publishers": rows}
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="rtmp://host:port/app")
    parser.add_argument("--key-prefix", default="bench", help="publisher i publishes the key PREFIX + i")
    parser.add_argument("--keys-file", help="publisher i publishes line i of this file instead (keys a control plane "
                        "issued); --first indexes into it")
    parser.add_argument("--first", type=int, default=0, help="index of the first publisher (several processes)")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--source", required=True, help="FLV file (H.264/AAC) every publisher loops")
    parser.add_argument("--chunk-size", type=int, default=4096, help="outbound chunk size (ffmpeg sends 4096)")
    parser.add_argument("--ramp-seconds", type=float, default=2.0, help="spread the connects over this long")
    parser.add_argument("--tick-ms", type=float, default=100.0,
                        help="each publisher sends what is due once per this period (one send); the client's cost "
                        "is per send, so longer is cheaper, and burstier for the server")
    parser.add_argument("--send", choices=("sendfile", "write"), default="sendfile",
                        help="sendfile = os.sendfile from an in-memory file of the chunked clip (no copy into the "
                        "kernel); write = the asyncio transport's write of a slice of the same bytes (the first "
                        "version). The server receives the same bytes either way")
    parser.add_argument("--loop-ms", type=float, default=20.0,
                        help="the timer's period; each firing pumps the publishers whose turn it is (tick / loop "
                        "groups), so the server sees sends spread evenly over the tick")
    parser.add_argument("--high-water", type=int, default=256 * 1024, help="bytes buffered before a publisher waits")
    parser.add_argument("--settle", type=float, default=20.0, help="longest wait for every publisher to publish")
    parser.add_argument("--measure-at", type=float, help="epoch seconds the measured window starts")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window")
    parser.add_argument("--min-speed", type=float, default=0.98)
    parser.add_argument("--json", help="write the summary here too")
    args = parser.parse_args()
    if not 128 <= args.chunk_size <= 0x7FFFFFFF:
        raise SystemExit("--chunk-size must be >= 128")
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(65536, resource.getrlimit(resource.RLIMIT_NOFILE)[1]),) * 2)
    summary = asyncio.run(run(args))
    text = json.dumps(summary)
    if args.json:
        with open(args.json, "w") as out:
            out.write(text)
    brief = {k: v for k, v in summary.items() if k != "publishers"}
    print(json.dumps(brief), flush=True)
    return 0 if summary["kept_real_time"] == summary["count"] else 1


if __name__ == "__main__":
    sys.exit(main())
