/**
 * A reseller's logo on its quote documents (docs/DOCUMENT.md): a PNG or a JPEG, told by its first bytes (its
 * "magic bytes", never by a file name or a declared type), of at most LOGO_MAX_BYTES. In an org the Apex
 * QuoteDocumentService applies the same rules to the File titled "Quote logo" on the reseller's account.
 */

/** The largest logo accepted (bytes): a logo is printed at most 50 x 18 mm; 256 KB is plenty for that. */
export const LOGO_MAX_BYTES = 262_144;

export type LogoContentType = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** The image type the bytes begin with, or undefined when they are neither a PNG nor a JPEG. */
export function logoContentType(bytes: Uint8Array): LogoContentType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

/** Why these bytes cannot be a logo (a sentence naming the rule), or undefined when they can. */
export function logoProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'the file is empty';
  if (bytes.length > LOGO_MAX_BYTES) {
    return `the file has ${bytes.length.toLocaleString('en-US')} bytes: a logo may have at most ${LOGO_MAX_BYTES.toLocaleString('en-US')} (256 KB)`;
  }
  if (logoContentType(bytes) === undefined) return 'the file is not a PNG or JPEG image (by its first bytes)';
  return undefined;
}

/** A logo as the quote document takes it: a data: URL (the document never fetches anything). */
export function logoDataUrl(contentType: LogoContentType, bytes: Uint8Array): string {
  return `data:${contentType};base64,${Buffer.from(bytes).toString('base64')}`;
}
