/**
 * The `.proto` sources under proto/vivim/ are what other languages generate clients from; the
 * `defineMessage` tables are what the node executes. This test parses every .proto file and checks
 * that the two say the same thing: every defined `vivim.*` message has a .proto message with the same
 * fields (snake_case name, number, type, repeated), and every .proto message of a package that is
 * defined in TypeScript has its definition.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { definedMessages } from "../../chain/codec/proto-message.js";
import type { FieldSchema } from "../../chain/codec/schema.js";
import "../../contracts/index.js";

interface ProtoField {
  readonly name: string;
  readonly type: string;
  readonly repeated: boolean;
}

interface ProtoFile {
  readonly file: string;
  readonly pkg: string;
  readonly messages: Map<string, Map<number, ProtoField>>;
  readonly enums: Set<string>;
}

const SCALARS = new Set([
  "uint32",
  "uint64",
  "int32",
  "int64",
  "bool",
  "string",
  "bytes",
  "fixed32",
  "fixed64",
]);

function protoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return protoFiles(p);
    return e.name.endsWith(".proto") ? [p] : [];
  });
}

/** A small parser for the proto3 subset we write: messages (nested too), enums, plain fields. */
function parseProto(file: string): ProtoFile {
  const text = readFileSync(file, "utf8")
    .replace(/\/\/.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, "");
  const pkg = /package\s+([\w.]+)\s*;/.exec(text)?.[1] ?? "";
  const messages = new Map<string, Map<number, ProtoField>>();
  const enums = new Set<string>();
  const stack: Array<{ kind: "message" | "enum" | "other"; name: string }> = [];
  const tokens = text.split(/([{};])/);
  let statement = "";
  for (const token of tokens) {
    if (token === "{") {
      const m = /^\s*(message|enum|service|oneof|rpc[\s\S]*|option[\s\S]*)\s*(\w*)/.exec(statement);
      const kind = m?.[1] === "message" ? "message" : m?.[1] === "enum" ? "enum" : "other";
      const scope = stack.filter((s) => s.kind === "message").map((s) => s.name);
      const name = [...scope, m?.[2] ?? ""].join(".");
      stack.push({ kind, name });
      if (kind === "message") messages.set(name, new Map());
      if (kind === "enum") enums.add(name);
      statement = "";
    } else if (token === "}") {
      stack.pop();
      statement = "";
    } else if (token === ";") {
      const top = stack[stack.length - 1];
      const f = /^\s*(repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(statement);
      if (top?.kind === "message" && f) {
        messages.get(top.name)?.set(Number(f[4]), { name: f[3]!, type: f[2]!, repeated: f[1] !== undefined });
      }
      statement = "";
    } else {
      statement += token;
    }
  }
  return { file, pkg, messages, enums };
}

function schemaType(field: FieldSchema): string {
  const kind = field.kind;
  if (kind === "any") return "google.protobuf.Any";
  if (typeof kind === "object") return kind.message().name;
  return kind;
}

const files = protoFiles(path.resolve("proto")).map(parseProto);
const enumNames = new Set(files.flatMap((f) => [...f.enums].flatMap((e) => [e, `${f.pkg}.${e}`])));
const protoMessages = new Map<string, { file: ProtoFile; fields: Map<number, ProtoField> }>();
for (const f of files)
  for (const [name, fields] of f.messages) protoMessages.set(`${f.pkg}.${name}`, { file: f, fields });

/** What a .proto field's type means to the schema: a scalar, "enum", or a message's full name. */
function resolveProtoType(type: string, pkg: string): string {
  if (SCALARS.has(type)) return type;
  if (enumNames.has(type) || enumNames.has(`${pkg}.${type}`)) return "enum";
  if (protoMessages.has(`${pkg}.${type}`)) return `${pkg}.${type}`;
  return type;
}

const defined = [...definedMessages().values()].filter((m) => m.schema.name.startsWith("vivim."));
const definedPackages = new Set(defined.map((m) => m.schema.name.split(".").slice(0, -1).join(".")));

describe("proto sources match the message definitions", () => {
  it("finds the definitions and the sources", () => {
    expect(defined.length).toBeGreaterThan(0);
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(defined.map((m) => [m.schema.name, m] as const))("%s", (name, message) => {
    const proto = protoMessages.get(name);
    expect(proto, `${name} has no message in proto/`).toBeDefined();
    const pkg = proto!.file.pkg;
    const fromSchema = Object.entries(message.schema.fields).map(([no, f]) => ({
      no: Number(no),
      name: f.name,
      type: schemaType(f),
      repeated: f.repeated === true,
    }));
    const fromProto = [...proto!.fields].map(([no, f]) => ({
      no,
      name: f.name,
      type: resolveProtoType(f.type, pkg),
      repeated: f.repeated,
    }));
    const byNo = (a: { no: number }, b: { no: number }) => a.no - b.no;
    expect(fromProto.sort(byNo), `fields of ${name} in ${path.relative(".", proto!.file.file)}`).toEqual(
      fromSchema.sort(byNo),
    );
  });

  it("has a definition for every message of the defined packages", () => {
    const missing = [...protoMessages.keys()].filter((name) => {
      const pkg = name.split(".").slice(0, 3).join(".");
      return definedPackages.has(pkg) && !definedMessages().has(name);
    });
    expect(missing).toEqual([]);
  });
});
