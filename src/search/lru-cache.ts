/** The value for `key` in `cache`, made when there is none, now the most recently used; the least recently used goes past `capacity`. */
export function remember<K, V>(cache: Map<K, V>, capacity: number, key: K, make: () => V): V {
  const value = cache.get(key) ?? make();
  cache.delete(key);
  if (capacity <= 0) return value;
  cache.set(key, value);
  if (cache.size > capacity) cache.delete(cache.keys().next().value as K);
  return value;
}
