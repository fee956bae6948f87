// One line of job progress for the CLI: stage, tiles done of the total as a bar, and an ETA from the rate so far.
import type { JobProgress } from "../client.js";

const BAR_WIDTH = 20;

/**
 * `tilesStartedAt`: when the first tile report arrived (ms; the ETA needs a rate, so none before it), `now`: ms.
 * e.g. "tiles  3/12 [#####---------------]  25%  ETA 1m 10s".
 */
export function progressLine(progress: JobProgress, tilesStartedAt: number | null, firstTilesDone: number, now: number): string {
  if (progress.stage !== "tiles" || progress.tilesTotal === 0) return progress.stage === "done" ? "done" : `${progress.stage}…`;
  const { tilesDone, tilesTotal } = progress;
  const filled = Math.round((tilesDone / tilesTotal) * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
  const percent = `${Math.floor((tilesDone / tilesTotal) * 100)}%`.padStart(4);
  const counted = tilesDone - firstTilesDone;
  const eta = tilesStartedAt !== null && counted > 0 ? `  ETA ${formatEta(((now - tilesStartedAt) / counted) * (tilesTotal - tilesDone))}` : "";
  const width = String(tilesTotal).length;
  return `tiles ${String(tilesDone).padStart(width)}/${tilesTotal} ${bar} ${percent}${eta}`;
}

export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
