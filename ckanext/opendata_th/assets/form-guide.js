/* Guides a publisher through the dataset and resource forms.
 *
 * Shows each "<field>_other" box only while its field's "other" choice
 * is made, the expected update time only for daily or shorter update
 * units, and only the classification levels the chosen data category allows;
 * puts the cursor in the field an error-summary link points to; on Thai
 * pages, shows a chosen date in the Buddhist Era.
 *
 * The rules come from the server (h.opendata_th_form_rules, built from the
 * playbook), never typed here. Without JavaScript every field is shown and
 * the server checks everything.
 *
 * Options:
 *   rules - {other: {name: [choice field, other value]},
 *            time: {field, unit, units}, classification: {category, field, allowed}}
 */
this.ckan.module("opendata-th-form-guide", function ($) {
  "use strict";
  var HIDDEN = "opendata-th-not-chosen";

  return {
    options: {rules: {}},

    initialize: function () {
      var module = this;
      var rules = this.options.rules || {};
      this.form = this.el.closest("form");

      $.each(rules.other || {}, function (otherName, rule) {
        module.follow(rule[0], function (values) {
          module.group(otherName).toggleClass(HIDDEN, $.inArray(rule[1], values) === -1);
        });
      });
      if (rules.time) {
        module.follow(rules.time.unit, function (values) {
          module.group(rules.time.field).toggleClass(HIDDEN, $.inArray(values[0], rules.time.units) === -1);
        });
      }
      if (rules.classification) {
        this.filterClassifications(rules.classification);
      }
      this.form.on("click", ".error-explanation a[href^='#']", function (event) {
        if (module.focusField(this.getAttribute("href").slice(1))) {
          event.preventDefault();
        }
      });
      this.form.find("input[data-opendata-th-date='th']").each(function () {
        module.showBuddhistEra($(this));
      });
    },

    /* The form group (label, input, help, errors) of a field. */
    group: function (name) {
      return this.form.find("[name='" + name + "']").closest(".form-group");
    },

    /* Calls show(the field's chosen values) now and whenever they change. */
    follow: function (name, show) {
      var inputs = this.form.find("[name='" + name + "']");
      var chosen = function () {
        return inputs.filter("select, :checked, input[type!=checkbox][type!=radio]")
          .map(function () { return $(this).val(); }).get();
      };
      inputs.on("change", function () { show(chosen()); });
      show(chosen());
    },

    /* Offers only the classification levels the chosen category allows
     * (all of them while no category is chosen). */
    filterClassifications: function (rule) {
      var select = this.form.find("select[name='" + rule.field + "']");
      var options = select.find("option").clone();
      this.follow(rule.category, function (values) {
        var allowed = rule.allowed[values[0]];
        var current = select.val();
        select.empty().append(options.clone().filter(function () {
          return !this.value || !allowed || $.inArray(this.value, allowed) !== -1;
        }));
        select.val(select.find("option").filter(function () { return this.value === current; }).length
          ? current : (allowed && allowed.length === 1 ? allowed[0] : ""));
      });
    },

    /* Puts the cursor in the field with this id, or in the first input of
     * its form group (checkbox lists, select2 widgets). */
    focusField: function (id) {
      var target = $(document.getElementById(id));
      if (!target.length) {
        return false;
      }
      var focusable = target.is(":input:visible") ? target
        : target.closest(".form-group").find(":input:visible").not("[type=hidden]").first();
      (focusable.length ? focusable : target)[0].scrollIntoView({block: "center"});
      if (focusable.length) {
        focusable.trigger("focus");
      }
      return true;
    },

    /* Shows a chosen ISO (Gregorian) date as a Thai Buddhist Era date. */
    showBuddhistEra: function (input) {
      var note = $('<span class="opendata-th-be-date" aria-live="polite"></span>').insertAfter(input);
      var format = new Intl.DateTimeFormat("th-TH-u-ca-buddhist",
        {day: "numeric", month: "long", year: "numeric", era: "short", timeZone: "UTC"});
      var show = function () {
        var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.val() || "");
        note.text(match ? format.format(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]))) : "");
      };
      input.on("change input", show);
      show();
    }
  };
});
