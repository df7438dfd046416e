import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../domain/order/fingerprint.js';
import type { Archive } from '../../ports/archive.js';

export interface FsArchiveOptions {
  /**
   * Use blocking file calls: for a thread that does nothing but deliver events (the local server's
   * delivery worker). Each archived file is four calls (open, write, close, rename); asynchronous,
   * each is a round trip through libuv's thread pool, which cost more CPU than the calls themselves
   * (issue 6 profile: the pool's four threads used as much CPU per order as the delivery thread).
   */
  blocking?: boolean;
}

/**
 * Archive on the local file system: `<root>/<key>`. Writes go to a temporary file first and are
 * renamed into place, so a reader never sees half a document and a crash leaves no torn file.
 */
export class FsArchive implements Archive {
  private readonly root: string;
  private readonly blocking: boolean;
  private readonly createdFolders = new Set<string>();

  constructor(root: string, options: FsArchiveOptions = {}) {
    this.root = path.resolve(root);
    this.blocking = options.blocking ?? false;
  }

  async put(key: string, document: unknown): Promise<void> {
    const target = path.resolve(this.root, key);
    if (!target.startsWith(this.root + path.sep)) throw new Error(`archive key escapes the archive root: ${key}`);
    const folder = path.dirname(target);
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    // Sorted keys: the same order archives to the same bytes whichever path delivers it (SQLite outbox or DynamoDB stream).
    const bytes = canonicalJson(document);
    if (this.blocking) {
      if (!this.createdFolders.has(folder)) mkdirSync(folder, { recursive: true });
      this.createdFolders.add(folder);
      writeFileSync(temporary, bytes);
      renameSync(temporary, target);
      return;
    }
    if (!this.createdFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.createdFolders.add(folder);
    }
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  }
}
