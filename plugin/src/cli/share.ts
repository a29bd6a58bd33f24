import type { Connection } from '@salesforce/core';

/**
 * `sf cpq share`: every record of the shared objects gets its partners' Channel_Party__c shares again,
 * through the org's own Apex (ChannelSharingRecalculation, one batch per object). Share rows with an Apex
 * sharing reason are Apex managed sharing, written by Apex (docs/ORG-SCHEMA.md, Sharing), so the CLI starts
 * the batches with anonymous Apex and follows them in AsyncApexJob until each has finished.
 */

export const SHARING_CLASS = 'ChannelSharingRecalculation';

export type ShareJob = {
  id: string;
  status: string;
  batchesDone: number;
  batches: number;
  errors: number;
  detail: string | null;
};
export type ShareRun = { jobs: ShareJob[]; failed: number };

const FINISHED = new Set(['Completed', 'Failed', 'Aborted']);
const OBJECTS = 5; // ChannelSharingRecalculation.SHARED_OBJECTS

type JobRow = {
  Id: string;
  Status: string;
  JobItemsProcessed: number;
  TotalJobItems: number;
  NumberOfErrors: number;
  ExtendedStatus: string | null;
};

export async function shareAll(
  connection: Connection,
  options: { pollMs?: number; timeoutMs?: number; onProgress?(done: number, total: number): void } = {},
): Promise<ShareRun> {
  const startedAt = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const run = await connection.tooling.executeAnonymous(`${SHARING_CLASS}.runAll();`);
  if (!run.compiled)
    throw new Error(
      `${SHARING_CLASS}.runAll() does not compile: ${run.compileProblem ?? 'unknown problem'} (is force-app deployed?)`,
    );
  if (!run.success) throw new Error(`${SHARING_CLASS}.runAll() failed: ${run.exceptionMessage ?? 'unknown error'}`);
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const rows = (
      await connection.query<JobRow>(
        `SELECT Id, Status, JobItemsProcessed, TotalJobItems, NumberOfErrors, ExtendedStatus FROM AsyncApexJob WHERE ApexClass.Name = '${SHARING_CLASS}' AND JobType = 'BatchApex' AND CreatedDate >= ${startedAt} ORDER BY CreatedDate`,
      )
    ).records;
    const jobs = rows.map((r): ShareJob => ({
      id: r.Id,
      status: r.Status,
      batchesDone: r.JobItemsProcessed,
      batches: r.TotalJobItems,
      errors: r.NumberOfErrors,
      detail: r.ExtendedStatus,
    }));
    options.onProgress?.(
      jobs.reduce((n, j) => n + j.batchesDone, 0),
      jobs.reduce((n, j) => n + j.batches, 0),
    );
    if (jobs.length >= OBJECTS && jobs.every((j) => FINISHED.has(j.status))) {
      return { jobs, failed: jobs.filter((j) => j.status !== 'Completed' || j.errors > 0).length };
    }
    if (Date.now() > deadline)
      throw new Error(
        `the sharing batches have not finished after ${Math.round((options.timeoutMs ?? 0) / 1000)} s: see Setup → Apex Jobs`,
      );
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}
