/**
 * Errors every layer understands; the portal server maps them to HTTP statuses (400, 403, 404, 409) and
 * the CLI to exit codes. Messages are for partners: what is wrong and what to do.
 */

export type FieldIssue = { path: string; message: string; code?: string };

/**
 * How many issues an error reports: a message and an answer name the first 100 and count the rest, so a
 * request with thousands of bad lines gets a readable answer of bounded size (docs/CONTROLLERS.md, Limits).
 */
export const MAX_ISSUES_REPORTED = 100;

/** "a; b; c" of the first MAX_ISSUES_REPORTED texts, then "; and N more". */
export function listIssues(texts: readonly string[]): string {
  const shown = texts.slice(0, MAX_ISSUES_REPORTED).join('; ');
  return texts.length > MAX_ISSUES_REPORTED ? `${shown}; and ${texts.length - MAX_ISSUES_REPORTED} more` : shown;
}

export class CpqError extends Error {
  public constructor(
    message: string,
    public readonly status: 400 | 403 | 404 | 409 | 422,
    public readonly code: string,
    public readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: names the field. */
export class InvalidInputError extends CpqError {
  public constructor(message: string, issues: FieldIssue[] = []) {
    super(message, 400, 'INVALID_INPUT', issues);
  }
}

export class NotFoundError extends CpqError {
  public constructor(what: string, id: string) {
    super(`${what} ${id} does not exist or is not visible to you`, 404, 'NOT_FOUND');
  }
}

export class ForbiddenError extends CpqError {
  public constructor(message: string) {
    super(message, 403, 'FORBIDDEN');
  }
}

/** A save based on a version someone else already changed: never silently overwritten. */
export class ConflictError extends CpqError {
  public constructor(message: string) {
    super(message, 409, 'CONFLICT');
  }
}

/** The request is understood but the record's state forbids it (order a draft, exceed stock, ...). */
export class StateError extends CpqError {
  public constructor(message: string, code = 'INVALID_STATE', issues: FieldIssue[] = []) {
    super(message, 422, code, issues);
  }
}
