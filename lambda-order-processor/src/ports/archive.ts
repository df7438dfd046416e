/** Stores a JSON document under a deterministic key; writing the same key twice is harmless. */
export interface Archive {
  put(key: string, document: unknown): Promise<void>;
}
