"""Actions of the ``opendata_th`` plugin (``/api/3/action/opendata_th_*``),
one module per area of the playbook."""
from ckanext.opendata_th.logic.action.disclosure import (
    bulk_update_private,
    bulk_update_public,
    member_list,
    package_owner_org_update,
)
from ckanext.opendata_th.logic.action.names import (
    group_create,
    opendata_th_name_suggest,
    organization_create,
    package_create,
)
from ckanext.opendata_th.logic.action.properties import (
    opendata_th_link_check,
    opendata_th_properties_show,
)
from ckanext.opendata_th.logic.action.readiness import (
    opendata_th_readiness_copy_forward,
    opendata_th_readiness_file_delete,
    opendata_th_readiness_file_upload,
    opendata_th_readiness_history,
    opendata_th_readiness_list,
    opendata_th_readiness_overdue_actions,
    opendata_th_readiness_schema_show,
    opendata_th_readiness_show,
    opendata_th_readiness_update,
)
from ckanext.opendata_th.logic.action.tags import (
    tag_autocomplete,
    tag_list,
    tag_search,
    tag_show,
    vocabulary_list,
    vocabulary_show,
)

__all__ = ["opendata_th_properties_show", "opendata_th_link_check",
           "bulk_update_public", "bulk_update_private", "member_list",
           "package_owner_org_update",
           "tag_list", "tag_autocomplete", "tag_search", "tag_show",
           "vocabulary_show", "vocabulary_list",
           "package_create", "organization_create", "group_create", "opendata_th_name_suggest"]
__all__ += ["opendata_th_readiness_schema_show",
            "opendata_th_readiness_show",
            "opendata_th_readiness_update",
            "opendata_th_readiness_list",
            "opendata_th_readiness_history",
            "opendata_th_readiness_copy_forward",
            "opendata_th_readiness_file_upload",
            "opendata_th_readiness_file_delete",
            "opendata_th_readiness_overdue_actions"]

from ckanext.opendata_th.logic.action.catalog import (  # noqa: E402
    opendata_th_catalog_import,
    opendata_th_catalog_list,
)

__all__ += ["opendata_th_catalog_list", "opendata_th_catalog_import"]

from ckanext.opendata_th.logic.action.workflow import (  # noqa: E402
    opendata_th_approval_queue,
    opendata_th_classification_schema_show,
    opendata_th_classify,
    opendata_th_prioritise,
    opendata_th_priority_list,
    opendata_th_select,
    opendata_th_transition,
    opendata_th_workflow_history,
    opendata_th_workflow_show,
)

__all__ += ["opendata_th_workflow_show", "opendata_th_workflow_history", "opendata_th_transition",
            "opendata_th_select", "opendata_th_prioritise", "opendata_th_classify",
            "opendata_th_classification_schema_show", "opendata_th_priority_list",
            "opendata_th_approval_queue"]

from ckanext.opendata_th.logic.action.national_catalog import status_show  # noqa: E402

__all__ += ["status_show"]

from ckanext.opendata_th.logic.action.sync import (  # noqa: E402
    opendata_th_sync_diff,
    opendata_th_sync_diff_list,
    opendata_th_sync_diff_organization,
)

__all__ += ["opendata_th_sync_diff_list", "opendata_th_sync_diff", "opendata_th_sync_diff_organization"]

from ckanext.opendata_th.logic.action.quality import (  # noqa: E402
    opendata_th_quality_check,
    opendata_th_quality_report_show,
)

__all__ += ["opendata_th_quality_report_show", "opendata_th_quality_check"]

from ckanext.opendata_th.logic.action.conversion import (  # noqa: E402
    opendata_th_conversion_accept,
    opendata_th_conversion_discard,
    opendata_th_conversion_show,
    opendata_th_resource_convert,
)

__all__ += ["opendata_th_resource_convert", "opendata_th_conversion_show",
            "opendata_th_conversion_accept", "opendata_th_conversion_discard"]

from ckanext.opendata_th.logic.action.feedback import (  # noqa: E402
    opendata_th_feedback_answer,
    opendata_th_feedback_approve,
    opendata_th_feedback_counts,
    opendata_th_feedback_create,
    opendata_th_feedback_hide,
    opendata_th_feedback_hold,
    opendata_th_feedback_list,
    opendata_th_feedback_reopen,
    opendata_th_feedback_resolve,
    opendata_th_feedback_show,
)

__all__ += ["opendata_th_feedback_create", "opendata_th_feedback_list", "opendata_th_feedback_show",
            "opendata_th_feedback_counts", "opendata_th_feedback_approve", "opendata_th_feedback_answer",
            "opendata_th_feedback_resolve", "opendata_th_feedback_reopen", "opendata_th_feedback_hold",
            "opendata_th_feedback_hide"]

from ckanext.opendata_th.logic.action.dataset_request import (  # noqa: E402
    opendata_th_request_assign,
    opendata_th_request_create,
    opendata_th_request_list,
    opendata_th_request_reply,
    opendata_th_request_schema_show,
    opendata_th_request_show,
    opendata_th_request_triage,
)

__all__ += ["opendata_th_request_create", "opendata_th_request_list", "opendata_th_request_show",
            "opendata_th_request_schema_show", "opendata_th_request_triage", "opendata_th_request_assign",
            "opendata_th_request_reply"]

from ckanext.opendata_th.logic.action.dashboard import (  # noqa: E402
    opendata_th_dashboard_show,
    opendata_th_target_show,
    opendata_th_target_update,
    opendata_th_yearly_report_show,
)

__all__ += ["opendata_th_dashboard_show", "opendata_th_yearly_report_show",
            "opendata_th_target_show", "opendata_th_target_update"]
