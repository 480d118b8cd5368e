// Runs inside an embed page (/nhung/…). Tells the page that frames it how tall this document is, so that
// nhung.js there can size the iframe to it (no inner scrollbar), and applies ?n= to list embeds.
(function () {
  "use strict";
  var root = document.documentElement;

  // ?n= on the iframe's address: how many cards a list shows. The page carries its 24 newest, the rest
  // hidden, so this needs no server.
  var n = parseInt(new URLSearchParams(location.search).get("n"), 10);
  if (n > 0) {
    var cards = document.querySelectorAll("[data-nhung-list] > li");
    for (var i = 0; i < cards.length; i++) cards[i].hidden = i >= n;
  }

  if (window.parent === window) return; // opened on its own: nobody to tell
  var last = -1;
  function report(again) {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last && !again) return;
    last = height;
    // "*": any portal may embed these pages, so the host's origin is not known here, and a height is no
    // secret. The host script is the one that checks who is talking.
    window.parent.postMessage({ type: "guong-sang:height", height: height }, "*");
  }
  if (window.ResizeObserver) {
    new ResizeObserver(function () { report(false); }).observe(root);
  }
  window.addEventListener("resize", function () { report(false); });
  window.addEventListener("load", function () { report(true); });
  // nhung.js asks when it starts after this page has already reported (an async or late script tag).
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "guong-sang:ask-height") report(true);
  });
  report(true);
})();
