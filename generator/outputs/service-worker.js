// The portal's service worker (generator/outputs/offline.py writes OFFLINE above this line). Its scope
// is the site's root, wherever the site is hosted.
//
// - Installing caches what every page loads (stylesheets, fonts, scripts, icons, the offline page),
//   reusing files of the previous version whose digest did not change; a browser that has searched
//   before also gets Pagefind's fixed files. A new build's worker takes over at once and deletes the
//   caches of older versions.
// - Pages: the network first; its answer is kept. Without a network (or no answer within
//   OFFLINE.network_timeout_ms) the kept copy; for a page never read, the offline page, listing the
//   pages that are kept. A page the site no longer has (404, 410) is forgotten.
// - Photos and Pagefind's files: the kept copy first (their names change with their content), else
//   the network, and kept. Pagefind's entry file is asked for with a changing ?ts= query: matched
//   without it, from the network first (it names the index's current chunks).
// - Kept pages, photos and search files together stay under OFFLINE.cap_bytes: photos are dropped
//   first, then search files, then pages, the longest kept first.
// - A preview's page (drafts) is never kept: a worker handed one caches nothing more, deletes its
//   caches and unregisters.
"use strict";

const ROOT = self.registration.scope;
const PREFIX = "guong-";
const ASSETS = PREFIX + "tai-nguyen-" + OFFLINE.version;
const SEARCH = PREFIX + "tim-kiem-" + OFFLINE.version;
// Pages and photos outlive versions: pages are refreshed from the network whenever they are read
// online, photo names carry their content's digest. The number changes only if what is kept changes.
const PAGES = PREFIX + "trang-1";
const PHOTOS = PREFIX + "anh-1";
const CURRENT = [ASSETS, SEARCH, PAGES, PHOTOS];
const EVICTION_ORDER = [PHOTOS, SEARCH, PAGES];
const BYTES = "X-Guong-Bytes";
const KEPT_AT = "X-Guong-Kept";
const TITLE = "X-Guong-Title";
const REVISION = "X-Guong-Revision";

const absolute = (path) => new URL(path, ROOT).href;
const precached = new Map(Object.entries(OFFLINE.precache).map(([path, rev]) => [absolute(path), rev]));
const searchFixed = new Map(Object.entries(OFFLINE.search).map(([path, rev]) => [absolute(path), rev]));
const SEARCH_ENTRY = absolute("pagefind/pagefind-entry.json");
const OFFLINE_PAGE = absolute(OFFLINE.offline_page);
let retired = false;
let usage = null;  // bytes kept in EVICTION_ORDER's caches, counted once per worker start
let queue = Promise.resolve();

function withoutQuery(url) {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

// A copy of `response` with its body read and the headers the worker keeps about it.
async function annotated(response, extra) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.set(BYTES, String(body.size));
  headers.set(KEPT_AT, String(Date.now()));
  Object.entries(extra || {}).forEach(([name, value]) => headers.set(name, value));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

// -- install and activate ------------------------------------------------------------------------
async function findKept(url, revision) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const hit = await (await caches.open(name)).match(url, { ignoreSearch: true });
    if (hit && hit.headers.get(REVISION) === revision) return hit;
  }
  return null;
}

async function install(url, revision, cacheName) {
  const cache = await caches.open(cacheName);
  let response = await findKept(url, revision);
  if (!response) {
    response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(url + ": " + response.status);
    response = await annotated(response, { [REVISION]: revision });
  }
  await cache.put(url, response);
}

async function hasSearched() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX + "tim-kiem-") && await (await caches.open(name)).match(absolute("pagefind/pagefind.js"))) {
      return true;
    }
  }
  return false;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const wanted = [...precached].map(([url, rev]) => [url, rev, ASSETS]);
    if (await hasSearched()) wanted.push(...[...searchFixed].map(([url, rev]) => [url, rev, SEARCH]));
    await Promise.all(wanted.map(([url, rev, name]) => install(url, rev, name)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && !CURRENT.includes(name)) await caches.delete(name);
    }
    usage = null;
    await self.clients.claim();
  })());
});

