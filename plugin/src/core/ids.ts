import { v7 } from 'uuid';

/**
 * Record ids: UUID version 7, which start with the time. Stored as primary keys they keep inserts at
 * the end of the index instead of all over it, which is what keeps bulk renewal generation fast.
 */
export function newId(): string {
  return v7();
}
