# A base image for the endpoint on NVIDIA GPU hosts: CUDA 12 and cuDNN 9 runtime libraries (what onnxruntime-node
# 1.30's CUDA provider links against), Node 20 and npm laid out as in the node image, the Vulkan loader (for the
# webgpu provider, Dawn over Vulkan, the fallback that needs no CUDA libraries), and the node user (uid 1000).
#   docker build -f deploy/container/cuda-base.Dockerfile -t edge-restore-cuda-base .
#   docker build --build-arg BASE_IMAGE=edge-restore-cuda-base --build-arg ORT_INSTALL=cuda12 -t edge-restore-endpoint:cuda .
# Run with the NVIDIA container toolkit (`docker run --gpus all …`; on Kubernetes, the nvidia.com/gpu resource).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04
FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && apt-get update && apt-get install -y --no-install-recommends ca-certificates libvulkan1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# The toolkit mounts the driver's compute libraries, and with "graphics" its Vulkan driver too.
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics
CMD ["node"]
