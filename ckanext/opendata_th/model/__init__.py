"""Tables of the ``opendata_th`` plugin: records that keep their history.

Created by the plugin's alembic migrations (``ckan db upgrade -p
opendata_th``). Timestamps are stored timezone-aware (``timestamptz``).
"""
from __future__ import annotations

from ckanext.opendata_th.model.link_check import LinkCheck
from ckanext.opendata_th.model.readiness import ReadinessAssessment, ReadinessChange, ReadinessFile
from ckanext.opendata_th.model.readiness_reminder import ReadinessReminder
from ckanext.opendata_th.model.reminder import Reminder
from ckanext.opendata_th.model.workflow import WorkflowEvent, WorkflowRecord
from ckanext.opendata_th.model.sync import SyncRecord, SyncSource
from ckanext.opendata_th.model.workflow_mail import ApprovalDigest
from ckanext.opendata_th.model.quality import QualityReport

__all__ = ["LinkCheck", "Reminder", "ReadinessReminder",
           "ReadinessAssessment", "ReadinessChange", "ReadinessFile"]
__all__ += ["WorkflowRecord", "WorkflowEvent", "ApprovalDigest"]
__all__ += ["SyncRecord", "SyncSource"]
__all__ += ["QualityReport"]

from ckanext.opendata_th.model.conversion import Conversion  # noqa: E402

__all__ += ["Conversion"]

from ckanext.opendata_th.model.feedback import Feedback, FeedbackEvent  # noqa: E402

__all__ += ["Feedback", "FeedbackEvent"]

from ckanext.opendata_th.model.target import YearlyMeasure, YearlyTarget  # noqa: E402

__all__ += ["YearlyTarget", "YearlyMeasure"]
