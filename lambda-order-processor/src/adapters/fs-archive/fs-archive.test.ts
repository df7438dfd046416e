import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsArchive } from './fs-archive.js';

describe.each([
  { mode: 'asynchronous file calls', blocking: false },
  { mode: 'blocking file calls (delivery worker)', blocking: true },
])('FsArchive with $mode', ({ blocking }) => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'orderops-archive-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the document under its key as canonical JSON, creating folders, and overwrites on redelivery', async () => {
    const archive = new FsArchive(root, { blocking });
    await archive.put('APPROVED/2026-11-25/ORD-1.json', { v: 1, a: { z: 1, b: 2 } });
    await archive.put('APPROVED/2026-11-25/ORD-1.json', { v: 1, a: { z: 1, b: 2 } });
    const folder = path.join(root, 'APPROVED', '2026-11-25');
    expect(readdirSync(folder)).toEqual(['ORD-1.json']);
    expect(readFileSync(path.join(folder, 'ORD-1.json'), 'utf8')).toBe('{"a":{"b":2,"z":1},"v":1}');
  });

  it('refuses keys that would escape the archive folder', async () => {
    const archive = new FsArchive(root, { blocking });
    await expect(archive.put('../outside.json', {})).rejects.toThrow(/escapes the archive root/);
    await expect(archive.put('/etc/evil.json', {})).rejects.toThrow(/escapes the archive root/);
  });

  it('rejects (for the outbox to retry) when the folder cannot be created, and writes once it can', async () => {
    const archive = new FsArchive(root, { blocking });
    writeFileSync(path.join(root, 'APPROVED'), 'a file where the folder should be');
    await expect(archive.put('APPROVED/2026-11-25/ORD-2.json', { v: 2 })).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
    rmSync(path.join(root, 'APPROVED'));
    await archive.put('APPROVED/2026-11-25/ORD-2.json', { v: 2 });
    expect(readdirSync(path.join(root, 'APPROVED', '2026-11-25'))).toEqual(['ORD-2.json']);
  });
});
