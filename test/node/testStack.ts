// The local stack for tests: free ports, its own local R2 folder, logs dropped unless a test wants them.
import { startDevStack, type DevStack, type DevStackOptions } from "../../scripts/devStack.js";
import { freePort } from "./freePort.js";

export async function startTestStack(persistTo: string, options: DevStackOptions = {}): Promise<DevStack> {
  return startDevStack({ workerPort: await freePort(), endpointPort: await freePort(), persistTo, log: () => {}, ...options });
}
