#!/usr/bin/env python3
"""GPU check of the committed ladder-scaling PTX, with CuPy (no Java needed on the GPU machine).

1. Correctness: loads src/main/resources/io/bifrost/transcoder/cuda/ladder_scale.ptx exactly as committed, runs every
   case of the reference manifest (written by the Java reference, GpuReferenceFilesTest) with the same job table and
   launch shape as CudaLadderScaler, and compares with the reference frames: byte equality and PSNR per rung (the
   issue asks for > 50 dB; the kernel is meant to be bit-exact, so anything but "identical" is reported).
2. Throughput of the scaling ladder, in source frames per second (every rung of a frame = one frame): the kernel alone,
   and with pinned host<->device copies on two streams; then, where an ffmpeg is installed, ffmpeg's CPU `scale`
   filter (flags=area) and `scale_cuda` producing the same ladder from the same raw frames.

Exit status: 0 when every case matches, 1 when one differs, 2 on a setup problem (no GPU, PTX refused, stale
reference). Results are printed and, with --out, written as JSON.
"""
import argparse
import gzip
import json
import math
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
MODULE_ROOT = HERE.parent.parent.parent
DEFAULT_PTX = MODULE_ROOT / "src/main/resources/io/bifrost/transcoder/cuda/ladder_scale.ptx"
DEFAULT_CU = MODULE_ROOT / "src/main/cuda/ladder_scale.cu"


def psnr(a, b):
    mse = np.mean((a.astype(np.int32) - b.astype(np.int32)) ** 2)
    return math.inf if mse == 0 else 10.0 * math.log10(255.0 * 255.0 / mse)


def load_kernel(cp, args, manifest):
    header = args.ptx.read_text().splitlines()[0]
    match = re.match(r"// bifrost-source: (\S+)\.cu sha256=([0-9a-f]{64})", header)
    if not match or match.group(2) != manifest["ptxSourceSha256"]:
        print(f"reference was made for PTX of source {manifest['ptxSourceSha256'][:16]}, PTX header says "
              f"{header!r}: regenerate the reference (see README.md)")
        sys.exit(2)
    try:
        module = cp.RawModule(path=str(args.ptx))
        kernel = module.get_function(manifest["kernel"])
        kernel.max_threads_per_block  # forces the module load (JIT of the PTX) now
        return kernel, "committed PTX " + args.ptx.name
    except cp.cuda.driver.CUDADriverError as ex:
        print(f"the driver refused the committed PTX: {ex}")
        if "UNSUPPORTED_PTX_VERSION" in str(ex):
            print("  the PTX is ISA 9.0 (CUDA 13): this driver is older than R580. Update the driver, or rerun with "
                  "--source-fallback to compile ladder_scale.cu with this machine's NVRTC (then the committed PTX "
                  "itself is NOT verified).")
        if not args.source_fallback:
            sys.exit(2)
    module = cp.RawModule(code=DEFAULT_CU.read_text(), options=("-std=c++14",))
    return module.get_function(manifest["kernel"]), "FALLBACK: ladder_scale.cu compiled by NVRTC (not the PTX)"


