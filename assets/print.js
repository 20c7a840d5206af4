// Printing: "Udskriv" buttons (class print-button) open the print dialog, and figures are
// re-laid out to the sheet's width first (Plotly draws at a fixed pixel width). A file in
// assets/, not an inline handler: the Content-Security-Policy allows no inline script.
// `keob report` dispatches the same beforeprint event before it prints to PDF.
(function () {
  "use strict";

  function graphs() {
    return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
  }

  // A figure is drawn at most MIN_SCALE times narrower than on screen, then scaled down
  // to the sheet: wide small multiples keep room for their titles, text stays legible.
  var MIN_SCALE = 0.6;

  function fitToSheet() {
    // Once per print: Chromium's printing fires beforeprint too after `keob report` did.
    if (document.documentElement.classList.contains("printing")) { return; }
    var screenWidths = graphs().map(function (gd) { return gd.getBoundingClientRect().width; });
    document.documentElement.classList.add("printing");
    if (!window.Plotly) { return; }
    graphs().forEach(function (gd, i) {
      var sheet = Math.floor(gd.parentElement.getBoundingClientRect().width);
      var drawn = Math.max(sheet, Math.min(screenWidths[i], sheet / MIN_SCALE));
      if (sheet <= 0 || !drawn) { return; }
      // The zoom is on the wrapper, so a resize Plotly makes while printing still finds
      // a container `drawn` pixels wide.
      gd.parentElement.style.zoom = drawn > sheet ? String(sheet / drawn) : "";
      window.Plotly.relayout(gd, { width: Math.floor(drawn) });
    });
  }

  function backToScreen() {
    document.documentElement.classList.remove("printing");
    if (!window.Plotly) { return; }
    graphs().forEach(function (gd) {
      gd.parentElement.style.zoom = "";
      window.Plotly.relayout(gd, { width: null, autosize: true });
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".print-button")) {
      window.print();
    }
  });
  window.addEventListener("beforeprint", fitToSheet);
  window.addEventListener("afterprint", backToScreen);
})();
