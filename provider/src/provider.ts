// The digicertone provider: its configuration schema, the validation of that
// configuration, and the configure step that creates the DigiCert ONE client
// which every resource call receives.

import type { DigicertClientOptions } from "./digicert/client";
import { DigicertError } from "./digicert/errors";
import type { DigicertClient } from "./digicert/types";
import { regionHosts } from "./digicert/constants";
import {
  DEFAULT_EXPIRY_WARNING_DAYS,
  MAX_EXPIRY_WARNING_DAYS,
  setProviderSettings,
} from "./provider-settings";
import {
  BigDecimal,
  hasErrors,
  isUnknown,
  path,
  type CallContext,
  type CtyValue,
  type ConfigureResponse,
  type Diagnostic,
  type ObjectValue,
  type ProviderDefinition,
  type Schema,
} from "./framework/types";
import { logger as defaultLogger, type Logger } from "./log";
import { numberValue, validateWholeNumber } from "./validation/numbers";
import { createDataSources } from "./data-sources";
import { createRoleBindingResource } from "./resources/role-binding";
import { createServiceUserResource } from "./resources/service-user";
import {
  commandParagraph,
  errorDiagnostic,
  formatValue,
  invalidValue,
  joinWithAnd,
  quote,
  warningDiagnostic,
} from "./validation/diagnostics";
import {
  redactUrl,
  serviceUrlOrigin,
  serviceUrlProblem,
} from "./validation/url";
import { CLIENT_AUTH_HOST_PREFIX, type DigicertTlsOptions } from "./digicert/tls";
import {
  resolveTls,
  tlsAttributes,
  validateTlsAttributes,
  type ResolvedTls,
} from "./provider-tls";
import { subjectOf } from "./validation/tls-credentials";
import {
  connectionAttributes,
  connectionOptions,
  validateConnectionAttributes,
} from "./provider-connection";
import {
  POLICY_BLOCK_NAME,
  policyBlock,
  resolvePolicy,
  validatePolicyConfig,
} from "./policy";

/** Set by the build (scripts/build-provider.ts) from package.json. */
export const PROVIDER_VERSION = process.env.PROVIDER_VERSION ?? "dev";

export const USER_AGENT = `terraform-provider-digicertone/${PROVIDER_VERSION}`;

export const URL_ENV = "DIGICERT_ONE_URL";
export const API_KEY_ENV = "DIGICERT_ONE_API_KEY";

const DEFAULT_REGION = "us";

/** Provider region values and the region keys of `regionHosts`. */
const REGIONS = {
  us: "US",
  jp: "JP",
  ch: "CH",
  nl: "NL",
} as const satisfies { [region: string]: keyof typeof regionHosts };

type Region = keyof typeof REGIONS;

const REGION_LIST = joinWithAnd(Object.keys(REGIONS).map(quote));

const URL_RULE = `It must be an https URL with only a scheme, host and optional port, such as "https://one.digicert.com". Plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8 and [::1]), such as a local DigiCert ONE emulator.`;

export const providerSchema: Schema = {
  version: 0,
  block: {
    description:
      "The DigiCert ONE provider manages service users of a DigiCert ONE tenant through the Account Manager API. It authenticates with the API key of a user whose role has the Manage users permission.",
    attributes: {
      url: {
        type: "string",
        optional: true,
        description: `Base URL of DigiCert ONE, such as \`https://one.digicert.com\`: a scheme, host and optional port, where plain http is allowed only on loopback hosts (localhost, 127.0.0.0/8, [::1]) for a local emulator. Conflicts with \`region\` and \`demo = true\`. Without url, region or \`demo = true\`, the provider uses the \`${URL_ENV}\` environment variable, or else \`https://one.digicert.com\`.`,
      },
      region: {
        type: "string",
        optional: true,
        description: `DigiCert ONE region whose host the provider uses: \`us\` (one.digicert.com), \`jp\` (one.digicert.co.jp), \`ch\` (one.ch.digicert.com) or \`nl\` (one.nl.digicert.com). Conflicts with \`url\`, and defaults to \`us\` when neither \`url\` nor \`${URL_ENV}\` gives a URL.`,
      },
      demo: {
        type: "bool",
        optional: true,
        description:
          "Whether to use the region's demo host, such as `demo.one.digicert.com`, instead of production. Demo API keys do not work in production. Defaults to false. `demo = true` conflicts with `url`.",
      },
      api_key: {
        type: "string",
        optional: true,
        sensitive: true,
        description: `API key of a DigiCert ONE user whose role has the Manage users permission, sent in the \`x-api-key\` header. Defaults to the \`${API_KEY_ENV}\` environment variable, and one of the two must be set.`,
      },
      expiry_warning_days: {
        type: "number",
        optional: true,
        description: `How many days before a service user's expiration date plans start to warn that it expires soon, counted from the current UTC day: a whole number from 0 to ${MAX_EXPIRY_WARNING_DAYS}, where 0 turns the warning off. Defaults to ${DEFAULT_EXPIRY_WARNING_DAYS}. Plans warn about a service user that has already expired whatever this value.`,
      },
      ...tlsAttributes,
      ...connectionAttributes,
    },
    blocks: {
      [POLICY_BLOCK_NAME]: policyBlock,
    },
  },
};

