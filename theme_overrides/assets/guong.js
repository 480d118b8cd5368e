// Print button on profile pages (Decree 42/2022/NĐ-CP: every article can be printed).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-guong-print]")) {
    window.print();
  }
});

// Material wraps the tables of a story in a scrolling box; on a phone a keyboard user must be able to
// focus that box to scroll it (WCAG 2.1.1). document$ fires after Material has wrapped them.
if (window.document$) {
  window.document$.subscribe(function () {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Bảng (cuộn ngang để xem hết)");
      }
    });
  });
}