// -- keeping within the cap ------------------------------------------------------------------------

function serially(task) {
  queue = queue.then(task).catch(() => {});
  return queue;
}

async function entries(name) {
  const cache = await caches.open(name);
  const found = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue;
    found.push({ cache, request, bytes: Number(response.headers.get(BYTES) || 0),
                 keptAt: Number(response.headers.get(KEPT_AT) || 0) });
  }
  return found.sort((a, b) => a.keptAt - b.keptAt);
}

async function countUsage() {
  let total = 0;
  for (const name of EVICTION_ORDER) (await entries(name)).forEach((entry) => { total += entry.bytes; });
  return total;
}

async function evict() {
  for (const name of EVICTION_ORDER) {
    if (usage <= OFFLINE.cap_bytes) return;
    for (const entry of await entries(name)) {
      if (usage <= OFFLINE.cap_bytes) return;
      await entry.cache.delete(entry.request);
      usage -= entry.bytes;
    }
  }
}

// Keep `response` (already annotated) under `key` in `cacheName`, then drop the oldest entries if the
// cap is passed.
function keep(cacheName, key, response) {
  return serially(async () => {
    if (usage === null) usage = await countUsage();
    // A worker that saw a preview page keeps nothing, even after a restart (its caches are gone).
    if (retired || !(await caches.has(ASSETS))) return;
    const cache = await caches.open(cacheName);
    const previous = await cache.match(key);
    await cache.put(key, response);
    usage += Number(response.headers.get(BYTES) || 0) - (previous ? Number(previous.headers.get(BYTES) || 0) : 0);
    if (usage > OFFLINE.cap_bytes) await evict();
  });
}

function forget(cacheName, key) {
  return serially(async () => {
    const cache = await caches.open(cacheName);
    const previous = await cache.match(key);
    if (previous && await cache.delete(key) && usage !== null) usage -= Number(previous.headers.get(BYTES) || 0);
  });
}

async function retire() {
  retired = true;
  await self.registration.unregister();
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX)) await caches.delete(name);
  }
}

