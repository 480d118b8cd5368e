// For pages that embed Gương sáng Ia Pa (the district portal, commune and school sites): sizes every
// iframe showing one of this site's /nhung/ pages to the height that page reports, so it shows whole,
// without a scrollbar. Include it once, anywhere on the page:
//   <script src="https://…/nhung/nhung.js" async></script>
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) return;
  var home = new URL(".", script.src); // this site's /nhung/ folder, as the host page reaches it
  var flag = "guongSangNhung " + home.href;
  if (window[flag]) return; // two snippets on one page include the script twice
  window[flag] = true;

  function address(frame) {
    var src = frame.getAttribute("src");
    if (!src) return null;
    try { return new URL(src, document.baseURI); } catch (error) { return null; }
  }
  function managed() {
    var frames = document.getElementsByTagName("iframe"), found = [];
    for (var i = 0; i < frames.length; i++) {
      var url = address(frames[i]);
      if (url && url.origin === home.origin && url.pathname.indexOf(home.pathname) === 0) found.push(frames[i]);
    }
    return found;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "guong-sang:height" || typeof data.height !== "number" || !(data.height >= 0)) return;
    var frames = managed();
    for (var i = 0; i < frames.length; i++) {
      // Both checks: the origin says the message comes from this site, the source that it comes from this
      // very frame (and not from another frame of the same site, or a page that framed this one).
      if (event.origin === address(frames[i]).origin && event.source === frames[i].contentWindow) {
        frames[i].style.height = Math.min(Math.ceil(data.height), 100000) + "px";
        return;
      }
    }
  });

  // Frames that loaded before this script ran have reported to nobody: ask them again.
  function ask() {
    var frames = managed();
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow) frames[i].contentWindow.postMessage({ type: "guong-sang:ask-height" }, home.origin);
    }
  }
  ask();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ask);
})();
