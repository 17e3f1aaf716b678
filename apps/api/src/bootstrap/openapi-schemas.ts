import * as contracts from '@correio/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** The shared contracts by schema object: a route's schema that is one of them becomes a $ref by its export name. */
const CONTRACT_NAMES = new Map<z.ZodType, string>(
  Object.entries(contracts).flatMap(([name, value]) => (value instanceof z.ZodType ? [[value, name] as [z.ZodType, string]] : [])),
);

/**
 * zod → JSON Schema 2020-12, the dialect of OpenAPI 3.1 (so `const`, type arrays and `null` are
 * valid as they are). `io: 'input'` for what clients send (defaults optional), 'output' for answers.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as JsonSchema;
  delete json.$schema;
  return json;
}

/**
 * The components.schemas section being built: named contracts are added once and referenced; a
 * contract used both as request and answer whose two forms differ gets an `…Input` twin.
 */
export class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {};

  ref(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const name = CONTRACT_NAMES.get(schema);
    if (!name) return toJsonSchema(schema, io);
    const json = toJsonSchema(schema, io);
    const existing = this.schemas[name];
    if (!existing || JSON.stringify(existing) === JSON.stringify(json)) {
      this.schemas[name] = json;
      return { $ref: `#/components/schemas/${name}` };
    }
    this.schemas[`${name}Input`] = json;
    return { $ref: `#/components/schemas/${name}Input` };
  }

  /**
   * Every shared contract not referenced yet, in its answer form: routes documented with
   * @nestjs/swagger's @ApiResponse refer to them by name (`#/components/schemas/<export name>`).
   */
  addRemainingContracts(): void {
    for (const [schema, name] of CONTRACT_NAMES) {
      if (this.schemas[name]) continue;
      try {
        this.schemas[name] = toJsonSchema(schema, 'output');
      } catch {
        /* not representable as JSON Schema (a transform without output type): left out */
      }
    }
  }
}
