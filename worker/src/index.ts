// Cloudflare Workers entry point.
import { app } from "./app.js";

export default app satisfies ExportedHandler<import("./env.js").Env>;
