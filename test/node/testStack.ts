// The local stack for tests: free ports, its own local R2 folder, logs dropped unless a test wants them.
import { startDevStack, type DevStack, type DevStackOptions } from "../../scripts/devStack.js";
import { freePort } from "./freePort.js";

export async function startTestStack(persistTo: string, options: DevStackOptions = {}): Promise<DevStack> {
  // No warm-up: tests start faster, and the models a test uses load on first use.
  return startDevStack({ workerPort: await freePort(), endpointPort: await freePort(), persistTo, log: () => {}, endpointWarmup: "none", ...options });
}
