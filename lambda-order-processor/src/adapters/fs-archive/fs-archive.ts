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

/** The three file calls an archive write makes, as promises either way. */
interface FileCalls {
  mkdir(folder: string): Promise<unknown>;
  writeFile(file: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const THREAD_POOL_CALLS: FileCalls = {
  mkdir: (folder) => mkdir(folder, { recursive: true }),
  writeFile: (file, text) => writeFile(file, text),
  rename,
};

const BLOCKING_CALLS: FileCalls = {
  mkdir: async (folder) => mkdirSync(folder, { recursive: true }),
  writeFile: async (file, text) => writeFileSync(file, text),
  rename: async (from, to) => renameSync(from, to),
};

/**
 * Archive on the local file system: `<root>/<key>`. Writes go to a temporary file first and are
 * renamed into place, so a reader never sees half a document and a crash leaves no torn file.
 */
export class FsArchive implements Archive {
  private readonly root: string;
  private readonly files: FileCalls;
  private readonly createdFolders = new Set<string>();

  constructor(root: string, options: FsArchiveOptions = {}) {
    this.root = path.resolve(root);
    this.files = options.blocking ? BLOCKING_CALLS : THREAD_POOL_CALLS;
  }

  async put(key: string, document: unknown): Promise<void> {
    const target = path.resolve(this.root, key);
    if (!target.startsWith(this.root + path.sep)) throw new Error(`archive key escapes the archive root: ${key}`);
    const folder = path.dirname(target);
    if (!this.createdFolders.has(folder)) {
      await this.files.mkdir(folder);
      this.createdFolders.add(folder);
    }
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    // Sorted keys: the same order archives to the same bytes whichever path delivers it (SQLite outbox or DynamoDB stream).
    await this.files.writeFile(temporary, canonicalJson(document));
    await this.files.rename(temporary, target);
  }
}
