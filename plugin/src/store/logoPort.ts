import type { LogoContentType } from '../core/logo.js';

/** A reseller account's logo, printed on its quote documents (core/logo.ts, docs/DOCUMENT.md). */
export type AccountLogo = {
  accountId: string;
  contentType: LogoContentType;
  data: Buffer;
  updatedBy: string;
  updatedAt: string;
};

/** Logos per account. The services check who may change one and what an image is; the store keeps them. */
export interface LogoStore {
  getLogo(accountId: string): Promise<AccountLogo | undefined>;
  /** Replaces the account's logo (one per account). */
  setLogo(logo: AccountLogo): Promise<void>;
  /** True when there was one to remove. */
  removeLogo(accountId: string): Promise<boolean>;
}
