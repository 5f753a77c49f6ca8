#!/usr/bin/env bash
# Regenerates the committed PTX from the CUDA sources next to this script. Run it after editing a .cu file and
# commit both; PtxFreshnessTest fails while a PTX file's recorded source hash differs from its .cu.
#
# compute_75 is the lowest virtual architecture CUDA 13 accepts: the driver JIT-compiles this PTX for any newer GPU
# (T4, A100, L4, H100/H200 = sm_90, ...). PTX ISA 9.0 (CUDA 13) needs a driver of R580 or later.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/io/bifrost/transcoder/cuda"
arch="${PTX_ARCH:-compute_75}"
mkdir -p "$out"
for cu in "$here"/*.cu; do
  name="$(basename "$cu" .cu)"
  tmp="$(mktemp)"
  nvcc -ptx -arch="$arch" -O3 -o "$tmp" "$cu"
  {
    echo "// bifrost-source: $name.cu sha256=$(sha256sum "$cu" | cut -d' ' -f1)"
    echo "// bifrost-command: nvcc -ptx -arch=$arch -O3 -o $name.ptx $name.cu (src/main/cuda/build-ptx.sh)"
    cat "$tmp"
  } > "$out/$name.ptx"
  rm -f "$tmp"
  echo "wrote $out/$name.ptx"
done
