/* The web address (URL name) of a new dataset, organization or group follows
 * its title as the publisher types it. The portal's opendata_th_name_suggest
 * action makes the name (Thai in the Royal Thai General System, a number
 * added when the name is taken); CKAN's own preview, which keeps only the
 * title's Latin letters, is switched off. Once the publisher types in the URL
 * field, the title no longer changes it. Without JavaScript the server makes
 * the same name when the URL field is left empty.
 *
 * The module sits on a hidden element after the name field of a create form.
 *
 * Options:
 *   kind  - dataset, organization or group
 *   title - selector of the title input in the same form
 *   name  - selector of the name (URL) input in the same form
 *   delay - pause in typing, in milliseconds, before the portal is asked
 */
this.ckan.module("opendata-th-slug", function ($) {
  "use strict";
  var NS = ".opendata-th-slug";

  return {
    options: {kind: "dataset", title: "#field-title", name: "#field-name", delay: 300},

    initialize: function () {
      var module = this;
      var form = this.el.closest("form");
      this.title = form.find(this.options.title);
      this.name = form.find(this.options.name);
      if (!this.title.length || !this.name.length) {
        return;
      }
      this.timer = null;
      this.asked = 0;  // number of the latest request: older answers are dropped

      // CKAN's slug-preview-target copies the raw title into the URL field;
      // stop it once every module of the page has started.
      window.setTimeout(function () { module.title.off(".slug-preview"); }, 0);

      this.name.on("input" + NS, function () { module.byHand = true; });
      this.title.on("input" + NS, function () { module.titleChanged(); });

      var shown = this.name.val();
      // A form shown again after an error keeps a name typed by hand; it
      // follows the title only if the name is the one the title gives.
      this.byHand = false;
      this.kept = Boolean(shown);
      if (shown && this.title.val()) {
        this.suggest(this.title.val(), function (name) { module.kept = name !== shown; });
      } else if (!shown && this.title.val()) {
        this.titleChanged();
      }
    },

    following: function () {
      return !this.byHand && !this.kept;
    },

    titleChanged: function () {
      var module = this;
      if (!this.following()) {
        return;
      }
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(function () {
        var title = $.trim(module.title.val());
        if (!title) {
          module.asked += 1;
          module.show("");
          return;
        }
        module.suggest(title, function (name) { module.show(name); });
      }, this.options.delay);
    },

    suggest: function (title, done) {
      var module = this;
      var number = ++this.asked;
      var query = "?kind=" + encodeURIComponent(this.options.kind) +
        "&title=" + encodeURIComponent(title);
      this.sandbox.client.call("GET", "opendata_th_name_suggest", query, function (response) {
        if (number === module.asked && response && response.success) {
          done(response.result.name);
        }
      }, function () {
        // no suggestion (a title too long, a lost connection): the name stays
        // as it is, and the server makes one on saving if it is empty
      });
    },

    show: function (name) {
      if (this.following()) {
        // "change" updates CKAN's preview text under the title
        this.name.val(name).trigger("change");
      }
    },

    teardown: function () {
      window.clearTimeout(this.timer);
      this.title.off(NS);
      this.name.off(NS);
    }
  };
});
