// Provider logging to stderr, one JSON object a line in the form go-plugin
// parses (hclog's JSON format: "@level", "@message", "@timestamp", "@module"
// and extra fields). Terraform shows the lines at the level TF_LOG or
// TF_LOG_PROVIDER selects. Never pass a secret (token, API key, password) as
// a message or field: fields named in SECRET_FIELDS are replaced as a guard.

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** The lowest level a logger writes. At "off" it writes nothing. */
export type LogThreshold = LogLevel | "off";

const LEVEL_RANK: Record<LogThreshold, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  off: 5,
};

export type LogFields = { [name: string]: unknown };

const SECRET_FIELDS = new Set([
  "token",
  "api_key",
  "apikey",
  "api_token",
  "password",
  "x-api-key",
  "authorization",
]);

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry these fields too. */
  with(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

function writeToStderr(line: string): void {
  process.stderr.write(line + "\n");
}

function redact(fields: LogFields): LogFields {
  const result: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    result[name] = SECRET_FIELDS.has(name.toLowerCase()) ? "<redacted>" : value;
  }
  return result;
}

function describeError(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? value.message : `${value.message} (${code})`;
  }
  return value;
}

/**
 * Serialises a log record without throwing, because a logger that throws
 * inside an error handler turns a diagnostic into a gRPC failure. A bigint
 * becomes its decimal text and a repeated reference to an enclosing object
 * becomes "[Circular]".
 */
function toJsonLine(record: LogFields): string {
  const ancestors: object[] = [];
  try {
    return JSON.stringify(record, function (this: unknown, _key, value: unknown) {
      if (typeof value === "bigint") return value.toString();
      if (typeof value !== "object" || value === null) return value;

      // JSON.stringify calls the replacer with `this` set to the object
      // that contains `value`, so the ancestors end at `this`.
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) {
        ancestors.pop();
      }
      if (ancestors.includes(value)) return "[Circular]";
      ancestors.push(value);
      return value;
    });
  } catch (error) {
    return JSON.stringify({
      "@level": record["@level"],
      "@message": record["@message"],
      "@module": record["@module"],
      "@timestamp": record["@timestamp"],
      log_error: `fields could not be serialised: ${describeError(error)}`,
    });
  }
}

/**
 * Returns the log level that TF_LOG_PROVIDER selects, or TF_LOG when that is
 * unset or empty, and `fallback` when both are. Terraform's debugging
 * documentation defines the values: TRACE, DEBUG, INFO, WARN, ERROR and OFF
 * (case-insensitive), and any other value, JSON included, means TRACE.
 */
export function logThresholdFromEnvironment(
  environment: NodeJS.ProcessEnv,
  fallback: LogThreshold,
): LogThreshold {
  const provider = environment.TF_LOG_PROVIDER;
  const value = provider !== undefined && provider !== "" ? provider : environment.TF_LOG;
  if (value === undefined || value === "") return fallback;

  const level = value.toLowerCase();
  return Object.hasOwn(LEVEL_RANK, level) ? (level as LogThreshold) : "trace";
}

let processThreshold: LogThreshold = "trace";

/**
 * Sets the lowest level the process-wide logger writes. A provider that
 * Terraform starts keeps the default, trace, because Terraform filters its
 * lines by TF_LOG. The long-lived mode has no Terraform process in front of
 * it, so it sets the level itself.
 */
export function setProcessLogThreshold(threshold: LogThreshold): void {
  processThreshold = threshold;
}

/**
 * Creates a logger that writes records at or above `threshold()` to `sink`.
 * The threshold is read on every record, so a later change applies to the
 * loggers derived with `with` too.
 */
export function createLogger(
  module = "provider.digicertone",
  baseFields: LogFields = {},
  sink: LogSink = writeToStderr,
  threshold: () => LogThreshold = () => "trace",
): Logger {
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (LEVEL_RANK[level] < LEVEL_RANK[threshold()]) return;

    const extra = redact({ ...baseFields, ...fields });
    for (const [name, value] of Object.entries(extra)) {
      extra[name] = describeError(value);
    }
    const record = {
      "@level": level,
      "@message": message,
      "@module": module,
      "@timestamp": new Date().toISOString(),
      ...extra,
    };
    sink(toJsonLine(record));
  };
  return {
    trace: (message, fields) => emit("trace", message, fields),
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    with: (fields) => createLogger(module, { ...baseFields, ...fields }, sink, threshold),
  };
}

/** The provider's process-wide logger, filtered by setProcessLogThreshold. */
export const logger: Logger = createLogger(undefined, {}, writeToStderr, () => processThreshold);
