import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { replayVector, type VectorOutcome } from './vector.js';

export type VectorFileOutcome = VectorOutcome & { file: string };

/** The vector files named: each argument is a file or a folder of *.json files (not recursive). */
export async function listVectorFiles(targets: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const target of targets) {
    if ((await stat(target)).isDirectory()) {
      const names = (await readdir(target)).filter((n) => n.endsWith('.json')).sort();
      files.push(...names.map((n) => path.join(target, n)));
    } else {
      files.push(target);
    }
  }
  return files;
}

export async function replayVectorFile(file: string): Promise<VectorFileOutcome> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { file, ok: false, failures: [`not valid JSON: ${(error as Error).message}`] };
  }
  return { file, ...replayVector(document) };
}
