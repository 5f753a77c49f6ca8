package io.bifrost.launcher.config;

import io.bifrost.control.ControlPlane;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.fill.FillHops;
import io.bifrost.ingest.IngestNode;
import io.bifrost.ingest.control.ControlPlaneClient;
import io.bifrost.origin.OriginNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key Bifrost knows, in help order. Role defaults come from the roles' own {@code Context}
 * constants, so there is one source for each default.
 */
public final class ConfigKeys
{
    /** The config file itself (flag and env only). */
    public static final ConfigKey CONFIG = new ConfigKey("config", ConfigType.PATH, "",
        "configuration file (key = value lines, see docs/configuration.md)");
    /** Root of every role's on-disk state. */
    public static final ConfigKey DATA_DIR = new ConfigKey("data-dir", ConfigType.PATH, "data",
        "directory for caches, stores and job logs (one sub-directory per role)");
    /** Listen address for every server socket. */
    public static final ConfigKey BIND = new ConfigKey("bind", ConfigType.STRING, "0.0.0.0",
        "address every listener binds to (127.0.0.1 keeps a node private to this host)");
    /** Process-wide operations port. */
    public static final ConfigKey OPS_PORT = new ConfigKey("ops-port", ConfigType.PORT, "8090",
        "operations HTTP port of the process: /healthz, /readyz, /metrics (0 = any free port)");
    /** Log threshold. */
    public static final ConfigKey LOG_LEVEL = new ConfigKey("log-level", ConfigType.STRING, "info",
        "log threshold: error, warn, info, debug or trace");
    /** Log line format. */
    public static final ConfigKey LOG_FORMAT = new ConfigKey("log-format", ConfigType.STRING, "text",
        "log format on stdout: text (for people) or json (one object per line, for log shippers)");
    /** How long a stop waits for in-flight work. */
    public static final ConfigKey DRAIN_TIMEOUT_SECONDS = new ConfigKey("drain-timeout-seconds", ConfigType.INT, "30",
        "on SIGTERM, how long each role may finish in-flight work before it is closed");

    /** Aeron directory shared by the roles of this process. */
    public static final ConfigKey AERON_DIR = new ConfigKey("aeron.dir", ConfigType.PATH, "",
        "Aeron media driver directory shared by this process's roles (empty = /dev/shm/bifrost-aeron-<pid>)");
    /** Use an operator-run media driver. */
    public static final ConfigKey AERON_EXTERNAL = new ConfigKey("aeron.external", ConfigType.BOOLEAN, "false",
        "true to use a media driver the operator runs in aeron.dir instead of starting one in the process");

