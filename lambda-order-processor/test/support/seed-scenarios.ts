import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The seed system's example orders (test-data/ at the repository root), with the outcome each must get. */
export const TEST_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-data');

export interface SeedScenario {
  file: string;
  expectedStatus: 'APPROVED' | 'REJECTED';
  body: Record<string, unknown>;
}

export function seedScenarios(): SeedScenario[] {
  const groups: Array<[string, SeedScenario['expectedStatus']]> = [
    ['positive-scenarios', 'APPROVED'],
    ['negative-scenarios', 'REJECTED'],
  ];
  return groups.flatMap(([folder, expectedStatus]) =>
    readdirSync(path.join(TEST_DATA_DIR, folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((file) => ({
        file,
        expectedStatus,
        body: JSON.parse(readFileSync(path.join(TEST_DATA_DIR, folder, file), 'utf8')) as Record<string, unknown>,
      })),
  );
}
