import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../domain/order/fingerprint.js';
import type { Archive } from '../../ports/archive.js';

/**
 * Archive on the local file system: `<root>/<key>`. Writes go to a temporary file first and are
 * renamed into place, so a reader never sees half a document and a crash leaves no torn file.
 */
export class FsArchive implements Archive {
  private readonly root: string;
  private readonly createdFolders = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, document: unknown): Promise<void> {
    const target = path.resolve(this.root, key);
    if (!target.startsWith(this.root + path.sep)) throw new Error(`archive key escapes the archive root: ${key}`);
    const folder = path.dirname(target);
    if (!this.createdFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.createdFolders.add(folder);
    }
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    // Sorted keys: the same order archives to the same bytes whichever path delivers it (SQLite outbox or DynamoDB stream).
    await writeFile(temporary, canonicalJson(document));
    await rename(temporary, target);
  }
}
