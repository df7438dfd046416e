import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsArchive } from './fs-archive.js';

describe('FsArchive', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'orderops-archive-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the document under its key, creating folders, and overwrites on redelivery', async () => {
    const archive = new FsArchive(root);
    await archive.put('APPROVED/2026-11-25/ORD-1.json', { v: 1 });
    await archive.put('APPROVED/2026-11-25/ORD-1.json', { v: 1 });
    const folder = path.join(root, 'APPROVED', '2026-11-25');
    expect(readdirSync(folder)).toEqual(['ORD-1.json']);
    expect(JSON.parse(readFileSync(path.join(folder, 'ORD-1.json'), 'utf8'))).toEqual({ v: 1 });
  });

  it('refuses keys that would escape the archive folder', async () => {
    const archive = new FsArchive(root);
    await expect(archive.put('../outside.json', {})).rejects.toThrow(/escapes the archive root/);
    await expect(archive.put('/etc/evil.json', {})).rejects.toThrow(/escapes the archive root/);
  });
});
