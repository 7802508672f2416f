"""Blueprints of the ``opendata_th`` plugin, one module per area."""
from ckanext.opendata_th.views.disclosure import disclosure
from ckanext.opendata_th.views.properties import properties
from ckanext.opendata_th.views.readiness import readiness

__all__ = ["properties", "disclosure", "readiness"]

from ckanext.opendata_th.views.catalog import catalog  # noqa: E402

__all__ += ["catalog"]

from ckanext.opendata_th.views.workflow import workflow  # noqa: E402

__all__ += ["workflow"]

from ckanext.opendata_th.views.sync import sync  # noqa: E402

__all__ += ["sync"]

from ckanext.opendata_th.views.quality import quality  # noqa: E402

__all__ += ["quality"]

from ckanext.opendata_th.views.conversion import conversion  # noqa: E402

__all__ += ["conversion"]

from ckanext.opendata_th.views.feedback import feedback  # noqa: E402

__all__ += ["feedback"]

from ckanext.opendata_th.views.dataset_request import dataset_request  # noqa: E402
from ckanext.opendata_th.views.high_value import high_value  # noqa: E402

__all__ += ["dataset_request", "high_value"]

from ckanext.opendata_th.views.dashboard import dashboard  # noqa: E402

__all__ += ["dashboard"]
