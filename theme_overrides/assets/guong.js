// Print button on profile pages (Decree 42/2022/NĐ-CP: every article can be printed).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-guong-print]")) {
    window.print();
  }
});