// -- pages ---------------------------------------------------------------------------------------
function isHtml(response) {
  return (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function keepPage(key, response) {
  if (response.status === 404 || response.status === 410) return forget(PAGES, key);
  if (!response.ok || response.type !== "basic" || !isHtml(response)) return;
  const text = await response.text();
  if (text.includes(OFFLINE.preview_marker)) return retire();
  let title = ((/<title>([^<]*)<\/title>/.exec(text) || [])[1] || "").trim();
  if (OFFLINE.title_suffix && title.endsWith(OFFLINE.title_suffix) && title !== OFFLINE.title_suffix) {
    title = title.slice(0, -OFFLINE.title_suffix.length);
  }
  const copy = new Response(text, { status: 200, headers: response.headers });
  return keep(PAGES, key, await annotated(copy, { [TITLE]: encodeURIComponent(title) }));
}

async function keptPage(key) {
  return (await caches.open(PAGES)).match(key);
}

const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
  .replace(/"/g, "&quot;");

async function offlinePage(url) {
  const template = await (await caches.open(ASSETS)).match(OFFLINE_PAGE);
  if (!template) return Response.error();
  const kept = await entries(PAGES);
  kept.reverse();  // the latest read first
  const items = await Promise.all(kept.map(async (entry) => {
    const response = await entry.cache.match(entry.request);
    // The title is the page's own <title> text, already escaped HTML, and holds no "<".
    const title = decodeURIComponent(response.headers.get(TITLE) || "") || escapeHtml(entry.request.url);
    return '<li><a href="' + escapeHtml(entry.request.url) + '">' + title + "</a></li>";
  }));
  const html = (await template.text())
    .replace("<!--guong:base-->", '<base href="' + escapeHtml(ROOT) + '">')
    .replace("<!--guong:dia-chi-->", '<a href="' + escapeHtml(url) + '">' + escapeHtml(url) + "</a>")
    .replace("<!--guong:thu-lai-->", '<a href="' + escapeHtml(url) + '">thử lại</a>')
    .replace("<!--guong:trang-->", items.join("\n") || "<li>Chưa có trang nào được lưu.</li>");
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function page(event) {
  const request = event.request;
  const key = withoutQuery(request.url);
  const network = fetch(request).then((response) => {
    event.waitUntil(keepPage(key, response.clone()).catch(() => {}));
    return response;
  });
  let slow = false;
  const timeout = new Promise((resolve) => setTimeout(() => { slow = true; resolve(null); }, OFFLINE.network_timeout_ms));
  const first = await Promise.race([network.catch(() => null), timeout]);
  if (first && first.status < 500) return first;
  const copy = await keptPage(key);
  if (copy) return copy;
  if (first) return first;  // a server error, and no copy to show instead
  if (slow) {
    const late = await network.catch(() => null);
    if (late) return late;
  }
  return offlinePage(request.url);
}

// -- photos and search files ---------------------------------------------------------------------
async function keptFirst(event, cacheName) {
  const request = event.request;
  const key = withoutQuery(request.url);
  const hit = await (await caches.open(cacheName)).match(key);
  if (hit) return hit;
  // Offline, this fails at once: the page (Pagefind, an image) sees a network error, not a wait.
  const response = await fetch(request);
  keepLater(event, cacheName, key, response);
  return response;
}

// Pagefind's fixed files keep their digest, so that the next version's install can reuse them.
function keepLater(event, cacheName, key, response) {
  if (!response.ok || response.type !== "basic") return;
  const rev = searchFixed.get(key);
  event.waitUntil(annotated(response.clone(), rev ? { [REVISION]: rev } : {}).then((copy) => keep(cacheName, key, copy)));
}

async function networkFirst(event, cacheName) {
  const request = event.request;
  const key = withoutQuery(request.url);
  try {
    const response = await fetch(request);
    keepLater(event, cacheName, key, response);
    return response;
  } catch (error) {
    const hit = await (await caches.open(cacheName)).match(key);
    if (hit) return hit;
    throw error;
  }
}

async function precachedFile(event) {
  const hit = await (await caches.open(ASSETS)).match(event.request, { ignoreSearch: true });
  return hit || fetch(event.request);
}

// What a page loaded before this worker controlled it (assets/guong.js sends it once the worker is
// ready): the page and its photos are kept as if read through the worker. Mostly from the HTTP cache.
async function keepLoaded(pageUrl, files) {
  if (typeof pageUrl === "string" && pageUrl.startsWith(ROOT) && !await keptPage(withoutQuery(pageUrl))) {
    await keepPage(withoutQuery(pageUrl), await fetch(pageUrl));
  }
  for (const url of Array.isArray(files) ? files : []) {
    if (typeof url !== "string" || !url.startsWith(ROOT + "anh/")) continue;
    const key = withoutQuery(url);
    if (await (await caches.open(PHOTOS)).match(key)) continue;
    const response = await fetch(url);
    if (response.ok && response.type === "basic") await keep(PHOTOS, key, await annotated(response));
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "guong-keep" && !retired) event.waitUntil(keepLoaded(data.page, data.files).catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || retired || !request.url.startsWith(ROOT)) return;
  const key = withoutQuery(request.url);
  const path = key.slice(ROOT.length);
  // Embed pages are shown inside other sites; feeds and the API are read by programs: the network's.
  if (path.startsWith("nhung/") || path.startsWith("api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (precached.has(key)) {
    event.respondWith(precachedFile(event));
  } else if (key === SEARCH_ENTRY) {
    event.respondWith(networkFirst(event, SEARCH));
  } else if (path.startsWith("pagefind/")) {
    event.respondWith(keptFirst(event, SEARCH));
  } else if (path.startsWith("anh/")) {
    event.respondWith(keptFirst(event, PHOTOS));
  }
});
