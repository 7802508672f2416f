"""How national_schema reads a ckanext-scheming schema: on a small schema
written here, so every expected field is known without the real YAML."""
from ckanext.opendata_th.playbook import national_schema as ns
from ckanext.opendata_th.playbook.national_schema import Field

SCHEMA = """\
scheming_version: 2
dataset_fields:
- field_name: data_type
  label: {th: ประเภทชุดข้อมูล, en: Data Type}
  required: true
  choices:
  - {value: ข้อมูลระเบียน, label: {th: ข้อมูลระเบียน, en: Record}, code: R}
  - {value: ข้อมูลสถิติ, label: Statistics only, code: S}
- field_name: title
  label: ชื่อ
- field_name: years
  label: {th: ปีข้อมูล, en: Years}
  data_types: S
  preset: national_multiple_choice
  choices:
  - {value: 2568, label: {th: ปี 2568, en: "2025"}}
  - {value: 2569, label: {th: ปี 2569, en: "2026"}}
- field_name: scale
  label: {th: มาตราส่วน, en: Scale}
  preset: national_choice
  required: false
  choices:
  - {value: "1:4000", label: {th: "1:4000", en: "1:4000"}}
resource_fields:
- field_name: url
  label: {th: URL หรือไฟล์, en: URL}
  required: true
  data_types: RS
"""

RECORD, STATISTICAL = "ข้อมูลระเบียน", "ข้อมูลสถิติ"


def load(tmp_path):
    path = tmp_path / "dataset.yaml"
    path.write_text(SCHEMA, encoding="utf-8")
    return ns._load(path)


def test_data_type_codes_come_from_the_data_type_choices(tmp_path):
    codes, _ = load(tmp_path)
    assert codes == {"R": RECORD, "S": STATISTICAL}


def test_fields_are_read_per_level_in_schema_order(tmp_path):
    _, fields = load(tmp_path)
    assert list(fields) == ["dataset", "resource"]
    assert list(fields["dataset"]) == ["data_type", "title", "years", "scale"]
    assert list(fields["resource"]) == ["url"]


def test_a_choice_field_with_bilingual_labels(tmp_path):
    _, fields = load(tmp_path)
    assert fields["dataset"]["data_type"] == Field(
        name="data_type", level="dataset", label_th="ประเภทชุดข้อมูล", label_en="Data Type",
        data_types=frozenset({RECORD, STATISTICAL}), required=True,
        choices=(RECORD, STATISTICAL),
        choice_labels_en={RECORD: "Record", STATISTICAL: "Statistics only"},  # a plain label serves both
        multiple=False,
    )


def test_a_plain_field_applies_to_every_data_type_and_is_optional(tmp_path):
    _, fields = load(tmp_path)
    assert fields["dataset"]["title"] == Field(
        name="title", level="dataset", label_th="ชื่อ", label_en="ชื่อ",
        data_types=frozenset({RECORD, STATISTICAL}), required=False,
        choices=(), choice_labels_en={}, multiple=False,
    )


def test_a_multiple_choice_field_of_one_data_type_with_numeric_choices(tmp_path):
    _, fields = load(tmp_path)
    years = fields["dataset"]["years"]
    assert years.data_types == {STATISTICAL}
    assert years.multiple is True
    assert years.choices == ("2568", "2569")  # stored as text
    assert years.choice_labels_en == {"2568": "2025", "2569": "2026"}
    assert (years.label_th, years.label_en, years.required) == ("ปีข้อมูล", "Years", False)
    scale = fields["dataset"]["scale"]
    assert (scale.multiple, scale.required, scale.choices) == (False, False, ("1:4000",))


def test_resource_fields_have_the_resource_level(tmp_path):
    _, fields = load(tmp_path)
    assert fields["resource"]["url"] == Field(
        name="url", level="resource", label_th="URL หรือไฟล์", label_en="URL",
        data_types=frozenset({RECORD, STATISTICAL}), required=True,
        choices=(), choice_labels_en={}, multiple=False,
    )


def test_the_real_schema_has_the_five_national_data_types():
    assert ns.DATA_TYPES == tuple(ns.DATA_TYPE_CODES.values())
    assert ns.DATA_TYPE_CODES == {
        "R": "ข้อมูลระเบียน", "S": "ข้อมูลสถิติ", "G": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
        "M": "ข้อมูลหลากหลายประเภท", "O": "ข้อมูลประเภทอื่นๆ",
    }