    /** Edge plain HTTP port. */
    public static final ConfigKey EDGE_PORT = new ConfigKey("edge.port", ConfigType.PORT,
        Integer.toString(EdgeNode.Context.DEFAULT_PORT), "edge HTTP port (viewers and players)");
    /** Edge HTTPS port. */
    public static final ConfigKey EDGE_TLS_PORT = new ConfigKey("edge.tls-port", ConfigType.PORT,
        Integer.toString(EdgeNode.Context.DEFAULT_TLS_PORT), "edge HTTPS port (used when a certificate is configured)");
    /** Edge TLS certificate. */
    public static final ConfigKey EDGE_TLS_CERT = new ConfigKey("edge.tls-cert", ConfigType.PATH, "",
        "PEM certificate chain; with edge.tls-key, the edge serves HTTPS (h2 and http/1.1 by ALPN) on edge.tls-port");
    /** Edge TLS key. */
    public static final ConfigKey EDGE_TLS_KEY = new ConfigKey("edge.tls-key", ConfigType.PATH, "",
        "PEM PKCS#8 private key for edge.tls-cert");
    /** Origins an edge fills from. */
    public static final ConfigKey EDGE_ORIGIN = new ConfigKey("edge.origin", ConfigType.URL_LIST,
        EdgeNode.Context.DEFAULT_ORIGIN.toString(), "origin URL(s) the edge fills misses from; several = failover order");
    /** Loop guard of tiered fills. */
    public static final ConfigKey EDGE_FILL_MAX_HOPS = new ConfigKey("edge.fill-max-hops", ConfigType.INT,
        Integer.toString(FillHops.DEFAULT_MAX_HOPS),
        "a miss on a request that already passed this many edges (X-Bifrost-Hop) answers 508 instead of being "
            + "forwarded: 2 allows one tier of regional shields; 3 for edge -> regional -> global shield");
    /** RAM tier size. */
    public static final ConfigKey EDGE_RAM_BYTES = new ConfigKey("edge.ram-bytes", ConfigType.SIZE, "256m",
        "RAM tier size: memory-mapped, off the Java heap, kept on disk so a restart is warm");
    /** SSD tier size. */
    public static final ConfigKey EDGE_SSD_BYTES = new ConfigKey("edge.ssd-bytes", ConfigType.SIZE, "0",
        "SSD tier size (RocksDB under data-dir/edge/ssd, behind the RAM tier, admission-filtered); 0 = no SSD tier "
            + "(opt-in for now, see docs/edge.md)");
    /** SSD tier eviction. */
    public static final ConfigKey EDGE_SSD_CACHE_POLICY = new ConfigKey("edge.ssd-cache-policy", ConfigType.STRING, "lru",
        "SSD tier eviction behind its admission filter: lru, s3-fifo or segment-aware");
    /** How RAM hits are answered. */
    public static final ConfigKey EDGE_RAM_HIT_PATH = new ConfigKey("edge.ram-hit-path", ConfigType.STRING, "inline",
        "how RAM hits are answered: inline on the event loop (measured faster, BENCHMARKS.md) or ring (through a Disruptor)");
    /** Path prefixes that need signed URLs. */
    public static final ConfigKey EDGE_SIGNED_PREFIXES = new ConfigKey("edge.signed-prefixes", ConfigType.STRING_LIST, "",
        "path prefixes whose requests need a signed-URL token (?token=...), e.g. /vod/premium/; checked before the cache");
    /** Keys for signed URLs. */
    public static final ConfigKey EDGE_SIGNING_KEYS = new ConfigKey("edge.signing-keys", ConfigType.SECRET, "",
        "keys tokens may be signed with: kid:secret pairs, comma-separated, secret base64url of 32+ bytes; first signs");
    /** Keys that authenticate control messages at the edge. */
    public static final ConfigKey EDGE_FLEET_KEYS = new ConfigKey("edge.fleet-keys", ConfigType.SECRET, "",
        "kid:secret pairs (as control.fleet-keys) that sign heartbeats and telemetry and verify placement commands; "
            + "empty = unauthenticated (bifrost all: control.fleet-keys when unset)");
    /** A newer hls.js for the reference player. */
    public static final ConfigKey EDGE_PLAYER_HLSJS_DIR = new ConfigKey("edge.player-hlsjs-dir", ConfigType.PATH, "",
        "folder with hls.min.js (e.g. node_modules/hls.js/dist) the reference player at /player/{id} loads instead of "
            + "the bundled hls.js 1.4.12; empty = the bundled one");
    /** Edge cache policy. */
    public static final ConfigKey EDGE_CACHE_POLICY = new ConfigKey("edge.cache-policy", ConfigType.STRING, "segment-aware",
        "RAM tier admission/eviction: segment-aware (best measured, see BENCHMARKS.md), s3-fifo or lru");
    /** Edge event loops. */
    public static final ConfigKey EDGE_IO_THREADS = new ConfigKey("edge.io-threads", ConfigType.INT,
        Integer.toString(Runtime.getRuntime().availableProcessors()),
        "event-loop threads for viewers and origin connections (default: one per core)");
    /** io_uring submission queue per event loop. */
    public static final ConfigKey EDGE_IO_URING_RING_SIZE = new ConfigKey("edge.io-uring-ring-size", ConfigType.INT,
        Integer.toString(EdgeNode.Context.DEFAULT_IO_URING_RING_SIZE),
        "io_uring submission queue entries per edge event loop (power of two, at most 32768; ignored on epoll/NIO)");
    /** io_uring completion queue per event loop. */
    public static final ConfigKey EDGE_IO_URING_CQ_SIZE = new ConfigKey("edge.io-uring-cq-size", ConfigType.INT,
        Integer.toString(EdgeNode.Context.DEFAULT_IO_URING_CQ_SIZE),
        "io_uring completion queue entries per edge event loop (power of two, at least the ring size, at most 65536); "
            + "Netty's 4096 overflows when thousands of held viewers are answered at once");
    /** Held requests one event loop answers per I/O turn. */
    public static final ConfigKey EDGE_LIVE_WAKE_CHUNK = new ConfigKey("edge.live-wake-chunk", ConfigType.INT, "65536",
        "woken LL-HLS held requests one event loop answers before it gives its I/O a turn (at least 1); smaller sends "
            + "the first answers sooner but raised the p99 and the CPU per answer when measured");
    /** Pre-encoded answers for woken held requests. */
    public static final ConfigKey EDGE_LIVE_ENCODED_ANSWERS = new ConfigKey("edge.live-encoded-answers",
        ConfigType.BOOLEAN, "true",
        "answer woken LL-HLS held requests (HTTP/1.1 GET) with bytes encoded once per wake; false = through the HTTP "
            + "codec per viewer (for comparison runs)");
    /** Edge region. */
    public static final ConfigKey EDGE_REGION = new ConfigKey("edge.region", ConfigType.STRING, "default",
        "region this edge serves, used by steering and placement");
    /** Edge id. */
    public static final ConfigKey EDGE_ID = new ConfigKey("edge.id", ConfigType.STRING, "",
        "this edge's unique id towards the control plane (empty = hostname-port)");
    /** Edge public URL. */
    public static final ConfigKey EDGE_PUBLIC_URL = new ConfigKey("edge.public-url", ConfigType.STRING, "",
        "where viewers reach this edge, as steering hands it out (empty = http://hostname:port)");
    /** Control plane for heartbeats. */
    public static final ConfigKey EDGE_CONTROL = new ConfigKey("edge.control", ConfigType.STRING, "auto",
        "control plane this edge heartbeats to: auto (IPC when it runs in this process, else none), none, or "
            + "host[:port] (UDP, default port 40458)");
    /** Live stream subscription. */
    public static final ConfigKey EDGE_LIVE_CHANNEL = new ConfigKey("edge.live-channel", ConfigType.STRING, "auto",
        "Aeron channel of the origin's live parts: auto (IPC when the origin runs in this process, else UDP to the "
            + "first edge.origin host), none (live through HTTP fills only), or an aeron: channel");
    /** Live window memory. */
    public static final ConfigKey EDGE_LIVE_BYTES = new ConfigKey("edge.live-bytes", ConfigType.SIZE, "256m",
        "most bytes of live parts and playlists the edge holds (off-heap)");

