// Checks for the DigiCert ONE base URL that the provider sends requests to.

import { isIPv4 } from "node:net";

/**
 * Whether `hostname` (as `URL.hostname` returns it) is a loopback host:
 * localhost, an address in 127.0.0.0/8, or [::1]. Only these may use plain
 * http, for the local DigiCert ONE emulator.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  // The URL parser already turns shorthand such as "127.1" into dotted form.
  return isIPv4(host) && host.startsWith("127.");
}

/**
 * Returns why `text` cannot be the DigiCert ONE base URL, or undefined when
 * it can. Each reason is a clause that follows the URL in a sentence.
 */
export function serviceUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `uses the scheme "${url.protocol.slice(0, -1)}", but only https is allowed`;
  }
  // Every caller's message states the loopback rule after this clause, so
  // the clause names only the host.
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return `uses plain http with the host "${url.hostname}", which is not a loopback host`;
  }
  if (url.username !== "" || url.password !== "") {
    return "contains a user name or password";
  }
  if (url.search !== "" || url.hash !== "") {
    return "has a query or fragment";
  }
  // The API client builds every request path itself (/account/api/v1/...)
  // and takes only the origin from this URL.
  if (url.pathname !== "/") {
    return `has the path "${url.pathname}", but only a scheme, host and optional port are allowed`;
  }
  return undefined;
}

/**
 * Returns the origin of a URL that `serviceUrlProblem` accepted, such as
 * "https://one.digicert.com" for "https://ONE.digicert.com/".
 */
export function serviceUrlOrigin(text: string): string {
  return new URL(text).origin;
}

/**
 * Returns `text` with what could be a secret replaced by REDACTED, for
 * quoting a URL in a message: the user name and password before `@`, and
 * every query parameter value. Text that does not parse as a URL is
 * redacted the same way.
 */
export function redactUrl(text: string): string {
  const withoutUserInfo = text.replace(
    /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/?#\s]*@/,
    "$1REDACTED@",
  );
  return withoutUserInfo.replace(/\?([^#]*)/, (_query, parameters: string) => {
    const redacted = parameters
      .split("&")
      .map((parameter) => redactQueryParameter(parameter))
      .join("&");
    return `?${redacted}`;
  });
}

function redactQueryParameter(parameter: string): string {
  if (parameter === "") return "";
  const equals = parameter.indexOf("=");
  return equals < 0 ? "REDACTED" : `${parameter.slice(0, equals + 1)}REDACTED`;
}
