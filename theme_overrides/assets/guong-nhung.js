// The "Nhúng vào trang của bạn" box on profile and listing pages (generator/portal/templates/_embed.html).
(function () {
  "use strict";
  var box = document.querySelector("[data-guong-embed]");
  if (!box) return;
  var code = box.querySelector("textarea");
  var button = box.querySelector("[data-guong-copy]");
  var status = box.querySelector("[data-guong-copy-status]");
  var preview = box.querySelector("[data-guong-preview]");
  var frame = preview.querySelector("iframe");

  // The snippet was written with the configured site_url; the address this page was actually reached
  // at is what works for whoever copies it (a sub-path such as /guong-sang/, a site_url left unset).
  var base = code.getAttribute("data-base");
  var here = new URL(code.getAttribute("data-root"), location.href).href;
  if (base && base !== here) code.value = code.value.split('"' + base).join('"' + here);

  code.addEventListener("focus", function () { code.select(); });
  button.hidden = false;
  button.addEventListener("click", function () {
    code.focus();
    code.select();
    function copied() { status.textContent = "Đã sao chép mã nhúng."; }
    function selectedOnly() { status.textContent = "Mã đã được chọn: nhấn Ctrl+C để sao chép."; }
    function legacy() {
      try { if (document.execCommand("copy")) { copied(); return; } } catch (error) { /* fall through */ }
      selectedOnly();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.value).then(copied, legacy);
    } else {
      legacy();
    }
  });

  box.addEventListener("toggle", function () {
    if (!box.open || frame.getAttribute("src")) return;
    // The preview resizes the way a host page would: with the site's own nhung.js.
    var script = document.createElement("script");
    script.src = code.getAttribute("data-script");
    script.async = true;
    document.head.appendChild(script);
    preview.hidden = false;
    frame.src = frame.getAttribute("data-src");
  });
})();
