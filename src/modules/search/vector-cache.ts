import type { Hit, SearchKind, StoredVector } from './search.types.ts';

/** One user's vectors of one kind, packed row by row for a fast scan. */
export interface VectorMatrix {
  ids: string[];
  dims: number;
  data: Float32Array;
}

export function pack(vectors: readonly StoredVector[]): VectorMatrix {
  const dims = vectors[0]?.vector.length ?? 0;
  const rows = vectors.filter((v) => v.vector.length === dims);
  const data = new Float32Array(rows.length * dims);
  rows.forEach((v, i) => data.set(v.vector, i * dims));
  return { ids: rows.map((v) => v.id), dims, data };
}

/**
 * Brute-force nearest neighbours by dot product (vectors are unit length: cosine similarity),
 * keeping those at or above `minSimilarity`, best first. Keeps only the best `limit` while
 * scanning, so 100,000 rows cost one pass and no sort.
 */
export function nearest(query: Float32Array, matrix: VectorMatrix, limit: number, minSimilarity: number): Hit[] {
  const { ids, dims, data } = matrix;
  if (query.length !== dims || limit <= 0) return [];
  const top: Hit[] = [];
  let floor = minSimilarity;
  for (let row = 0, offset = 0; row < ids.length; row++, offset += dims) {
    const dot = dotAt(query, data, offset);
    if (dot < floor) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1]!.score < dot || (top[at - 1]!.score === dot && top[at - 1]!.id > ids[row]!))) at--;
    top.splice(at, 0, { id: ids[row]!, score: dot });
    if (top.length > limit) top.pop();
    if (top.length === limit) floor = Math.max(floor, top[limit - 1]!.score);
  }
  return top;
}

/** Dot product of `query` with the row starting at `offset`; four lanes run ~25% faster in V8. */
function dotAt(query: Float32Array, data: Float32Array, offset: number): number {
  const dims = query.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i + 3 < dims; i += 4) {
    a += query[i]! * data[offset + i]!;
    b += query[i + 1]! * data[offset + i + 1]!;
    c += query[i + 2]! * data[offset + i + 2]!;
    d += query[i + 3]! * data[offset + i + 3]!;
  }
  for (; i < dims; i++) a += query[i]! * data[offset + i]!;
  return a + b + c + d;
}

/**
 * Users' vectors kept in memory between searches, so a search scans floats instead of reading
 * every vector from the database. Each copy remembers the user's vector generation (bumped in
 * the database by every change, from any instance) and is reloaded when it moved. Bounded by
 * total size; the least recently used copies go first.
 */
export class VectorCache {
  private readonly entries = new Map<string, { generation: number; matrix: VectorMatrix }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  async get(
    userId: string,
    kind: SearchKind,
    model: string,
    generation: number,
    load: () => Promise<StoredVector[]>,
  ): Promise<VectorMatrix> {
    const key = `${userId}\0${kind}\0${model}`;
    const cached = this.entries.get(key);
    if (cached && cached.generation === generation) {
      // Re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.matrix;
    }
    const matrix = pack(await load());
    this.remove(key);
    const size = matrix.data.byteLength;
    if (size <= this.maxBytes) {
      while (this.bytes + size > this.maxBytes) this.remove(this.entries.keys().next().value!);
      this.entries.set(key, { generation, matrix });
      this.bytes += size;
    }
    return matrix;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.matrix.data.byteLength;
    this.entries.delete(key);
  }
}
