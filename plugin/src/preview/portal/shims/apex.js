/**
 * The runtime behind every `@salesforce/apex/Class.method` import in the local portal (the build turns each
 * import into `(params) => callApex('Class', 'method', params)`): a same-origin JSON POST to
 * /apex/Class/method. It resolves with the result and rejects the way components expect from c/cpqUtils
 * parseError: `{ status, body: { code, message, issues } }`.
 */
export async function callApex(className, methodName, params) {
  let response;
  try {
    response = await fetch(`/apex/${className}/${methodName}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(params ?? {}),
    });
  } catch {
    throw failure(0, 'NETWORK', 'The portal server could not be reached. Check that it is running and try again.');
  }
  let payload;
  try {
    const text = await response.text();
    payload = text === '' ? null : JSON.parse(text);
  } catch {
    throw failure(response.status, 'BAD_RESPONSE', `The server answered ${response.status} without JSON.`);
  }
  if (response.ok) return payload;
  const error = payload && payload.error ? payload.error : {};
  throw failure(
    response.status,
    error.code ?? 'UNKNOWN',
    error.message ?? `The server answered ${response.status}.`,
    error.issues,
  );
}

function failure(status, code, message, issues) {
  return { status, body: { code, message, issues: Array.isArray(issues) ? issues : [] } };
}