    /** Live mode. */
    public static final ConfigKey ORIGIN_LIVE_MODE = new ConfigKey("origin.live-mode", ConfigType.STRING, "transcode",
        "live streams: transcode (one ffmpeg per stream makes the ladder) or passthrough (remux the publisher's "
            + "H.264/AAC, lowest latency); a stream created with passthrough uses it either way");
    /** Live x264 preset. */
    public static final ConfigKey ORIGIN_LIVE_X264_PRESET = new ConfigKey("origin.live-x264-preset", ConfigType.STRING,
        "veryfast", "libx264 preset of the live ladder (with -tune zerolatency)");
    /** LL-HLS part target. */
    public static final ConfigKey ORIGIN_LIVE_PART_MS = new ConfigKey("origin.live-part-ms", ConfigType.INT, "333",
        "LL-HLS part target in milliseconds (200..1000)");
    /** Live segment target. */
    public static final ConfigKey ORIGIN_LIVE_SEGMENT_SECONDS = new ConfigKey("origin.live-segment-seconds",
        ConfigType.INT, "2", "live segment duration in seconds (1..6); segments are cut on this grid (see origin.live-keyframe-ms)");
    /** Live keyframe interval. */
    public static final ConfigKey ORIGIN_LIVE_KEYFRAME_MS = new ConfigKey("origin.live-keyframe-ms", ConfigType.INT,
        "1000", "a keyframe every this many milliseconds in every live rung; must divide the segment duration; parts "
            + "that start with one are INDEPENDENT=YES, where players can switch renditions mid-segment");
    /** Live window. */
    public static final ConfigKey ORIGIN_LIVE_WINDOW_SEGMENTS = new ConfigKey("origin.live-window-segments",
        ConfigType.INT, "10", "complete segments in a live playlist (3..1000)");
    /** Slow-viewer bound of low-latency DASH segments streamed by the origin. */
    public static final ConfigKey ORIGIN_LIVE_CHUNKED_MAX_QUEUED_BYTES = new ConfigKey(
        "origin.live-chunked-max-queued-bytes", ConfigType.INT, "4194304", "most bytes of a live DASH segment streamed "
            + "part by part that may wait for a viewer's connection when the next part is due; past it the viewer is "
            + "closed as too slow (65536..1073741824)");
    /** Keep ended live sessions as VOD titles. */
    public static final ConfigKey ORIGIN_LIVE_RECORD = new ConfigKey("origin.live-record", ConfigType.BOOLEAN, "false",
        "keep every ended live session as a VOD title {streamId}-{epoch} (the DVR recording; up to an hour of segments)");
    /** Relay listener port. */
    public static final ConfigKey ORIGIN_RELAY_PORT = new ConfigKey("origin.relay-port", ConfigType.PORT, "8083",
        "port ingests on other hosts relay published streams to (internal: firewall it like the Aeron ports)");
    /** Relay secret at the origin. */
    public static final ConfigKey ORIGIN_RELAY_SECRET = new ConfigKey("origin.relay-secret", ConfigType.SECRET, "",
        "secret ingests relay with (= ingest.relay-secret, 16+ characters); empty = no relay listener");
    /** Relay port certificate. */
    public static final ConfigKey ORIGIN_RELAY_TLS_CERT = new ConfigKey("origin.relay-tls-cert", ConfigType.PATH, "",
        "PEM certificate chain; with origin.relay-tls-key the relay port speaks TLS only (ingests use https://)");
    /** Relay port key. */
    public static final ConfigKey ORIGIN_RELAY_TLS_KEY = new ConfigKey("origin.relay-tls-key", ConfigType.PATH, "",
        "PEM PKCS#8 private key for origin.relay-tls-cert");
    /** Origin HTTPS port. */
    public static final ConfigKey ORIGIN_TLS_PORT = new ConfigKey("origin.tls-port", ConfigType.PORT,
        Integer.toString(OriginNode.Context.DEFAULT_TLS_PORT),
        "origin HTTPS port, h2 or http/1.1 by ALPN (bound only when origin.tls-cert is set)");
    /** Origin TLS certificate. */
    public static final ConfigKey ORIGIN_TLS_CERT = new ConfigKey("origin.tls-cert", ConfigType.PATH, "",
        "PEM certificate chain; with origin.tls-key the origin serves HTTPS on origin.tls-port");
    /** Origin TLS key. */
    public static final ConfigKey ORIGIN_TLS_KEY = new ConfigKey("origin.tls-key", ConfigType.PATH, "",
        "PEM PKCS#8 private key for origin.tls-cert");
    /** Keys that sign live replication. */
    public static final ConfigKey ORIGIN_FLEET_KEYS = new ConfigKey("origin.fleet-keys", ConfigType.SECRET, "",
        "kid:secret pairs (as edge.fleet-keys) that sign live parts and playlist updates sent to edges over UDP; "
            + "empty = unsigned (bifrost all: control.fleet-keys when unset)");
    /** Live replication channel. */
    public static final ConfigKey ORIGIN_LIVE_CHANNEL = new ConfigKey("origin.live-channel", ConfigType.STRING, "auto",
        "Aeron channel live parts are published on: auto (IPC when an edge runs in this process, else UDP "
            + "multi-destination-cast with its control endpoint on origin.live-host:40456), none, or an aeron: channel");
    /** Address edges reach the live control endpoint on. */
    public static final ConfigKey ORIGIN_LIVE_HOST = new ConfigKey("origin.live-host", ConfigType.STRING, "0.0.0.0",
        "address of the origin's Aeron live control endpoint (UDP 40456) that edges send status messages to");

