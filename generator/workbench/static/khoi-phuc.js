// Restoring what was typed but not saved. Decap keeps the form in the browser (IndexedDB, keys
// "backup.<collection>[.<slug>]") and, when the profile is opened again, offers it back as soon as it has
// read that copy. It reads the copy and the saved profile at the same time; when the copy comes first (it
// nearly always does), the saved profile arrives after the editor said "restore" and replaces the restored
// form (decap-cms #5470, #6989). So a read of a copy waits here until the form shows the saved profile:
// soan.js calls formShown() when its preview pane mounts, which Decap does only once the form is drawn.
(function () {
  "use strict";
  var BACKUP = /^backup\./;
  var FALLBACK_MS = 10000;  // a preview pane the editor has hidden never mounts; offer the copy anyway
  var shown = false, waiting = [];

  function release() {
    var ready = waiting;
    waiting = [];
    ready.forEach(function (read) { read(); });
  }

  window.GUONG_KHOI_PHUC = {
    formShown: function () { shown = true; setTimeout(release, 0); },
    formGone: function () { shown = false; },
  };

  var get = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (key) {
    if (shown || typeof key !== "string" || !BACKUP.test(key)) return get.apply(this, arguments);
    // The transaction this store belongs to ends while the read waits, so the read is made later in a
    // transaction of its own; the caller (localforage) sees a request that succeeds then.
    var db = this.transaction.db, name = this.name;
    var pending = { result: undefined, error: null, onsuccess: null, onerror: null, readyState: "pending" };
    var done = false;
    function read() {
      if (done) return;
      done = true;
      var request = get.call(db.transaction(name, "readonly").objectStore(name), key);
      request.onsuccess = function () {
        pending.result = request.result;
        pending.readyState = "done";
        if (pending.onsuccess) pending.onsuccess({ target: pending });
      };
      request.onerror = function (event) {
        pending.error = request.error;
        pending.readyState = "done";
        if (pending.onerror) pending.onerror(event);
      };
    }
    waiting.push(read);
    setTimeout(read, FALLBACK_MS);
    return pending;
  };
})();
