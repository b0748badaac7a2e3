/*
 * Holdfast booking embed. On the studio's own site:
 *
 *   <script src="https://holdfast.example/embed.js" data-artist="mara-voss" data-service="consultation"></script>
 *
 * inserts the booking flow (or, without data-service, the artist's page) in a frame right after
 * the script tag. The frame grows and shrinks with the flow: the framed page posts its height,
 * and only messages from the Holdfast origin this script was loaded from are accepted. When the
 * flow moves on to its confirmation or a payment checkout, this page navigates there itself, at
 * the top level. Holdfast only lets the sites listed in Studio setup ("Sites that may embed the
 * booking page") show it in a frame.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var holdfast = new URL(script.src).origin;
  var artist = script.getAttribute("data-artist");
  var service = script.getAttribute("data-service");
  if (!artist) {
    console.error('Holdfast embed: add data-artist="<artist slug>" to the script tag');
    return;
  }
  var path = service ? "/book/" + encodeURIComponent(artist) + "/" + encodeURIComponent(service) : "/artists/" + encodeURIComponent(artist);
  var src = new URL(path, holdfast);
  src.searchParams.set("embed", "1");
  src.searchParams.set("parent", window.location.origin);
  var week = script.getAttribute("data-week");
  if (week) src.searchParams.set("week", week);

  var frame = document.createElement("iframe");
  frame.src = src.href;
  frame.title = script.getAttribute("data-title") || "Book an appointment";
  frame.setAttribute("data-holdfast-embed", "");
  frame.style.cssText = "display:block;width:100%;border:0;height:640px;overflow:hidden;";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== holdfast || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "holdfast:height" && typeof data.height === "number" && data.height > 0 && data.height < 100000) {
      frame.style.height = Math.ceil(data.height) + "px";
    } else if (data.type === "holdfast:open" && typeof data.url === "string") {
      var url;
      try {
        url = new URL(data.url, holdfast);
      } catch {
        return;
      }
      // Only to Holdfast itself: a payment checkout is reached through Holdfast's redirect to it.
      if (url.origin === holdfast) window.location.assign(url.href);
    }
  });
})();
