/** Groups by a key, keeping first-seen order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = out.get(k);
    if (group === undefined) out.set(k, (group = []));
    group.push(item);
  }
  return out;
}
