// Command-line options of the emulator and their parsing, kept apart from
// the entry point so that tests can parse without starting a server.

import { resolve } from "node:path";
import { parseArgs } from "node:util";

import {
  FAULT_METHODS,
  FaultMethod,
  FaultOptions,
  GATEWAY_STATUSES,
  GatewayStatus,
  validateFaultOptions,
} from "./faults";
import { TLS_FLAGS, TLS_USAGE, TlsFiles, readTlsFlags } from "./tls";

export const USAGE = `Usage: npm run emulator -- [options]

Starts a local DigiCert ONE emulator that serves the Account Manager API for
service users under /account/api/v1. It prints the URL and the API keys of
the emulator's administrator and viewer users, then logs one line per
request to stderr. Stop it with Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port <number>     TCP port to listen on, 0 for any free port (default: 0)
  --host <address>    loopback address to listen on: one in 127.0.0.0/8,
                      ::1 or localhost (default: 127.0.0.1)
  --data-dir <path>   directory that keeps service users and the API keys
                      across restarts (default: none, state is in memory)
  --quiet             do not log requests (errors are still logged)
  --help              print this help and exit

Faults, for requests under /account/api/v1 only (default: none).
A probability is a number from 0 to 1 or a percentage such as 30%.
  --fault-seed <integer>            seed of the random faults and delays, from
                                    0 to 4294967295 (default: random, logged)
  --retry-after-format <format>     Retry-After as "seconds" or "http-date"
                                    (default: seconds)
  --maintenance                     respond to every request with 503
  --maintenance-retry-after <s>     Retry-After of maintenance, in seconds
                                    (default: 60)
  --rate-limit <requests>/<s>       allow each API key this many requests in
                                    any period of <s> seconds, then 429
  --random-rate-limit <probability> respond to a request with 429 at random
  --random-rate-limit-retry-after <s>
                                    Retry-After of random 429s, in seconds
                                    (default: 1)
  --server-errors <probability>     respond to a request with a gateway
                                    error at random
  --server-error-statuses <list>    statuses to pick from, comma-separated
                                    (default: 500,502,503,504)
  --server-error-body <kind>        "html", "json" or "mixed" (default: mixed)
  --latency <ms>|<min>-<max>        delay every request by a fixed or random
                                    number of milliseconds
  --drop-responses <probability>    handle a request, then close the
                                    connection without a response
  --drop-response-methods <list>    methods whose responses may be dropped,
                                    comma-separated (default: all)

${TLS_USAGE}
Examples:
  npm run emulator -- --port 8080 --data-dir .emulator-data
  npm run emulator -- --random-rate-limit 30% --latency 300-600 --fault-seed 7
`;

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string | undefined;
  quiet: boolean;
  faults: FaultOptions;
  /** Files of the mutual-TLS listener, or undefined for plain HTTP. */
  tls: TlsFiles | undefined;
}

/** An invalid command line: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

const FAULT_FLAGS = {
  "fault-seed": { type: "string" },
  "retry-after-format": { type: "string" },
  maintenance: { type: "boolean" },
  "maintenance-retry-after": { type: "string" },
  "rate-limit": { type: "string" },
  "random-rate-limit": { type: "string" },
  "random-rate-limit-retry-after": { type: "string" },
  "server-errors": { type: "string" },
  "server-error-statuses": { type: "string" },
  "server-error-body": { type: "string" },
  latency: { type: "string" },
  "drop-responses": { type: "string" },
  "drop-response-methods": { type: "string" },
} as const;

/** Parses the arguments after `npm run emulator --`. Throws UsageError when they are invalid. */
export function parseCommandLine(args: string[]): CliOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean" },
        ...FAULT_FLAGS,
        ...TLS_FLAGS,
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    return "help";
  }

  const portText = values.port ?? "0";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(
      `--port ${JSON.stringify(portText)} is not valid. Use a whole number from 0 to 65535.`,
    );
  }
  const dataDir = values["data-dir"];
  if (dataDir === "") {
    throw new UsageError("--data-dir is empty. Pass a directory path, or omit the option.");
  }
  const tls = readTlsFlags(values);
  if (tls.problem !== undefined) {
    throw new UsageError(tls.problem);
  }
  return {
    port,
    host: values.host ?? "127.0.0.1",
    dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    quiet: values.quiet ?? false,
    faults: parseFaultFlags(values),
    tls: tls.files,
  };
}

type FaultFlagValues = {
  [name in keyof typeof FAULT_FLAGS]?: (typeof FAULT_FLAGS)[name]["type"] extends "boolean"
    ? boolean
    : string;
};

