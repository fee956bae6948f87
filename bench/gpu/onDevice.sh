#!/bin/bash
# On the lent GPU machine, from the repository root: `bash bench/gpu/onDevice.sh [gpuBench args]` runs the GPU
# bench with what `npm run gpu:prepare` put in .gpu/ (carried there, possibly over several calls) and the
# models carried into models/; `--check` only says which parcels have arrived. Results go to $OUT.
set -euo pipefail
parcels=(.gpu/node/node.xz .gpu/runtime/node_modules.tar.xz .gpu/app/gpuBench.mjs .gpu/app/modelThread.mjs)
missing=0
for p in "${parcels[@]}"; do
  if [ -f "$p" ]; then echo "present: $p ($(du -h "$p" | cut -f1))"; else echo "missing: $p"; missing=1; fi
done
ls -d models/*/1 2>/dev/null | while read -r d; do [ -f "$d/model.onnx" ] && echo "model: $d"; done
[ "${1:-}" = "--check" ] && exit 0
[ $missing = 0 ] || { echo "parcels missing: carry them first (npm run gpu:prepare prints the calls)" >&2; exit 1; }

# The Vulkan loader, where an NVIDIA driver is there to use it.
if command -v nvidia-smi >/dev/null; then
  for f in .gpu/node/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
mkdir -p /tmp/edge-restore-gpu/bin
xz -dc .gpu/node/node.xz > /tmp/edge-restore-gpu/bin/node
chmod +x /tmp/edge-restore-gpu/bin/node
tar xJf .gpu/runtime/node_modules.tar.xz -C .
export PATH=/tmp/edge-restore-gpu/bin:$PATH
nvidia-smi --query-gpu=name,driver_version,memory.used,memory.total --format=csv || true
node .gpu/app/gpuBench.mjs --photo .gpu/app/photo.png --out "${OUT:-bench/results}" "$@" 2>&1 | tee "${OUT:-/tmp}/gpu-bench.log"
