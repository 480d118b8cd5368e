// Print button on profile pages (Decree 42/2022/NĐ-CP: every article can be printed).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-guong-print]")) {
    window.print();
  }
});

// Offline reading (generator/outputs/offline.py): the service worker is registered once the page has
// loaded, so that it never competes with the page itself. A preview's pages (drafts) must never be
// cached: they remove the site's worker and caches instead.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var worker = document.querySelector('meta[name="guong-service-worker"]');
  window.addEventListener("load", function () {
    if (worker) {
      var first = !navigator.serviceWorker.controller;
      navigator.serviceWorker.register(worker.getAttribute("content")).catch(function () {});
      // A page loaded before the worker controlled it went past it: once it is ready, it is told what
      // the page loaded (the page itself, its photos), to keep them as it keeps everything read later.
      if (first) {
        navigator.serviceWorker.ready.then(function (registration) {
          var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; });
          registration.active.postMessage({ type: "guong-keep", page: window.location.href, files: files });
        });
      }
      return;
    }
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.filter(function (registration) {
        return window.location.href.indexOf(registration.scope) === 0;
      }).map(function (registration) { return registration.unregister(); }));
    }).then(function () {
      return window.caches ? caches.keys() : [];
    }).then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("guong-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () {
      document.documentElement.setAttribute("data-guong-khong-luu", "");
    }).catch(function () {});
  });
})();
