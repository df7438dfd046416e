import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { coalesceWritesPerTurn } from './coalesced-writes.js';

/** A stream that records each write that reaches its sink: one entry per system call it would make. */
function recordingStream(): { stream: Writable; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
  });
  return { stream, writes };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWritesPerTurn', () => {
  it('hands the lines written during one event-loop turn to the sink in one write, in order', async () => {
    const { stream, writes } = recordingStream();
    coalesceWritesPerTurn(stream);
    stream.write('a\n');
    stream.write('b\n');
    stream.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['a\n', 'b\n', 'c\n']]);
  });

  it('starts a new write for the next turn', async () => {
    const { stream, writes } = recordingStream();
    coalesceWritesPerTurn(stream);
    stream.write('first\n');
    await nextTurn();
    stream.write('second\n');
    stream.write('third\n');
    await nextTurn();
    expect(writes).toEqual([['first\n'], ['second\n', 'third\n']]);
  });

  it('writes what is still held when the process exits in the same turn', () => {
    // The built module (npm test builds before jest), in a process that exits right after writing.
    const built = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/local/coalesced-writes.js')).href;
    const script = `const { coalesceWritesPerTurn } = await import(${JSON.stringify(built)});
coalesceWritesPerTurn(process.stdout);
for (let line = 1; line <= 3; line += 1) console.log('line ' + line);
process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('line 1\nline 2\nline 3\n');
  });
});
