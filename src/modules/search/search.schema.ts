import { Type } from 'typebox';
import { Nullable } from '../../http/schema.ts';

/** The `q` parameter the list routes add to the published API: search within the list. */
export const SearchParam = (what: string) =>
  Type.Optional(
    Nullable(Type.String({ maxLength: 500 }), {
      title: 'Q',
      description:
        `Extension to the Omi Developer API (not in the published document): search words. When given, only matching ${what} ` +
        'are returned, most relevant first (keyword index, fused with vector search when embeddings are configured); ' +
        'the other filters and paging still apply. A value without letters or digits is ignored.',
    }),
  );