function parseFaultFlags(values: FaultFlagValues): FaultOptions {
  requireCompanion(values, "maintenance-retry-after", "maintenance");
  requireCompanion(values, "random-rate-limit-retry-after", "random-rate-limit");
  requireCompanion(values, "server-error-statuses", "server-errors");
  requireCompanion(values, "server-error-body", "server-errors");
  requireCompanion(values, "drop-response-methods", "drop-responses");

  const faults: {
    -readonly [name in keyof FaultOptions]: FaultOptions[name];
  } = {};
  if (values["fault-seed"] !== undefined) {
    faults.seed = parseWholeNumber("--fault-seed", values["fault-seed"], 2 ** 32 - 1);
  }
  const format = values["retry-after-format"];
  if (format !== undefined) {
    if (format !== "seconds" && format !== "http-date") {
      throw new UsageError(
        `--retry-after-format ${JSON.stringify(format)} is not valid. Use seconds or http-date.`,
      );
    }
    faults.retryAfterFormat = format;
  }
  if (values.maintenance) {
    const retryAfter = values["maintenance-retry-after"];
    faults.maintenance =
      retryAfter === undefined
        ? {}
        : { retryAfterSeconds: parseWholeNumber("--maintenance-retry-after", retryAfter) };
  }
  if (values["rate-limit"] !== undefined) {
    faults.rateLimit = parseRateLimit(values["rate-limit"]);
  }
  if (values["random-rate-limit"] !== undefined) {
    const retryAfter = values["random-rate-limit-retry-after"];
    faults.randomRateLimit = {
      probability: parseProbability("--random-rate-limit", values["random-rate-limit"]),
      ...(retryAfter === undefined
        ? {}
        : { retryAfterSeconds: parseWholeNumber("--random-rate-limit-retry-after", retryAfter) }),
    };
  }
  if (values["server-errors"] !== undefined) {
    faults.serverErrors = {
      probability: parseProbability("--server-errors", values["server-errors"]),
      ...parseServerErrorShape(values["server-error-statuses"], values["server-error-body"]),
    };
  }
  if (values.latency !== undefined) {
    faults.latency = parseLatency(values.latency);
  }
  if (values["drop-responses"] !== undefined) {
    const methods = values["drop-response-methods"];
    faults.dropResponses = {
      probability: parseProbability("--drop-responses", values["drop-responses"]),
      ...(methods === undefined ? {} : { methods: parseMethods(methods) }),
    };
  }

  // Each flag is checked above. This catches any rule the flags miss.
  const problems = validateFaultOptions(faults);
  if (problems.length > 0) {
    throw new UsageError(`invalid fault options: ${problems.join(" ")}`);
  }
  return faults;
}

function requireCompanion(values: FaultFlagValues, flag: keyof FaultFlagValues, main: keyof FaultFlagValues): void {
  if (values[flag] !== undefined && values[main] === undefined) {
    throw new UsageError(`--${flag} needs --${main}. Add --${main}, or remove --${flag}.`);
  }
}

function parseWholeNumber(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not valid. Use a whole number from 0 to ${max}.`,
    );
  }
  return value;
}

/** Parses `0.3` or `30%` as 0.3. */
function parseProbability(flag: string, text: string): number {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const value = percent !== null ? Number(percent[1]) / 100 : Number(text);
  if (!(percent !== null || /^\d*\.?\d+$/.test(text)) || !(value >= 0 && value <= 1)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not valid. Use a probability from 0 to 1, such as 0.3, or a percentage such as 30%.`,
    );
  }
  return value;
}

/** Parses `<requests>/<seconds>`, such as `100/60`. */
function parseRateLimit(text: string): { requests: number; windowSeconds: number } {
  const match = /^(\d+)\/(\d*\.?\d+)$/.exec(text);
  const requests = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (match === null || requests < 1 || !(windowSeconds > 0)) {
    throw new UsageError(
      `--rate-limit ${JSON.stringify(text)} is not valid. Use <requests>/<seconds> with both above 0, such as 100/60.`,
    );
  }
  return { requests, windowSeconds };
}

/** Parses `<ms>` or `<min>-<max>`, such as `300-600`. */
function parseLatency(text: string): { minMs: number; maxMs: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const minMs = Number(match?.[1]);
  const maxMs = match?.[2] === undefined ? minMs : Number(match[2]);
  if (match === null || maxMs < minMs) {
    throw new UsageError(
      `--latency ${JSON.stringify(text)} is not valid. Use milliseconds, such as 250, or a range <min>-<max> with min <= max, such as 300-600.`,
    );
  }
  return { minMs, maxMs };
}

function parseServerErrorShape(
  statusesText: string | undefined,
  body: string | undefined,
): { statuses?: GatewayStatus[]; body?: "html" | "json" | "mixed" } {
  const shape: { statuses?: GatewayStatus[]; body?: "html" | "json" | "mixed" } = {};
  if (statusesText !== undefined) {
    shape.statuses = statusesText.split(",").map((item) => {
      const status = Number(item.trim());
      if (!(GATEWAY_STATUSES as readonly number[]).includes(status)) {
        throw new UsageError(
          `--server-error-statuses contains ${JSON.stringify(item)}. Use a comma-separated list of 500, 502, 503 and 504.`,
        );
      }
      return status as GatewayStatus;
    });
  }
  if (body !== undefined) {
    if (body !== "html" && body !== "json" && body !== "mixed") {
      throw new UsageError(
        `--server-error-body ${JSON.stringify(body)} is not valid. Use html, json or mixed.`,
      );
    }
    shape.body = body;
  }
  return shape;
}

function parseMethods(text: string): FaultMethod[] {
  return text.split(",").map((item) => {
    const method = item.trim().toUpperCase();
    if (!(FAULT_METHODS as readonly string[]).includes(method)) {
      throw new UsageError(
        `--drop-response-methods contains ${JSON.stringify(item)}. Use a comma-separated list of ${FAULT_METHODS.join(", ")}.`,
      );
    }
    return method as FaultMethod;
  });
}
