// Paging of list responses. Lists are bare JSON arrays unless the caller
// sends `offset` or `limit`.

import { invalidRequest } from "./errors";

// NOTE: DigiCert publishes no paging defaults or limits for these lists.
// These values are the emulator's own choice.
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1000;

/**
 * Returns `items` as a bare array, or as `{total, offset, limit, items}`
 * when the query has `offset` or `limit`, the shape sibling DigiCert ONE
 * APIs use for paged lists.
 */
export function bareOrPaged<T>(items: T[], query: URLSearchParams): unknown {
  if (!query.has("offset") && !query.has("limit")) {
    return items;
  }
  const offset = parseIntegerParam(query, "offset", 0);
  const limit = parseIntegerParam(query, "limit", DEFAULT_PAGE_LIMIT);
  if (offset === undefined || limit === undefined || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidRequest(
      `Query parameters offset ${JSON.stringify(query.get("offset"))} and limit ` +
        `${JSON.stringify(query.get("limit"))} are not valid. Send offset as a whole ` +
        `number of 0 or more and limit as a whole number from 1 to ${MAX_PAGE_LIMIT}.`,
    );
  }
  return {
    total: items.length,
    offset,
    limit,
    items: items.slice(offset, offset + limit),
  };
}

/** Parses a whole-number query parameter, or returns undefined when it is not one. */
function parseIntegerParam(
  query: URLSearchParams,
  name: string,
  defaultValue: number,
): number | undefined {
  const text = query.get(name);
  if (text === null) {
    return defaultValue;
  }
  const value = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(value) ? value : undefined;
}