    /** Origin HTTP port. */
    public static final ConfigKey ORIGIN_PORT = new ConfigKey("origin.port", ConfigType.PORT,
        Integer.toString(OriginNode.Context.DEFAULT_PORT), "origin HTTP port (edges, uploads, API)");
    /** Origin transcode workers. */
    public static final ConfigKey ORIGIN_TRANSCODE_WORKERS = new ConfigKey("origin.transcode-workers", ConfigType.INT, "1",
        "VOD transcode jobs the origin runs at once (each is one ffmpeg process using every core it gets)");
    /** The origin's transcode backend. */
    public static final ConfigKey ORIGIN_TRANSCODE_BACKEND = new ConfigKey("origin.transcode-backend",
        ConfigType.STRING, "auto", "how the origin transcodes: auto (probe for a CUDA device and NVENC at start-up), "
            + "cpu (libx264), nvenc or jcuda (start-up fails when the machine lacks it)");
    /** How the live ladder is scaled. */
    public static final ConfigKey ORIGIN_LIVE_SCALING = new ConfigKey("origin.live-scaling", ConfigType.STRING, "auto",
        "how the live ladder is scaled: ffmpeg (one process per stream), batched (all streams' frames in one launch, "
            + "on the GPU where there is one; one encoder per rung) or auto (ffmpeg: measured cheaper while libx264 "
            + "encodes)");
    /** VOD segment duration. */
    public static final ConfigKey ORIGIN_SEGMENT_SECONDS = new ConfigKey("origin.segment-seconds", ConfigType.INT, "4",
        "VOD segment duration in seconds (2-6); every rendition's GOPs are aligned to it");
    /** x264 preset. */
    public static final ConfigKey ORIGIN_X264_PRESET = new ConfigKey("origin.x264-preset", ConfigType.STRING, "veryfast",
        "libx264 preset for VOD renditions: ultrafast ... veryslow (slower = smaller files, more CPU)");
    /** Public URL of the origin. */
    public static final ConfigKey ORIGIN_PUBLIC_BASE_URL = new ConfigKey("origin.public-base-url", ConfigType.STRING, "",
        "URL clients reach this origin at (behind a proxy), used in upload URLs; empty = from the request's Host");
    /** Default protection of VOD titles. */
    public static final ConfigKey ORIGIN_DEFAULT_PROTECTION = new ConfigKey("origin.default-protection",
        ConfigType.STRING, "none", "protection of VOD titles whose upload names none: none, aes-128 (encrypted HLS, " +
        "no DASH) or clearkey (CENC DASH, no HLS); not DRM: players get the key in the clear");
    /** Max upload size. */
    public static final ConfigKey ORIGIN_MAX_UPLOAD_BYTES = new ConfigKey("origin.max-upload-bytes", ConfigType.SIZE, "20g",
        "largest file a tus upload may announce (413 beyond)");
    /** ffmpeg executable. */
    public static final ConfigKey ORIGIN_FFMPEG = new ConfigKey("origin.ffmpeg", ConfigType.PATH, "/usr/bin/ffmpeg",
        "ffmpeg executable for transcoding");
    /** ffprobe executable. */
    public static final ConfigKey ORIGIN_FFPROBE = new ConfigKey("origin.ffprobe", ConfigType.PATH, "/usr/bin/ffprobe",
        "ffprobe executable for upload validation");

