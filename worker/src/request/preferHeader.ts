// The Prefer request header (RFC 7240) as the API reads it: `respond-async` (POST /v1/restore answers with a
// job) and `wait=N` (POST /v1/jobs answers the result inline when the job ends within N seconds). Unknown
// preferences are ignored, as the RFC says.

export interface Preferences {
  respondAsync: boolean;
  /** Seconds, capped at maxWaitSeconds; undefined when not asked for or malformed. */
  wait: number | undefined;
}

/** The longest inline wait honoured: a client wanting longer polls the job. */
export const maxWaitSeconds = 60;

export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = { respondAsync: false, wait: undefined };
  // Several Prefer headers arrive joined by commas; each preference may carry `;`-separated parameters.
  for (const item of (header ?? "").split(",")) {
    const [token] = item.split(";");
    const [name, rawValue] = (token ?? "").split("=").map((part) => part.trim());
    const value = rawValue?.replace(/^"(.*)"$/, "$1");
    if (name?.toLowerCase() === "respond-async") preferences.respondAsync = true;
    if (name?.toLowerCase() === "wait" && value !== undefined && /^\d+$/.test(value) && preferences.wait === undefined) {
      preferences.wait = Math.min(Number(value), maxWaitSeconds);
    }
  }
  return preferences;
}
