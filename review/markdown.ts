// Renders a plan summary as GitHub-flavoured Markdown for a pull-request
// comment: a table of changes with flag markers, the legend, and tables of
// role, account, token and expiry changes. The text is pinned by the unit and
// golden-file tests, so a wording change shows in review.

import {
  type Action,
  type ExpiryChange,
  type Flag,
  FLAGS,
  type PlanSummary,
  type ResourceSummary,
  type DisplayValue,
  type TokenReason,
} from "./summarize";

export const TITLE = "### DigiCert ONE service users: plan summary";

export const FLAG_MARKERS: Record<Flag, string> = {
  privilege: "PRIVILEGE",
  token: "TOKEN",
  delete: "DELETE",
  expiry: "EXPIRY",
};

const FLAG_MEANINGS: Record<Flag, string> = {
  privilege:
    "roles or accounts are added, a new service user or binding grants roles, or a disabled service user is enabled.",
  token: "a new API token is issued: by a rotation, or for a new or replaced service user.",
  delete: "the resource is deleted, or replaced, which deletes the old one.",
  expiry: "`expiration_date` is added, removed, extended or shortened.",
};

const ACTION_ORDER: Action[] = ["create", "update", "replace", "delete"];

const TOKEN_REASONS: Record<TokenReason, string> = {
  create: "new service user",
  replace: "replaced service user",
  rotation_triggers: "`rotation_triggers` changed",
  rotation_days: "token reached `rotation_days` of age",
  other: "new token planned",
};

const UNKNOWN = "_(known after apply)_";
const SENSITIVE = "_(sensitive)_";

/** Escapes text for a table cell, so that it shows as typed. */
export function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_[\]<>|#~&!]/g, (character) => `\\${character}`);
}

/** Returns text as a code span that is safe in a table cell. */
export function codeSpan(text: string): string {
  const body = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  const fence = body.includes("`") ? "``" : "`";
  const padding = body.includes("`") ? " " : "";
  return `${fence}${padding}${body}${padding}${fence}`;
}

function displayText(value: DisplayValue): string {
  if (value.kind === "unknown") return UNKNOWN;
  if (value.kind === "sensitive") return SENSITIVE;
  return escapeText(value.text);
}

function nameCell(resource: ResourceSummary): string {
  if (resource.serviceUserId !== undefined) return `id ${codeSpan(resource.serviceUserId)}`;

  const name = displayText(resource.name);
  if (resource.previousName === undefined) return name;
  return `${displayText(resource.previousName)} → ${name}`;
}

function changesCell(resource: ResourceSummary): string {
  if (resource.action === "create") return "new";
  if (resource.action === "delete") return "deleted";

  return resource.attributes
    .map((attribute) => {
      const notes: string[] = [];
      if (attribute.booleans !== undefined) {
        notes.push(`${attribute.booleans.before} → ${attribute.booleans.after}`);
      }
      if (attribute.sensitive) notes.push("sensitive");
      if (attribute.unknown) notes.push("known after apply");
      if (attribute.forcesReplacement) notes.push("forces replacement");
      const suffix = notes.length > 0 ? ` (${notes.join(", ")})` : "";
      return `${codeSpan(attribute.name)}${suffix}`;
    })
    .join(", ");
}

function flagsCell(flags: Flag[]): string {
  return flags.map((flag) => `**${FLAG_MARKERS[flag]}**`).join(" ");
}

