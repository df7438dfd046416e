/**
 * What every bench writes into docs/performance.md: the machine it ran on, the "Measured … on … ;
 * command …" line, and its own marked section (`<!-- bench:<name>:start -->` … `<!-- bench:<name>:end -->`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOC = path.join(ROOT, 'docs/performance.md');

/** Cores, CPU model, memory and Node version of this machine. */
export function machineDescription() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The first line of a section: when (UTC, to the minute), on what machine, with which command. */
export function measuredLine(command, at = new Date()) {
  return `Measured ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineDescription()}; command \`${command}\``;
}

/** `section` between the start and end markers of `name` (each on its own line). */
export function markedSection(name, lines) {
  return [`<!-- bench:${name}:start -->`, ...lines, `<!-- bench:${name}:end -->`].join('\n');
}

/**
 * Replaces the marked section `name` of docs/performance.md (re-read right before writing; the other
 * benches' sections are left as they are), or appends it under `## heading` and `intro`. With
 * ownsHeading, the heading and intro already in the doc are replaced too (from the heading through
 * the end marker).
 */
export function writeSection(name, section, { heading, intro = null, ownsHeading = false }) {
  const doc = readFileSync(DOC, 'utf8');
  const block = [`## ${heading}`, ...(intro === null ? [] : [intro]), section].join('\n\n');
  const end = `<!-- bench:${name}:end -->`;
  const owned = ownsHeading
    ? new RegExp(`## ${escape(heading)}\\n[\\s\\S]*?${escape(end)}`)
    : new RegExp(`${escape(`<!-- bench:${name}:start -->`)}[\\s\\S]*${escape(end)}`);
  const replacement = ownsHeading ? block : section;
  writeFileSync(DOC, owned.test(doc) ? doc.replace(owned, () => replacement) : `${doc.trimEnd()}\n\n${block}\n`);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
