import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Static files of the portal (the built bundle, SLDS assets, static resources) from a folder: no path
 * escapes it, an ETag answers repeat visits with 304, and the caller says how long a file may be cached.
 */

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file `relative` names inside `root`, or undefined when it would leave the folder. */
export function insideRoot(root: string, relative: string): string | undefined {
  if (relative.includes('\0')) return undefined;
  const resolved = path.resolve(root, `.${path.posix.sep}${relative}`);
  return resolved.startsWith(root + path.sep) ? resolved : undefined;
}

export type CachePolicy = 'immutable' | 'revalidate' | 'hour';

const CACHE: Record<CachePolicy, string> = {
  // Content-hashed file names: a new build has new names.
  immutable: 'public, max-age=31536000, immutable',
  // Same name across builds: ask every time, 304 when unchanged.
  revalidate: 'no-cache',
  hour: 'public, max-age=3600',
};

/** Sends the file, or returns false when there is none (the caller answers 404). */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string | undefined,
  options: { cache: CachePolicy; contentType?: string },
): Promise<boolean> {
  if (file === undefined) return false;
  let info;
  try {
    info = await stat(file);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  void reply.header('etag', etag).header('cache-control', CACHE[options.cache]);
  if (request.headers['if-none-match'] === etag) {
    await reply.code(304).send();
    return true;
  }
  await reply
    .code(200)
    .type(options.contentType ?? contentTypeOf(file))
    .header('content-length', info.size)
    .send(createReadStream(file));
  return true;
}