function countLine(resources: ResourceSummary[]): string {
  const parts: string[] = [];
  for (const action of ACTION_ORDER) {
    const count = resources.filter((resource) => resource.action === action).length;
    if (count > 0) parts.push(`${count} to ${action}`);
  }
  const noun = resources.length === 1 ? "change" : "changes";
  return `${resources.length} ${noun}: ${parts.join(", ")}.`;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

function codeList(items: string[]): string {
  return items.map(codeSpan).join(", ");
}

function roleRows(resources: ResourceSummary[]): string[][] {
  const rows: string[][] = [];
  for (const resource of resources) {
    const address = codeSpan(resource.address);
    if (resource.roles.kind === "known") {
      for (const change of resource.roles.managers) {
        rows.push([address, codeSpan(change.manager), codeList(change.added), codeList(change.removed)]);
      }
    } else {
      const text = resource.roles.kind === "unknown" ? UNKNOWN : SENSITIVE;
      rows.push([address, text, text, text]);
    }
  }
  return rows;
}

function accountRows(resources: ResourceSummary[]): string[][] {
  const rows: string[][] = [];
  for (const resource of resources) {
    const accounts = resource.accounts;
    if (accounts === undefined) continue;

    const address = codeSpan(resource.address);
    if (accounts.kind === "known") {
      if (accounts.added.length === 0 && accounts.removed.length === 0) continue;
      rows.push([address, codeList(accounts.added), codeList(accounts.removed)]);
    } else {
      const text = accounts.kind === "unknown" ? UNKNOWN : SENSITIVE;
      rows.push([address, text, text]);
    }
  }
  return rows;
}

function tokenRows(resources: ResourceSummary[]): string[][] {
  return resources
    .filter((resource) => resource.token !== undefined)
    .map((resource) => [codeSpan(resource.address), TOKEN_REASONS[resource.token!]]);
}

function expiryDate(expiry: ExpiryChange, date: string | null | undefined): string {
  if (expiry.change === "unknown") return UNKNOWN;
  if (date === undefined) return SENSITIVE;
  return date === null ? "none" : escapeText(date);
}

function expiryText(expiry: ExpiryChange): string {
  if (expiry.change === "unknown") return "known after apply";
  if (expiry.days === undefined) return expiry.change;
  return `${expiry.change} by ${expiry.days} ${expiry.days === 1 ? "day" : "days"}`;
}

function expiryRows(resources: ResourceSummary[]): string[][] {
  const rows: string[][] = [];
  for (const resource of resources) {
    const expiry = resource.expiry;
    if (expiry === undefined) continue;
    rows.push([
      codeSpan(resource.address),
      expiryDate(expiry, expiry.before),
      expiryDate(expiry, expiry.after),
      expiryText(expiry),
    ]);
  }
  return rows;
}

/** Renders the summary as Markdown, ending with a newline. */
export function renderMarkdown(summary: PlanSummary): string {
  const resources = summary.resources;
  if (resources.length === 0) {
    return `${TITLE}\n\nNo changes to service users or role bindings.\n`;
  }

  const lines: string[] = [TITLE, "", countLine(resources), ""];
  lines.push(
    ...table(
      ["Flags", "Resource", "Service user", "Action", "Changes"],
      resources.map((resource) => [
        flagsCell(resource.flags),
        codeSpan(resource.address),
        nameCell(resource),
        resource.action,
        changesCell(resource),
      ]),
    ),
  );
  lines.push("", "Flags:");
  for (const flag of FLAGS) {
    lines.push(`- **${FLAG_MARKERS[flag]}**: ${FLAG_MEANINGS[flag]}`);
  }

  const sections: Array<[string, string[], string[][]]> = [
    ["Roles", ["Resource", "Manager", "Added", "Removed"], roleRows(resources)],
    ["Accounts", ["Resource", "Added", "Removed"], accountRows(resources)],
    ["New API tokens", ["Resource", "Reason"], tokenRows(resources)],
    ["Expiry", ["Resource", "Before", "After", "Change"], expiryRows(resources)],
  ];
  for (const [heading, header, rows] of sections) {
    if (rows.length === 0) continue;
    lines.push("", `#### ${heading}`, "", ...table(header, rows));
  }

  lines.push(
    "",
    "Token values and other values that the plan marks as sensitive are never shown.",
  );
  return lines.join("\n") + "\n";
}
