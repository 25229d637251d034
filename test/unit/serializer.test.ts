import fc from 'fast-check';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { nullableAsTypeArray, serializerCompiler } from '../../src/http/serializer.ts';
import { DeveloperActionItem } from '../../src/modules/action-items/action-items.schema.ts';
import { DeveloperMemory } from '../../src/modules/memories/memories.schema.ts';

const serialize = (schema: unknown) =>
  serializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' } as never) as (data: unknown) => string;

describe('response serializer', () => {
  it('rewrites nullable scalars to type arrays and leaves other unions alone', () => {
    expect(nullableAsTypeArray({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], title: 'T' })).toEqual({
      type: ['string', 'null'],
      format: 'date-time',
      title: 'T',
    });
    const objectOrNull = { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] };
    expect(nullableAsTypeArray(objectOrNull)).toEqual(objectOrNull);
    const stringOrInteger = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(nullableAsTypeArray(stringOrInteger)).toEqual(stringOrInteger);
  });

  it('writes exactly what JSON.stringify writes for memories and action items, nulls included', () => {
    const memories = serialize(Type.Array(DeveloperMemory));
    const items = serialize(Type.Array(DeveloperActionItem));
    const date = fc.option(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.uuid(),
            content: fc.string(),
            category: fc.constantFrom('system', 'interesting'),
            visibility: fc.option(fc.constantFrom('public', 'private')),
            tags: fc.array(fc.string()),
            created_at: date,
            updated_at: date,
            manually_added: fc.boolean(),
            reviewed: fc.boolean(),
            user_review: fc.option(fc.boolean()),
            edited: fc.boolean(),
            scoring: fc.option(fc.string()),
          }),
        ),
        fc.array(
          fc.record({
            id: fc.string(),
            description: fc.string(),
            completed: fc.boolean(),
            created_at: date,
            updated_at: date,
            due_at: date,
            completed_at: date,
            conversation_id: fc.option(fc.string()),
          }),
        ),
        (memoryRows, itemRows) => {
          expect(JSON.parse(memories(memoryRows))).toEqual(memoryRows);
          expect(JSON.parse(items(itemRows))).toEqual(itemRows);
        },
      ),
    );
  });
});
