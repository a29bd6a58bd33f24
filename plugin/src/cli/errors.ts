import { SfError } from '@salesforce/core';
import { CpqError } from '../core/errors.js';

/** A service error as the CLI shows it: its code as the error name, its field issues as data, exit code 1. */
export function cliError(error: unknown, actions: string[] = []): unknown {
  if (!(error instanceof CpqError)) return error;
  const sfError = new SfError(error.message, error.code, actions, 1, error);
  if (error.issues.length > 0) sfError.setData({ issues: error.issues });
  return sfError;
}

/** Finds a quote by its id or its number (Q-00042). */
export async function findQuote<T extends { id: string; number: string }>(
  byId: (id: string) => Promise<T | undefined>,
  search: (text: string) => Promise<T[]>,
  idOrNumber: string,
): Promise<T | undefined> {
  return (await byId(idOrNumber)) ?? (await search(idOrNumber)).find((q) => q.number === idOrNumber);
}
