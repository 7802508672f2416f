"""Demo content: one agency and a handful of datasets described the way the
national catalog (ckanext-thai_gdc) describes them.

Plain data, no CKAN imports. Field names and choice values follow
``shared/reference/thai_gdc_fields.csv``: choice values are the Thai labels,
booleans are "True"/"False", multi-choice fields are lists, dates are ISO
Gregorian and the year-of-data fields hold Buddhist Era years. The figures in
the CSV files are illustrative sample values, which the descriptions say.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent

ORGANIZATION: dict[str, Any] = {
    "title": "สถาบันการค้าระหว่างประเทศ (ตัวอย่าง)",
    "description": (
        "หน่วยงานตัวอย่างสำหรับทดลองใช้ ckanext-opendata-th: "
        "สถาบันของรัฐด้านการค้าระหว่างประเทศที่เปิดเผยข้อมูลตามแผนปฏิบัติการข้อมูลเปิด\n\n"
        "Demo agency for trying ckanext-opendata-th: a public trade institute "
        "publishing open data under its open-data action plan."
    ),
}

_COMMON: dict[str, Any] = {
    "allow_harvest": "True",
    "maintainer": "ฝ่ายเทคโนโลยีสารสนเทศ",
    "maintainer_email": "opendata@trade-institute.example",
    "data_source": "สถาบันการค้าระหว่างประเทศ",
    "data_category": "ข้อมูลสาธารณะ",
    "data_classification": "เปิดเผย",
    "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล",
    "data_language": ["ไทย", "อังกฤษ"],
    "data_format": ["CSV"],
    "license_id": "Open Data Common",
    "opendata_attest_complete": "True",
    "opendata_attest_primary": "True",
}

DATASETS: list[dict[str, Any]] = [
    {
        **_COMMON,
        "name": "export-value-by-market",
        "title": "มูลค่าการส่งออกรายเดือนจำแนกตามตลาดสำคัญ",
        "notes": (
            "มูลค่าการส่งออกสินค้าของไทยรายเดือนไปยังห้าตลาดสำคัญ (ล้านบาท) "
            "ข้อมูลตัวอย่างเพื่อการสาธิต\n\n"
            "Monthly value of Thai exports to five main markets (million baht). "
            "Illustrative sample figures."
        ),
        "tags": ["การค้าระหว่างประเทศ", "ส่งออก", "export", "trade"],
        "data_type": "ข้อมูลสถิติ",
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "last_updated_date": "2025-12-31",
        "first_year_of_data": "2567",
        "last_year_of_data": "2568",
        "disaggregate": ["ผลิตภัณฑ์", "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"],
        "unit_of_measure": "บาท",
        "unit_of_multiplier": "ล้าน",
        "calculation_method": "ผลรวมมูลค่าการส่งออก (FOB) รายเดือน",
        "standard": "พิกัดศุลกากรระบบฮาร์โมไนซ์ (HS)",
        "official_statistics": "False",
        "resources": [
            {
                "file": "export_value_by_market.csv",
                "name": "มูลค่าการส่งออกรายเดือน 2567-2568",
                "description": "Monthly export value 2024-2025 (CE), million baht",
                "format": "CSV",
            }
        ],
    },
    {
        **_COMMON,
        "name": "registered-exporters-by-province",
        "title": "จำนวนผู้ส่งออกที่ขึ้นทะเบียนรายจังหวัด",
        "notes": (
            "จำนวนผู้ส่งออกที่ขึ้นทะเบียนกับสถาบันจำแนกตามจังหวัดที่ตั้ง รายปี "
            "ข้อมูลตัวอย่างเพื่อการสาธิต\n\n"
            "Registered exporters by province of establishment, per year. "
            "Illustrative sample figures."
        ),
        "tags": ["ผู้ส่งออก", "จังหวัด", "exporters"],
        "data_type": "ข้อมูลสถิติ",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "last_updated_date": "2025-10-15",
        "first_year_of_data": "2566",
        "last_year_of_data": "2568",
        "disaggregate": ["ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"],
        "unit_of_measure": "ราย",
        "unit_of_multiplier": "หน่วย",
        "official_statistics": "False",
        "resources": [
            {
                "file": "registered_exporters_by_province.csv",
                "name": "ผู้ส่งออกที่ขึ้นทะเบียน 2566-2568",
                "description": "Registered exporters per province, B.E. 2566-2568",
                "format": "CSV",
            }
        ],
    },
    {
        **_COMMON,
        "name": "trade-training-courses",
        "title": "หลักสูตรอบรมด้านการค้าระหว่างประเทศ ปีงบประมาณ 2568",
        "notes": (
            "รายการหลักสูตรอบรมที่สถาบันจัดในปีงบประมาณ พ.ศ. 2568 พร้อมวันที่ จังหวัด "
            "และจำนวนผู้เข้าร่วม\n\n"
            "Training courses on international trade held in fiscal year 2025, "
            "with date, province and number of participants."
        ),
        "tags": ["อบรม", "การค้าระหว่างประเทศ", "training"],
        "data_type": "ข้อมูลระเบียน",
        "objective": ["พันธกิจหน่วยงาน", "เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "ไตรมาส",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "created_date": "2024-10-01",
        "last_updated_date": "2025-09-30",
        "data_support": "ไม่มี",
        "data_collect": "ไม่มี",
        "high_value_dataset": "False",
        "reference_data": "False",
        "resources": [
            {
                "file": "training_courses.csv",
                "name": "หลักสูตรอบรม ปีงบประมาณ 2568",
                "description": "Courses held 2024-10 to 2025-09",
                "format": "CSV",
            }
        ],
    },
    {
        **_COMMON,
        "name": "thai-trade-ports-unlocode",
        "title": "ท่าเรือและจุดการค้าสำคัญของไทยพร้อมรหัส UN/LOCODE",
        "notes": (
            "รายชื่อท่าเรือและจุดการค้าสำคัญของไทยพร้อมรหัส UN/LOCODE "
            "ใช้เป็นรหัสมาตรฐานอ้างอิงในชุดข้อมูลการค้า\n\n"
            "Main Thai ports and trade locations with their UN/LOCODE, the standard "
            "codes referenced by the trade datasets."
        ),
        "tags": ["ท่าเรือ", "รหัสมาตรฐาน", "UNLOCODE", "ports"],
        "data_type": "ข้อมูลระเบียน",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "created_date": "2025-01-15",
        "last_updated_date": "2025-01-15",
        "data_support": "หน่วยงาน/องค์กรระหว่างประเทศ",
        "data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
        "high_value_dataset": "True",  # reference codes others build on: on the home page
        "reference_data": "True",
        "resources": [
            {
                "file": "thai_trade_ports.csv",
                "name": "ท่าเรือสำคัญ (UN/LOCODE)",
                "description": "Source: UNECE UN/LOCODE code list",
                "format": "CSV",
            }
        ],
    },
    {
        **_COMMON,
        "name": "tambon-location",
        "title": "ตำแหน่งที่ตั้งตำบล (ละติจูด ลองจิจูด)",
        "notes": (
            "พิกัดกึ่งกลางของตำบลพร้อมรหัสและชื่อตำบล อำเภอ จังหวัด "
            "(300 แถวแรกของไฟล์จาก data.go.th)\n\n"
            "Sub-district (tambon) centre coordinates with codes and names "
            "(the first 300 rows of a data.go.th file)."
        ),
        "tags": ["ตำบล", "พิกัด", "geospatial"],
        "data_type": "ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
        "objective": ["เพื่อการให้บริการประชาชน"],
        "update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        "update_frequency_interval": "",
        "geo_coverage": "ตำบล",
        "last_updated_date": "2024-06-01",
        "data_release_calendar": "2024-06-01",
        "geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง",
        "equivalent_scale": "1:50,000",
        "west_bound_longitude": "97.3",
        "east_bound_longitude": "105.7",
        "north_bound_longitude": "20.5",
        "south_bound_longitude": "5.6",
        "positional_accuracy": "ทศนิยม 3 ตำแหน่ง",
        "reference_period": "2567",
        "data_release_date": "2024-06-01",
        "data_source": "data.go.th",
        # a sample copied from data.go.th: neither complete nor primary
        "opendata_attest_complete": "False",
        "opendata_attest_primary": "False",
        "resources": [
            {
                "file": "tambon_latlong.csv",
                "name": "พิกัดตำบล (ตัวอย่าง 300 แถว)",
                "description": "UTF-8 CSV, columns TA_ID, TAMBON_T, LAT, LONG, ...",
                "format": "CSV",
            }
        ],
    },

    # Surveyed but not published (see demo/workflow.py): no data file yet
    {
        **_COMMON,
        "name": "trade-fair-exhibitors",
        "title": "รายชื่อบริษัทที่ร่วมออกบูธงานแสดงสินค้าระหว่างประเทศ",
        "notes": (
            "ชื่อบริษัท ประเภทสินค้า และงานแสดงสินค้าที่สถาบันพาผู้ประกอบการไทยเข้าร่วม\n\n"
            "Companies that exhibited at international trade fairs with the institute."
        ),
        "tags": ["งานแสดงสินค้า", "trade fair"],
        "data_type": "ข้อมูลระเบียน",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_support": "ไม่มี",
        "data_collect": "ไม่มี",
        "high_value_dataset": "False",
        "reference_data": "False",
        "resources": [],
    },
    {
        **_COMMON,
        "name": "exporter-contacts",
        "title": "ทะเบียนผู้ติดต่อของผู้ส่งออก",
        "notes": (
            "ชื่อ ที่อยู่ โทรศัพท์ และอีเมลของผู้ติดต่อของผู้ส่งออกที่ขึ้นทะเบียน\n\n"
            "Names, addresses, phone numbers and e-mails of exporters' contact persons."
        ),
        "tags": ["ผู้ส่งออก", "exporters"],
        "data_type": "ข้อมูลระเบียน",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_support": "ไม่มี",
        "data_collect": "ไม่มี",
        "high_value_dataset": "False",
        "reference_data": "False",
        "resources": [],
    },
    {
        **_COMMON,
        "name": "export-promotion-budget-plan",
        "title": "แผนงบประมาณส่งเสริมการส่งออก (ร่าง)",
        "notes": (
            "ร่างแผนการใช้งบประมาณโครงการส่งเสริมการส่งออกของปีงบประมาณถัดไป ใช้ภายในสถาบัน\n\n"
            "Draft budget plan of next year's export promotion projects, for internal use."
        ),
        "tags": ["งบประมาณ", "budget"],
        "data_type": "ข้อมูลระเบียน",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_support": "ไม่มี",
        "data_collect": "ไม่มี",
        "high_value_dataset": "False",
        "reference_data": "False",
        "data_category": "ข้อมูลใช้ภายใน",
        "data_classification": "ชั้นเผยแพร่ภายในองค์กร",
        "accessible_condition": "ใช้ภายในสถาบันเท่านั้น",
        "resources": [],
    },
]
