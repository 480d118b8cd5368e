// The workbench's additions to Decap CMS: the profile format (JSON to and from this server, which alone
// writes YAML), the preview pane (the portal's page and the messages of `guong check`), the completed
// Vietnamese strings; then Decap starts with the configuration the server generates.
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h;

  function merged(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === "object" ? merged(base && base[key] || {}, value) : value;
    });
    return out;
  }
  CMS.registerLocale("vi", merged(CMS.getLocale("vi") || {}, window.GUONG_VI_BO_SUNG));

  CMS.registerCustomFormat("guong-json", "md", {
    fromFile: function (text) { return JSON.parse(text); },
    toFile: function (data) { return JSON.stringify(data); },
  });

  CMS.registerPreviewStyle("/portal/material.css");
  CMS.registerPreviewStyle("/portal/guong.css");
  CMS.registerPreviewStyle("/soan/xem-truoc.css");

  var OFFLINE = "Không kết nối được trình soạn thảo: cửa sổ đang chạy 'guong soan' có còn mở không? " +
    "Những gì bạn đã gõ vẫn được giữ trong trình duyệt.";

  var Preview = window.createClass({
    getInitialState: function () { return { problems: [], errors: 0, html: "", checked: false }; },
    componentDidMount: function () { window.GUONG_KHOI_PHUC.formShown(); this.check(); },
    componentDidUpdate: function (previous) {
      if (previous.entry === this.props.entry) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(this.check, 300);
    },
    componentWillUnmount: function () {
      clearTimeout(this.timer);
      this.gone = true;
      window.GUONG_KHOI_PHUC.formGone();
    },
    check: function () {
      var entry = this.props.entry, self = this, sent = ++this.sent || (this.sent = 1);
      var params = { path: entry.get("path"), data: entry.get("data").toJS(), newEntry: !!entry.get("newRecord") };
      fetch("/api/kiem-tra", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ params: params }) })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (self.gone || sent !== self.sent) return;
          if (result.error) result = { problems: [result.error], errors: 1, html: "" };
          self.setState({ problems: result.problems, errors: result.errors, html: result.html, checked: true });
        })
        .catch(function () {
          if (!self.gone) self.setState({ problems: [OFFLINE], errors: 1, checked: true });
        });
    },
    render: function () {
      var s = this.state, box;
      if (!s.checked) {
        box = h("div", { className: "soan-kiem-tra", role: "status" }, h("p", null, "Đang kiểm tra…"));
      } else if (s.problems.length) {
        box = h("div", { className: "soan-kiem-tra " + (s.errors ? "co-loi" : "canh-bao"), role: "status",
                         "aria-live": "polite", "data-soan-kiem-tra": s.errors ? "loi" : "canh-bao" },
          h("p", null, s.errors ? "Còn " + s.errors + " lỗi — hồ sơ chưa lưu được cho đến khi sửa xong:"
                                : "Cảnh báo (hồ sơ vẫn lưu được):"),
          h("ul", null, s.problems.map(function (line, i) { return h("li", { key: i }, line); })));
      } else {
        box = h("div", { className: "soan-kiem-tra hop-le", role: "status", "data-soan-kiem-tra": "hop-le" },
          h("p", null, "Hồ sơ hợp lệ: không có lỗi, không có cảnh báo."));
      }
      return h("div", { className: "soan-xem-truoc" }, box,
        s.html ? h("div", { className: "md-typeset", dangerouslySetInnerHTML: { __html: s.html } }) : null);
    },
  });
  CMS.registerPreviewTemplate("guong", Preview);

  fetch("/cau-hinh.json")
    .then(function (response) { return response.json(); })
    .then(function (config) { CMS.init({ config: config }); });
})();
