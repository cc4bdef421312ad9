// The outbox: the app's one offline queue. Client writes kept in IndexedDB with the Idempotency-Key
// they were created with, replayed in order from whatever screen is open. A 5xx, 429 or no reply is
// not a delivery: the item stays and the pass stops (later writes may depend on it). A 2xx delivers;
// another 4xx is final and reported as failed. A write may carry attachments (photos, a signature):
// they are uploaded first, in the same replay, and their storage keys go into the write's body.
import { openDB } from '/vendor/idb/build/index.js';
import { api, ApiError, isRetryable } from './api.js';
import * as session from './session.js';
import { uploadBlob } from './upload.js';

const STORE = 'writes';
let dbPromise = null;

/** The database, opened on first use: importing the outbox opens nothing. */
function database() {
  dbPromise ||= openDB('coalhaul-outbox', 1, {
    upgrade(db) { db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true }); },
  }).catch((e) => { dbPromise = null; throw e; });
  return dbPromise;
}

/** 'change' {count}, 'delivered' {item, data, late}, 'failed' {item, error, late}; late = replayed from the queue. */
export const events = new EventTarget();
const emit = (type, detail) => events.dispatchEvent(new CustomEvent(type, { detail }));
const outcomes = new Map(); // seq -> settled result of the current page's own writes
const awaited = new Set(); // seqs whose enqueue() caller is still waiting (it reports them itself)
let pass = null;
let again = false;
let lastPassBlocked = false; // the last pass stopped at a write that could not be delivered

// A shared phone: writes are replayed only with the token of the user who made them.
const owner = () => session.user()?.id || null;

/** The signed-in user's queued writes, oldest first (for a "pending" list). */
export async function list() {
  const me = owner();
  return (await (await database()).getAll(STORE)).filter((item) => item.user_id === me);
}

export async function count() {
  return (await list()).length;
}

async function announceCount() {
  emit('change', { count: await count() });
}

/**
 * Upload the attachments not stored yet (progress is saved, so a retry never sends a file twice) and
 * return the body with their keys: an array field collects its files in order, another takes the key.
 */
async function withAttachments(db, item) {
  const body = { ...item.body };
  for (const file of item.attachments || []) {
    if (!file.stored_key) {
      file.stored_key = await uploadBlob(item.upload_path, file);
      file.blob = null; // stored: the phone need not keep the bytes
      await db.put(STORE, item);
    }
    body[file.field] = Array.isArray(body[file.field]) ? [...body[file.field], file.stored_key] : file.stored_key;
  }
  return body;
}

async function deliver(db, item) {
  try {
    const body = await withAttachments(db, item);
    // Counted before it goes: a send whose reply is lost (or a page closed mid-send) is a second send next time.
    item.sends = (item.sends || 0) + 1;
    await db.put(STORE, item);
    const data = await api.send(item.method, item.path, body, { idempotencyKey: item.key, attempt: item.sends });
    return { done: true, result: { queued: false, data } };
  } catch (error) {
    if (isRetryable(error)) return { done: false };
    return { done: true, result: { queued: false, error } };
  }
}

async function replay() {
  const db = await database();
  lastPassBlocked = false;
  for (const item of await list()) {
    const { done, result } = await deliver(db, item);
    if (!done) { lastPassBlocked = true; break; } // keep order: nothing after a write that has not landed
    await db.delete(STORE, item.seq);
    outcomes.set(item.seq, result);
    const late = !awaited.has(item.seq); // queued earlier: nobody on screen is waiting for it
    if (result.error) emit('failed', { item, error: result.error, late });
    else emit('delivered', { item, data: result.data, late });
    await announceCount();
  }
}

/**
 * Replay queued writes once (concurrent callers share the running pass). A trigger that arrives
 * during a pass (`online` while a 429 is still being read) runs one more pass after it, or it is lost.
 */
export function flush() {
  if (pass) { again = true; return pass; }
  pass = replay().finally(() => {
    pass = null;
    if (again) { again = false; flush(); }
  });
  return pass;
}

/**
 * Queue a write and try it now when online. Resolves {queued:false, data} when delivered,
 * {queued:true} when kept for later; rejects with ApiError when the server refused it (4xx).
 * `attachments` [{field, kind, blob}] are uploaded through `uploadPath` (see upload.js) before the write.
 */
export async function enqueue({ method, path, body = null, label = '', attachments = [], uploadPath = null }) {
  const item = { method, path, body, label, key: crypto.randomUUID(), created_at: Date.now(), user_id: owner(),
    attachments: attachments.map(({ field, kind, blob }) => ({ field, kind, blob, stored_key: null })),
    upload_path: uploadPath };
  item.seq = await (await database()).add(STORE, item);
  await announceCount();
  if (navigator.onLine) {
    awaited.add(item.seq);
    try {
      await flush();
      // A pass already running when our item was added did not see it: run one more.
      if (!outcomes.has(item.seq) && !lastPassBlocked) await flush();
    } finally {
      awaited.delete(item.seq);
    }
  }
  const result = outcomes.get(item.seq);
  outcomes.delete(item.seq);
  if (!result) return { queued: true };
  if (result.error) throw result.error;
  return result;
}

/** Subscribe to count changes; returns the unsubscribe function. */
export function onChange(fn) {
  const handler = (e) => fn(e.detail.count);
  events.addEventListener('change', handler);
  return () => events.removeEventListener('change', handler);
}

/** Replay on reconnect, when the app comes back to the foreground, and now (start-up). */
export function startAutoReplay() {
  window.addEventListener('online', () => flush());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') flush(); });
  return flush();
}

export { ApiError };
