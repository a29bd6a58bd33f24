import type { z } from 'zod';
import { InvalidInputError, listIssues } from '../core/errors.js';
import { fromZodIssues } from '../core/validation.js';

/**
 * Parses a service's input with its zod schema, or throws InvalidInputError naming each bad field in the
 * words core uses everywhere (a missing field "is required", an unknown one "is not a known field here").
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fromZodIssues(result.error.issues, [], input).map((i) => ({ path: i.path, message: i.message, code: i.code }));
  throw new InvalidInputError(`${what}: ${listIssues(issues.map((i) => `${i.path || '(input)'}: ${i.message}`))}`, issues);
}
