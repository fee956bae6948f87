#!/bin/bash
# `npm run gpu:prepare -- [TASK] [PRECISION]` (default lowlight fp16): builds .gpu/ (git-ignored), what the GPU
# bench needs on the lent machine, which has no Node.js and no package registry, in parcels small enough to
# travel: each device call carries the repository's tracked files plus at most 64 MiB in all, and the tracked
# files alone are about 25 MiB, so node, the runtime packages and a base network go in three calls to one warm
# machine (ignored paths carried by an earlier call stay there). Prints the calls. See bench/gpu/README.md.
set -euo pipefail
task=${1:-lowlight}
precision=${2:-fp16}
root=$(git rev-parse --show-toplevel)
cd "$root"
model="models/maxim-$task-256$([ "$precision" = fp16 ] && echo -fp16 || true)/1"
refiner=$(node -p "const m=require('./models/manifest.json').models; const r=m.find(e=>e.role==='refiner'&&e.task==='$task'&&e.osfEncoder==='osf-mobilenetv2')||m.find(e=>e.role==='refiner'&&e.task==='$task'&&e.osfEncoder===null); r?r.name:''")
encoder=models/osf-mobilenetv2/1
[ -f "$model/model.onnx" ] && [ -f "$encoder/model.onnx" ] || { echo "$model or $encoder missing: run npm run models" >&2; exit 1; }
[ -n "$refiner" ] || { echo "no PTG-RM for $task with the MobileNetV2 prior or none in models/manifest.json" >&2; exit 1; }

rm -rf .gpu && mkdir -p .gpu/node .gpu/runtime .gpu/app
echo "1/4 node $(node --version), stripped (its debug info would travel too) and xz-compressed"
strip --strip-all -o .gpu/node/node "$(readlink -f "$(command -v node)")"
xz -T0 -9 .gpu/node/node
echo "2/4 the Vulkan loader (the NVIDIA driver there provides the Vulkan ICD that WebGPU runs on)"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/edge-restore-apt-lists'
mkdir -p /tmp/edge-restore-apt-lists/partial
apt-get $o update >/dev/null 2>&1 || true
(cd .gpu/node && apt-get $o download libvulkan1 >/dev/null)
echo "3/4 onnxruntime-node and sharp for Linux x64, at this project's versions"
versions=$(node -p "['onnxruntime-node','sharp'].map(p=>p+'@'+require(p+'/package.json').version).join(' ')")
tmp=$(mktemp -d)
(cd "$tmp" && npm init -y >/dev/null && ONNXRUNTIME_NODE_INSTALL=skip npm install --ignore-scripts --no-audit --no-fund $versions >/dev/null &&
  find node_modules -path '*/bin/napi-v*/*' -type f ! -path '*/linux/x64/*' -delete &&
  tar cJf "$root/.gpu/runtime/node_modules.tar.xz" node_modules)
rm -rf "$tmp"
echo "4/4 the bench as one ES module, and a test photo"
npx tsx bench/gpu/bundle.ts .gpu/app/gpuBench.mjs
photo=$(ls "${XDG_CACHE_HOME:-$HOME/.cache}"/edge-restore/photos/test/*.png 2>/dev/null | head -1 || true)
cp "${photo:-node_modules/@upscalerjs/maxim-enhancement/assets/fixture.png}" .gpu/app/photo.png

# What each call sends: tracked and untracked-not-ignored files, plus its carried paths.
tree_kib=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | xargs -0 du -k --apparent-size 2>/dev/null | awk '{s+=$1} END {print s}')
size_mib() { echo $(( ( tree_kib + $(du -skL --apparent-size "$@" | awk '{s+=$1} END {print s}') ) / 1024 )); }
calls=(".gpu/node" ".gpu/runtime .gpu/app $encoder" "$model")
echo
echo "Three device calls to one warm machine, each started within its idle window (about 30 s) of the last:"
for i in 0 1 2; do
  mib=$(size_mib ${calls[$i]})
  [ "$mib" -lt 64 ] || { echo "call $((i + 1)) would send $mib MiB (over 64): carry less" >&2; exit 1; }
  carry=$(printf '"%s",' ${calls[$i]})
  if [ $i -lt 2 ]; then cmd="bash bench/gpu/onDevice.sh --check"; else cmd="bash bench/gpu/onDevice.sh --task $task --precision $precision --refiner $refiner"; fi
  echo "  $((i + 1)). carry [${carry%,}] ($mib MiB), command: $cmd"
done
echo "Give a timeout of about 540 s to the last; the bench writes \$OUT/gpu-<card>.json after each provider."
