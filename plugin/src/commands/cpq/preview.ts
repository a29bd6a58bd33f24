import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { startPortalServer } from '../../preview/server.js';
import { defaultDatabasePath } from '../../store/sqlite/sqliteStore.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.preview');

export type CpqPreviewResult = { url: string; port: number; database: string };

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Resolves on the first SIGINT or SIGTERM. SfCommand's own handlers exit at once; they are set aside while
 * the server runs so that it can close (finish requests, close the database), and put back at the first
 * signal, so a second Ctrl+C during the close still exits at once.
 */
function untilInterrupted(): Promise<void> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const setAside = signals.map((signal) => ({ signal, listeners: process.listeners(signal) }));
  for (const { signal, listeners } of setAside) for (const l of listeners) process.off(signal, l);
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const signal of signals) process.off(signal, stop);
      for (const { signal, listeners } of setAside) for (const l of listeners) process.on(signal, l);
      resolve();
    };
    for (const signal of signals) process.on(signal, stop);
  });
}

export default class CpqPreview extends SfCommand<CpqPreviewResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    port: Flags.integer({
      char: 'p',
      summary: messages.getMessage('flags.port.summary'),
      env: 'PORT',
      min: 0,
      max: 65535,
      default: 3000,
    }),
    db: Flags.string({
      summary: messages.getMessage('flags.db.summary'),
    }),
    today: Flags.string({
      summary: messages.getMessage('flags.today.summary'),
    }),
    workers: Flags.integer({
      summary: messages.getMessage('flags.workers.summary'),
      env: 'CPQ_WORKERS',
      min: 0,
      max: 16,
      default: 1,
    }),
  };

  public async run(): Promise<CpqPreviewResult> {
    const { flags } = await this.parse(CpqPreview);
    const today = flags.today;
    if (today !== undefined && !isCalendarDate(today)) {
      throw new SfError(messages.getMessage('error.InvalidToday', [today]), 'InvalidToday', [], 1);
    }
    const database = flags.db ?? defaultDatabasePath();
    const server = await startPortalServer({
      dbFile: database,
      port: flags.port,
      today: today === undefined ? undefined : (): string => today,
      log: (line) => this.log(line),
      workers: flags.workers,
    });
    this.log(messages.getMessage('info.listening', [server.url, database]));
    await untilInterrupted();
    this.log(messages.getMessage('info.stopping'));
    await server.close();
    return { url: server.url, port: server.port, database };
  }
}
