// Decoding of tfplugin6 DynamicValue messages into plain cty values and
// encoding of replies, with codec failures turned into diagnostics that point
// at the attribute at fault.
import type { CtyType, CtyValue } from "../framework/types";
import { CtyCodecError, decodeJson, decodeMsgpack, encodeMsgpack } from "./cty";
import { DiagnosticError, errorDiagnostic } from "./diagnostics";
import type { DynamicValueMessage } from "./proto/messages";

/**
 * Decodes a value Terraform sent, from msgpack or, when only that field is
 * set, from JSON. An absent or empty message is null. `field` names the
 * request field, such as "prior state", for the error message.
 *
 * @throws DiagnosticError when the bytes do not decode to `type`.
 */
export function decodeDynamicValue(
  message: DynamicValueMessage | null | undefined,
  type: CtyType,
  field: string,
): CtyValue {
  try {
    if (message?.msgpack !== undefined && message.msgpack.length > 0) {
      return decodeMsgpack(message.msgpack, type);
    }
    if (message?.json !== undefined && message.json.length > 0) {
      return decodeJson(message.json, type);
    }
    return null;
  } catch (error) {
    throw new DiagnosticError(
      errorDiagnostic(
        "Invalid value from Terraform",
        `The provider could not decode the ${field} that Terraform sent: ${describeError(error)}. ` +
          "Please report this to the provider developers, with the Terraform version.",
        error instanceof CtyCodecError ? error.path : undefined,
      ),
    );
  }
}

/**
 * Decodes stored resource state from the JSON in Terraform's state file
 * against the current schema type, ignoring attributes that the schema no
 * longer has.
 *
 * @throws DiagnosticError when the JSON does not fit `type`.
 */
export function decodeStateJson(json: Uint8Array, type: CtyType): CtyValue {
  try {
    return decodeJson(json, type, { ignoreUnknownAttributes: true });
  } catch (error) {
    throw new DiagnosticError(
      errorDiagnostic(
        "Invalid stored state",
        `The resource state stored by Terraform does not match the resource schema: ${describeError(error)}.`,
        error instanceof CtyCodecError ? error.path : undefined,
      ),
    );
  }
}

/**
 * Encodes a value to send to Terraform as msgpack. `field` names the reply
 * field, such as "planned state".
 *
 * @throws DiagnosticError when the value does not fit `type`, which means
 *   the resource code returned a value its own schema does not allow.
 */
export function encodeDynamicValue(
  value: CtyValue,
  type: CtyType,
  field: string,
): DynamicValueMessage {
  try {
    return { msgpack: encodeMsgpack(value, type) };
  } catch (error) {
    throw new DiagnosticError(
      errorDiagnostic(
        "Invalid value from provider",
        `The provider produced a ${field} that does not match its own schema: ${describeError(error)}. ` +
          "This is a bug in the provider. Please report it to the provider developers.",
        error instanceof CtyCodecError ? error.path : undefined,
      ),
    );
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
