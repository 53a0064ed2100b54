/** The TypeScript source compiled from the parsed events.schema.json. */
export declare function eventTypes(schema: unknown): Promise<string>;
