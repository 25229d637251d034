import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

/** The published Omi Developer API document, which responses are checked against. */
export const officialSpec = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../spec/omi-openapi.json', import.meta.url)), 'utf8'),
) as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'omi', components: officialSpec.components });

function responseSchema(operationId: string, status: string): unknown {
  for (const methods of Object.values(officialSpec.paths)) {
    for (const operation of Object.values(methods)) {
      if (operation.operationId !== operationId) continue;
      const schema = operation.responses[status]?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${operationId} has no JSON schema for ${status}`);
      return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"omi#/components/'));
    }
  }
  throw new Error(`operation ${operationId} is not in the published document`);
}

/** Asserts a body validates against the published schema of `operationId`'s response. */
export function expectSpecResponse(operationId: string, status: number, body: unknown): void {
  const validate = ajv.compile(responseSchema(operationId, String(status)) as object);
  const valid = validate(body);
  expect(valid ? [] : validate.errors).toEqual([]);
}

/** Asserts a body validates against a named component of the published document. */
export function expectSpecSchema(component: string, body: unknown): void {
  const validate = ajv.getSchema(`omi#/components/schemas/${component}`);
  if (!validate) throw new Error(`no component ${component}`);
  const valid = validate(body);
  expect(valid ? [] : validate.errors).toEqual([]);
}
