/** The checked-in wire types are what the schema compiles to (`make contract` regenerates both). */
import { eventTypes } from "../../scripts/events-types.mjs";
import checkedIn from "./events.ts?raw";
import schema from "./events.schema.json?raw";

test("events.ts is the schema compiled by json-schema-to-typescript", async () => {
  expect(checkedIn, "run `make contract`").toBe(await eventTypes(JSON.parse(schema)));
});
