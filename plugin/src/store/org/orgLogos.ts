import { NotFoundError } from '../../core/errors.js';
import { logoContentType } from '../../core/logo.js';
import type { AccountLogo, LogoStore } from '../logoPort.js';
import type { OrgApi } from './api.js';
import type { SfRow } from './mapping.js';
import { soql } from './soql.js';

/** The title of the File that is a reseller's logo: QuoteDocumentService.LOGO_TITLE, which the Visualforce page reads. */
export const LOGO_TITLE = 'Quote logo';

type LogoVersion = { id: string; documentId: string; createdDate: string; createdById: string | null };

const isoOf = (stamp: string): string => new Date(stamp.replace(/\+0000$/, 'Z')).toISOString();

/**
 * Reseller logos in an org (docs/DOCUMENT.md, "In an org"): a logo is a File (ContentDocument) titled "Quote logo"
 * linked to the reseller's Account, which QuoteDocumentService.logoDataUri reads: of the documents linked to the
 * account, the latest version titled LOGO_TITLE with the newest CreatedDate. This store picks the same one.
 *
 * Setting a logo uploads a new version of that document (ContentVersion with its ContentDocumentId), or, when the
 * account has none, a new File published to the account (FirstPublishLocationId links it). A new version rather
 * than a delete and a new File: one request, so a failed upload leaves the previous logo in place, the document
 * keeps its links and its earlier versions; and it is then the newest version, which is what the page prints. Any
 * other document titled "Quote logo" on the account (one added by hand, say) is deleted afterwards, so exactly one
 * is left; should that delete fail, the page still prints the new logo (the newest). Removing deletes every such
 * document (deleting a ContentDocument deletes its versions and links).
 */
export class OrgLogoStore implements LogoStore {
  public constructor(private readonly api: OrgApi) {}

  private async accountSfId(accountId: string): Promise<string> {
    const [row] = await this.api.query(soql`SELECT Id FROM Account WHERE External_Id__c = ${accountId} LIMIT 1`);
    if (!row) throw new NotFoundError('Account', accountId);
    return row.Id as string;
  }

  /** The account's documents titled LOGO_TITLE (their latest versions), newest first: the first is the logo. */
  private async versions(sfAccountId: string): Promise<LogoVersion[]> {
    const links = await this.api.query(
      soql`SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = ${sfAccountId}`,
    );
    const documents = [...new Set(links.map((l) => l.ContentDocumentId as string))];
    if (documents.length === 0) return [];
    const rows: SfRow[] = await this.api.queryIn(
      documents,
      (chunk) =>
        soql`SELECT Id, ContentDocumentId, CreatedDate, CreatedById FROM ContentVersion WHERE ContentDocumentId IN ${chunk} AND IsLatest = TRUE AND Title = ${LOGO_TITLE} ORDER BY CreatedDate DESC`,
    );
    return rows
      .map((r) => ({
        id: r.Id as string,
        documentId: r.ContentDocumentId as string,
        createdDate: r.CreatedDate as string,
        createdById: (r.CreatedById as string | null | undefined) ?? null,
      }))
      .sort((a, b) => isoOf(b.createdDate).localeCompare(isoOf(a.createdDate)));
  }

  /**
   * The logo the quote document prints, or undefined: none, or a File that is no PNG or JPEG (the page prints
   * none then either). updatedBy is the Salesforce user who uploaded it (CreatedById).
   */
  public async getLogo(accountId: string): Promise<AccountLogo | undefined> {
    const [latest] = await this.versions(await this.accountSfId(accountId));
    if (!latest) return undefined;
    const data = await this.api.blob('ContentVersion', latest.id, 'VersionData');
    const contentType = logoContentType(data);
    if (!contentType) return undefined;
    return { accountId, contentType, data, updatedBy: latest.createdById ?? '', updatedAt: isoOf(latest.createdDate) };
  }

  public async setLogo(logo: AccountLogo): Promise<void> {
    const sfAccountId = await this.accountSfId(logo.accountId);
    const [current, ...others] = await this.versions(sfAccountId);
    await this.api.insertOne('ContentVersion', {
      Title: LOGO_TITLE,
      PathOnClient: `quote-logo.${logo.contentType === 'image/png' ? 'png' : 'jpg'}`,
      VersionData: logo.data.toString('base64'),
      ...(current ? { ContentDocumentId: current.documentId } : { FirstPublishLocationId: sfAccountId }),
    });
    const stale = [...new Set(others.map((v) => v.documentId))].filter((id) => id !== current?.documentId);
    if (stale.length > 0) await this.api.delete(stale);
  }

  public async removeLogo(accountId: string): Promise<boolean> {
    const documents = [...new Set((await this.versions(await this.accountSfId(accountId))).map((v) => v.documentId))];
    if (documents.length === 0) return false;
    await this.api.delete(documents);
    return true;
  }
}
