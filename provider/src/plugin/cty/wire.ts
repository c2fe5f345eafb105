// The msgpack library set up for cty values. Values pass through a "wire
// tree" of plain JavaScript values that maps one to one onto msgpack: the
// codec builds such a tree from a CtyValue before encoding, and reads one
// back after decoding.

import { Decoder, Encoder, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { CtyCodecError } from "./errors";

/**
 * A decoded or to-be-encoded msgpack value. Maps are plain objects keyed by
 * string, binary data is a Uint8Array and every extension is an ExtData.
 */
export type Wire =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | ExtData
  | Wire[]
  | WireMap;

export type WireMap = { [key: string]: Wire };

// The library decodes extension type -1 (msgpack timestamps) into a Date by
// default. Terraform means an unknown value by every extension type, so all
// of them, -1 included, must stay ExtData.
const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: -1,
  encode: () => null,
  decode: (data, type) => new ExtData(type, data),
});

// useBigInt64 keeps 64-bit integers exact: they decode to bigint, and bigint
// encodes as int 64 or uint 64.
const encoder = new Encoder({ extensionCodec, useBigInt64: true });
const decoder = new Decoder({ extensionCodec, useBigInt64: true });

export function encodeWire(wire: Wire): Uint8Array {
  return encoder.encode(wire);
}

/**
 * Decodes exactly one msgpack value.
 *
 * NOTE: the library rejects a map key "__proto__", so a map with that key
 * fails to decode here.
 *
 * @throws CtyCodecError with code INVALID_MSGPACK for malformed bytes.
 */
export function decodeWire(bytes: Uint8Array): Wire {
  try {
    return decoder.decode(bytes) as Wire;
  } catch (error) {
    throw invalidMsgpack(error);
  }
}

/** Decodes the first msgpack value in `bytes` and ignores what follows. */
export function decodeFirstWire(bytes: Uint8Array): Wire {
  try {
    for (const value of decoder.decodeMulti(bytes)) return value as Wire;
  } catch (error) {
    throw invalidMsgpack(error);
  }
  throw invalidMsgpack(new RangeError("no msgpack value in the bytes"));
}

export function isWireMap(wire: Wire): wire is WireMap {
  return (
    typeof wire === "object" &&
    wire !== null &&
    !Array.isArray(wire) &&
    !(wire instanceof Uint8Array) &&
    !(wire instanceof ExtData)
  );
}

/** Describes the msgpack kind of a decoded value, never its content. */
export function describeWire(wire: Wire): string {
  if (wire === null) return "msgpack nil";
  if (wire instanceof ExtData) return "a msgpack extension";
  if (wire instanceof Uint8Array) return "msgpack binary data";
  if (Array.isArray(wire)) return "a msgpack array";
  if (typeof wire === "object") return "a msgpack map";
  if (typeof wire === "bigint") return "a msgpack number";
  return `a msgpack ${typeof wire}`;
}

function invalidMsgpack(error: unknown): CtyCodecError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CtyCodecError("INVALID_MSGPACK", [], `invalid msgpack: ${reason}`, {
    cause: error,
  });
}
