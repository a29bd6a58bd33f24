import type { Connection } from '@salesforce/core';
import type { SfRow } from './mapping.js';

/**
 * Every HTTP request the org adapter makes goes through here: one place that counts API calls, pages
 * query results (query + queryMore via nextRecordsUrl) and turns Salesforce's per-record errors into
 * exceptions. Batching limits are Salesforce's: 200 records per sObject Collections call, 25 subrequests
 * per composite request of which at most 5 are sObject Collections or queries, 500 nodes (and 75 graphs)
 * per composite graph request.
 */

export const COLLECTION_SIZE = 200;
export const COMPOSITE_SIZE = 25;
/** Of a composite request's subrequests, at most this many may be sObject Collections or queries. */
export const COMPOSITE_COLLECTIONS_OR_QUERIES = 5;
export const GRAPH_NODES = 500;
export const GRAPH_COUNT = 75;
/** Above this many records of one object, upsertReferenceData loads them with a Bulk API 2.0 job. */
export const BULK_THRESHOLD = 2000;
/** Characters of IN (...) list per query once URL-encoded: keeps a query URL well under the 16 KB URI limit. */
export const IN_LIST_CHARS = 12000;

export type SfError = { statusCode?: string; errorCode?: string; message: string; fields?: string[]; referenceId?: string };

/** A write Salesforce refused; `errors` are its per-record or per-subrequest errors. */
export class OrgWriteError extends Error {
  public constructor(
    message: string,
    public readonly errors: SfError[],
  ) {
    super(message);
    this.name = 'OrgWriteError';
  }
  public has(code: string): boolean {
    return this.errors.some((e) => (e.errorCode ?? e.statusCode) === code);
  }
}

/** A write too large for one all-or-nothing org request: nothing was sent. */
export class OrgLimitError extends RangeError {
  public readonly code = 'TOO_LARGE_FOR_ONE_TRANSACTION';
  public constructor(message: string) {
    super(message);
    this.name = 'OrgLimitError';
  }
}

export type Subrequest = { method: string; url: string; referenceId: string; body?: unknown };
export type SubResponse = { body: unknown; httpStatusCode: number; referenceId: string };
export type GraphResult = { graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: SubResponse[] } };

type QueryPage = { done: boolean; nextRecordsUrl?: string; records: SfRow[]; totalSize: number };
type SaveResult = { id?: string; success: boolean; created?: boolean; errors: SfError[] };

const describe = (errors: SfError[]): string =>
  errors
    .map((e) => `${e.errorCode ?? e.statusCode ?? 'ERROR'}: ${e.message}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`)
    .join('; ');