    /** Control-plane HTTP port. */
    public static final ConfigKey CONTROL_PORT = new ConfigKey("control.port", ConfigType.PORT,
        Integer.toString(ControlPlane.Context.DEFAULT_PORT), "control-plane HTTP port (operator API, steering)");
    /** Control-plane database. */
    public static final ConfigKey CONTROL_JDBC_URL = new ConfigKey("control.jdbc-url", ConfigType.SECRET, "",
        "control-plane database: empty = embedded H2 file in the data directory; "
            + "jdbc:postgresql://host:5432/db?user=..&password=.. for production");
    /** Operator API token. */
    public static final ConfigKey CONTROL_ADMIN_TOKEN = new ConfigKey("control.admin-token", ConfigType.SECRET, "",
        "bearer token for the operator API (/api/v1/streams); empty = callers on this host only");
    /** Token ingest nodes present. */
    public static final ConfigKey CONTROL_INGEST_TOKEN = new ConfigKey("control.ingest-token", ConfigType.SECRET, "",
        "bearer token ingest nodes send (= ingest.control-token); empty = ingest on this host only");
    /** Host name in rtmp_url. */
    public static final ConfigKey CONTROL_PUBLIC_INGEST_HOST = new ConfigKey("control.public-ingest-host",
        ConfigType.STRING, ControlPlane.Context.DEFAULT_PUBLIC_INGEST_HOST,
        "host name publishers use, in the rtmp_url of new streams (rtmp://HOST:1935/live)");
    /** Base URL in hls_url. */
    public static final ConfigKey CONTROL_PUBLIC_PLAYBACK_URL = new ConfigKey("control.public-playback-url",
        ConfigType.STRING, ControlPlane.Context.DEFAULT_PUBLIC_PLAYBACK_URL,
        "base URL viewers play from (an edge or its load balancer), in the hls_url of new streams");
    /** The origin whose catalog dates VOD titles for placement's time decay. */
    public static final ConfigKey CONTROL_ORIGIN_URL = new ConfigKey("control.origin-url", ConfigType.STRING, "",
        "origin whose catalog gives VOD titles' publication time for placement (empty: first sighting; bifrost all: its own origin)");
    /** Keys the control plane signs playback URLs with. */
    public static final ConfigKey CONTROL_SIGNING_KEYS = new ConfigKey("control.signing-keys", ConfigType.SECRET, "",
        "keys POST /api/v1/playback-urls signs with: the edges' kid:secret pairs; the first signs (empty: answers 409)");
    /** Longest playback URL lifetime. */
    public static final ConfigKey CONTROL_PLAYBACK_URL_MAX_TTL_SECONDS = new ConfigKey(
        "control.playback-url-max-ttl-seconds", ConfigType.INT, "86400",
        "longest ttl_seconds a signed playback URL may be issued for (10 s to 366 days)");
    /** How often unchanged API signing keys are pushed to edges. */
    public static final ConfigKey CONTROL_SIGNING_KEYS_INTERVAL_MS = new ConfigKey("control.signing-keys-interval-ms",
        ConfigType.INT, "2000", "how often the API signing keys are pushed to edges when unchanged (a change goes at "
            + "once): the longest a restarted edge waits for them; 100 to 60000; needs control.fleet-keys");
    /** Database reads that may wait for the control plane's database thread. */
    public static final ConfigKey CONTROL_DB_QUEUE_CAPACITY = new ConfigKey("control.db-queue-capacity", ConfigType.INT,
        "64", "database reads that may wait for the control plane's database thread (content ages, the signing-key "
            + "re-read); one more is dropped, counted and asked again next round; 1 to 65536");
    /** Keys that authenticate control messages (heartbeats, telemetry, placement). */
    public static final ConfigKey CONTROL_FLEET_KEYS = new ConfigKey("control.fleet-keys", ConfigType.SECRET, "",
        "kid:secret pairs (base64url, 32+ bytes) that sign placement commands and verify edges' heartbeats and "
            + "telemetry; the first signs; set the same on every edge (edge.fleet-keys); empty = unauthenticated");
    /** Where edges' heartbeats and telemetry arrive. */
    public static final ConfigKey CONTROL_EDGE_ENDPOINT = new ConfigKey("control.edge-endpoint", ConfigType.STRING,
        "auto", "UDP host:port edges on other hosts send heartbeats and telemetry to (auto = bind:40458; none = only "
            + "edges in this process, over IPC); placement commands use the next port");
    /** Heartbeat timeout. */
    public static final ConfigKey CONTROL_HEARTBEAT_TIMEOUT_MS = new ConfigKey("control.heartbeat-timeout-ms",
        ConfigType.INT, "3000", "an edge with no heartbeat for this long is down and no longer steered to");
    /** Placement policy. */
    public static final ConfigKey CONTROL_PLACEMENT_POLICY = new ConfigKey("control.placement-policy", ConfigType.STRING,
        "surge", "placement policy: surge (current-rate scoring, prefixes, replicas by load) or seed (the brief's rules)");
    /** Placement interval. */
    public static final ConfigKey CONTROL_PLACEMENT_INTERVAL_MS = new ConfigKey("control.placement-interval-ms",
        ConfigType.INT, "60000", "how often placement runs and sends prefetch/pin/release commands to edges");

