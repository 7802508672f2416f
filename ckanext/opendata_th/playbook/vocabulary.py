"""Names and stored values of the national catalogs (ckanext-thai_gdc) that
more than one rule uses: defined here once.

Choice values are stored as the Thai labels themselves, as thai_gdc stores
them; see ``shared/reference/thai_gdc_fields.csv``.
"""
from __future__ import annotations

OTHER = "อื่นๆ"
"""The "other" choice of every choice field; its free text goes in ``<field>_other``."""
OTHER_DATA_TYPE = "ข้อมูลประเภทอื่นๆ"
"""data_type's own "other" choice (with ``data_type_other``)."""

# data_category: the governance category of the data
PUBLIC = "ข้อมูลสาธารณะ"
INTERNAL = "ข้อมูลใช้ภายใน"
PERSONAL = "ข้อมูลส่วนบุคคล"
SECURITY = "ข้อมูลความมั่นคง"
OFFICIAL_SECRET = "ข้อมูลความลับทางราชการ"

# data_classification: the classification level
OPEN = "เปิดเผย"
INTERNAL_DISTRIBUTION = "ชั้นเผยแพร่ภายในองค์กร"
CONFIDENTIAL = "ลับ"
SECRET = "ลับมาก"
TOP_SECRET = "ลับที่สุด"

NO_ACCESS_RESTRICTION = "ไม่มีการจำกัดการเข้าถึงข้อมูล"
"""accessible_condition of data anyone may access."""

# field names
CATEGORY_FIELD = "data_category"
CLASSIFICATION_FIELD = "data_classification"
UPDATE_UNIT_FIELD = "update_frequency_unit"
UPDATE_INTERVAL_FIELD = "update_frequency_interval"
UPDATE_TIME_FIELD = "update_frequency_time"
"""The expected update time of day ("HH:MM") of daily or shorter frequencies."""
LAST_UPDATED_FIELD = "last_updated_date"
"""The dataset's last data update, declared by the publisher (ISO date)."""
RESOURCE_LAST_UPDATED_FIELD = "resource_last_updated_date"
"""A resource's last data update, declared by the publisher (ISO date)."""
