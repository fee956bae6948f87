// Cloudflare Workers entry point.
import { app } from "./app.js";

export default app satisfies ExportedHandler<import("./env.js").Env>;
// The job workflow's class must be a named export of the Worker's main module (wrangler.toml [[workflows]]).
export { RestoreJob } from "./jobs/restoreJobWorkflow.js";
