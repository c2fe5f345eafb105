// The cty value codec: Terraform's msgpack and JSON forms of values, and the
// types that direct them.

export { blockType } from "./block-type";
export { CtyCodecError, formatPath } from "./errors";
export type { CtyCodecErrorCode } from "./errors";
export { decodeJson, encodeJson } from "./json";
export type { DecodeJsonOptions } from "./json";
export { decodeMsgpack, encodeMsgpack } from "./msgpack";
export { parseType, parseTypeJson, typeToJson } from "./types";
