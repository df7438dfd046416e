import type { Writable } from 'node:stream';

/**
 * Lines written to `stream` during one event-loop turn leave in one write, as a log agent's buffer
 * would take them. Every screened order logs two lines (its summary and its EMF metrics), and Node
 * writes stdout to a pipe or file synchronously on Linux: unbatched, that was two system calls per
 * order on the request thread (issue 6 profile: 5% of it under load). The stream is corked at the
 * first write of a turn and uncorked when the turn ends (setImmediate) or the process exits, so a
 * line waits at most one turn and nothing written is dropped on a normal exit.
 */
export function coalesceWritesPerTurn(stream: Writable): void {
  let corked = false;
  const flush = (): void => {
    if (!corked) return;
    corked = false;
    stream.uncork();
  };
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      stream.cork();
      setImmediate(flush);
    }
    return write(...args);
  }) as Writable['write'];
  process.once('exit', flush);
}
