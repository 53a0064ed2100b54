// The wire events' TypeScript types, compiled from their JSON Schema (which `make contract`
// generates from contract/events.py). `node scripts/events-types.mjs` writes src/generated/events.ts;
// src/generated/events.test.ts fails when the checked-in file differs from what this compiles.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const BANNER = "/* Generated from events.schema.json (contract/events.py) by `make contract`: do not edit. */";

/** Property titles (pydantic's "Tool Call Id") would each become a type alias; the event titles stay. */
function withoutPropertyTitles(schema) {
  if (Array.isArray(schema)) return schema.map(withoutPropertyTitles);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withoutPropertyTitles(value)]));
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, { title: _title, ...property }]) => [name, property]),
    );
  }
  return copy;
}

/** The TypeScript source for `schema` (the parsed events.schema.json). */
export function eventTypes(schema) {
  return compile(withoutPropertyTitles(schema), "Events", {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: true,
    unknownAny: true,
    // One line per union, as wide as it takes: the members are listed once, in contract/events.py.
    style: { printWidth: 200 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = new URL("../src/generated/", import.meta.url);
  const schema = JSON.parse(readFileSync(new URL("events.schema.json", generated), "utf8"));
  writeFileSync(new URL("events.ts", generated), await eventTypes(schema));
}
