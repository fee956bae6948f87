// Where built data sets live: outside the repository, because they are large and rebuilt from pinned sources.
import { homedir } from "node:os";
import { join } from "node:path";

/** `$EDGE_RESTORE_CACHE`, else `$XDG_CACHE_HOME/edge-restore`, else `~/.cache/edge-restore`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EDGE_RESTORE_CACHE) return env.EDGE_RESTORE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "edge-restore");
}
