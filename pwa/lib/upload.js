// A file goes to storage through a presigned upload: ask the API for a grant, send the bytes where it says.
import { api, ApiError } from './api.js';

/**
 * Upload one blob; resolves to the storage key the API will accept in the write that follows.
 * `grantPath` answers {kind, content_type, size_bytes} with {method, url, headers, fields, key}
 * (S3 presigned POST or PUT, or the local stand-in). Failures are ApiErrors: no reply is status 0.
 */
export async function uploadBlob(grantPath, { kind, blob }) {
  const type = blob.type || 'image/jpeg';
  // A fresh key per grant: a grant expires, so a retry must not be answered with the first one again.
  const grant = await api.send('POST', grantPath, { kind, content_type: type, size_bytes: blob.size });
  const init = { method: grant.method, headers: grant.headers, body: blob };
  if (grant.method === 'POST') { // S3 presigned POST: a form with the policy fields, then the file
    const form = new FormData();
    Object.entries(grant.fields || {}).forEach(([k, v]) => form.append(k, v));
    form.append('file', blob);
    init.body = form; init.headers = {};
  }
  let reply;
  try {
    reply = await fetch(grant.url, init);
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network_error', message: e.message });
  }
  if (!reply.ok) throw new ApiError({ status: reply.status, code: 'upload_failed', message: `upload ${reply.status}` });
  return grant.key;
}
