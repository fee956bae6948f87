// Retry-After (RFC 9110 §10.2.3) is either delay-seconds or an HTTP date; both become seconds from now.

/** Seconds to wait according to a `Retry-After` value, or null when absent or unreadable. Never negative. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  if (/^\d+$/.test(text)) return Number(text);
  // Every HTTP date form names the month; without this check Date.parse reads "-5" or "1.5" as dates.
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  // A date in the past means "now"; HTTP dates have whole-second precision, so round up.
  return Math.max(0, Math.ceil((at - now) / 1000));
}