/** Removes the `attributes` Salesforce adds to every record, at every level. */
function clean(row: SfRow): SfRow {
  const out: SfRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'attributes') continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? clean(v as SfRow) : v;
  }
  return out;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class OrgApi {
  private calls = 0;
  public readonly base: string;

  public constructor(
    private readonly connection: Connection,
    private readonly progress?: (event: { phase: string; done: number; total: number }) => void,
  ) {
    this.base = `/services/data/v${connection.getApiVersion()}`;
  }

  public apiCalls(): number {
    return this.calls;
  }

  public report(phase: string, done: number, total: number): void {
    this.progress?.({ phase, done, total });
  }

  public async request<T>(method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    this.calls++;
    const request = {
      method: method as 'GET',
      url,
      headers: { 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    return await this.connection.request(request);
  }

  /** All rows of a query: the first page, then queryMore through nextRecordsUrl until done. */
  public async query(soql: string): Promise<SfRow[]> {
    let page = await this.request<QueryPage>('GET', `${this.base}/query?q=${encodeURIComponent(soql)}`);
    const rows = page.records.map(clean);
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request<QueryPage>('GET', page.nextRecordsUrl);
      rows.push(...page.records.map(clean));
    }
    return rows;
  }

  /** One query per chunk of keys (long IN lists, cut by encoded length), rows concatenated. */
  public async queryIn(keys: readonly string[], build: (chunk: string[]) => string): Promise<SfRow[]> {
    const rows: SfRow[] = [];
    let chunk: string[] = [];
    let size = 0;
    for (const key of new Set(keys)) {
      const cost = encodeURIComponent(`'${key}', `).length + 4;
      if (chunk.length > 0 && size + cost > IN_LIST_CHARS) {
        rows.push(...(await this.query(build(chunk))));
        chunk = [];
        size = 0;
      }
      chunk.push(key);
      size += cost;
    }
    if (chunk.length > 0) rows.push(...(await this.query(build(chunk))));
    return rows;
  }

  private check(results: SaveResult[], what: string): SaveResult[] {
    const failed = results.filter((r) => !r.success);
    if (failed.length > 0) {
      const errors = failed.flatMap((r) => r.errors).filter((e) => e.errorCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
      throw new OrgWriteError(`${what} failed: ${describe(errors.length ? errors : failed.flatMap((r) => r.errors))}`, errors);
    }
    return results;
  }

  /** Upserts by External_Id__c, 200 records per call, each call all or nothing. */
  public async upsert(type: string, records: readonly SfRow[], phase = type): Promise<void> {
    let done = 0;
    for (const chunk of chunks(records, COLLECTION_SIZE)) {
      const results = await this.request<SaveResult[]>('PATCH', `${this.base}/composite/sobjects/${type}/External_Id__c`, {
        allOrNone: true,
        records: chunk.map((r) => ({ attributes: { type }, ...r })),
      });
      this.check(results, `upserting ${type}`);
      this.report(phase, (done += chunk.length), records.length);
    }
  }

  /**
   * Creates one record through the sObject Basic Information resource (POST /sobjects/TYPE): the resource a blob
   * field (a ContentVersion's VersionData, base64 in the JSON body) is written through. Returns the new id.
   */
  public async insertOne(type: string, record: SfRow): Promise<string> {
    let result: SaveResult;
    try {
      result = await this.request<SaveResult>('POST', `${this.base}/sobjects/${type}`, record);
    } catch (error) {
      const e = error as { errorCode?: string; name?: string; message: string };
      const errors: SfError[] = [{ errorCode: e.errorCode ?? e.name ?? 'ERROR', message: e.message }];
      throw new OrgWriteError(`inserting ${type} failed: ${describe(errors)}`, errors);
    }
    this.check([result], `inserting ${type}`);
    return result.id!;
  }

  /**
   * The bytes of a blob field (sObject Blob Retrieve: GET /sobjects/TYPE/ID/FIELD), read from jsforce's raw response
   * stream: the parsed body is text, in which bytes that are no UTF-8 do not survive.
   */
  public async blob(type: string, id: string, field: string): Promise<Buffer> {
    this.calls++;
    const response = this.connection.request(`${this.base}/sobjects/${type}/${id}/${field}`) as Promise<unknown> & {
      stream?: () => NodeJS.ReadableStream;
    };
    if (typeof response.stream !== 'function') throw new Error(`reading ${type}.${field}: the connection answers no stream`);
    const parsed = response.then(
      () => undefined,
      (error: unknown) => error,
    );
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of response.stream()) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } catch (error) {
      throw (await parsed) ?? error;
    }
    const failed = await parsed;
    if (failed) throw failed instanceof Error ? failed : new Error(`reading ${type}.${field}: ${JSON.stringify(failed)}`);
    return Buffer.concat(chunks);
  }

  /** Deletes by Salesforce id, 200 per call, all or nothing per call. */
  public async delete(ids: readonly string[]): Promise<void> {
    for (const chunk of chunks(ids, COLLECTION_SIZE)) {
      const results = await this.request<SaveResult[]>(
        'DELETE',
        `${this.base}/composite/sobjects?ids=${chunk.map(encodeURIComponent).join(',')}&allOrNone=true`,
      );
      this.check(results, 'deleting');
    }
  }

  /** One composite request, all or nothing: on any failure nothing of it is written and OrgWriteError says why. */
  public async composite(subrequests: Subrequest[]): Promise<SubResponse[]> {
    const heavy = subrequests.filter((s) => s.url.startsWith('/composite/sobjects') || s.url.startsWith('/query')).length;
    if (subrequests.length > COMPOSITE_SIZE || heavy > COMPOSITE_COLLECTIONS_OR_QUERIES) {
      throw new OrgLimitError(
        `one org transaction (a composite request) takes at most ${COMPOSITE_SIZE} subrequests, of which at most ${COMPOSITE_COLLECTIONS_OR_QUERIES} sObject Collections (200 records each) or queries; this write needs ${subrequests.length}, ${heavy} of them collections or queries`,
      );
    }
    const { compositeResponse } = await this.request<{ compositeResponse: SubResponse[] }>('POST', `${this.base}/composite`, {
      allOrNone: true,
      compositeRequest: subrequests.map((s) => ({ ...s, url: `${this.base}${s.url}` })),
    });
    const errors: SfError[] = compositeResponse
      .filter((r) => r.httpStatusCode >= 400)
      .flatMap((r) =>
        (Array.isArray(r.body) ? (r.body as SfError[]) : [r.body as SfError]).map((e) => ({ ...e, referenceId: r.referenceId })),
      )
      .filter((e) => e.errorCode !== 'PROCESSING_HALTED');
    // A collection subrequest answers 200 with per-record results.
    for (const r of compositeResponse) {
      if (r.httpStatusCode < 400 && Array.isArray(r.body)) {
        for (const x of r.body as SaveResult[]) if (x.success === false) errors.push(...x.errors);
      }
    }
    if (errors.length > 0 || compositeResponse.some((r) => r.httpStatusCode >= 400)) {
      throw new OrgWriteError(`the change was not saved: ${describe(errors)}`, errors);
    }
    return compositeResponse;
  }

  /** Composite graph: each graph is its own transaction (all or nothing per graph). */
  public async graph(graphs: { graphId: string; compositeRequest: Subrequest[] }[]): Promise<GraphResult[]> {
    const body = {
      graphs: graphs.map((g) => ({
        graphId: g.graphId,
        compositeRequest: g.compositeRequest.map((s) => ({ ...s, url: `${this.base}${s.url}` })),
      })),
    };
    return (await this.request<{ graphs: GraphResult[] }>('POST', `${this.base}/composite/graph`, body)).graphs;
  }

  /**
   * Upserts many records with one Bulk API 2.0 ingest job (create, upload CSV, close, poll, results):
   * about five calls whatever the size, against 1 call per 200 records with sObject Collections. Not
   * atomic: a failed record does not roll the others back, so the job's failures are raised after it ran
   * (an upsert by external id can simply be run again).
   */
  public async bulkUpsert(type: string, records: readonly SfRow[], phase = type): Promise<void> {
    const job = await this.request<{ id: string }>('POST', `${this.base}/jobs/ingest`, {
      object: type,
      externalIdFieldName: 'External_Id__c',
      contentType: 'CSV',
      operation: 'upsert',
      lineEnding: 'LF',
    });
    await this.request('PUT', `${this.base}/jobs/ingest/${job.id}/batches`, toCsv(records), 'text/csv');
    await this.request('PATCH', `${this.base}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    let wait = 250;
    for (;;) {
      const info = await this.request<{
        state: string;
        numberRecordsProcessed?: number;
        numberRecordsFailed?: number;
        errorMessage?: string;
      }>('GET', `${this.base}/jobs/ingest/${job.id}`);
      this.report(phase, info.numberRecordsProcessed ?? 0, records.length);
      if (info.state === 'JobComplete') {
        if ((info.numberRecordsFailed ?? 0) > 0) {
          const failed = await this.request<string>('GET', `${this.base}/jobs/ingest/${job.id}/failedResults`);
          const lines = String(failed).split('\n').filter(Boolean);
          throw new OrgWriteError(
            `bulk upsert of ${type}: ${info.numberRecordsFailed} records failed: ${lines.slice(1, 4).join(' | ')}`,
            [],
          );
        }
        return;
      }
      if (info.state === 'Failed' || info.state === 'Aborted') {
        throw new OrgWriteError(`bulk upsert of ${type} ${info.state.toLowerCase()}: ${info.errorMessage ?? ''}`, []);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 5000);
    }
  }
}

/** Records as Bulk API 2.0 CSV: relationship references as `Rel__r.External_Id__c` columns, null as #N/A. */
export function toCsv(records: readonly SfRow[]): string {
  const flat = records.map((r) => {
    const row: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v && typeof v === 'object') row[`${k}.External_Id__c`] = String((v as { External_Id__c: string }).External_Id__c);
      else row[k] = v === null || v === undefined ? '#N/A' : (v as string | number | boolean).toString();
    }
    return row;
  });
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | undefined): string => (v === undefined ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.join(','), ...flat.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