/** Environment variables, in the shape of `process.env`. */
export type Environment = { readonly [name: string]: string | undefined };

export interface ProviderOptions {
  /**
   * Source of the DIGICERT_ONE_URL and DIGICERT_ONE_API_KEY fallbacks, read
   * at each configure.
   * @default process.env
   */
  readonly env?: Environment;
  /** @default createDigicertClient, loaded on the first configure */
  readonly createClient?: (options: DigicertClientOptions) => DigicertClient;
  /**
   * Returns the current time, for the resources' date checks and the client
   * certificate's validity. @default () => new Date()
   */
  readonly now?: () => Date;
  /** @default the provider's process-wide logger */
  readonly logger?: Logger;
}

/** Builds the provider; tests inject the environment, client and clock. */
export function createProvider(
  options: ProviderOptions = {},
): ProviderDefinition<DigicertClient> {
  const logger = options.logger ?? defaultLogger;

  return {
    typeName: "digicertone",
    schema: providerSchema,
    resources: [
      createServiceUserResource({ now: options.now, logger }),
      createRoleBindingResource({ logger }),
    ],
    dataSources: createDataSources({ logger }),

    validate(request) {
      return validateProviderConfig(request.config, options.now?.());
    },

    async configure(
      config: ObjectValue,
      _context: CallContext,
    ): Promise<ConfigureResponse<DigicertClient>> {
      const resolved = resolveProviderConfig(
        config,
        options.env ?? process.env,
        options.now?.(),
      );
      if (resolved.settings === undefined) {
        return { diagnostics: resolved.diagnostics };
      }

      const policy = resolvePolicy(config[POLICY_BLOCK_NAME]);
      if (hasErrors(policy.diagnostics)) {
        return { diagnostics: [...resolved.diagnostics, ...policy.diagnostics] };
      }

      const { baseUrl, apiKey, tls } = resolved.settings;
      const createClient = options.createClient ?? (await loadClientFactory());
      let client: DigicertClient;
      try {
        client = createClient({
          baseUrl,
          apiKey,
          userAgent: USER_AGENT,
          logger,
          tls,
          ...connectionOptions(config),
        });
      } catch (error) {
        // The client's messages never quote the API key.
        const message = error instanceof DigicertError ? error.message : String(error);
        return {
          diagnostics: [
            ...resolved.diagnostics,
            errorDiagnostic("Invalid provider configuration", message),
          ],
        };
      }
      setProviderSettings(client, {
        expiryWarningDays: expiryWarningDaysOf(config.expiry_warning_days ?? null),
        policy: policy.policy,
      });
      logger.debug("Configured DigiCert ONE provider", {
        base_url: baseUrl,
        client_certificate_subject: resolved.clientCertificate,
        ca_bundle: tls?.ca !== undefined,
      });
      return { client, diagnostics: resolved.diagnostics };
    },
  };
}

/**
 * Loads the DigiCert ONE client module, which brings undici and zod. The
 * build keeps this dynamic import lazy, so provider processes that
 * Terraform starts only to validate or to read schemas never load them.
 */
async function loadClientFactory(): Promise<NonNullable<ProviderOptions["createClient"]>> {
  const { createDigicertClient } = await import("./digicert/client");
  return createDigicertClient;
}

/** The provider with the real environment, client and clock. */
export const provider: ProviderDefinition<DigicertClient> = createProvider();

/**
 * Validates the known values of a provider configuration, without the
 * environment and without any API call, so `terraform validate` needs no
 * credentials. Unknown values are skipped. `now` is the time at which the
 * client certificate must be valid.
 */
