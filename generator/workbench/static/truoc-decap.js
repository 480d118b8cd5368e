// Decap starts by itself unless told not to: soan.js registers the profile format, the preview and the
// Vietnamese strings first, then starts it with the configuration the server generates.
window.CMS_MANUAL_INIT = true;
// The local server has no accounts (it answers only this computer): Decap's "log in" page would be one
// more button to press for nothing, so Decap finds its user already signed in.
if (!window.localStorage.getItem("decap-cms-user")) {
  window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy" }));
}
