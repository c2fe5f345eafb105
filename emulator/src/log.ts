// Log lines of the emulator in logfmt (`key=value` pairs), one per request
// and one per unexpected error. Lines never contain API keys, tokens, or
// request and response bodies: a request line has the method, the path with
// only known-harmless query values, the status, the duration and the id.

export type LogSink = (line: string) => void;

export const writeToStderr: LogSink = (line) => {
  process.stderr.write(line + "\n");
};

// Query parameters whose values are shown in request lines. The values of
// all others are replaced, in case a client puts a secret in the query.
const LOGGED_QUERY_PARAMETERS = new Set([
  "user_type",
  "user_id",
  "application_code",
  "offset",
  "limit",
]);

/** Returns the path and query of `url` with unknown query values redacted. */
export function redactedPath(url: URL): string {
  const parts: string[] = [];
  for (const [name, value] of url.searchParams) {
    const loggedValue = LOGGED_QUERY_PARAMETERS.has(name) ? value : "REDACTED";
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(loggedValue)}`);
  }
  return parts.length === 0 ? url.pathname : `${url.pathname}?${parts.join("&")}`;
}

function formatValue(value: string | number): string {
  const text = String(value);
  return /^[A-Za-z0-9_.:/?&=%+-]+$/.test(text) ? text : JSON.stringify(text);
}

export function formatLogLine(
  level: "info" | "error",
  message: string,
  fields: Record<string, string | number>,
): string {
  const pairs = [
    `time=${new Date().toISOString()}`,
    `level=${level}`,
    `msg=${formatValue(message)}`,
    ...Object.entries(fields).map(([key, value]) => `${key}=${formatValue(value)}`),
  ];
  return pairs.join(" ");
}