export function validateProviderConfig(
  config: ObjectValue,
  now: Date = new Date(),
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { url, region, demo, api_key: apiKey } = config;

  if (typeof url === "string") {
    const problem = serviceUrlProblem(url);
    if (problem !== undefined) {
      diagnostics.push(
        invalidValue({
          path: path("url"),
          summary: "Invalid url",
          problem: `The url ${quote(redactUrl(url))} ${problem}.`,
          allowed: URL_RULE,
        }),
      );
    }
  }

  if (typeof region === "string" && !Object.hasOwn(REGIONS, region)) {
    const lowercase = region.toLowerCase();
    diagnostics.push(
      invalidValue({
        path: path("region"),
        summary: "Invalid region",
        problem: `The region ${quote(region)} is not a DigiCert ONE region.`,
        allowed: `Allowed values: ${REGION_LIST}.`,
        fix: Object.hasOwn(REGIONS, lowercase)
          ? `Write it in lowercase: ${quote(lowercase)}.`
          : undefined,
      }),
    );
  }

  const conflicting: string[] = [];
  if (typeof region === "string") conflicting.push("region");
  if (demo === true) conflicting.push("demo = true");
  if (typeof url === "string" && conflicting.length > 0) {
    diagnostics.push(
      invalidValue({
        path: path("url"),
        summary: "Conflicting provider settings",
        problem: `url is set together with ${joinWithAnd(conflicting)}.`,
        allowed: "url names the host directly, while region and demo select a DigiCert ONE host.",
        fix: "Remove url, or remove region and demo.",
      }),
    );
  }

  if (typeof apiKey === "string") {
    const problem = apiKeyProblem(apiKey);
    if (problem !== undefined) {
      diagnostics.push(
        invalidValue({
          path: path("api_key"),
          summary: "Invalid api_key",
          problem: `api_key ${problem}.`,
          allowed: "It must be the API key of a DigiCert ONE user with the Manage users permission.",
          fix: `Correct it, or remove api_key to use the ${API_KEY_ENV} environment variable.`,
        }),
      );
    }
  }
  diagnostics.push(...validateExpiryWarningDays(config.expiry_warning_days ?? null));
  diagnostics.push(...validateTlsAttributes(config, now));
  diagnostics.push(...validateConnectionAttributes(config));
  diagnostics.push(...validatePolicyConfig(config[POLICY_BLOCK_NAME]));
  return diagnostics;
}

/** Returns why an API key is unusable without quoting it, or undefined. */
function apiKeyProblem(apiKey: string): string | undefined {
  if (apiKey === "") return "is empty";
  // Mirrors the client's own check, so the error points at the attribute.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    return "contains whitespace or non-ASCII characters (check for a trailing newline copied with it)";
  }
  return undefined;
}

/** The settings the client is created with. */
export interface ProviderSettings {
  /** Origin of DigiCert ONE, such as "https://one.digicert.com". */
  baseUrl: string;
  apiKey: string;
  /** Client certificate and CA bundle, when any is configured. */
  tls?: DigicertTlsOptions;
}

/**
 * Resolves the configuration and environment into client settings. Returns
 * `settings` only when there are no errors; warnings may come with them.
 */
export function resolveProviderConfig(
  config: ObjectValue,
  env: Environment,
  now: Date = new Date(),
): {
  settings?: ProviderSettings;
  /** The client certificate's subject, for the log. */
  clientCertificate?: string;
  diagnostics: Diagnostic[];
} {
  // Unknown values, such as an attribute of a resource not created yet, are
  // rejected rather than deferred. Read and apply cannot work without a
  // client, and a later error would point at a resource instead of here.
  const unknownDiagnostics = rejectUnknownValues(config);
  if (unknownDiagnostics.length > 0) return { diagnostics: unknownDiagnostics };

  const diagnostics = validateProviderConfig(config, now);
  if (hasErrors(diagnostics)) return { diagnostics };

  const resolvedTls = resolveTls(config, env, now);
  diagnostics.push(...resolvedTls.diagnostics);
  const tls = resolvedTls.tls ?? {};
  const clientAuth = tls.clientCertificate !== undefined;
  const baseUrl = resolveBaseUrl(config, env, diagnostics, clientAuth);
  const apiKey = resolveApiKey(config, env, diagnostics);
  if (baseUrl === undefined || apiKey === undefined || hasErrors(diagnostics)) {
    return { diagnostics };
  }
  warnAboutPlainHttp(baseUrl, tls, diagnostics);
  return {
    settings: { baseUrl, apiKey, tls: tls.options },
    clientCertificate:
      tls.clientCertificate === undefined ? undefined : subjectOf(tls.clientCertificate),
    diagnostics,
  };
}

/** Warns that TLS settings do nothing when the URL uses plain http. */
function warnAboutPlainHttp(baseUrl: string, tls: ResolvedTls, diagnostics: Diagnostic[]): void {
  if (tls.options === undefined || !baseUrl.startsWith("http:")) return;
  const setting =
    tls.clientCertificate === undefined ? "ca_bundle" : "client certificate";
  diagnostics.push(
    warningDiagnostic(
      "TLS settings ignored",
      `The provider connects to ${quote(baseUrl)} with plain http, so the ${setting} is not used. Use an https URL to send a client certificate or to check the server certificate against ca_bundle.`,
      path("url"),
    ),
  );
}