    /** RTMP port. */
    public static final ConfigKey INGEST_RTMP_PORT = new ConfigKey("ingest.rtmp-port", ConfigType.PORT,
        Integer.toString(IngestNode.Context.DEFAULT_RTMP_PORT), "RTMP port publishers (OBS, ffmpeg) push to");
    /** RTMPS port. */
    public static final ConfigKey INGEST_RTMPS_PORT = new ConfigKey("ingest.rtmps-port", ConfigType.PORT,
        Integer.toString(IngestNode.Context.DEFAULT_RTMPS_PORT), "RTMPS (TLS) port, used when a certificate is configured");
    /** SRT port. */
    public static final ConfigKey INGEST_SRT_PORT = new ConfigKey("ingest.srt-port", ConfigType.PORT,
        Integer.toString(IngestNode.Context.DEFAULT_SRT_PORT), "SRT listener UDP port");
    /** RTMPS certificate. */
    public static final ConfigKey INGEST_TLS_CERT = new ConfigKey("ingest.tls-cert", ConfigType.PATH, "",
        "PEM certificate chain; with ingest.tls-key, RTMPS runs on ingest.rtmps-port");
    /** RTMPS key. */
    public static final ConfigKey INGEST_TLS_KEY = new ConfigKey("ingest.tls-key", ConfigType.PATH, "",
        "PEM PKCS#8 private key for ingest.tls-cert");
    /** Control plane that checks stream keys. */
    public static final ConfigKey INGEST_CONTROL_URL = new ConfigKey("ingest.control-url", ConfigType.STRING,
        IngestNode.Context.DEFAULT_CONTROL_URL, "control plane that checks stream keys and receives live/offline reports");
    /** Token for the control plane. */
    public static final ConfigKey INGEST_CONTROL_TOKEN = new ConfigKey("ingest.control-token", ConfigType.SECRET, "",
        "bearer token sent to the control plane (= control.ingest-token); empty = control plane on this host");
    /** One key check's call timeout. */
    public static final ConfigKey INGEST_CONTROL_TIMEOUT_MS = new ConfigKey("ingest.control-timeout-ms",
        ConfigType.INT, Long.toString(IngestNode.Context.DEFAULT_CONTROL_TIMEOUT_MS),
        "timeout of one call to the control plane (key check, status report), counted from when it is sent");
    /** Key checks at the control plane at once. */
    public static final ConfigKey INGEST_CONTROL_MAX_IN_FLIGHT = new ConfigKey("ingest.control-max-in-flight",
        ConfigType.INT, Integer.toString(ControlPlaneClient.DEFAULT_MAX_IN_FLIGHT),
        "stream-key checks sent to the control plane at once; the rest wait in line");
    /** Key checks waiting in line. */
    public static final ConfigKey INGEST_CONTROL_MAX_QUEUED = new ConfigKey("ingest.control-max-queued",
        ConfigType.INT, Integer.toString(ControlPlaneClient.DEFAULT_MAX_QUEUED),
        "stream-key checks that may wait in line; one more is refused (fail closed)");
    /** How long a key check may wait in line. */
    public static final ConfigKey INGEST_CONTROL_QUEUE_TIMEOUT_MS = new ConfigKey("ingest.control-queue-timeout-ms",
        ConfigType.INT, Long.toString(ControlPlaneClient.DEFAULT_QUEUE_TIMEOUT_MS),
        "how long a stream-key check may wait in line before the publish is refused");
    /** Status reports in flight. */
    public static final ConfigKey INGEST_CONTROL_STATUS_MAX_IN_FLIGHT = new ConfigKey(
        "ingest.control-status-max-in-flight", ConfigType.INT, "4",
        "live/offline status reports at the control plane at once (one per stream, in order); the rest wait");
    /** Status reports waiting. */
    public static final ConfigKey INGEST_CONTROL_STATUS_MAX_QUEUED = new ConfigKey(
        "ingest.control-status-max-queued", ConfigType.INT, "8192",
        "streams with a status report waiting (only each stream's latest state waits); past that the oldest is dropped");
    /** Where this ingest relays published streams. */
    public static final ConfigKey INGEST_ORIGIN_URL = new ConfigKey("ingest.origin-url", ConfigType.STRING, "",
        "origin relay to feed published streams to, http://origin:8083 or https:// when its relay port has a certificate (origin.relay-port); empty = the origin in "
            + "this process (bifrost all)");
    /** CA certificates the relay trusts. */
    public static final ConfigKey INGEST_RELAY_CA_FILE = new ConfigKey("ingest.relay-ca-file", ConfigType.PATH, "",
        "PEM CA certificates that must sign the origin's relay certificate (https:// origin URL only); empty = the "
            + "JVM trust store");
    /** Relay secret at the ingest. */
    public static final ConfigKey INGEST_RELAY_SECRET = new ConfigKey("ingest.relay-secret", ConfigType.SECRET, "",
        "secret sent to the origin's relay (= origin.relay-secret)");
    /** How long a relay may stay down. */
    public static final ConfigKey INGEST_RELAY_RECONNECT_TIMEOUT_MS = new ConfigKey(
        "ingest.relay-reconnect-timeout-ms", ConfigType.INT, "30000",
        "how long a stream's relay retries an unreachable origin (with backoff) before giving the stream up");
    /** Relay buffer per stream. */
    public static final ConfigKey INGEST_RELAY_BUFFER_BYTES = new ConfigKey("ingest.relay-buffer-bytes",
        ConfigType.SIZE, "2m", "bytes a stream's relay may have unsent before the publisher is paused");
    /** Record publishes to FLV or not. */
    public static final ConfigKey INGEST_RECORDING = new ConfigKey("ingest.recording", ConfigType.BOOLEAN, "true",
        "record every publish to FLV under data-dir/ingest/recordings (false = live only, like nginx-rtmp's record off; "
            + "the stream is still checked, relayed or packaged)");
    /** Direct memory all recordings may queue. */
    public static final ConfigKey INGEST_RECORDING_BUFFER_BYTES = new ConfigKey("ingest.recording-buffer-bytes",
        ConfigType.SIZE, "0", "bytes all FLV recordings together may queue for the disk (direct memory) before "
            + "publishers are paused; 0 = a quarter of the JVM's direct memory limit, at most 256m; otherwise at least 1m");
    /** Recording cap. */
    public static final ConfigKey INGEST_RECORDING_MAX_BYTES = new ConfigKey("ingest.recording-max-bytes",
        ConfigType.SIZE, "4g", "largest FLV recording per publish; the recording stops there, the stream goes on");
    /** SRT on or off. */
    public static final ConfigKey INGEST_SRT_ENABLED = new ConfigKey("ingest.srt-enabled", ConfigType.BOOLEAN, "true",
        "run the SRT listener (an ffmpeg child process with libsrt)");
    /** SRT latency. */
    public static final ConfigKey INGEST_SRT_LATENCY_MS = new ConfigKey("ingest.srt-latency-ms", ConfigType.INT,
        Integer.toString(IngestNode.Context.DEFAULT_SRT_LATENCY_MS),
        "SRT receive latency in ms (the larger of ours and the caller's applies; at least 4x the round trip)");
    /** ffmpeg for the SRT bridge. */
    public static final ConfigKey INGEST_FFMPEG = new ConfigKey("ingest.ffmpeg", ConfigType.STRING, "ffmpeg",
        "ffmpeg executable for the SRT bridge");

