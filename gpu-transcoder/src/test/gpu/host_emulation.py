#!/usr/bin/env python3
"""Check the CUDA kernel *source* against the Java reference frames on a machine without a GPU.

Compiles src/main/cuda/ladder_scale.cu for the CPU (host_emulation.cpp, g++ -O2), runs every case of the reference
manifest through it with the same job table and launch shape, and requires byte-identical output. This proves the
kernel's integer arithmetic matches AreaScaler; only verify_ladder_ptx.py on a GPU proves the compiled PTX does.

  python3 host_emulation.py --reference ../../../target/gpu-reference
"""
import argparse
import ctypes
import gzip
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
JOB_INTS = 16


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True, type=pathlib.Path, help="folder with manifest.json")
    args = parser.parse_args()
    manifest = json.loads((args.reference / "manifest.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        lib_path = pathlib.Path(tmp) / "libladder_emulation.so"
        subprocess.run(["g++", "-O2", "-shared", "-fPIC", "-o", str(lib_path), str(HERE / "host_emulation.cpp")],
                       check=True)
        lib = ctypes.CDLL(str(lib_path))
        failures = 0
        for case in manifest["cases"]:
            src = np.frombuffer(gzip.decompress((args.reference / case["source"]).read_bytes()), dtype=np.uint8)
            expected = gzip.decompress((args.reference / case["expected"]).read_bytes())
            jobs = np.array(case["jobs"], dtype=np.int32)
            if "launches" in case:
                # a canvas (sprite sheet): one launch per tile, as CudaLadderScaler.draw: the source pointer at the
                # tile's frame, the tile's slice of the job array, one frame, the whole canvas as destination
                out = np.frombuffer(gzip.decompress((args.reference / case["background"]).read_bytes()),
                                    dtype=np.uint8).copy()
                for launch in case["launches"]:
                    frame = src[launch["sourceFrame"] * case["sourceFrameBytes"]:]
                    piece = jobs[launch["firstJob"] * JOB_INTS:]
                    lib.emulate_ladder_area(
                        frame.ctypes.data_as(ctypes.c_void_p), ctypes.c_ulonglong(case["sourceFrameBytes"]),
                        out.ctypes.data_as(ctypes.c_void_p), ctypes.c_ulonglong(case["outputFrameBytes"]),
                        piece.ctypes.data_as(ctypes.c_void_p), ctypes.c_int(launch["jobCount"]),
                        ctypes.c_int(launch["totalThreads"]), ctypes.c_int(1))
            else:
                out = np.zeros(case["frames"] * case["outputFrameBytes"], dtype=np.uint8)
                lib.emulate_ladder_area(
                    src.ctypes.data_as(ctypes.c_void_p), ctypes.c_ulonglong(case["sourceFrameBytes"]),
                    out.ctypes.data_as(ctypes.c_void_p), ctypes.c_ulonglong(case["outputFrameBytes"]),
                    jobs.ctypes.data_as(ctypes.c_void_p), ctypes.c_int(case["jobCount"]),
                    ctypes.c_int(case["totalThreads"]), ctypes.c_int(case["frames"]))
            same = out.tobytes() == expected
            digest = hashlib.sha256(out.tobytes()).hexdigest()
            print(f"{case['name']:28s} {'identical' if same else 'DIFFERENT'} sha256={digest[:16]}")
            failures += 0 if same else 1
    print("host emulation: " + ("all cases identical to the Java reference" if failures == 0 else
                                f"{failures} case(s) differ"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