function rejectUnknownValues(config: ObjectValue): Diagnostic[] {
  return Object.keys(providerSchema.block.attributes)
    .filter((name) => isUnknown(config[name] ?? null))
    .map((name) =>
      errorDiagnostic(
        "Provider configuration value not known",
        `The provider's ${name} depends on a value that is known only after apply, but the provider needs it to plan. Set it from a variable, a literal or an environment variable, or create what it depends on first:` +
          commandParagraph("terraform apply -target=<address>"),
        path(name),
      ),
    );
}

/**
 * Resolves the base URL: the url attribute, then the host that region and
 * `demo = true` select, then DIGICERT_ONE_URL, then the US production host.
 * With `clientAuth`, a host chosen by region, demo or the default is the
 * `clientauth.` host, while a URL is used as given.
 */
function resolveBaseUrl(
  config: ObjectValue,
  env: Environment,
  diagnostics: Diagnostic[],
  clientAuth: boolean,
): string | undefined {
  if (typeof config.url === "string") return serviceUrlOrigin(config.url);

  const region = typeof config.region === "string" ? (config.region as Region) : undefined;
  const demo = config.demo === true;
  const envUrl = nonEmpty(env[URL_ENV]);

  if (region !== undefined || demo) {
    if (envUrl !== undefined) {
      const setting = region !== undefined ? "region" : "demo";
      diagnostics.push(
        warningDiagnostic(
          `${URL_ENV} ignored`,
          `The provider configuration sets ${setting}, which takes precedence over the ${URL_ENV} environment variable (${quote(redactUrl(envUrl))}). Remove region and demo from the provider block to use ${URL_ENV}, or unset the variable.`,
          path(setting),
        ),
      );
    }
    return hostUrl(region ?? DEFAULT_REGION, demo, clientAuth);
  }

  if (envUrl !== undefined) {
    const problem = serviceUrlProblem(envUrl);
    if (problem !== undefined) {
      diagnostics.push(
        errorDiagnostic(
          `Invalid ${URL_ENV}`,
          `The ${URL_ENV} environment variable ${quote(redactUrl(envUrl))} ${problem}. ${URL_RULE} Correct the variable, unset it, or set url in the provider block.`,
          path("url"),
        ),
      );
      return undefined;
    }
    return serviceUrlOrigin(envUrl);
  }
  return hostUrl(DEFAULT_REGION, false, clientAuth);
}

function hostUrl(region: Region, demo: boolean, clientAuth: boolean): string {
  const hosts = regionHosts[REGIONS[region]];
  const host = demo ? hosts.demo : hosts.production;
  return `https://${clientAuth ? CLIENT_AUTH_HOST_PREFIX : ""}${host}`;
}

function resolveApiKey(
  config: ObjectValue,
  env: Environment,
  diagnostics: Diagnostic[],
): string | undefined {
  if (typeof config.api_key === "string") return config.api_key;

  const envKey = nonEmpty(env[API_KEY_ENV]);
  if (envKey === undefined) {
    diagnostics.push(
      errorDiagnostic(
        "Missing DigiCert ONE API key",
        `The provider needs the API key of a DigiCert ONE user whose role has the Manage users permission. Set api_key in the provider block, or set the ${API_KEY_ENV} environment variable.`,
        path("api_key"),
      ),
    );
    return undefined;
  }
  const problem = apiKeyProblem(envKey);
  if (problem !== undefined) {
    diagnostics.push(
      errorDiagnostic(
        `Invalid ${API_KEY_ENV}`,
        `The ${API_KEY_ENV} environment variable ${problem}. Set it to the API key of a DigiCert ONE user with the Manage users permission.`,
        path("api_key"),
      ),
    );
    return undefined;
  }
  return envKey;
}

/** Returns the value unless it is unset or empty, as shells often leave it. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function validateExpiryWarningDays(value: CtyValue): Diagnostic[] {
  return validateWholeNumber(value, {
    path: path("expiry_warning_days"),
    name: "expiry_warning_days",
    min: 0,
    max: MAX_EXPIRY_WARNING_DAYS,
    unit: "days",
    note: "where 0 turns the warning off",
    fix: `remove it for the default of ${DEFAULT_EXPIRY_WARNING_DAYS}`,
  });
}

/** Returns the configured expiry_warning_days, or the default when it is null or invalid. */
function expiryWarningDaysOf(value: CtyValue): number {
  if (validateExpiryWarningDays(value).length > 0) return DEFAULT_EXPIRY_WARNING_DAYS;
  return numberValue(value) ?? DEFAULT_EXPIRY_WARNING_DAYS;
}
