// A loopback HTTP proxy in front of the emulator that breaks chosen
// responses, so acceptance tests can make DigiCert ONE fail at one step of
// an apply or a refresh and check what Terraform keeps in state.

import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";

/** The response a fault sends instead of the emulator's. */
export interface FaultResponse {
  status: number;
  body: string;
  /** @default "application/json" */
  contentType?: string;
}

export interface Fault {
  method: string;
  /** Matched against the request path without the query string. */
  path: RegExp;
  /**
   * Whether the emulator still receives the request, so that a create or
   * update happens even though the client sees the fault's response.
   */
  forward: boolean;
  /**
   * The response to send: fixed, or built from the emulator's parsed JSON
   * body when the request was forwarded.
   */
  respond: FaultResponse | ((upstream: unknown) => FaultResponse);
  /** How many matching requests the fault breaks. @default 1 */
  times?: number;
  /** Milliseconds to wait before forwarding or responding. @default 0 */
  delayMs?: number;
  /** Called when a matching request arrives, before the delay. */
  onRequest?: () => void;
}

export interface FaultProxy {
  /** Base URL to give the provider, such as http://127.0.0.1:40123. */
  readonly url: string;
  /** Adds a fault; faults are tried in the order they were added. */
  add(fault: Fault): void;
  /** Removes every fault that has not been used up. */
  clear(): void;
  /** The requests the proxy saw, as "METHOD /path", query included. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 that forwards to `upstreamUrl`. */
export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const faults: Array<Fault & { remaining: number }> = [];
  const requests: string[] = [];

  const server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      outgoing.statusCode = 599;
      outgoing.end(`fault proxy failed: ${String(error)}`);
    });
  });

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const method = incoming.method ?? "GET";
    const url = incoming.url ?? "/";
    requests.push(`${method} ${url}`);
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);

    const pathname = url.split("?")[0];
    const fault = faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        candidate.method === method &&
        candidate.path.test(pathname),
    );

    if (fault !== undefined) {
      fault.remaining -= 1;
      fault.onRequest?.();
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0));
    }

    let upstreamStatus = 0;
    let upstreamText = "";
    let upstreamType: string | undefined;
    if (fault === undefined || fault.forward) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (name !== "host" && typeof value === "string") headers[name] = value;
      }
      const response = await request(upstreamUrl + url, {
        method: method as "GET",
        headers,
        body: body.length > 0 ? body : undefined,
      });
      upstreamStatus = response.statusCode;
      upstreamText = await response.body.text();
      const contentType = response.headers["content-type"];
      upstreamType = typeof contentType === "string" ? contentType : undefined;
    }

    if (fault === undefined) {
      if (upstreamType !== undefined) outgoing.setHeader("content-type", upstreamType);
      outgoing.writeHead(upstreamStatus);
      outgoing.end(upstreamText);
      return;
    }

    const reply =
      typeof fault.respond === "function"
        ? fault.respond(upstreamText === "" ? undefined : JSON.parse(upstreamText))
        : fault.respond;
    outgoing.writeHead(reply.status, {
      "content-type": reply.contentType ?? "application/json",
      "content-length": Buffer.byteLength(reply.body),
    });
    outgoing.end(reply.body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    add(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clear() {
      faults.length = 0;
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Builds an HTML error page such as a gateway sends. */
export function htmlPage(status: number, title: string): FaultResponse {
  return {
    status,
    contentType: "text/html",
    body: `<html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`,
  };
}

/** Builds a JSON response with the given status and value. */
export function jsonResponse(status: number, value: unknown): FaultResponse {
  return { status, body: JSON.stringify(value) };
}
