/* Shows only the fields that apply to the dataset's data type (ประเภทชุดข้อมูล).
 *
 * On the dataset form the module sits on the data_type select and follows its
 * value. On the resource form it sits on a hidden element and asks the API for
 * the dataset's data_type. The server drops the fields of other types anyway.
 *
 * Options:
 *   fields  - {field name: [data_type values the field applies to]}
 *   package - resource form only: the dataset's name or id
 */
this.ckan.module("opendata-th-data-type", function ($) {
  "use strict";
  return {
    options: {fields: {}, package: null},

    initialize: function () {
      var module = this;
      if (this.options.package) {
        this.sandbox.client.call(
          "GET", "package_show", "?id=" + encodeURIComponent(this.options.package),
          function (response) { module.show(response.result.data_type); });
      } else {
        this.el.on("change", function () { module.show(module.el.val()); });
        this.show(this.el.val());
      }
    },

    show: function (dataType) {
      var form = this.el.closest("form");
      $.each(this.options.fields, function (name, dataTypes) {
        form.find("[name='" + name + "']").closest(".form-group")
          .toggle($.inArray(dataType, dataTypes) !== -1);
      });
    }
  };
});