def launch(cp, kernel, block, case, jobs, src, dst, frames, stream=None):
    """One launch exactly as CudaLadderScaler.submit: grid (ceil(threads / block), frames), block threads."""
    grid = ((case["totalThreads"] + block - 1) // block, frames, 1)
    args = (src, np.uint64(case["sourceFrameBytes"]), dst, np.uint64(case["outputFrameBytes"]),
            jobs, np.int32(case["jobCount"]), np.int32(case["totalThreads"]))
    if stream is None:
        kernel(grid, (block, 1, 1), args)
    else:
        with stream:  # RawKernel launches on the current stream
            kernel(grid, (block, 1, 1), args)


def check_case(cp, kernel, block, reference, case):
    src = np.frombuffer(gzip.decompress((reference / case["source"]).read_bytes()), dtype=np.uint8)
    expected = np.frombuffer(gzip.decompress((reference / case["expected"]).read_bytes()), dtype=np.uint8)
    jobs = cp.asarray(np.array(case["jobs"], dtype=np.int32))
    d_src = cp.asarray(src)
    if "launches" in case:
        # a canvas (sprite sheet), as CudaLadderScaler.draw: one launch per tile with the source pointer at the tile's
        # frame, the tile's slice of the job array, grid y 1, the whole canvas (black background) as destination
        d_dst = cp.asarray(np.frombuffer(gzip.decompress((reference / case["background"]).read_bytes()),
                                         dtype=np.uint8))
        for piece in case["launches"]:
            grid = ((piece["totalThreads"] + block - 1) // block, 1, 1)
            kernel(grid, (block, 1, 1), (d_src[piece["sourceFrame"] * case["sourceFrameBytes"]:],
                                         np.uint64(case["sourceFrameBytes"]), d_dst,
                                         np.uint64(case["outputFrameBytes"]), jobs[piece["firstJob"] * 16:],
                                         np.int32(piece["jobCount"]), np.int32(piece["totalThreads"])))
        frames = 1
    else:
        d_dst = cp.full(case["frames"] * case["outputFrameBytes"], 0xA5, dtype=cp.uint8)  # poison: unwritten bytes
        launch(cp, kernel, block, case, jobs, d_src, d_dst, case["frames"])
        frames = case["frames"]
    actual = cp.asnumpy(d_dst)
    rungs = []
    for rung in case["outputs"]:
        size = rung["width"] * rung["height"] * 3 // 2
        worst = math.inf
        for f in range(frames):
            start = f * case["outputFrameBytes"] + rung["offset"]
            worst = min(worst, psnr(actual[start:start + size], expected[start:start + size]))
        rungs.append({"rung": f"{rung['width']}x{rung['height']}", "minPsnrDb": worst})
    identical = bool(np.array_equal(actual, expected))
    return {"case": case["name"], "identical": identical,
            "differingBytes": int(np.count_nonzero(actual != expected)), "rungs": rungs}


def kernel_throughput(cp, kernel, block, case, batch, seconds):
    jobs = cp.asarray(np.array(case["jobs"], dtype=np.int32))
    d_src = cp.random.randint(0, 256, batch * case["sourceFrameBytes"], dtype=cp.uint8)
    d_dst = cp.empty(batch * case["outputFrameBytes"], dtype=cp.uint8)
    for _ in range(3):
        launch(cp, kernel, block, case, jobs, d_src, d_dst, batch)
    cp.cuda.Device().synchronize()
    start, stop = cp.cuda.Event(), cp.cuda.Event()
    launches = 0
    start.record()
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for _ in range(10):
            launch(cp, kernel, block, case, jobs, d_src, d_dst, batch)
        launches += 10
        stop.record()
        stop.synchronize()
    ms = cp.cuda.get_elapsed_time(start, stop)
    return launches * batch / (ms / 1000.0)


def copy_throughput(cp, kernel, block, case, batch, seconds):
    """Pinned host buffers, two streams: upload, kernel and download of batch i overlap with batch i+1."""
    import cupyx
    jobs = cp.asarray(np.array(case["jobs"], dtype=np.int32))
    slots = []
    for _ in range(2):
        host_in = cupyx.empty_pinned(batch * case["sourceFrameBytes"], dtype=np.uint8)
        host_in[:] = np.random.randint(0, 256, host_in.size, dtype=np.uint8)
        slots.append((cp.cuda.Stream(non_blocking=True), host_in,
                      cupyx.empty_pinned(batch * case["outputFrameBytes"], dtype=np.uint8),
                      cp.empty(batch * case["sourceFrameBytes"], dtype=cp.uint8),
                      cp.empty(batch * case["outputFrameBytes"], dtype=cp.uint8)))
    batches = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds or batches < 4:
        stream, host_in, host_out, d_in, d_out = slots[batches % 2]
        stream.synchronize()
        d_in.set(host_in, stream=stream)
        launch(cp, kernel, block, case, jobs, d_in, d_out, batch, stream=stream)
        d_out.get(stream=stream, out=host_out)
        batches += 1
    for slot in slots:
        slot[0].synchronize()
    return batches * batch / (time.perf_counter() - began)


def ffmpeg_ladder(ffmpeg, case, raw, loops, cuda):
    w, h = case["sourceWidth"], case["sourceHeight"]
    pix = "yuv420p" if case["sourceLayout"] == "I420" else "nv12"
    n = len(case["outputs"])
    labels = "".join(f"[i{i}]" for i in range(n))
    if cuda:
        chains = ";".join(f"[i{i}]scale_cuda={o['width']}:{o['height']}[o{i}]" for i, o in enumerate(case["outputs"]))
        graph = f"[0:v]format=nv12,hwupload,split={n}{labels};{chains}"
        pre = ["-init_hw_device", "cuda=gpu", "-filter_hw_device", "gpu"]
    else:
        chains = ";".join(f"[i{i}]scale={o['width']}:{o['height']}:flags=area[o{i}]"
                          for i, o in enumerate(case["outputs"]))
        graph = f"[0:v]split={n}{labels};{chains}"
        pre = []
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", *pre, "-stream_loop", str(loops),
           "-f", "rawvideo", "-pix_fmt", pix, "-s", f"{w}x{h}", "-i", str(raw), "-filter_complex", graph]
    for i in range(n):
        cmd += ["-map", f"[o{i}]", "-f", "null", "-"]
    frames = (loops + 1) * case["frames"]
    began = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - began
    if run.returncode != 0:
        return {"skipped": run.stderr.strip().splitlines()[-3:] if run.stderr.strip() else f"exit {run.returncode}"}
    return {"framesPerSecond": frames / elapsed, "frames": frames, "command": " ".join(cmd)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True, type=pathlib.Path, help="folder with manifest.json")
    parser.add_argument("--ptx", type=pathlib.Path, default=DEFAULT_PTX)
    parser.add_argument("--seconds", type=float, default=2.0, help="per throughput measurement")
    parser.add_argument("--batches", type=lambda v: [int(b) for b in v.split(",")], default=[1, 8, 32],
                        help="frames per launch to measure, comma-separated")
    parser.add_argument("--ffmpeg", default=shutil.which("ffmpeg"), help="ffmpeg for the baselines (optional)")
    parser.add_argument("--ffmpeg-frames", type=int, default=300, help="frames per ffmpeg baseline run")
    parser.add_argument("--source-fallback", action="store_true",
                        help="if the driver refuses the PTX, compile the .cu with NVRTC instead (reported as such)")
    parser.add_argument("--out", type=pathlib.Path, help="write the results as JSON here")
    args = parser.parse_args()

    try:
        import cupy as cp
        props = cp.cuda.runtime.getDeviceProperties(0)
    except Exception as ex:  # no CuPy or no device: nothing to verify here
        print(f"no CUDA device: {ex}")
        return 2
    manifest = json.loads((args.reference / "manifest.json").read_text())
    kernel, origin = load_kernel(cp, args, manifest)
    block = manifest["blockThreads"]
    results = {"device": props["name"].decode() if isinstance(props["name"], bytes) else props["name"],
               "computeCapability": f"{props['major']}.{props['minor']}",
               "driverVersion": cp.cuda.runtime.driverGetVersion(), "kernelFrom": origin,
               "cases": [], "throughput": []}
    print(f"device {results['device']} (sm_{props['major']}{props['minor']}), driver {results['driverVersion']}, "
          f"kernel from {origin}")

    failures = 0
    for case in manifest["cases"]:
        result = check_case(cp, kernel, block, args.reference, case)
        results["cases"].append(result)
        worst = min(r["minPsnrDb"] for r in result["rungs"])
        status = "identical" if result["identical"] else f"DIFFERENT ({result['differingBytes']} bytes)"
        print(f"  {case['name']:28s} {status:30s} min PSNR {worst:.2f} dB")
        failures += 0 if result["identical"] and worst > 50 else 1

    for case in manifest["cases"]:
        if case["name"] not in ("1080p-i420", "2160p-nv12"):
            continue
        rungs = "+".join(f"{o['height']}p" for o in case["outputs"])
        for batch in args.batches:
            row = {"case": case["name"], "rungs": rungs, "batch": batch,
                   "kernelFramesPerSecond": kernel_throughput(cp, kernel, block, case, batch, args.seconds),
                   "withPinnedCopiesFramesPerSecond": copy_throughput(cp, kernel, block, case, batch, args.seconds)}
            results["throughput"].append(row)
            print(f"  {case['name']:12s} batch {batch:3d}: kernel {row['kernelFramesPerSecond']:9.0f} frames/s, "
                  f"with pinned copies {row['withPinnedCopiesFramesPerSecond']:8.0f} frames/s ({rungs})")
        if args.ffmpeg:
            with tempfile.TemporaryDirectory() as tmp:
                raw = pathlib.Path(tmp) / "src.yuv"
                raw.write_bytes(gzip.decompress((args.reference / case["source"]).read_bytes()))
                loops = max(1, args.ffmpeg_frames // case["frames"]) - 1
                for name, cuda in (("ffmpeg scale (CPU, area)", False), ("ffmpeg scale_cuda", True)):
                    row = {"case": case["name"], "rungs": rungs, "baseline": name,
                           **ffmpeg_ladder(args.ffmpeg, case, raw, loops, cuda)}
                    results["throughput"].append(row)
                    shown = f"{row['framesPerSecond']:9.1f} frames/s" if "framesPerSecond" in row else \
                        f"skipped: {row['skipped']}"
                    print(f"  {case['name']:12s} {name}: {shown}")
        else:
            print("  no ffmpeg on this machine: CPU scale and scale_cuda baselines skipped")

    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    print("PTX check: " + ("every case identical to the Java reference" if failures == 0 else
                           f"{failures} case(s) differ"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
