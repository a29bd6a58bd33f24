import { InvalidInputError, NotFoundError, StateError } from '../core/errors.js';
import { logoContentType, logoProblem, type LogoContentType } from '../core/logo.js';
import type { Viewer } from '../core/records.js';
import type { CpqStore } from '../store/port.js';
import type { LogoStore } from '../store/logoPort.js';
import { requireRole } from './access.js';

/** What is answered about a logo: never the image itself. */
export type LogoInfo = { accountId: string; contentType: LogoContentType; bytes: number; updatedAt: string };

/**
 * A reseller's logo on its quote documents (docs/DOCUMENT.md): a reseller user sets or removes its own account's
 * logo, never another's (another account answers NOT_FOUND, as every record a partner may not reach); the vendor
 * admin may set any reseller's. The image is checked by its first bytes (PNG or JPEG) and its size.
 */
export class AccountLogoService {
  public constructor(
    private readonly store: CpqStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  private logos(): LogoStore {
    if (!this.store.logos) {
      throw new StateError(
        'this store keeps no logos: add the logo as a File titled "Quote logo" on the reseller\'s account',
        'UNSUPPORTED',
      );
    }
    return this.store.logos;
  }

  /** The reseller account whose logo the viewer may change: its own, or (the vendor admin) any reseller's. */
  private async account(viewer: Viewer, accountId: string | undefined): Promise<string> {
    requireRole(viewer, ['resellerUser', 'vendorAdmin'], "change a reseller's logo");
    const id = accountId ?? viewer.accountId;
    if (viewer.role === 'resellerUser' && id !== viewer.accountId) throw new NotFoundError('Account', id);
    const account = (await this.store.listAccounts()).find((a) => a.id === id);
    if (!account) throw new NotFoundError('Account', id);
    if (account.type !== 'reseller') {
      const message = `${account.name ?? id} is no reseller: only a reseller's quote documents carry a logo`;
      throw new InvalidInputError(`accountId: ${message}`, [{ path: 'accountId', message }]);
    }
    return id;
  }

  public async setLogo(viewer: Viewer, bytes: Uint8Array, accountId?: string): Promise<LogoInfo> {
    const id = await this.account(viewer, accountId);
    const problem = logoProblem(bytes);
    if (problem !== undefined) throw new InvalidInputError(`logo: ${problem}`, [{ path: 'logo', message: problem }]);
    const logo = {
      accountId: id,
      contentType: logoContentType(bytes)!,
      data: Buffer.from(bytes),
      updatedBy: viewer.userId,
      updatedAt: this.now(),
    };
    await this.logos().setLogo(logo);
    return { accountId: id, contentType: logo.contentType, bytes: logo.data.length, updatedAt: logo.updatedAt };
  }

  public async removeLogo(viewer: Viewer, accountId?: string): Promise<{ accountId: string; removed: boolean }> {
    const id = await this.account(viewer, accountId);
    return { accountId: id, removed: await this.logos().removeLogo(id) };
  }
}