    /** Transcoder backend. */
    public static final ConfigKey TRANSCODE_BACKEND = new ConfigKey("transcode.backend", ConfigType.STRING, "auto",
        "encoder backend: auto (probe the machine), cpu (libx264), nvenc, jcuda");
    /** Concurrent transcode jobs. */
    public static final ConfigKey TRANSCODE_WORKERS = new ConfigKey("transcode.workers", ConfigType.INT, "1",
        "transcode jobs run at once (each is one ffmpeg process)");

    /** All keys in help order. */
    public static final List<ConfigKey> ALL = List.of(
        CONFIG, DATA_DIR, BIND, OPS_PORT, LOG_LEVEL, LOG_FORMAT, DRAIN_TIMEOUT_SECONDS, AERON_DIR, AERON_EXTERNAL,
        EDGE_PORT, EDGE_TLS_PORT, EDGE_TLS_CERT, EDGE_TLS_KEY, EDGE_ORIGIN, EDGE_FILL_MAX_HOPS, EDGE_RAM_BYTES, EDGE_SSD_BYTES, EDGE_SSD_CACHE_POLICY, EDGE_RAM_HIT_PATH, EDGE_CACHE_POLICY, EDGE_SIGNED_PREFIXES, EDGE_SIGNING_KEYS, EDGE_FLEET_KEYS, EDGE_IO_THREADS, EDGE_IO_URING_RING_SIZE,
        EDGE_IO_URING_CQ_SIZE, EDGE_LIVE_ENCODED_ANSWERS, EDGE_LIVE_WAKE_CHUNK, EDGE_REGION,
        EDGE_PLAYER_HLSJS_DIR,
        EDGE_LIVE_CHANNEL, EDGE_LIVE_BYTES, EDGE_ID, EDGE_PUBLIC_URL, EDGE_CONTROL,
        ORIGIN_PORT, ORIGIN_TRANSCODE_WORKERS, ORIGIN_TRANSCODE_BACKEND, ORIGIN_SEGMENT_SECONDS, ORIGIN_X264_PRESET, ORIGIN_PUBLIC_BASE_URL,
        ORIGIN_DEFAULT_PROTECTION,
        ORIGIN_MAX_UPLOAD_BYTES, ORIGIN_FFMPEG, ORIGIN_FFPROBE, ORIGIN_LIVE_MODE, ORIGIN_LIVE_SCALING, ORIGIN_LIVE_X264_PRESET,
        ORIGIN_LIVE_PART_MS, ORIGIN_LIVE_SEGMENT_SECONDS, ORIGIN_LIVE_KEYFRAME_MS, ORIGIN_LIVE_WINDOW_SEGMENTS,
        ORIGIN_LIVE_CHANNEL, ORIGIN_LIVE_CHUNKED_MAX_QUEUED_BYTES,
        ORIGIN_LIVE_HOST, ORIGIN_LIVE_RECORD, ORIGIN_RELAY_PORT, ORIGIN_RELAY_SECRET, ORIGIN_RELAY_TLS_CERT, ORIGIN_RELAY_TLS_KEY,
        ORIGIN_TLS_PORT, ORIGIN_TLS_CERT, ORIGIN_TLS_KEY, ORIGIN_FLEET_KEYS,
        CONTROL_PORT, CONTROL_JDBC_URL, CONTROL_ADMIN_TOKEN, CONTROL_INGEST_TOKEN, CONTROL_PUBLIC_INGEST_HOST,
        CONTROL_PUBLIC_PLAYBACK_URL, CONTROL_ORIGIN_URL, CONTROL_EDGE_ENDPOINT, CONTROL_HEARTBEAT_TIMEOUT_MS, CONTROL_PLACEMENT_POLICY,
        CONTROL_PLACEMENT_INTERVAL_MS, CONTROL_SIGNING_KEYS, CONTROL_PLAYBACK_URL_MAX_TTL_SECONDS,
        CONTROL_SIGNING_KEYS_INTERVAL_MS, CONTROL_DB_QUEUE_CAPACITY,
        CONTROL_FLEET_KEYS,
        INGEST_RTMP_PORT, INGEST_RTMPS_PORT, INGEST_SRT_PORT, INGEST_TLS_CERT, INGEST_TLS_KEY, INGEST_CONTROL_URL,
        INGEST_CONTROL_TOKEN, INGEST_CONTROL_TIMEOUT_MS, INGEST_CONTROL_MAX_IN_FLIGHT, INGEST_CONTROL_MAX_QUEUED,
        INGEST_CONTROL_QUEUE_TIMEOUT_MS, INGEST_CONTROL_STATUS_MAX_IN_FLIGHT,
        INGEST_CONTROL_STATUS_MAX_QUEUED, INGEST_ORIGIN_URL, INGEST_RELAY_CA_FILE, INGEST_RELAY_SECRET, INGEST_RELAY_RECONNECT_TIMEOUT_MS,
        INGEST_RELAY_BUFFER_BYTES, INGEST_RECORDING, INGEST_RECORDING_MAX_BYTES, INGEST_RECORDING_BUFFER_BYTES, INGEST_SRT_ENABLED, INGEST_SRT_LATENCY_MS, INGEST_FFMPEG,
        TRANSCODE_BACKEND, TRANSCODE_WORKERS);

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, ConfigKey> BY_ENV = new LinkedHashMap<>();

