// Conversion of the framework's diagnostics and attribute paths to their
// tfplugin6 messages, and of errors caught in the server to diagnostics.
// Terraform turns any gRPC error status into a failure without context, so
// every problem the server meets is returned as a diagnostic instead.
import type { AttributePath, Diagnostic } from "../framework/types";
import {
  DiagnosticSeverity,
  type AttributePathMessage,
  type DiagnosticMessage,
} from "./proto/messages";

/** An error that already carries the diagnostic to send to Terraform. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.summary}: ${diagnostic.detail}`);
    this.name = "DiagnosticError";
  }
}

export function errorDiagnostic(
  summary: string,
  detail: string,
  path?: AttributePath,
): Diagnostic {
  return path === undefined
    ? { severity: "error", summary, detail }
    : { severity: "error", summary, detail, path };
}

export function toAttributePathMessage(path: AttributePath): AttributePathMessage {
  return {
    steps: path.map((step) => {
      if ("attribute" in step) return { attribute_name: step.attribute };
      if ("key" in step) return { element_key_string: step.key };
      return { element_key_int: step.index };
    }),
  };
}

export function toDiagnosticMessage(diagnostic: Diagnostic): DiagnosticMessage {
  const message: DiagnosticMessage = {
    severity:
      diagnostic.severity === "warning"
        ? DiagnosticSeverity.WARNING
        : DiagnosticSeverity.ERROR,
    summary: diagnostic.summary,
    detail: diagnostic.detail,
  };
  if (diagnostic.path !== undefined && diagnostic.path.length > 0) {
    message.attribute = toAttributePathMessage(diagnostic.path);
  }
  return message;
}

export function toDiagnosticMessages(
  diagnostics: readonly Diagnostic[] | undefined,
): DiagnosticMessage[] {
  return (diagnostics ?? []).map(toDiagnosticMessage);
}

/**
 * Builds the diagnostic for an exception that resource or provider code threw. The
 * detail contains the error message only, because a stack trace means nothing
 * to a Terraform user. The caller logs the stack.
 */
export function unexpectedErrorDiagnostic(error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : describeThrown(error);
  return errorDiagnostic(
    "Unexpected provider error",
    `${message}\n\nThe provider did not expect this error. Its stack trace is in the provider log (set TF_LOG_PROVIDER=error to see it).`,
  );
}

/**
 * Describes a thrown value that is not an Error. String() throws for an
 * object without a prototype, which then gets its type tag instead.
 */
function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