    static
    {
        for (final ConfigKey key : ALL)
        {
            BY_NAME.put(key.name(), key);
            BY_ENV.put(key.envName(), key);
        }
    }

    private ConfigKeys()
    {
    }

    /**
     * @param name dotted key name.
     * @return the key, or null when unknown.
     */
    public static ConfigKey byName(final String name)
    {
        return BY_NAME.get(name);
    }

    /**
     * @param envName environment variable name.
     * @return the key, or null when no key uses that variable.
     */
    public static ConfigKey byEnvName(final String envName)
    {
        return BY_ENV.get(envName);
    }

    /**
     * @param role a role name, or null.
     * @return the keys a role command shows: the global keys and that role's own.
     */
    public static List<ConfigKey> forRole(final String role)
    {
        return ALL.stream().filter(k -> k.role() == null || k.role().equals(role)).toList();
    }

    /**
     * A close known key name for a typo, to put in the error message.
     *
     * @param unknown the name that was not found.
     * @return a known name within edit distance 2 of the full or the short name (or whose last part matches), or null.
     */
    public static String suggest(final String unknown)
    {
        String best = null;
        int bestDistance = 3;
        for (final String name : BY_NAME.keySet())
        {
            final String shortName = name.substring(name.indexOf('.') + 1);
            final int distance = Math.min(editDistance(unknown, name), editDistance(unknown, shortName));
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }
        if (best == null)
        {
            for (final String name : BY_NAME.keySet())
            {
                if (name.endsWith("." + unknown))
                {
                    return name;
                }
            }
        }
        return best;
    }

    private static int editDistance(final String a, final String b)
    {
        if (Math.abs(a.length() - b.length()) > 2)
        {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
